"""Stdlib / prelude functions (`BuiltinRef`) lowered to runtime calls or inline MIR."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolchain.check.typed import TCon, Type
from toolchain.lower import mir
from toolchain.lower.mir import Ty, i64
from toolchain.lower.types import LowerError, mty

if TYPE_CHECKING:
    from toolchain.lower.lowering import FnLowerer

# name -> (runtime function, extra trailing type-id arguments). "ret": the result type's id.
_DIRECT: dict[str, tuple[str, list[str]]] = {
    "println": ("mesh_io_println", []),
    "print": ("mesh_io_print", []),
    "IO.println": ("mesh_io_println", []),
    "IO.print": ("mesh_io_print", []),
    "IO.eprintln": ("mesh_io_eprintln", []),
    "IO.eprint": ("mesh_io_eprint", []),
    "IO.read_line": ("mesh_io_read_line", []),
    "String.length": ("mesh_string_length", []),
    "String.slice": ("mesh_string_slice", []),
    "String.contains": ("mesh_string_contains", []),
    "String.starts_with": ("mesh_string_starts_with", []),
    "String.ends_with": ("mesh_string_ends_with", []),
    "String.trim": ("mesh_string_trim", []),
    "String.to_upper": ("mesh_string_to_upper", []),
    "String.to_lower": ("mesh_string_to_lower", []),
    "String.replace": ("mesh_string_replace", []),
    "String.split": ("mesh_string_split", []),
    "String.join": ("mesh_string_join", []),
    "String.to_int": ("mesh_string_to_int", []),
    "String.to_float": ("mesh_string_to_float", []),
    "List.new": ("mesh_list_new", ["ret"]),
    "List.length": ("mesh_list_length", []),
    "List.append": ("mesh_list_append", []),
    "List.head": ("mesh_list_head", []),
    "List.tail": ("mesh_list_tail", []),
    "List.get": ("mesh_list_get", []),
    "List.nth": ("mesh_list_nth", []),
    "List.last": ("mesh_list_last", []),
    "List.concat": ("mesh_list_concat", []),
    "List.reverse": ("mesh_list_reverse", []),
    "List.map": ("mesh_list_map", ["ret"]),
    "List.filter": ("mesh_list_filter", []),
    "List.reduce": ("mesh_list_reduce", []),
    "List.sort": ("mesh_list_sort", []),
    "List.find": ("mesh_list_find", ["ret"]),
    "List.any": ("mesh_list_any", []),
    "List.all": ("mesh_list_all", []),
    "List.contains": ("mesh_list_contains", []),
    "List.zip": ("mesh_list_zip", ["ret"]),
    "List.flat_map": ("mesh_list_flat_map", ["ret"]),
    "List.flatten": ("mesh_list_flatten", ["ret"]),
    "List.enumerate": ("mesh_list_enumerate", ["ret"]),
    "List.take": ("mesh_list_take", []),
    "List.drop": ("mesh_list_drop", []),
    "List.is_empty": ("mesh_list_is_empty", []),
    "Map.new": ("mesh_map_new", ["ret"]),
    "Map.put": ("mesh_map_put", []),
    "Map.get": ("mesh_map_get", []),
    "Map.has_key": ("mesh_map_has_key", []),
    "Map.delete": ("mesh_map_delete", []),
    "Map.size": ("mesh_map_size", []),
    "Map.keys": ("mesh_map_keys", ["ret"]),
    "Map.values": ("mesh_map_values", ["ret"]),
    "Map.merge": ("mesh_map_merge", []),
    "Map.to_list": ("mesh_map_to_list", ["ret"]),
    "Map.from_list": ("mesh_map_from_list", ["ret"]),
    "Set.new": ("mesh_set_new", ["ret"]),
    "Set.add": ("mesh_set_add", []),
    "Set.remove": ("mesh_set_remove", []),
    "Set.contains": ("mesh_set_contains", []),
    "Set.size": ("mesh_set_size", []),
    "Set.union": ("mesh_set_union", []),
    "Set.intersection": ("mesh_set_intersection", []),
    "Set.difference": ("mesh_set_difference", []),
    "Set.to_list": ("mesh_set_to_list", ["ret"]),
    "Set.from_list": ("mesh_set_from_list", ["ret"]),
    "link": ("mesh_actor_link", []),
    "unlink": ("mesh_actor_unlink", []),
    "Tuple.first": ("mesh_tuple_first", []),
    "Tuple.second": ("mesh_tuple_second", []),
    "Tuple.nth": ("mesh_tuple_nth", []),
    "Tuple.size": ("mesh_tuple_size", []),
    "Range.new": ("mesh_range_new", []),
    "Range.to_list": ("mesh_range_to_list", []),
    "Range.map": ("mesh_range_map", ["ret"]),
    "Range.filter": ("mesh_range_filter", []),
    "Range.length": ("mesh_range_length", []),
    "List.collect": ("mesh_iter_collect_list", ["ret"]),
    "Map.collect": ("mesh_iter_collect_map", ["ret"]),
    "Set.collect": ("mesh_iter_collect_set", ["ret"]),
    "String.collect": ("mesh_iter_collect_string", []),
}


def lower_builtin(fl: FnLowerer, name: str, args: list[mir.Operand], ats: list[Type], rt: Type) -> mir.Operand:
    fb = fl.fb
    if name in _DIRECT:
        fn, extra = _DIRECT[name]
        fl.need_rt(fn)
        xs = list(args)
        for x in extra:
            if x == "ret":
                xs.append(i64(fl.tid(rt)))
        return fb.rt(fn, xs, mty(rt))
    if name == "List.sort" or name == "List.sort_default":
        return fb.rt("mesh_list_sort_default", args[:1], Ty.PTR)
    if name in ("String.from", "Int.to_string", "Float.to_string", "Bool.to_string", "to_string"):
        return fl.display(args[0], ats[0])
    if name in ("Int.to_float", "Float.from"):
        d = fb.tmp(Ty.F64)
        fb.emit(mir.UnOp(d, "itof", args[0]))
        return d
    if name in ("Float.to_int",):
        d = fb.tmp(Ty.I64)
        fb.emit(mir.UnOp(d, "ftoi", args[0]))
        return d
    if name in ("Math.sqrt", "Math.floor", "Math.ceil", "Math.round"):
        x = args[0]
        if mty(ats[0]) is Ty.I64:
            xf = fb.tmp(Ty.F64)
            fb.emit(mir.UnOp(xf, "itof", x))
            x = xf
        d = fb.tmp(Ty.F64)
        fb.emit(mir.UnOp(d, name.split(".")[1], x))
        if mty(rt) is Ty.I64:
            di = fb.tmp(Ty.I64)
            fb.emit(mir.UnOp(di, "ftoi", d))
            return di
        return d
    if name == "Math.pow":
        return fb.binop("pow", args[0], args[1], Ty.F64)
    if name == "compare":
        c = fl.compare(args[0], args[1], ats[0])
        return fb.rt("mesh_value_ordering", [c], Ty.PTR)
    if name == "default":
        return fl.default_value(rt)
    if name in ("Math.abs", "Math.min", "Math.max"):
        t = mty(ats[0])
        res = fb.var("m", t)
        if name == "Math.abs":
            zero: mir.Operand = mir.f64(0.0) if t is Ty.F64 else i64(0)
            c = fb.binop("lt", args[0], zero, Ty.I1)
            neg = fb.tmp(t)
            fb.emit(mir.UnOp(neg, "neg", args[0]))
            a, b = neg, args[0]
        else:
            c = fb.binop("lt" if name == "Math.min" else "gt", args[0], args[1], Ty.I1)
            a, b = args[0], args[1]
        y, n, j = fb.new_block("sel_a"), fb.new_block("sel_b"), fb.new_block("sel")
        fb.branch(c, y, n)
        fb.set_block(y)
        fb.emit(mir.Assign(res, a))
        fb.jump(j)
        fb.set_block(n)
        fb.emit(mir.Assign(res, b))
        fb.jump(j)
        fb.set_block(j)
        return res
    if name in ("Json.encode", "JSON.encode") and ats and not (isinstance(ats[0], TCon) and ats[0].name == "Json"):
        fl.need_rt("mesh_json_encode_value")
        return fb.rt("mesh_json_encode_value", [i64(fl.tid(ats[0])), args[0]], Ty.PTR)
    if name == "Job.async":
        # the job's value type (for deep-copying the result to the awaiting process)
        vt = rt.args[0] if isinstance(rt, TCon) and rt.args else rt
        fl.need_rt("mesh_job_async")
        return fb.rt("mesh_job_async", [args[0], i64(fl.tid(vt))], Ty.I64)
    if name == "panic":
        fb.rt("mesh_panic_str", args[:1], Ty.UNIT)
        fb.term(mir.Unreachable())
        return mir.unit()
    if name == "inspect":
        return fb.rt("mesh_value_debug", [i64(fl.tid(ats[0])), args[0]], Ty.PTR)
    generic = _by_convention(fl, name, args, rt)
    if generic is not None:
        return generic
    if "." in name:
        mod, fn = name.split(".", 1)
        raise LowerError(f"stdlib function {name} is not available: the runtime does not declare "
                         f"mesh_{mod.lower()}_{fn} (cruntime/include/mesh)")
    raise LowerError(f"stdlib function {name} is not supported by the lowering yet")


def _by_convention(fl: FnLowerer, name: str, args: list[mir.Operand], rt: Type) -> mir.Operand | None:
    """`Module.fn` -> `mesh_<module>_<fn>` when the runtime headers declare it. A trailing
    `MeshTypeId` parameter beyond the Mesh arguments receives the result type's id."""
    if "." not in name:
        return None
    mod, fn = name.split(".", 1)
    cname = f"mesh_{mod.lower()}_{fn}"
    from toolchain.codegen.rtdecls import load_runtime_decls

    try:
        cf = load_runtime_decls().functions.get(cname)
    except (OSError, FileNotFoundError):
        return None
    if cf is None:
        return None
    params = cf.params[1:] if cf.first_is_ctx else cf.params
    xs = list(args)
    if len(params) == len(xs) + 1 and params[-1].name == "MeshTypeId":
        xs.append(i64(fl.tid(rt)))
    if len(params) != len(xs):
        return None
    return fl.fb.rt(cname, xs, mty(rt))
