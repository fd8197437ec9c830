"""Derived functions generated from a type's definition (deriving(Row): `T.from_row`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolchain.check.typed import FLOAT, INT, STRING, TCon, Type, subst
from toolchain.lower import mir
from toolchain.lower.mir import FunctionBuilder, Kind, Ty, i1, i64
from toolchain.lower.types import LowerError, mangle_type, mty

if TYPE_CHECKING:
    from toolchain.lower.lowering import Lowerer

_TRUE = ("true", "t", "1", "yes")
_FALSE = ("false", "f", "0", "no")


def from_row_fn(lw: Lowerer, t: Type) -> str:
    """`T.from_row(Map<String, String>) -> Result<T, String>` for a struct with deriving(Row):
    Int/Float parsed from the text, Bool from true/t/1/yes and false/f/0/no, String as is,
    Option<X> None for a missing column or empty text. Errors: "missing column: <name>",
    "cannot parse '<text>' as Int|Float|Bool"."""
    if not isinstance(t, TCon) or t.name not in lw.cp.structs:
        raise LowerError(f"from_row on non-struct {t}")
    name = f"{mangle_type(t)}$from_row"
    if name in lw.helpers:
        return name
    lw.helpers[name] = name
    si = lw.cp.structs[t.name]
    mp = dict(zip(si.params, t.args, strict=False))
    res_t = TCon("Result", (t, STRING))
    res_id = lw.types.tid(res_t)
    fb = FunctionBuilder(name, [("row", Ty.PTR)], Ty.PTR)
    row = fb.params[0]

    def err(msg: mir.Operand) -> None:
        d = fb.tmp(Ty.PTR)
        fb.emit(mir.Alloc(d, res_id, int(Kind.VARIANT), [msg], 1))
        fb.ret(d)

    def concat(*parts: mir.Operand) -> mir.Operand:
        acc = parts[0]
        for p in parts[1:]:
            acc = fb.rt("mesh_string_concat", [acc, p], Ty.PTR)
        return acc

    def parse(text: mir.Var, ft: Type) -> mir.Operand:
        """Parsed value of `text` as `ft` (returns Err from the function on failure)."""
        if ft == STRING or not isinstance(ft, TCon) or ft.name not in ("Int", "Float", "Bool"):
            return text
        bad = fb.new_block("bad")
        good = fb.new_block("good")
        out = fb.var("v", mty(ft))
        if ft in (INT, FLOAT):
            trimmed = fb.rt("mesh_string_trim", [text], Ty.PTR)
            opt = fb.rt("mesh_string_to_int" if ft == INT else "mesh_string_to_float", [trimmed], Ty.PTR)
            tag = fb.tmp(Ty.I64)
            fb.emit(mir.GetTag(tag, opt))
            ok = fb.new_block("parsed")
            fb.branch(fb.binop("eq", tag, i64(0), Ty.I1), ok, bad)
            fb.set_block(ok)
            fb.emit(mir.GetField(out, opt, 0))
            fb.jump(good)
        else:
            low = fb.rt("mesh_string_to_lower", [fb.rt("mesh_string_trim", [text], Ty.PTR)], Ty.PTR)
            for words, value in ((_TRUE, True), (_FALSE, False)):
                for w in words:
                    hit = fb.new_block("word")
                    nxt = fb.new_block("next_word")
                    fb.branch(fb.rt("mesh_string_eq", [low, mir.StrConst(w)], Ty.I1), hit, nxt)
                    fb.set_block(hit)
                    fb.emit(mir.Assign(out, i1(value)))
                    fb.jump(good)
                    fb.set_block(nxt)
            fb.jump(bad)
        fb.set_block(bad)
        kind = "Int" if ft == INT else "Float" if ft == FLOAT else "Bool"
        err(concat(mir.StrConst("cannot parse '"), text, mir.StrConst(f"' as {kind}")))
        fb.set_block(good)
        return out

    vals: list[mir.Operand] = []
    for fname, fty0 in si.fields:
        ft = subst(fty0, mp)
        is_opt = isinstance(ft, TCon) and ft.name == "Option"
        has = fb.rt("mesh_map_has_key", [row, mir.StrConst(fname)], Ty.I1)
        present, missing, done = fb.new_block("present"), fb.new_block("missing"), fb.new_block("field_done")
        fv = fb.var(fname, mty(ft))
        fb.branch(has, present, missing)
        fb.set_block(missing)
        if is_opt:
            fb.emit(mir.Assign(fv, mir.StaticObj(lw.types.tid(ft), int(Kind.VARIANT), 1)))
            fb.jump(done)
        else:
            err(mir.StrConst(f"missing column: {fname}"))
        fb.set_block(present)
        text = fb.var("text", Ty.PTR)
        fb.emit(mir.CallRuntime(text, "mesh_map_get", [row, mir.StrConst(fname)]))
        if is_opt:
            assert isinstance(ft, TCon)
            inner = ft.args[0]
            empty, full = fb.new_block("empty"), fb.new_block("full")
            n = fb.rt("mesh_string_length", [text], Ty.I64)
            fb.branch(fb.binop("eq", n, i64(0), Ty.I1), empty, full)
            fb.set_block(empty)
            fb.emit(mir.Assign(fv, mir.StaticObj(lw.types.tid(ft), int(Kind.VARIANT), 1)))
            fb.jump(done)
            fb.set_block(full)
            v = parse(text, inner)
            some = fb.tmp(Ty.PTR)
            fb.emit(mir.Alloc(some, lw.types.tid(ft), int(Kind.VARIANT), [v], 0))
            fb.emit(mir.Assign(fv, some))
        else:
            v = parse(text, ft)
            if fv.ty is not Ty.UNIT:
                fb.emit(mir.Assign(fv, v))
        fb.jump(done)
        fb.set_block(done)
        vals.append(fv)
    obj = fb.tmp(Ty.PTR)
    fb.emit(mir.Alloc(obj, lw.types.tid(t), int(Kind.STRUCT), vals))
    ok = fb.tmp(Ty.PTR)
    fb.emit(mir.Alloc(ok, res_id, int(Kind.VARIANT), [obj], 0))
    fb.ret(ok)
    lw.add_function(fb.fn)
    return name
