"""Lazy iterator pipelines (Iter.map/filter/take/skip/enumerate over lists, maps, sets and
ranges; count, sum, any, all, find, reduce, zip; List/Set collectors) against Python list
transformations. Each pipeline is rebuilt from a fresh source for every consumer, so a
consumer that leaves its iterator half-used must not disturb the next.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

import pytest
from hypothesis import strategies as st
from prop_harness import MODES, Checker, assert_lines, check_property, program

STAGE = st.one_of(
    st.tuples(st.just("map"), st.integers(-5, 5)),
    st.tuples(st.just("filter"), st.integers(2, 5)),
    st.tuples(st.just("take"), st.integers(-1, 6)),
    st.tuples(st.just("skip"), st.integers(-1, 4)),
    st.tuples(st.just("enum"), st.just(0)),
)
ROW = st.tuples(st.lists(st.integers(-20, 20), max_size=12), st.lists(STAGE, max_size=4))


def apply(xs: list[int], stages: list[tuple[str, int]]) -> list[int]:
    for op, k in stages:
        if op == "map":
            xs = [x * 2 + k for x in xs]
        elif op == "filter":
            xs = [x for x in xs if x % k != 0]
        elif op == "take":
            xs = xs[:max(k, 0)]
        elif op == "skip":
            xs = xs[max(k, 0):]
        else:
            xs = [i * 1000 + x for i, x in enumerate(xs)]
    return xs


def seq(xs: list[Any]) -> str:
    return "[" + ", ".join(map(str, xs)) + "]"


def b(x: bool) -> str:
    return "true" if x else "false"


def model(xs: list[int], stages: list[tuple[str, int]]) -> str:
    ys = apply(xs, stages)
    neg = [y for y in ys if y < 0]
    folded = reduce(lambda a, y: a * 3 + y, ys, 7)
    zipped = "[" + ", ".join(f"({y}, {x})" for y, x in zip(ys, xs, strict=False)) + "]"
    report = (f"{seq(ys)} {len(ys)} {sum(ys)} {b(any(y > 10 for y in ys))} {b(all(y > 10 for y in ys))} "
              f"{neg[0] if neg else 'none'} {folded} {zipped}")
    keys = list(dict.fromkeys(xs))
    from_map = apply([k * 11 for k in keys], stages)
    from_set = apply(keys, stages)
    from_range = apply(list(range(len(xs))), stages)
    collected = "#{" + ", ".join(map(str, dict.fromkeys(ys))) + "}"
    return f"{report} | {seq(from_map)} {seq(from_set)} {seq(from_range)} {collected}"


def line(xs: list[int], stages: list[tuple[str, int]]) -> str:
    return ",".join(map(str, xs)) + ";" + ",".join(f"{op} {k}" for op, k in stages)


@pytest.mark.parametrize("mode", MODES)
def test_iter_pipelines_match_lists(build_checker: Any, mode: str) -> None:
    checker: Checker = build_checker("iter", program("iter_ops.mpl"))

    def check(batch: list[tuple[list[int], list[tuple[str, int]]]]) -> None:
        got = checker.run([line(xs, stages) for xs, stages in batch], mode)
        assert_lines(got, [model(xs, stages) for xs, stages in batch])

    check_property(st.lists(ROW, min_size=1, max_size=20), check, mode)
