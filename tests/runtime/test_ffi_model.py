"""Property tests: lists, maps, sets and strings against Python models, through cffi, with explicit
collections (only the live versions registered as roots survive) between operations."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def rt(meshrt: ModuleType) -> Iterator[tuple[Any, Any, Any]]:
    ffi, lib = meshrt.ffi, meshrt.lib
    ctx = lib.mesh_embed_ctx_new()
    yield ffi, lib, ctx
    lib.mesh_embed_ctx_free(ctx)


def p(ffi: Any, obj: Any) -> int:
    return int(ffi.cast("uintptr_t", obj))


def text(ffi: Any, s: Any) -> str:
    return ffi.buffer(s.bytes, s.len)[:].decode()


def list_items(lib: Any, ctx: Any, lst: Any) -> list[int]:
    return [lib.mesh_list_get(ctx, lst, i) for i in range(lib.mesh_list_length(lst))]


def collect(lib: Any, ctx: Any, ffi: Any, roots: list[Any]) -> None:
    lib.mesh_embed_clear_roots(ctx)
    for r in roots:
        lib.mesh_embed_add_root(ctx, p(ffi, r))
    lib.mesh_embed_collect(ctx)


list_ops = st.lists(
    st.tuples(
        st.sampled_from(["append", "prepend", "tail", "drop", "take", "concat", "reverse", "fork"]),
        st.integers(0, 50),
    ),
    max_size=60,
)


@SETTINGS
@given(ops=list_ops)
def test_list_versions_match_model(rt: tuple[Any, Any, Any], ops: list[tuple[str, int]]) -> None:
    """Every version ever produced keeps its contents (persistence), whatever is appended later."""
    ffi, lib, ctx = rt
    versions: list[tuple[Any, list[int]]] = [(lib.mesh_list_new(ctx, lib.MESH_TYPE_LIST_INT), [])]
    for i, (op, n) in enumerate(ops):
        cur, model = versions[-1] if op != "fork" else versions[n % len(versions)]
        if op == "append":
            new, m = lib.mesh_list_append(ctx, cur, n), model + [n]
        elif op == "prepend":
            new, m = lib.mesh_list_prepend(ctx, cur, n), [n] + model
        elif op == "tail":
            if not model:
                continue
            new, m = lib.mesh_list_tail(ctx, cur), model[1:]
        elif op == "drop":
            new, m = lib.mesh_list_drop(ctx, cur, n % 5), model[n % 5 :]
        elif op == "take":
            new, m = lib.mesh_list_take(ctx, cur, n % 7), model[: n % 7]
        elif op == "concat":
            other, om = versions[n % len(versions)]
            new, m = lib.mesh_list_concat(ctx, cur, other), model + om
        elif op == "reverse":
            new, m = lib.mesh_list_reverse(ctx, cur), model[::-1]
        else:  # fork: append to an old version
            new, m = lib.mesh_list_append(ctx, cur, 1000 + n), model + [1000 + n]
        versions.append((new, m))
        if i % 10 == 9:
            collect(lib, ctx, ffi, [v for v, _ in versions])
    collect(lib, ctx, ffi, [v for v, _ in versions])
    for v, m in versions:
        assert list_items(lib, ctx, v) == m


map_ops = st.lists(
    st.tuples(st.sampled_from(["put", "put", "delete", "fork"]), st.integers(0, 40), st.integers()),
    max_size=120,
)


@pytest.mark.parametrize("hash_mask", [-1, 0x3, 0], ids=["hash", "2-bit-hash", "all-collide"])
@SETTINGS
@given(ops=map_ops)
def test_map_with_string_keys_matches_dict(
    rt: tuple[Any, Any, Any], hash_mask: int, ops: list[tuple[str, int, int]]
) -> None:
    """Maps keyed by strings (content equality) keep insertion order like a Python dict; every
    version keeps its contents. Also with the trie hash masked (test hook): few distinguishing
    bits (deep single-child chains) and every key in one collision bucket."""
    ffi, lib, ctx = rt
    lib.mesh_map_debug_set_hash_mask(hash_mask)
    types = ffi.new("MeshType[1]")
    types[0].kind = lib.MESH_KIND_MAP
    types[0].boxed = 1
    types[0].elem = lib.MESH_TYPE_STRING
    types[0].elem2 = lib.MESH_TYPE_INT
    name = ffi.new("char[]", b"Map")
    types[0].name = name
    lib.mesh_embed_set_types(types, 1)
    try:
        tid = lib.MESH_TYPE_FIRST_USER
        keys = {}

        def key(k: int) -> int:
            s = f"key-{k}".encode()
            obj = lib.mesh_string_new(ctx, s, len(s))  # a fresh object each time: equal by content
            keys.setdefault(k, []).append(obj)
            return p(ffi, obj)

        versions: list[tuple[Any, dict[str, int]]] = [(lib.mesh_map_new(ctx, tid), {})]
        for i, (op, k, v) in enumerate(ops):
            cur, model = versions[-1] if op != "fork" else versions[k % len(versions)]
            if op == "delete":
                new = lib.mesh_map_delete(ctx, cur, key(k))
                m = {kk: vv for kk, vv in model.items() if kk != f"key-{k}"}
            else:
                new = lib.mesh_map_put(ctx, cur, key(k), v & 0xFFFF)
                m = dict(model)
                m[f"key-{k}"] = v & 0xFFFF
            versions.append((new, m))
            if i % 20 == 19:
                collect(lib, ctx, ffi, [x for x, _ in versions])
                keys.clear()
        for mv, m in versions:
            assert lib.mesh_map_size(mv) == len(m)
            shown = text(ffi, lib.mesh_value_display(ctx, tid, p(ffi, mv)))
            assert shown == "%{" + ", ".join(f"{k} => {v}" for k, v in m.items()) + "}"
            for k, v in m.items():
                kb = k.encode()
                assert lib.mesh_map_get(ctx, mv, p(ffi, lib.mesh_string_new(ctx, kb, len(kb)))) == v
    finally:
        lib.mesh_embed_set_types(ffi.NULL, 0)
        lib.mesh_map_debug_set_hash_mask(-1)


@SETTINGS
@given(a=st.lists(st.integers(-50, 50), max_size=40), b=st.lists(st.integers(-50, 50), max_size=40))
def test_set_algebra(rt: tuple[Any, Any, Any], a: list[int], b: list[int]) -> None:
    ffi, lib, ctx = rt

    def mk(xs: list[int]) -> Any:
        s = lib.mesh_set_new(ctx, lib.MESH_TYPE_SET_INT)
        for x in xs:
            s = lib.mesh_set_add(ctx, s, x & 0xFFFFFFFFFFFFFFFF)
        return s

    def items(s: Any) -> list[int]:
        return [ffi.cast("int64_t", lib.mesh_set_element_at(ctx, s, i)) for i in range(lib.mesh_set_size(s))]

    def ordered(xs: list[int]) -> list[int]:
        return list(dict.fromkeys(xs))

    sa, sb = mk(a), mk(b)
    assert [int(x) for x in items(sa)] == ordered(a)
    assert [int(x) for x in items(lib.mesh_set_union(ctx, sa, sb))] == ordered(a + b)
    assert [int(x) for x in items(lib.mesh_set_intersection(ctx, sa, sb))] == [
        x for x in ordered(a) if x in b
    ]
    assert [int(x) for x in items(lib.mesh_set_difference(ctx, sa, sb))] == [
        x for x in ordered(a) if x not in b
    ]


@SETTINGS
@given(s=st.text(max_size=30), start=st.integers(-5, 40), end=st.integers(-5, 40))
def test_string_slice_and_length(rt: tuple[Any, Any, Any], s: str, start: int, end: int) -> None:
    ffi, lib, ctx = rt
    data = s.encode("utf-8", "surrogatepass")
    try:
        data.decode()
    except UnicodeDecodeError:
        return
    ms = lib.mesh_string_new(ctx, data, len(data))
    assert lib.mesh_string_length(ms) == len(s)
    lo = max(0, start)
    hi = max(lo, end)
    assert text(ffi, lib.mesh_string_slice(ctx, ms, start, end)) == s[lo:hi]
    assert text(ffi, lib.mesh_string_to_upper(ctx, ms)) == s.upper() or not s.isascii()


@SETTINGS
@given(
    parts=st.lists(st.text(alphabet="abc,", max_size=5), max_size=6), sep=st.sampled_from([",", "ab", "::"])
)
def test_split_join_round_trip(rt: tuple[Any, Any, Any], parts: list[str], sep: str) -> None:
    ffi, lib, ctx = rt
    joined = sep.join(parts)
    js = lib.mesh_string_new(ctx, joined.encode(), len(joined.encode()))
    sp = lib.mesh_string_new(ctx, sep.encode(), len(sep.encode()))
    pieces = lib.mesh_string_split(ctx, js, sp)
    got = [
        text(ffi, ffi.cast("MeshString *", lib.mesh_list_get(ctx, pieces, i)))
        for i in range(lib.mesh_list_length(pieces))
    ]
    assert got == joined.split(sep)
    assert text(ffi, lib.mesh_string_join(ctx, pieces, sp)) == joined
