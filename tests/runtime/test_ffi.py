"""The runtime through its cffi binding: number formatting, strings, collections, embedded GC."""

from __future__ import annotations

import math
import random
import struct
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest


@pytest.fixture
def rt(meshrt: ModuleType) -> Iterator[tuple[Any, Any, Any]]:
    ffi, lib = meshrt.ffi, meshrt.lib
    ctx = lib.mesh_embed_ctx_new()
    yield ffi, lib, ctx
    lib.mesh_embed_ctx_free(ctx)


def text(ffi: Any, s: Any) -> str:
    return ffi.buffer(s.bytes, s.len)[:].decode()


def mstr(ffi: Any, lib: Any, ctx: Any, value: str) -> Any:
    data = value.encode()
    return lib.mesh_string_new(ctx, data, len(data))


def slot(ffi: Any, p: Any) -> int:
    return int(ffi.cast("uintptr_t", p))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1, "0.1"),
        (1 / 3, "0.3333333333333333"),
        (1e20, "100000000000000000000"),
        (1e-7, "0.0000001"),
        (-0.0, "-0"),
        (0.0, "0"),
        (2.5, "2.5"),
        (4.0, "4"),
        (42.0, "42"),
        (3.14, "3.14"),
        (-2.5, "-2.5"),
        (0.30000000000000004, "0.30000000000000004"),
        (1e16, "10000000000000000"),
        (123456.789, "123456.789"),
        (1.5e300, "15" + "0" * 299),
        (math.nan, "NaN"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
    ],
)
def test_float_to_string(rt: tuple[Any, Any, Any], value: float, expected: str) -> None:
    ffi, lib, ctx = rt
    assert text(ffi, lib.mesh_float_to_string(ctx, value)) == expected


def test_float_shortest_round_trip(rt: tuple[Any, Any, Any]) -> None:
    ffi, lib, ctx = rt
    rng = random.Random(7)
    buf = ffi.new("char[400]")
    for _ in range(5000):
        v = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        if not math.isfinite(v):
            continue
        n = lib.mesh_float_format(v, buf, 400)
        s = ffi.string(buf, n).decode()
        assert "e" not in s and float(s) == v
        # shortest: as many significant digits as Python's repr (also shortest round-trip)
        digits = lambda t: len(t.lstrip("-").replace(".", "").strip("0"))  # noqa: E731
        assert digits(s) == digits(repr(v).split("e")[0]) or "e" in repr(v)


@pytest.mark.parametrize("value", [0, 1, -1, 42, 2**63 - 1, -(2**63)])
def test_int_to_string(rt: tuple[Any, Any, Any], value: int) -> None:
    ffi, lib, ctx = rt
    assert text(ffi, lib.mesh_int_to_string(ctx, value)) == str(value)


def test_bool_to_string(rt: tuple[Any, Any, Any]) -> None:
    ffi, lib, ctx = rt
    assert text(ffi, lib.mesh_bool_to_string(ctx, 1)) == "true"
    assert text(ffi, lib.mesh_bool_to_string(ctx, 0)) == "false"


def test_strings(rt: tuple[Any, Any, Any]) -> None:
    ffi, lib, ctx = rt
    s = mstr(ffi, lib, ctx, "  Grüße, Welt  ")
    t = lib.mesh_string_trim(ctx, s)
    assert text(ffi, t) == "Grüße, Welt"
    assert lib.mesh_string_length(t) == 11
    assert text(ffi, lib.mesh_string_slice(ctx, t, 2, 5)) == "üße"
    assert text(ffi, lib.mesh_string_to_upper(ctx, t)) == "GRÜSSE, WELT"
    parts = lib.mesh_string_split(ctx, t, mstr(ffi, lib, ctx, ", "))
    assert lib.mesh_list_length(parts) == 2
    assert (
        text(ffi, lib.mesh_value_display(ctx, lib.MESH_TYPE_LIST_STRING, slot(ffi, parts))) == "[Grüße, Welt]"
    )
    assert text(ffi, lib.mesh_value_debug(ctx, lib.MESH_TYPE_STRING, slot(ffi, t))) == '"Grüße, Welt"'
    assert lib.mesh_hash_string(mstr(ffi, lib, ctx, "")) == 0xCBF29CE484222325 - 2**64


