"""JSON round trips through a compiled program.

Documents: generated JSON (nested objects with repeated keys, arrays, unicode and escapes,
Ints inside and beyond 64 bits, Floats of every magnitude, -0.0), written by Python in ASCII or
UTF-8 form with varying spacing, are parsed, encoded, parsed and encoded again by Mesh. The
first encoding must read back in Python as the same value (members in document order, repeats
kept; 64-bit Ints stay Ints, other numbers become Floats) and the second must equal the first.

Values: `Json.encode` of Mesh values built from generated data (List<String>, List<Int>,
List<Float>, Map<String, Int>, a deriving(Json) struct, JSON.encode_string) must read back
in Python's `json.loads` as that data; the struct must also decode back to the same text.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import strategies as st
from prop_harness import MODES, Checker, check_property, program

I64 = (-(2**63), 2**63 - 1)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8) | st.text(
    alphabet="a\"\\/\b\f\n\r\t\x00\x1f\x7f\u00e9\u2028\U0001f600", max_size=6)
FLOATS = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [0.0, -0.0, 2.0**63, 2.0**63 - 1024, 2.0**64, 1e16, 1e-7, 5e-324, 1.7976931348623157e308])
INTS = st.integers(*I64) | st.integers(-(10**30), 10**30) | st.sampled_from([I64[0], I64[1], I64[1] + 1])


class Obj:
    """A JSON object as its member list (so repeated keys and their order survive)."""

    def __init__(self, members: list[tuple[str, Any]]) -> None:
        self.members = members


SCALARS = st.none() | st.booleans() | INTS | FLOATS | TEXT
DOCS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5)
    | st.lists(st.tuples(st.sampled_from(["", "a", "b", "\u00e9", "k\n"]) | TEXT, inner), max_size=5).map(Obj),
    max_leaves=25,
)


def write(v: Any, ascii_only: bool, sep: tuple[str, str]) -> str:
    if isinstance(v, Obj):
        inner = sep[0].join(f"{json.dumps(k, ensure_ascii=ascii_only)}{sep[1]}{write(x, ascii_only, sep)}"
                            for k, x in v.members)
        return "{" + inner + "}"
    if isinstance(v, list):
        return "[" + sep[0].join(write(x, ascii_only, sep) for x in v) + "]"
    return json.dumps(v, ensure_ascii=ascii_only)


def expected(v: Any) -> Any:
    """What Mesh's parse -> encode should give back: out-of-range Ints become Floats."""
    if isinstance(v, Obj):
        return Obj([(k, expected(x)) for k, x in v.members])
    if isinstance(v, list):
        return [expected(x) for x in v]
    if isinstance(v, int) and not isinstance(v, bool) and not I64[0] <= v <= I64[1]:
        return float(v)
    return v


