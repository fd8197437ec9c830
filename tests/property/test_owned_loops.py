"""Loops whose map, set and string updates the compiler turns into in-place (owned) updates
(the program's loops compile to `mesh_map_put_owned`, `mesh_set_add_owned`,
`mesh_string_append_owned`, ...), against a Python model. Each case is cut into pieces at
`snap` lines; the versions leaving each piece's loops are kept in a list and fed into the next
piece's loops, so an in-place update must never reach a kept version: every kept version is
printed again at the end.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st
from prop_harness import MODES, Checker, assert_lines, check_property, program

KEYS = st.text(alphabet="ab\u00e9\U0001f600", min_size=1, max_size=3) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"), min_size=1, max_size=6)
VALUES = st.integers(-(2**63), 2**63 - 1)
PIECE = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"), max_size=5)


@st.composite
def cases(draw: st.DrawFn) -> list[list[tuple[Any, ...]]]:
    batch = []
    for _ in range(draw(st.integers(1, 4))):
        pool = draw(st.lists(KEYS, min_size=1, max_size=40, unique=True))
        key = st.sampled_from(pool)
        op = st.one_of(
            st.tuples(st.just("put"), key, VALUES),
            st.tuples(st.just("put"), key, VALUES),
            st.tuples(st.just("del"), key),
            st.tuples(st.just("get"), key),
            st.tuples(st.just("app"), PIECE),
            st.tuples(st.just("snap")),
        )
        batch.append(draw(st.lists(op, max_size=200)))
    return batch


def show(m: dict[str, int], s: dict[str, None], t: str) -> str:
    shown_m = "%{" + ", ".join(f"{k} => {v}" for k, v in m.items()) + "}"
    shown_s = "#{" + ", ".join(s) + "}"
    return f"{shown_m} {shown_s} {t}"


def model(batch: list[list[tuple[Any, ...]]]) -> list[str]:
    out: list[str] = []
    for ops in batch:
        m: dict[str, int] = {}
        s: dict[str, None] = {}
        t = ""
        kept: list[str] = []
        for op in ops:
            if op[0] == "put":
                m[op[1]] = op[2]
                s.setdefault(op[1])
                t += "+" + op[1]
            elif op[0] == "del":
                m.pop(op[1], None)
                s.pop(op[1], None)
            elif op[0] == "get":
                out.append(f"get {m.get(op[1], 0)} {'true' if op[1] in m else 'false'} {len(m)}")
            elif op[0] == "app":
                t += op[1]
            else:
                kept.append(show(m, s, t))
        kept.append(show(m, s, t))
        out.append(f"final {kept[-1]}")
        out.extend(f"kept {i} {k}" for i, k in enumerate(kept))
        out.append("end")
    return out


@pytest.mark.parametrize("mode", MODES)
def test_owned_loops_keep_old_versions(build_checker: Any, mode: str) -> None:
    checker: Checker = build_checker("owned_loops", program("owned_loops.mpl"))

    def check(batch: list[list[tuple[Any, ...]]]) -> None:
        lines = [str(len(batch))]
        for ops in batch:
            lines += ["\t".join(str(x) for x in op) for op in ops] + ["end"]
        assert_lines(checker.run(lines, mode), model(batch))

    check_property(cases(), check, mode)