def test_collections_display(rt: tuple[Any, Any, Any]) -> None:
    ffi, lib, ctx = rt
    lst = lib.mesh_list_new(ctx, lib.MESH_TYPE_LIST_INT)
    for i in (10, 20, 30):
        lst = lib.mesh_list_append(ctx, lst, i)
    assert text(ffi, lib.mesh_value_display(ctx, lib.MESH_TYPE_LIST_INT, slot(ffi, lst))) == "[10, 20, 30]"
    fl = lib.mesh_list_new(ctx, lib.MESH_TYPE_LIST_FLOAT)
    for v in (1.0, 0.5, 1e20):
        fl = lib.mesh_list_append(ctx, fl, struct.unpack("<Q", struct.pack("<d", v))[0])
    assert (
        text(ffi, lib.mesh_value_display(ctx, lib.MESH_TYPE_LIST_FLOAT, slot(ffi, fl)))
        == "[1, 0.5, 100000000000000000000]"
    )
    s = lib.mesh_set_new(ctx, lib.MESH_TYPE_SET_INT)
    for v in (3, 1, 3, 2):
        s = lib.mesh_set_add(ctx, s, v)
    assert text(ffi, lib.mesh_value_display(ctx, lib.MESH_TYPE_SET_INT, slot(ffi, s))) == "#{3, 1, 2}"
    opt = lib.mesh_string_to_int(ctx, mstr(ffi, lib, ctx, "12"))
    assert text(ffi, lib.mesh_value_display(ctx, lib.MESH_TYPE_OPTION_INT, slot(ffi, opt))) == "Some(12)"
    none = lib.mesh_string_to_float(ctx, mstr(ffi, lib, ctx, "x"))
    assert text(ffi, lib.mesh_value_display(ctx, lib.MESH_TYPE_OPTION_FLOAT, slot(ffi, none))) == "None"


def test_embedded_collection_keeps_roots(rt: tuple[Any, Any, Any]) -> None:
    ffi, lib, ctx = rt
    keep = lib.mesh_list_new(ctx, lib.MESH_TYPE_LIST_STRING)
    for i in range(2000):
        keep = lib.mesh_list_append(ctx, keep, slot(ffi, mstr(ffi, lib, ctx, f"item {i}")))
        mstr(ffi, lib, ctx, "garbage " * 20)
    lib.mesh_embed_add_root(ctx, slot(ffi, keep))
    lib.mesh_embed_collect(ctx)
    assert lib.mesh_embed_collections(ctx) == 1
    live = lib.mesh_embed_live_bytes(ctx)
    assert 0 < live < lib.mesh_embed_heap_bytes(ctx)
    joined = lib.mesh_string_join(ctx, keep, mstr(ffi, lib, ctx, ","))
    assert text(ffi, joined).split(",") == [f"item {i}" for i in range(2000)]
    lib.mesh_embed_clear_roots(ctx)
    lib.mesh_embed_collect(ctx)
    assert lib.mesh_embed_live_bytes(ctx) == 0


def test_type_ids_match_abi(meshrt: ModuleType) -> None:
    lib = meshrt.lib
    assert lib.MESH_TYPE_FIRST_USER == 64
    assert (lib.MESH_KIND_STRING, lib.MESH_KIND_TUPLE, lib.MESH_KIND_STRUCT, lib.MESH_KIND_VARIANT) == (
        1,
        2,
        3,
        4,
    )
    ffi = meshrt.ffi
    assert ffi.sizeof("MeshObj") == 8
    assert ffi.offsetof("MeshCtx", "hp") == 0
    assert ffi.offsetof("MeshCtx", "hlimit") == 8
    assert ffi.offsetof("MeshCtx", "reds") == 16
    assert ffi.offsetof("MeshCtx", "proc") == 24
    assert ffi.offsetof("MeshCtx", "worker") == 32
    assert ffi.offsetof("MeshString", "bytes") == 16
    assert ffi.offsetof("MeshClosure", "env") == 16
