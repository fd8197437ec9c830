"""List.sort (the comparator form, the only one the API has) against Python's `sorted`: Ints
(ascending, descending), Strings (code-point order, which is UTF-8 byte order) and pairs
sorted by their Int key only, where the documented stability must keep equal keys in input
order. The unsorted input must be unchanged afterwards.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st
from prop_harness import MODES, Checker, assert_lines, check_property, program

INTS = st.integers(-5, 5) | st.integers(-(2**63), 2**63 - 1)
STRS = st.text(alphabet="aAbé\u4e2d\U0001f600 ", max_size=3) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"), max_size=6)
TAGS = st.text(alphabet="xyz", min_size=1, max_size=2)

LINE = st.one_of(
    st.tuples(st.just("ints"), st.lists(INTS, max_size=60)),
    st.tuples(st.just("desc"), st.lists(INTS, max_size=60)),
    # an empty String would vanish in a tab-separated line of one element
    st.tuples(st.just("strs"), st.lists(STRS, min_size=0, max_size=40).filter(lambda xs: xs != [""])),
    st.tuples(st.just("pairs"), st.lists(st.tuples(st.integers(0, 4), TAGS), max_size=40)),
)


def encode(op: str, xs: list[Any]) -> str:
    if op == "pairs":
        return "\t".join([op] + [f"{k}\t{t}" for k, t in xs])
    return "\t".join([op] + [str(x) for x in xs])


def model(op: str, xs: list[Any]) -> str:
    def tabs(ys: list[Any]) -> str:
        return "\t".join(str(y) for y in ys)

    if op == "ints" or op == "strs":
        return f"{tabs(sorted(xs))} | {tabs(xs)}"
    if op == "desc":
        return tabs(sorted(xs, reverse=True))
    return tabs(f"{k}:{t}" for k, t in sorted(xs, key=lambda p: p[0]))


@pytest.mark.parametrize("mode", MODES)
def test_sort_matches_sorted(build_checker: Any, mode: str) -> None:
    checker: Checker = build_checker("sort", program("sort_ops.mpl"))

    def check(batch: list[tuple[str, list[Any]]]) -> None:
        got = checker.run([encode(op, xs) for op, xs in batch], mode)
        assert_lines(got, [model(op, xs) for op, xs in batch])

    check_property(st.lists(LINE, min_size=1, max_size=20), check, mode)
