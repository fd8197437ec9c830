"""Big maps and sets against Python models: whole ranges of keys put, replaced, deleted and
probed by loops the compiler turns into in-place (owned) updates, so the tables grow deep
tries (tens of thousands of entries, up to 100k per operation), nodes grow in place and are
shared with kept versions. Key ranges overlap on purpose (few starting points and steps), so a
case replaces many keys (which keep their place), deletes some and puts them back at the end
of the iteration order. Every kept version is summarised again at the end: an in-place update
that reached an old version shows. Int keys and String keys (decimal strings).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st
from prop_harness import MODES, Checker, assert_lines, check_property, program

MOD = 1_000_003
P = 1_000_000_007
# a batch's elements per operation: GC stress collects at every allocation, so it gets small ones
SIZES = {
    "normal": st.integers(0, 60) | st.integers(0, 5000) | st.integers(20_000, 100_000),
    "gc-stress": st.integers(0, 40) | st.integers(0, 300),
}
STARTS = st.sampled_from([0, 1, 5, 500]) | st.integers(0, MOD - 1)
STEPS = st.sampled_from([1, 2, 7, 1000, 7919, MOD - 1])   # MOD - 1: descending keys

KEY_TYPES = {
    "Int": "fn mk_key(i :: Int) -> Int = i\nfn key_code(k :: Int) -> Int = k\n",
    "String": "fn mk_key(i :: Int) -> String = \"${i}\"\n"
              "fn key_code(k :: String) -> Int do\n  case String.to_int(k) do\n"
              "    Some(x) -> x\n    None -> 0 - 1\n  end\nend\n",
}


def cases(mode: str) -> st.SearchStrategy[list[list[tuple[Any, ...]]]]:
    n = SIZES[mode]
    op = st.one_of(
        st.tuples(st.just("put"), STARTS, n, STEPS, st.integers(0, 10**6)),
        st.tuples(st.just("put"), STARTS, n, STEPS, st.integers(0, 10**6)),
        st.tuples(st.just("del"), STARTS, n, STEPS),
        st.tuples(st.just("get"), STARTS, n, STEPS),
        st.tuples(st.just("snap")),
    )
    return st.lists(st.lists(op, max_size=8), min_size=1, max_size=2)


def keys(lo: int, n: int, step: int) -> list[int]:
    return [(lo + i * step) % MOD for i in range(n)]


def summary(m: dict[int, int], s: dict[int, None]) -> str:
    ms = 0
    for k, v in m.items():
        ms = (ms * 31 + k * 7 + v) % P
    ss = 0
    for k in s:
        ss = (ss * 31 + k) % P
    return f"map {len(m)} {ms} set {len(s)} {ss}"


def model(batch: list[list[tuple[Any, ...]]]) -> list[str]:
    out: list[str] = []
    for ops in batch:
        m: dict[int, int] = {}
        s: dict[int, None] = {}
        kept: list[str] = []
        for op in ops:
            if op[0] == "put":
                for i, k in enumerate(keys(*op[1:4])):
                    m[k] = op[4] + i
                    s.setdefault(k)
            elif op[0] == "del":
                for k in keys(*op[1:4]):
                    m.pop(k, None)
                    s.pop(k, None)
            elif op[0] == "get":
                ks = keys(*op[1:4])
                found = sum(1 for k in ks if k in m and k in s)
                out.append(f"get {found} {sum(m.get(k, 0) for k in ks) % P}")
            else:
                kept.append(summary(m, s))
        out.append(f"final {summary(m, s)}")
        out.extend(f"kept {i} {k}" for i, k in enumerate(kept))
        out.append("end")
    return out


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("key_type", list(KEY_TYPES))
def test_bulk_maps_and_sets_match_models(build_checker: Any, key_type: str, mode: str) -> None:
    source = program("map_bulk.mpl").replace("KEY", key_type) + KEY_TYPES[key_type]
    checker: Checker = build_checker(f"map_bulk_{key_type}", source)

    def check(batch: list[list[tuple[Any, ...]]]) -> None:
        lines = ["\t".join(str(x) for x in op) for ops in batch for op in ops + [("end",)]]
        assert_lines(checker.run(lines, mode), model(batch))

    check_property(cases(mode), check, mode)


@pytest.mark.parametrize("key_type", list(KEY_TYPES))
def test_bulk_lookups_without_popcnt(build_checker: Any, key_type: str) -> None:
    """The same cases through the generic lookup walk, which CPUs without popcnt take
    (MESH_NO_POPCNT=1 selects it here); fewer examples, as it differs only in how bits are counted."""
    source = program("map_bulk.mpl").replace("KEY", key_type) + KEY_TYPES[key_type]
    checker: Checker = build_checker(f"map_bulk_{key_type}", source)

    def check(batch: list[list[tuple[Any, ...]]]) -> None:
        lines = ["\t".join(str(x) for x in op) for ops in batch for op in ops + [("end",)]]
        assert_lines(checker.run(lines, "normal", {"MESH_NO_POPCNT": "1"}), model(batch))

    check_property(cases("normal"), check, "normal", examples=10)
