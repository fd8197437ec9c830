"""Set<Int> and Set<String> against a Python set: add/remove/contains/size/to_list/union/
intersection/difference/from_list. Sets iterate and print in insertion order (set.h); the
model keeps that order in a dict: a union appends the right side's new elements, an
intersection or difference keeps the left side's order.

Every 10th version (and random ones) is kept alive and printed again at the end of a case.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st
from prop_harness import MODES, Checker, assert_lines, check_property, program, with_snapshots

ELEM_TYPES = {
    "Int": (st.integers(-3, 3) | st.integers(-(2**63), 2**63 - 1),
            "fn parse_elem(s :: String) -> Int do\n  case String.to_int(s) do\n"
            "    Some(x) -> x\n    None -> 0\n  end\nend\n"
            "fn show_elem(k :: Int) -> String = \"${k}\"\n"),
    "String": (st.text(alphabet="ab\u00e9\U0001f600 ", max_size=3) | st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"), max_size=6),
        "fn parse_elem(s :: String) -> String = s\nfn show_elem(k :: String) -> String = k\n"),
}


@st.composite
def cases(draw: st.DrawFn, elems: st.SearchStrategy[Any]) -> list[list[tuple[Any, ...]]]:
    batch = []
    for _ in range(draw(st.integers(1, 5))):
        pool = draw(st.lists(elems, min_size=1, max_size=12, unique=True))
        elem = st.sampled_from(pool)
        some = st.lists(elem, max_size=8)
        op = st.one_of(
            st.tuples(st.just("add"), elem),
            st.tuples(st.just("add"), elem),
            st.tuples(st.just("rem"), elem),
            st.tuples(st.just("has"), elem),
            st.tuples(st.just("show")),
            st.tuples(st.just("union"), some),
            st.tuples(st.just("inter"), some),
            st.tuples(st.just("diff"), some),
            st.tuples(st.just("from"), some),
            st.tuples(st.just("snap")),
        )
        batch.append(with_snapshots(draw(st.lists(op, max_size=60))))
    return batch


def encode(op: tuple[Any, ...]) -> str:
    if len(op) > 1 and isinstance(op[1], list):
        return "\t".join([op[0]] + [str(x) for x in op[1]])
    return "\t".join(str(x) for x in op)


def show(s: dict[Any, None]) -> str:
    items = "\t".join(str(x) for x in s)
    shown = "#{" + ", ".join(str(x) for x in s) + "}"
    return f"size={len(s)} to_list=[{items}] for=[{items}] shown={shown}"


def model(batch: list[list[tuple[Any, ...]]]) -> list[str]:
    out: list[str] = []
    for ops in batch:
        s: dict[Any, None] = {}  # an insertion-ordered set
        snaps: list[tuple[int, dict[Any, None]]] = []
        for n, op in enumerate(ops):
            kind = op[0]
            if kind == "add":
                s.setdefault(op[1])
            elif kind == "rem":
                s.pop(op[1], None)
            elif kind == "has":
                out.append(f"has {'true' if op[1] in s else 'false'}")
            elif kind == "show":
                out.append(show(s))
            elif kind == "union":
                s = {**s, **dict.fromkeys(op[1])}
            elif kind == "inter":
                s = {x: None for x in s if x in op[1]}
            elif kind == "diff":
                s = {x: None for x in s if x not in op[1]}
            elif kind == "from":
                s = dict.fromkeys(op[1])
            elif kind == "snap":
                snaps.append((n, dict(s)))
        out.append(show(s))
        out.extend(f"snap {n} {show(v)}" for n, v in snaps)
        out.append("end")
    return out


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("elem_type", list(ELEM_TYPES))
def test_set_matches_python_set(build_checker: Any, elem_type: str, mode: str) -> None:
    elems, helpers = ELEM_TYPES[elem_type]
    checker: Checker = build_checker(f"set_{elem_type}", program("set_ops.mpl").replace("ELEM", elem_type) + helpers)

    def check(batch: list[list[tuple[Any, ...]]]) -> None:
        lines = [encode(op) for ops in batch for op in ops + [("end",)]]
        assert_lines(checker.run(lines, mode), model(batch))

    check_property(cases(elems), check, mode)
