"""List<Int> and Queue against Python lists: append, prepend (`++`), concat, reverse, take,
drop (counts clamped), tail, sort, contains, and on every shown version head/last/get/nth,
reduce, map, filter, zip, any/all, find, enumerate, flat_map, flatten; a Queue is first in,
first out (push/pop/peek/size/is_empty). Versions are kept (`lsnap`/`qsnap`) and printed again
at the end of each case: later operations must not change them.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st
from prop_harness import MODES, Checker, assert_lines, check_property, program

SMALL = st.integers(-20, 20)
OPS = st.one_of(
    st.tuples(st.just("app"), SMALL),
    st.tuples(st.just("app"), SMALL),
    st.tuples(st.just("pre"), SMALL),
    st.tuples(st.just("cat"), st.lists(SMALL, max_size=4)),
    st.tuples(st.just("rev")),
    st.tuples(st.just("take"), st.integers(-2, 12)),
    st.tuples(st.just("drop"), st.integers(-2, 6)),
    st.tuples(st.just("tail")),
    st.tuples(st.just("has"), SMALL),
    st.tuples(st.just("sort")),
    st.tuples(st.just("show")),
    st.tuples(st.just("push"), SMALL),
    st.tuples(st.just("push"), SMALL),
    st.tuples(st.just("pop")),
    st.tuples(st.just("lsnap")),
    st.tuples(st.just("qsnap")),
)


def encode(op: tuple[Any, ...]) -> str:
    if op[0] == "cat":
        return "\t".join(["cat", *map(str, op[1])])
    return "\t".join(map(str, op))


def seq(xs: list[Any]) -> str:
    return "[" + ", ".join(map(str, xs)) + "]"


def pairs(ps: list[tuple[int, int]]) -> str:
    return "[" + ", ".join(f"({a}, {b})" for a, b in ps) + "]"


def b(x: bool) -> str:
    return "true" if x else "false"


def show_list(xs: list[int]) -> str:
    n = len(xs)
    ends = "-" if n == 0 else f"{xs[0]} {xs[-1]} {xs[n // 2]} {xs[n - 1]}"
    neg = [x for x in xs if x < 0]
    found = f"Some({neg[0]})" if neg else "None"
    flat = [y for x in xs[:3] for y in (x, -x)]
    return (f"{n} {seq(xs)} {ends} {sum(xs)} {seq([x * 3 for x in xs])} {seq([x for x in xs if x % 2 == 0])} "
            f"{pairs(list(zip(xs, reversed(xs), strict=True)))} {b(any(x > 5 for x in xs))} "
            f"{b(all(x > 5 for x in xs))} {found} {pairs(list(enumerate(xs[:2])))} {seq(flat)} {seq(xs + xs[1:])}")


def model(ops: list[tuple[Any, ...]]) -> list[str]:
    out: list[str] = []
    lst: list[int] = []
    q: list[int] = []
    ls: list[list[int]] = []
    qs: list[list[int]] = []
    for op in ops:
        k = op[0]
        if k == "app":
            lst = lst + [op[1]]
        elif k == "pre":
            lst = [op[1]] + lst
        elif k == "cat":
            lst = lst + op[1]
        elif k == "rev":
            lst = lst[::-1]
        elif k == "take":
            lst = lst[:max(op[1], 0)]
        elif k == "drop":
            lst = lst[max(op[1], 0):]
        elif k == "tail":
            lst = lst[1:]
        elif k == "has":
            out.append(f"has {b(op[1] in lst)}")
        elif k == "sort":
            lst = sorted(lst)
        elif k == "show":
            out.append(f"list {show_list(lst)}")
        elif k == "push":
            q = q + [op[1]]
        elif k == "pop":
            if q:
                out.append(f"pop {q[0]} {q[0]} {len(q) - 1}")
                q = q[1:]
            else:
                out.append("pop empty")
        elif k == "lsnap":
            ls.append(lst)
        elif k == "qsnap":
            qs.append(q)
    out.append(f"list {show_list(lst)}")
    out.append(f"queue {len(q)} {seq(q)}")
    out += [f"list {show_list(x)}" for x in ls] + [f"queue {len(x)} {seq(x)}" for x in qs] + ["end"]
    return out


@pytest.mark.parametrize("mode", MODES)
def test_list_and_queue_match_python(build_checker: Any, mode: str) -> None:
    checker: Checker = build_checker("list_queue", program("list_queue.mpl"))

    def check(batch: list[list[tuple[Any, ...]]]) -> None:
        lines = [encode(op) for ops in batch for op in ops + [("end",)]]
        assert_lines(checker.run(lines, mode), [line for ops in batch for line in model(ops)])

    check_property(st.lists(st.lists(OPS, max_size=60), min_size=1, max_size=4), check, mode)
