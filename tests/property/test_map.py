"""Map<K, Int> against a Python dict: random put/delete/get/has_key/lookup/size/keys/values/
to_list/merge sequences over Int, String and (Int, String) keys (a small pool, so keys repeat; unicode,
empty strings). Mesh maps iterate and print in insertion order, a replaced key keeping its
place (docs: stdlib_api §2.6), which is exactly a Python dict's order.

Persistence: the program keeps every 10th version (and random ones) together with a String
built by `<>` in the same loop, and prints them all again at the end of each case: later updates
must not have changed any of them (the safety net for in-place updates of unshared values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import strategies as st
from prop_harness import MODES, Checker, assert_lines, check_property, program, with_snapshots

INT_KEYS = st.integers(-3, 3) | st.integers(-(2**63), 2**63 - 1)
# short strings over a tiny alphabet collide often; the rest is any text a line can carry
STR_KEYS = st.text(alphabet="ab\u00e9\u4e2d\U0001f600 ", max_size=3) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"), max_size=8)
VALUES = st.integers(-(2**63), 2**63 - 1)



@dataclass(frozen=True)
class Pair:
    """A `(Int, String)` key: written `n|s` on an input line, printed `(n, s)` by Mesh."""

    n: int
    s: str

    def __str__(self) -> str:
        return f"({self.n}, {self.s})"


PAIR_KEYS = st.builds(Pair, st.integers(-2, 2), st.text(alphabet="abé", max_size=2))


def wire(k: Any) -> str:
    return f"{k.n}|{k.s}" if isinstance(k, Pair) else str(k)


KEY_TYPES = {
    "Int": (INT_KEYS, "fn parse_key(s :: String) -> Int do\n  case String.to_int(s) do\n"
                      "    Some(x) -> x\n    None -> 0\n  end\nend\n"
                      "fn show_key(k :: Int) -> String = \"${k}\"\n"),
    "String": (STR_KEYS, "fn parse_key(s :: String) -> String = s\nfn show_key(k :: String) -> String = k\n"),
    # structural keys: tuples hash and compare by content
    "(Int, String)": (PAIR_KEYS, "fn parse_key(s :: String) -> (Int, String) do\n"
                                 "  let parts = String.split(s, \"|\")\n"
                                 "  case String.to_int(List.head(parts)) do\n"
                                 "    Some(n) -> (n, List.get(parts, 1))\n    None -> (0, \"\")\n  end\nend\n"
                                 "fn show_key(k :: (Int, String)) -> String = \"${k}\"\n"),
}


@st.composite
def cases(draw: st.DrawFn, keys: st.SearchStrategy[Any]) -> list[list[tuple[Any, ...]]]:
    """A batch of cases; each is a list of operations over a pool of keys."""
    batch = []
    for _ in range(draw(st.integers(1, 5))):
        pool = draw(st.lists(keys, min_size=1, max_size=12, unique=True))
        key = st.sampled_from(pool)
        op = st.one_of(
            st.tuples(st.just("put"), key, VALUES),
            st.tuples(st.just("put"), key, VALUES),
            st.tuples(st.just("del"), key),
            st.tuples(st.just("get"), key),
            st.tuples(st.just("show")),
            st.tuples(st.just("merge"), st.lists(st.tuples(key, VALUES), max_size=6)),
            st.tuples(st.just("snap")),
        )
        batch.append(with_snapshots(draw(st.lists(op, max_size=80))))
    return batch


def encode(op: tuple[Any, ...]) -> str:
    if op[0] == "merge":
        return "\t".join(["merge"] + [f"{wire(k)}\t{v}" for k, v in op[1]])
    return "\t".join(wire(x) for x in op)


def show(d: dict[Any, int]) -> str:
    ks = "\t".join(str(k) for k in d)
    vs = "\t".join(str(v) for v in d.values())
    entries = "\t".join(f"{k}:{v}" for k, v in d.items())
    shown = "%{" + ", ".join(f"{k} => {v}" for k, v in d.items()) + "}"
    return f"size={len(d)} keys=[{ks}] values=[{vs}] for=[{entries}] to_list=[{entries}] shown={shown}"


def model(batch: list[list[tuple[Any, ...]]]) -> list[str]:
    out: list[str] = []
    for ops in batch:
        d: dict[Any, int] = {}
        trace = ""
        snaps: list[tuple[int, dict[Any, int], str]] = []
        for n, op in enumerate(ops):
            if op[0] == "put":
                d[op[1]] = op[2]
                trace += f"+{wire(op[1])}"
            elif op[0] == "del":
                d.pop(op[1], None)
                trace += f"-{wire(op[1])}"
            elif op[0] == "get":
                v = d.get(op[1])
                out.append("get none false" if v is None else f"get some {v} {v} true")
            elif op[0] == "show":
                out.append(show(d))
            elif op[0] == "merge":
                d = {**d, **dict(op[1])}
                trace += "|"
            elif op[0] == "snap":
                snaps.append((n, dict(d), trace))
        out.append(show(d))
        out.extend(f"snap {n} {show(s)} trace={t}" for n, s, t in snaps)
        out.append("end")
    return out


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("key_type", list(KEY_TYPES), ids=["Int", "String", "Tuple"])
def test_map_matches_dict(build_checker: Any, key_type: str, mode: str) -> None:
    keys, helpers = KEY_TYPES[key_type]
    source = program("map_ops.mpl").replace("KEY", key_type) + helpers
    checker: Checker = build_checker(f"map_{key_type.strip('()').replace(', ', '_')}", source)

    def check(batch: list[list[tuple[Any, ...]]]) -> None:
        lines = [encode(op) for ops in batch for op in ops + [("end",)]]
        assert_lines(checker.run(lines, mode), model(batch))

    check_property(cases(keys), check, mode)