def same(a: Any, b: Any) -> bool:
    """Equality that tells Int from Float from Bool, -0.0 from 0.0, and keeps member order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Obj):
        return len(a.members) == len(b.members) and all(
            ka == kb and same(xa, xb) for (ka, xa), (kb, xb) in zip(a.members, b.members, strict=True))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return bool(a == b)


def load(text: str) -> Any:
    return json.loads(text, object_pairs_hook=Obj)


def show(v: Any) -> str:
    return write(v, True, (",", ":"))


@pytest.mark.parametrize("mode", MODES)
def test_json_documents_round_trip(build_checker: Any, mode: str) -> None:
    checker: Checker = build_checker("json", program("json_roundtrip.mpl"))
    doc = st.tuples(DOCS, st.booleans(), st.sampled_from([(",", ":"), (", ", ": "), (" ,  ", " : ")]))

    def check(batch: list[tuple[Any, bool, tuple[str, str]]]) -> None:
        got = checker.run([f"doc\t{write(v, a, s)}" for v, a, s in batch], mode)
        assert len(got) == len(batch)
        for (v, a, s), line in zip(batch, got, strict=True):
            once, _, twice = line.partition("\t")
            assert same(load(once), expected(v)), f"{write(v, a, s)} -> {once}: reads back as {show(load(once))}"
            assert twice == once, f"{write(v, a, s)}: encoding again changed {once!r} into {twice!r}"

    check_property(st.lists(doc, min_size=1, max_size=15), check, mode)


def model_eq(a: Any, b: Any) -> bool:
    """Json equality: kinds and values (an Int never equals a Float; 0.0 == -0.0), arrays in
    order, objects by their last value per key in any order."""
    if isinstance(a, Obj) and isinstance(b, Obj):
        da, db = dict(a.members), dict(b.members)
        return da.keys() == db.keys() and all(model_eq(da[k], db[k]) for k in da)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(model_eq(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and bool(a == b)


def shuffled(v: Any, rnd: Any) -> Any:
    """The same Json value written differently: members reordered (the last of a repeated key
    stays last among its repeats), floats that are integral or -0.0 untouched."""
    if isinstance(v, Obj):
        last = {k: x for k, x in v.members}
        members = [(k, shuffled(x, rnd)) for k, x in last.items()]
        rnd.shuffle(members)
        return Obj(members)
    if isinstance(v, list):
        return [shuffled(x, rnd) for x in v]
    return v


@pytest.mark.parametrize("mode", MODES)
def test_json_equality_hash_and_order(build_checker: Any, mode: str) -> None:
    checker: Checker = build_checker("json", program("json_roundtrip.mpl"))
    pair = st.one_of(
        st.tuples(DOCS, DOCS),
        st.tuples(DOCS, st.randoms(use_true_random=False)).map(lambda p: (p[0], shuffled(p[0], p[1]))),
    )

    def check(batch: list[tuple[Any, Any]]) -> None:
        got = checker.run([f"eq\t{show(a)}\t{show(b)}" for a, b in batch], mode)
        assert len(got) == len(batch), got
        for (a, b), line in zip(batch, got, strict=True):
            eq = model_eq(expected(a), expected(b))
            lt, gt = line.split()[3:]
            want = f"{str(eq).lower()} {str(not eq).lower()} {str(eq).lower()}"
            assert line.startswith(want), f"{show(a)} vs {show(b)}: mesh says {line}, model equal={eq}"
            assert (lt, gt) == ("false", "false") if eq else {lt, gt} == {"true", "false"}, (show(a), show(b), line)

    check_property(st.lists(pair, min_size=1, max_size=15), check, mode)


def fields(xs: list[str]) -> str:
    return json.dumps({"n": len(xs), **{str(i): x for i, x in enumerate(xs)}})


VALUES = st.one_of(
    st.tuples(st.just("strs"), st.lists(TEXT, max_size=6)),
    st.tuples(st.just("ints"), st.lists(st.integers(*I64), max_size=6)),
    st.tuples(st.just("floats"), st.lists(FLOATS, max_size=6)),
    st.tuples(st.just("map"), st.lists(st.tuples(st.sampled_from(["a", "b", "\u00e9"]) | TEXT, st.integers(*I64)),
                                       max_size=6)),
    st.tuples(st.just("quoted"), st.lists(TEXT, min_size=1, max_size=6)),
    st.tuples(st.just("rec"), st.tuples(TEXT, st.integers(*I64), FLOATS, st.none() | TEXT.filter(lambda s: s != "-"),
                                        st.lists(TEXT, max_size=4))),
)


def value_line(kind: str, data: Any) -> str:
    if kind == "map":
        xs = [str(x) for kv in data for x in kv]
    elif kind == "rec":
        name, count, score, note, tags = data
        xs = [name, str(count), repr(score), "-" if note is None else note, *tags]
    else:
        xs = [repr(x) if isinstance(x, float) else str(x) for x in data]
    return f"val\t{kind}\t{fields(xs)}"


def check_value(kind: str, data: Any, out: str) -> None:
    if kind == "quoted":
        parts = out.split("\t")
        assert [json.loads(p) for p in parts] == data, out
        return
    if kind == "map":
        want: Any = Obj(list(dict(data).items()))
    elif kind == "rec":
        name, count, score, note, tags = data
        want = Obj([("name", name), ("count", count), ("score", score), ("tags", tags), ("note", note)])
        out, _, back = out.partition("\t")
        assert back == out, f"from_json then encode: {back!r} != {out!r}"
    else:
        want = list(data)
    assert same(load(out), want), f"{kind} {data!r}: mesh wrote {out!r}"


@pytest.mark.parametrize("mode", MODES)
def test_json_encode_of_mesh_values(build_checker: Any, mode: str) -> None:
    checker: Checker = build_checker("json", program("json_roundtrip.mpl"))

    def check(batch: list[tuple[str, Any]]) -> None:
        got = checker.run([value_line(k, d) for k, d in batch], mode)
        assert len(got) == len(batch), got
        for (kind, data), line in zip(batch, got, strict=True):
            check_value(kind, data, line)

    check_property(st.lists(VALUES, min_size=1, max_size=15), check, mode)


def test_same_tells_numbers_apart() -> None:
    """The comparison the properties rely on is strict about what JSON keeps apart."""
    assert not same(load("[1]"), load("[1.0]"))
    assert not same(load("[0.0]"), load("[-0.0]"))
    assert not same(load('{"a":1,"b":2}'), load('{"b":2,"a":1}'))
    assert same(load('{"a":1,"a":2}'), load('{"a":1, "a":2}'))
