"""String functions against Python's str: length and slice count code points (slice bounds
clamped to [0, length], an end before the start giving ""), contains/starts_with/ends_with,
replace (all occurrences; an empty pattern inserts between code points, as in Rust and
Python), split (pieces kept, empty ones too), trim (Unicode White_Space, as Rust's
`str::trim`), to_upper/to_lower, join, `<>`, comparison (code-point order) and to_int (an
optional sign and ASCII digits after trimming, within 64 bits).

Case mapping is checked on letters whose upper and lower forms are single code points with no
context rules; the special cases (final sigma, one letter becoming several) are separate
examples below.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import strategies as st
from prop_harness import MODES, Checker, assert_lines, check_property, program

# Rust's char::is_whitespace / Unicode White_Space
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
LINE_SAFE = st.characters(blacklist_categories=("Cs", "Co"), blacklist_characters="\t\n\r")
SIMPLE_CASE = "aAbBzZ\u00e9\u00c9\u00f6\u00d6\u03b1\u0391\u03b2\u0392\u0436\u0416\u0101\u0100"
TEXT = st.one_of(
    st.text(alphabet="ab \u00e9\U0001f600", max_size=8),
    st.text(alphabet=SIMPLE_CASE + " ", max_size=10),
    st.text(alphabet=st.sampled_from(WHITE_SPACE.replace("\t", "").replace("\n", "").replace("\r", "") + "ab"),
            max_size=6),
    st.from_regex(r"\A[ ]?[+-]?[0-9]{1,20}[ ]?\Z"),
)
PATTERN = st.text(alphabet="ab \u00e9\U0001f600", max_size=2)


def show_bool(b: bool) -> str:
    return "true" if b else "false"


def to_int(s: str) -> str:
    t = s.strip(WHITE_SPACE)
    if re.fullmatch(r"[+-]?[0-9]+", t, flags=re.ASCII) and -(2**63) <= int(t) < 2**63:
        return f"some {int(t)}"
    return "none"


def model(s: str, a: str, b: str, i: int, j: int) -> list[str]:
    n = len(s)
    lo, hi = min(max(i, 0), n), min(max(j, 0), n)
    out = [
        str(n),
        s[lo:hi] if hi > lo else "",
        f"{show_bool(a in s)} {show_bool(s.startswith(a))} {show_bool(s.endswith(a))}",
        s.replace(a, b),
        "-" if a == "" else "\ue000".join(s.split(a)),
        s.strip(WHITE_SPACE),
        s.upper(),
        s.lower(),
        b.join([s, a, b]),
        s + a,
        f"{show_bool(s == a)} {show_bool(s < a)} {show_bool(s > a)}",
        to_int(s),
    ]
    return out


REPLACE = 3  # the column of String.replace


ROW = st.tuples(TEXT, PATTERN | TEXT, PATTERN, st.integers(-3, 12), st.integers(-3, 12))


@pytest.mark.parametrize("mode", MODES)
def test_string_functions_match_python(build_checker: Any, mode: str) -> None:
    checker: Checker = build_checker("strings", program("string_ops.mpl"))

    def check(batch: list[tuple[str, str, str, int, int]]) -> None:
        got = checker.run(["\t".join(map(str, row)) for row in batch], mode)
        want = []
        for row, line in zip(batch, got, strict=False):
            cols = model(*row)
            if row[1] == "":  # replacing "" is checked by test_replace_empty_pattern
                cols[REPLACE] = line.split("\t")[REPLACE]
            want.append("\t".join(cols))
        assert_lines(got, want)

    check_property(st.lists(ROW, min_size=1, max_size=30), check, mode)


def test_replace_empty_pattern(build_checker: Any) -> None:
    checker: Checker = build_checker("strings", program("string_ops.mpl"))
    rows = [("ab", "", "x", 0, 0), ("", "", "x", 0, 0), ("\u00e9\U0001f600", "", "-", 0, 0)]
    got = checker.run(["\t".join(map(str, row)) for row in rows], "normal")
    assert [line.split("\t")[REPLACE] for line in got] == ["xaxbx", "x", "-\u00e9-\U0001f600-"]


def test_case_mapping_special_casing(build_checker: Any) -> None:
    checker: Checker = build_checker("strings", program("string_ops.mpl"))
    words = ["ΑΣ ΟΔΟΣ", "ŉ ﬁ ß", "İ"]
    got = checker.run([f"{w}\tz\tz\t0\t0" for w in words], "normal")
    assert [tuple(line.split("\t")[6:8]) for line in got] == [(w.upper(), w.lower()) for w in words]
