"""MIR -> LLVM IR (llvmlite.ir).

Every MIR variable gets an `alloca` in the entry block (mem2reg promotes them at -O2). Every
function takes `MeshCtx *ctx` first. Bump allocation and the reduction check are inlined on the
ctx fields whose offsets come from the parsed `struct MeshCtx`.
"""

from __future__ import annotations

import struct as pystruct

from llvmlite import ir

from toolchain.codegen.rtdecls import CFunc, CStruct, CType, RuntimeDecls
from toolchain.lower import mir
from toolchain.lower.mir import Ty

I1 = ir.IntType(1)
I8 = ir.IntType(8)
I16 = ir.IntType(16)
I32 = ir.IntType(32)
I64 = ir.IntType(64)
F64 = ir.DoubleType()
PTR = ir.PointerType()
VOID = ir.VoidType()

_NORETURN = {"mesh_panic", "mesh_panic_at", "mesh_panic_str", "mesh_stack_overflow"}


class CodegenError(Exception):
    pass


def llty(t: Ty) -> ir.Type:
    return {Ty.I64: I64, Ty.F64: F64, Ty.I1: I1, Ty.PTR: PTR, Ty.UNIT: VOID}[t]


def ctype_ll(c: CType) -> ir.Type:
    if c.kind == "void":
        return VOID
    if c.kind == "int":
        return ir.IntType(c.size * 8)
    if c.kind == "float":
        return F64 if c.size == 8 else ir.FloatType()
    if c.kind == "ptr":
        return PTR
    raise CodegenError(f"unsupported C type in runtime signature: {c}")


class Emitter:
    def __init__(self, prog: mir.Program, decls: RuntimeDecls, triple: str, data_layout: str) -> None:
        self.prog = prog
        self.d = decls
        self.m = ir.Module(name="mesh_program")
        self.m.triple = triple
        self.m.data_layout = data_layout
        self.fns: dict[str, ir.Function] = {}
        self.mfns: dict[str, mir.Function] = {f.name: f for f in prog.functions}
        self.rt: dict[str, ir.Function] = {}
        self.strs: dict[str, ir.GlobalVariable] = {}
        self.cstrs: dict[bytes, ir.GlobalVariable] = {}
        self.statics: dict[tuple[int, int, int], ir.GlobalVariable] = {}
        self.fnrefs: dict[str, ir.GlobalVariable] = {}
        self.thunks: dict[str, ir.Function] = {}
        self._n = 0
        ctx = decls.struct("MeshCtx")
        self.off_hp = ctx.offset("hp")
        self.off_hlimit = ctx.offset("hlimit")
        self.off_reds = ctx.offset("reds")
        self.off_loc = ctx.offset("loc")
        self.off_stack_limit = ctx.offset("stack_limit")
        self.off_base_frame = ctx.offset("base_frame")
        self.gc_static = decls.const("MESH_GC_STATIC")
        for k in mir.Kind:
            if decls.const(f"MESH_KIND_{k.name}", -1) != int(k):
                raise CodegenError(f"mir.Kind.{k.name} does not match MESH_KIND_{k.name} in rt.h")
        self.t_string = decls.const("MESH_TYPE_STRING")
        self.first_user = decls.const("MESH_TYPE_FIRST_USER")

    # ───────────────────────────── helpers ─────────────────────────────

    def uniq(self, base: str) -> str:
        self._n += 1
        return f"{base}.{self._n}"

    def header_word(self, type_id: int, kind: int, gc: int, aux: int) -> int:
        return (type_id & 0xFFFFFFFF) | ((kind & 0xFF) << 32) | ((gc & 0xFF) << 40) | ((aux & 0xFFFF) << 48)

    def runtime(self, name: str) -> tuple[ir.Function, CFunc]:
        cf = self.d.func(name)
        f = self.rt.get(name)
        if f is None:
            fnty = ir.FunctionType(ctype_ll(cf.ret), [ctype_ll(p) for p in cf.params], var_arg=cf.variadic)
            f = ir.Function(self.m, fnty, name=name)
            if name in _NORETURN:
                f.attributes.add("noreturn")
            self.rt[name] = f
        return f, cf

    def intrinsic(self, name: str, ret: ir.Type, params: list[ir.Type]) -> ir.Function:
        f = self.rt.get(name)
        if f is None:
            f = ir.Function(self.m, ir.FunctionType(ret, params), name=name)
            self.rt[name] = f
        return f

    def cstring(self, data: bytes) -> ir.GlobalVariable:
        g = self.cstrs.get(data)
        if g is None:
            arr = ir.ArrayType(I8, len(data) + 1)
            g = ir.GlobalVariable(self.m, arr, name=self.uniq(".cstr"))
            g.global_constant = True
            g.linkage = "private"
            g.unnamed_addr = True
            g.initializer = ir.Constant(arr, bytearray(data + b"\0"))
            self.cstrs[data] = g
        return g

    def string_obj(self, s: str) -> ir.GlobalVariable:
        g = self.strs.get(s)
        if g is None:
            data = s.encode("utf-8")
            arr = ir.ArrayType(I8, len(data) + 1)
            ty = ir.LiteralStructType([I64, I64, arr])
            g = ir.GlobalVariable(self.m, ty, name=self.uniq(".str"))
            g.linkage = "private"
            g.align = 8
            g.global_constant = True
            hdr = self.header_word(self.t_string, mir.Kind.STRING, self.gc_static, 0)
            g.initializer = ir.Constant(ty, [ir.Constant(I64, hdr), ir.Constant(I64, len(data)),
                                             ir.Constant(arr, bytearray(data + b"\0"))])
            self.strs[s] = g
        return g

    def static_obj(self, o: mir.StaticObj) -> ir.GlobalVariable:
        key = (o.type_id, o.kind, o.aux)
        g = self.statics.get(key)
        if g is None:
            ty = ir.LiteralStructType([I64])
            g = ir.GlobalVariable(self.m, ty, name=self.uniq(".obj"))
            g.linkage = "private"
            g.align = 8
            g.global_constant = True
            g.initializer = ir.Constant(ty, [ir.Constant(I64, self.header_word(o.type_id, o.kind, self.gc_static, o.aux))])
            self.statics[key] = g
        return g

    def fnref_obj(self, name: str) -> ir.GlobalVariable:
        g = self.fnrefs.get(name)
        if g is None:
            thunk = self.closure_thunk(name)
            ty = ir.LiteralStructType([I64, PTR])
            g = ir.GlobalVariable(self.m, ty, name=self.uniq(f".clo.{name}"))
            g.linkage = "private"
            g.align = 8
            g.global_constant = True
            hdr = self.header_word(self.d.const("MESH_TYPE_ANY"), mir.Kind.CLOSURE, self.gc_static, 0)
            g.initializer = ir.Constant(ty, [ir.Constant(I64, hdr), thunk])
            self.fnrefs[name] = g
        return g

    # boxing: value of MIR type -> i64 slot, and back
    def box(self, b: ir.IRBuilder, v: ir.Value | None, t: Ty) -> ir.Value:
        if t is Ty.UNIT or v is None:
            return ir.Constant(I64, 0)
        if t is Ty.I64:
            return v
        if t is Ty.F64:
            return b.bitcast(v, I64)
        if t is Ty.I1:
            return b.zext(v, I64)
        return b.ptrtoint(v, I64)

    def unbox(self, b: ir.IRBuilder, v: ir.Value, t: Ty) -> ir.Value | None:
        if t is Ty.UNIT:
            return None
        if t is Ty.I64:
            return v
        if t is Ty.F64:
            return b.bitcast(v, F64)
        if t is Ty.I1:
            return b.icmp_unsigned("!=", v, ir.Constant(I64, 0))
        return b.inttoptr(v, PTR)

    def to_c(self, b: ir.IRBuilder, v: ir.Value | None, t: Ty, c: CType) -> ir.Value:
        lt = ctype_ll(c)
        if c.kind == "int":
            if c.size == 8:
                return self.box(b, v, t)
            if t is Ty.I1:
                return b.zext(v, lt)
            if t is Ty.I64:
                return b.trunc(v, lt)
            if t is Ty.UNIT:
                return ir.Constant(lt, 0)
        elif c.kind == "float":
            if t is Ty.F64:
                return v
            if t is Ty.I64:
                return b.bitcast(v, F64)
        elif c.kind == "ptr":
            if t is Ty.PTR:
                return v
            if t is Ty.I64:
                return b.inttoptr(v, PTR)
            if t is Ty.UNIT:
                return ir.Constant(PTR, None)
        raise CodegenError(f"cannot pass a MIR {t} as C {c}")

    def from_c(self, b: ir.IRBuilder, v: ir.Value, c: CType, t: Ty) -> ir.Value | None:
        if t is Ty.UNIT:
            return None
        if c.kind == "int":
            if c.size == 8:
                return self.unbox(b, v, t)
            if t is Ty.I1:
                return b.icmp_unsigned("!=", v, ir.Constant(v.type, 0))
            if t is Ty.I64:
                return b.sext(v, I64) if c.signed else b.zext(v, I64)
        elif c.kind == "float" and t is Ty.F64:
            return v
        elif c.kind == "ptr":
            if t is Ty.PTR:
                return v
            if t is Ty.I64:
                return b.ptrtoint(v, I64)
        raise CodegenError(f"cannot convert C {c} to MIR {t}")

    def ctx_field(self, b: ir.IRBuilder, ctx: ir.Value, off: int) -> ir.Value:
        return b.gep(ctx, [ir.Constant(I64, off)], inbounds=True, source_etype=I8)

    def set_loc(self, b: ir.IRBuilder, ctx: ir.Value, loc: str | None) -> None:
        """ctx->loc = "file:line:col": where a panic in the next runtime call comes from."""
        if loc is not None:
            b.store(self.cstring(loc.encode()), self.ctx_field(b, ctx, self.off_loc), align=8)

    def reduction_check(self, b: ir.IRBuilder, ctx: ir.Value, local: ir.Value | None = None) -> None:
        """Count one reduction and yield when the slice is used up. With `local` (a function's
        private counter slot, promoted to a register at -O2) the budget stays out of memory; the
        function spills it to ctx->reds around calls and returns (see FnEmitter.spill_reds)."""
        p = self.ctx_field(b, ctx, self.off_reds)
        r = b.load(local if local is not None else p, typ=I64, align=8)
        r2 = b.sub(r, ir.Constant(I64, 1))
        b.store(r2, local if local is not None else p, align=8)
        # yield once the budget goes negative: `r - 1 < 0` is the sign flag of the decrement,
        # so x86 folds load/decrement/store/test into one `decq 16(%rdi); js` (`<= 0` does not)
        c = b.icmp_signed("<", r2, ir.Constant(I64, 0))
        fn = b.function
        yb = fn.append_basic_block(self.uniq("yield"))
        cont = fn.append_basic_block(self.uniq("run"))
        b.cbranch(c, yb, cont).set_weights([1, 2000])
        with_b = ir.IRBuilder(yb)
        y, _ = self.runtime("mesh_yield")
        with_b.call(y, [ctx])
        if local is not None:  # mesh_yield refilled ctx->reds
            with_b.store(with_b.load(p, typ=I64, align=8), local, align=8)
        with_b.branch(cont)
        b.position_at_end(cont)

    def alloc(self, b: ir.IRBuilder, ctx: ir.Value, nbytes: int, type_id: int, kind: int, aux: int) -> ir.Value:
        n = (nbytes + 7) // 8 * 8
        php = self.ctx_field(b, ctx, self.off_hp)
        plim = self.ctx_field(b, ctx, self.off_hlimit)
        hp = b.load(php, typ=PTR, align=8)
        lim = b.load(plim, typ=PTR, align=8)
        new = b.gep(hp, [ir.Constant(I64, n)], source_etype=I8)
        over = b.icmp_unsigned(">", b.ptrtoint(new, I64), b.ptrtoint(lim, I64))
        fn = b.function
        fast = fn.append_basic_block(self.uniq("alloc.fast"))
        slow = fn.append_basic_block(self.uniq("alloc.slow"))
        join = fn.append_basic_block(self.uniq("alloc.done"))
        b.cbranch(over, slow, fast).set_weights([1, 1000])
        b.position_at_end(fast)
        b.store(new, php, align=8)
        b.branch(join)
        b.position_at_end(slow)
        sf, _ = self.runtime("mesh_alloc_slow")
        sp = b.call(sf, [ctx, ir.Constant(I64, n)])
        b.branch(join)
        b.position_at_end(join)
        p = b.phi(PTR)
        p.add_incoming(hp, fast)
        p.add_incoming(sp, slow)
        b.store(ir.Constant(I64, self.header_word(type_id, kind, 0, aux)), p, align=8)
        return p

    def slot_ptr(self, b: ir.IRBuilder, obj: ir.Value, index: int) -> ir.Value:
        return b.gep(obj, [ir.Constant(I64, 8 + 8 * index)], inbounds=True, source_etype=I8)

    # ───────────────────────────── signatures ─────────────────────────────

    def fn_type(self, f: mir.Function) -> ir.FunctionType:
        if f.abi == "closure":
            return ir.FunctionType(I64, [PTR, PTR] + [I64] * (len(f.params) - 1))
        ps = [PTR] + [llty(p.ty) for p in f.params if p.ty is not Ty.UNIT]
        return ir.FunctionType(llty(f.ret), ps)

    def declare_all(self) -> None:
        for f in self.prog.functions:
            lname = f.name
            if lname in ("main", "mesh_main", "mesh_program") or lname.startswith("mesh_"):
                lname = "mpl." + lname
            irf = ir.Function(self.m, self.fn_type(f), name=lname)
            if not f.exported:
                irf.linkage = "internal"
            if _tail_callable(f):
                # every call in tail position between these becomes a jump, at -O0 too, so
                # mutually recursive functions (an actor's states) run in constant stack
                irf.calling_convention = "tailcc"
            _keep_frame_pointer(irf)
            if any(isinstance(ins, mir.AtActorBase) for blk in f.blocks for ins in blk.instrs):
                # its caller's frame must be its real caller's (AtActorBase)
                irf.attributes.add("noinline")
            self.fns[f.name] = irf

    def call_fn(self, b: ir.IRBuilder, name: str, args: list[ir.Value], tail: bool = False,
                own_frame: bool = False) -> ir.Value:
        """Call the compiled function `name` with its own calling convention. `own_frame`: the
        callee runs in a frame of its own just above the caller's (never inlined into the
        caller, never a tail call), as mir.AtActorBase needs of a start closure's call."""
        irf = self.fns[name]
        cc = irf.calling_convention or None
        if own_frame:
            return b.call(irf, args, cconv=cc, tail="notail", attrs=("noinline",))
        return b.call(irf, args, cconv=cc, tail=tail)

    def closure_thunk(self, name: str) -> ir.Function:
        """Adapter with the closure ABI for the native function `name`."""
        t = self.thunks.get(name)
        if t is not None:
            return t
        f = self.mfns[name]
        if f.abi == "closure":
            return self.fns[name]
        ty = ir.FunctionType(I64, [PTR, PTR] + [I64] * len(f.params))
        t = ir.Function(self.m, ty, name=f"{name}$closure")
        t.linkage = "internal"
        _keep_frame_pointer(t)
        b = ir.IRBuilder(t.append_basic_block("entry"))
        ctx = t.args[0]
        args = [ctx]
        for p, a in zip(f.params, t.args[2:], strict=True):
            v = self.unbox(b, a, p.ty)
            if v is not None:
                args.append(v)
        r = self.call_fn(b, name, args)
        b.ret(self.box(b, None if f.ret is Ty.UNIT else r, f.ret))
        self.thunks[name] = t
        return t

    # ───────────────────────────── functions ─────────────────────────────

    def emit_function(self, f: mir.Function) -> None:
        irf = self.fns[f.name]
        FnEmitter(self, f, irf).run()

    # ───────────────────────────── program ─────────────────────────────

    def emit_program(self) -> None:
        mir.verify(self.prog)
        self.declare_all()
        for f in self.prog.functions:
            self.emit_function(f)
        self.emit_types_and_main()

    def const_struct(self, cs: CStruct, values: dict[str, ir.Constant]) -> ir.Constant:
        tys = [ctype_ll(t) if t.kind != "array" else ir.ArrayType(I8, t.size) for _, t, _ in cs.fields]
        vals = []
        for (n, _, _), t in zip(cs.fields, tys, strict=True):
            v = values.get(n)
            vals.append(v if v is not None else ir.Constant(t, None))
        return ir.Constant(ir.LiteralStructType(tys), vals)

    def struct_ll(self, cs: CStruct) -> ir.Type:
        return ir.LiteralStructType([ctype_ll(t) if t.kind != "array" else ir.ArrayType(I8, t.size)
                                     for _, t, _ in cs.fields])

    def const_array(self, cs: CStruct, items: list[ir.Constant], base: str) -> ir.Constant:
        if not items:
            return ir.Constant(PTR, None)
        at = ir.ArrayType(self.struct_ll(cs), len(items))
        g = ir.GlobalVariable(self.m, at, name=self.uniq(base))
        g.linkage = "private"
        g.global_constant = True
        g.initializer = ir.Constant(at, items)
        return g

    def adapter(self, fname: str, nargs: int, ret_c: str) -> ir.Function:
        """(ctx, slot * nargs) -> ret for a native MIR function (display/eq/compare/hash)."""
        f = self.mfns[fname]
        rty = PTR if ret_c == "ptr" else I64
        t = ir.Function(self.m, ir.FunctionType(rty, [PTR] + [I64] * nargs), name=f"{fname}$adapter")
        t.linkage = "internal"
        b = ir.IRBuilder(t.append_basic_block("entry"))
        args = [t.args[0]]
        for p, a in zip(f.params, t.args[1:], strict=True):
            v = self.unbox(b, a, p.ty)
            if v is not None:
                args.append(v)
        r = self.call_fn(b, fname, args)
        if ret_c == "ptr":
            b.ret(r)
        else:
            b.ret(self.box(b, r, f.ret))
        return t

    def emit_types_and_main(self) -> None:
        ct = self.d.struct("MeshType")
        cf = self.d.struct("MeshField")
        cv = self.d.struct("MeshVariant")
        types = sorted(self.prog.types, key=lambda t: t.id)
        for i, t in enumerate(types):
            if t.id != self.first_user + i:
                raise CodegenError(f"type table not contiguous from {self.first_user}: {t.id} ({t.name})")
        entries = []
        for t in types:
            fields = [self.const_struct(cf, {
                "name": self.cstring(n.encode()) if n else ir.Constant(PTR, None),
                "type_id": ir.Constant(I32, ft)}) for n, ft in zip(
                    t.fields or [""] * len(t.field_types), t.field_types, strict=True)]
            variants = []
            for v in t.variants:
                vf = [self.const_struct(cf, {
                    "name": self.cstring(n.encode()) if n else ir.Constant(PTR, None),
                    "type_id": ir.Constant(I32, ft)}) for n, ft in zip(v.field_names, v.field_types, strict=True)]
                variants.append(self.const_struct(cv, {
                    "name": self.cstring(v.name.encode()),
                    "nfields": ir.Constant(I32, len(vf)),
                    "fields": self.const_array(cf, vf, ".vfields")}))
            vals: dict[str, ir.Constant] = {
                "kind": ir.Constant(I8, int(t.kind)),
                "boxed": ir.Constant(I8, 1 if t.boxed else 0),
                "flags": ir.Constant(I16, t.flags),
                "nfields": ir.Constant(I32, len(t.field_types)),
                "nvariants": ir.Constant(I32, len(t.variants)),
                "elem": ir.Constant(I32, t.elems[0] if t.elems else 0),
                "elem2": ir.Constant(I32, t.elems[1] if len(t.elems) > 1 else 0),
                "name": self.cstring(t.name.encode()),
                "fields": self.const_array(cf, fields, ".fields"),
                "variants": self.const_array(cv, variants, ".variants"),
            }
            if t.fn_display:
                vals["display"] = self.adapter(t.fn_display, 1, "ptr")
            if t.fn_debug:
                vals["debug"] = self.adapter(t.fn_debug, 1, "ptr")
            if t.fn_eq:
                vals["eq"] = self.adapter(t.fn_eq, 2, "i64")
            if t.fn_compare:
                vals["compare"] = self.adapter(t.fn_compare, 2, "i64")
            if t.fn_hash:
                vals["hash"] = self.adapter(t.fn_hash, 1, "i64")
            entries.append(self.const_struct(ct, vals))
        table = self.const_array(ct, entries, "mesh_types")
        # mesh_main: void(ctx) wrapper around the entry function
        entry = self.mfns[self.prog.entry]
        mm = ir.Function(self.m, ir.FunctionType(VOID, [PTR]), name="mesh_main")
        b = ir.IRBuilder(mm.append_basic_block("entry"))
        self.call_fn(b, entry.name, [mm.args[0]] + [
            ir.Constant(llty(p.ty), None) for p in entry.params if p.ty is not Ty.UNIT])
        b.ret_void()
        cp = self.d.struct("MeshProgram")
        pg = ir.GlobalVariable(self.m, self.struct_ll(cp), name="mesh_program")
        pg.linkage = "private"
        pg.global_constant = True
        pg.initializer = self.const_struct(cp, {"entry": mm, "types": table,
                                                "ntypes": ir.Constant(I32, len(types))})
        rtmain, _ = self.runtime("mesh_rt_main")
        cmain = ir.Function(self.m, ir.FunctionType(I32, [I32, PTR]), name="main")
        b = ir.IRBuilder(cmain.append_basic_block("entry"))
        r = b.call(rtmain, [cmain.args[0], cmain.args[1], pg])
        b.ret(r)


class FnEmitter:
    def __init__(self, e: Emitter, f: mir.Function, irf: ir.Function) -> None:
        self.e = e
        self.f = f
        self.irf = irf
        self.slots: dict[int, ir.Value] = {}
        # single-assignment variables used only later in their defining block live in SSA
        # registers instead of stack slots (fewer instructions, faster -O0 code and compiles)
        self.ssa_ok = _block_local_temps(f)
        self.ssa: dict[int, ir.Value] = {}
        self.blocks: dict[str, ir.Block] = {}
        self.ctx: ir.Value = irf.args[0]
        self.reds: ir.Value | None = None  # the function's local reduction counter slot

    def slot(self, v: mir.Var) -> ir.Value:
        s = self.slots.get(v.id)
        if s is None:
            self.entry_b.position_at_start(self.entry_block)
            s = self.entry_b.alloca(llty(v.ty), name=f"{v.name}.{v.id}")
            self.slots[v.id] = s
        return s

    def val(self, b: ir.IRBuilder, op: mir.Operand) -> ir.Value | None:
        if isinstance(op, mir.Var):
            if op.ty is Ty.UNIT:
                return None
            if op.id in self.ssa_ok:
                return self.ssa[op.id]
            return b.load(self.slot(op), typ=llty(op.ty))
        if isinstance(op, mir.Const):
            if op.ty is Ty.UNIT:
                return None
            if op.ty is Ty.F64:
                return ir.Constant(F64, float(op.value))  # type: ignore[arg-type]
            if op.ty is Ty.I1:
                return ir.Constant(I1, 1 if op.value else 0)
            if op.ty is Ty.PTR:
                return ir.Constant(PTR, None)
            v = int(op.value)  # type: ignore[arg-type]
            return ir.Constant(I64, ((v + (1 << 63)) % (1 << 64)) - (1 << 63))  # wrap to i64
        if isinstance(op, mir.StrConst):
            return self.e.string_obj(op.value)
        if isinstance(op, mir.StaticObj):
            return self.e.static_obj(op)
        if isinstance(op, mir.FnRef):
            return self.e.fnref_obj(op.name)
        raise CodegenError(f"bad operand {op!r}")

    def store(self, b: ir.IRBuilder, dst: mir.Var | None, v: ir.Value | None) -> None:
        if dst is None or dst.ty is Ty.UNIT or v is None:
            return
        if dst.id in self.ssa_ok:
            self.ssa[dst.id] = v
            return
        b.store(v, self.slot(dst))

    def run(self) -> None:
        e, f, irf = self.e, self.f, self.irf
        entry = irf.append_basic_block("prologue")
        self.entry_block = entry
        self.entry_b = ir.IRBuilder(entry)
        for blk in f.blocks:
            self.blocks[blk.label] = irf.append_basic_block(blk.label)
        # parameters never reassigned (no self tail call) are used directly as SSA values; the
        # others get their slots first (the prologue builder then appends after them)
        assigned = _assigned_vars(f)
        for p in f.params:
            if p.ty is not Ty.UNIT and p.id not in assigned:
                self.ssa_ok.add(p.id)
            elif p.ty is not Ty.UNIT:
                self.slot(p)
        long = _may_run_long(f)
        if long and _has_backedge(f):
            # before body_b exists: inserting at the block start moves body_b's anchor
            self.entry_b.position_at_start(self.entry_block)
            self.reds = self.entry_b.alloca(I64, name="reds")
        body_b = ir.IRBuilder(entry)
        if f.abi == "closure":
            self.store_param(body_b, f.params[0], irf.args[1])
            for p, a in zip(f.params[1:], irf.args[2:], strict=True):
                self.store_param(body_b, p, e.unbox(body_b, a, p.ty))
        else:
            args = iter(irf.args[1:])
            for p in f.params:
                if p.ty is not Ty.UNIT:
                    self.store_param(body_b, p, next(args))
        if self.reds is not None:
            # a function with loops keeps the reduction budget in a local (a register after
            # mem2reg) while it runs; it goes back to ctx->reds only around calls and on return,
            # so a loop without calls never touches memory for its back-edge checks. Functions
            # without loops count straight in ctx->reds: a store before their return would
            # stop LLVM's tail-recursion elimination (fib's accumulator loop).
            body_b.store(body_b.load(e.ctx_field(body_b, self.ctx, e.off_reds), typ=I64, align=8),
                         self.reds, align=8)
            e.reduction_check(body_b, self.ctx, self.reds)
        elif long:
            e.reduction_check(body_b, self.ctx)
        if _makes_calls(f):
            body_b = self.stack_check(body_b)
        if f.actor_base:
            body_b.store(self.frame_address(body_b), e.ctx_field(body_b, self.ctx, e.off_base_frame), align=8)
        body_b.branch(self.blocks[f.blocks[0].label])
        by_label = {blk.label: blk for blk in f.blocks}
        for blk in f.blocks:
            b = ir.IRBuilder(self.blocks[blk.label])
            tail = self.tail_call_at(blk, by_label)
            for i, ins in enumerate(blk.instrs):
                if i == tail:
                    self.tail_call(b, ins)  # type: ignore[arg-type]
                    break
                self.instr(b, ins)
            else:
                self.terminator(b, blk.term)

    def stack_check(self, b: ir.IRBuilder) -> ir.IRBuilder:
        """`if (sp < ctx->stack_limit) mesh_stack_overflow(ctx)`: a deep recursion ends its
        process here, in compiled code, with the headroom below the limit left for runtime
        calls (an overflow inside malloc or under a runtime lock could not be recovered)."""
        e = self.e
        save = e.intrinsic("llvm.stacksave.p0", PTR, [])
        sp = b.call(save, [])
        limit = b.load(e.ctx_field(b, self.ctx, e.off_stack_limit), typ=PTR, align=8)
        low = b.icmp_unsigned("<", b.ptrtoint(sp, I64), b.ptrtoint(limit, I64))
        fn = b.function
        bad = fn.append_basic_block(e.uniq("stack.overflow"))
        ok = fn.append_basic_block(e.uniq("stack.ok"))
        b.cbranch(low, bad, ok).set_weights([1, 1_000_000])
        bb = ir.IRBuilder(bad)
        e.set_loc(bb, self.ctx, self.f.loc)
        rf, _ = e.runtime("mesh_stack_overflow")
        bb.call(rf, [self.ctx])
        bb.unreachable()
        return ir.IRBuilder(ok)

    def tail_call_at(self, blk: mir.Block, by_label: dict[str, mir.Block]) -> int | None:
        """The index of the call in `blk` whose result the function returns at once (a call in
        tail position between tailcc functions), or None. Shapes: `call; return` and
        `t = call; x = t; jump J` where J only returns x."""
        if not _tail_callable(self.f) or not blk.instrs:
            return None
        i = len(blk.instrs) - 1
        res: mir.Var | None = None
        last = blk.instrs[i]
        if isinstance(last, mir.Assign) and i > 0:
            res, i = last.dst, i - 1
        call = blk.instrs[i]
        if not isinstance(call, mir.Call) or not _tail_callable(self.e.mfns[call.fn]):
            return None
        if self.e.mfns[call.fn].ret is not self.f.ret:
            return None
        if res is not None and not (isinstance(last, mir.Assign) and _same_var(last.src, call.dst)):
            return None
        returned = res if res is not None else call.dst
        term = blk.term
        for _ in range(32):  # follow jumps through blocks that only pass the result on
            if not isinstance(term, mir.Jump) or term.backedge:
                break
            target = by_label[term.target]
            for ins in target.instrs:
                if not (isinstance(ins, mir.Assign) and _same_var(ins.src, returned)):
                    return None
                returned = ins.dst
            term = target.term
        if not isinstance(term, mir.Return):
            return None
        if self.f.ret is Ty.UNIT:
            return i
        return i if _same_var(term.value, returned) else None

    def call_args(self, b: ir.IRBuilder, ins: mir.Call) -> list[ir.Value]:
        """ctx, then the values of the callee's non-unit parameters."""
        args = [self.ctx]
        for a, p in zip(ins.args, self.e.mfns[ins.fn].params, strict=True):
            if p.ty is not Ty.UNIT:
                args.append(self.val(b, a))
        return args

    def tail_call(self, b: ir.IRBuilder, ins: mir.Call) -> None:
        """`return f(args)` as a tail call: the callee reuses this frame."""
        self.spill_reds(b)
        r = self.e.call_fn(b, ins.fn, self.call_args(b, ins), tail=True)
        if self.f.ret is Ty.UNIT:
            b.ret_void()
        else:
            b.ret(r)

    def spill_reds(self, b: ir.IRBuilder) -> None:
        """Write the local reduction counter back to ctx->reds (before a call or a return)."""
        if self.reds is not None:
            b.store(b.load(self.reds, typ=I64, align=8),
                    self.e.ctx_field(b, self.ctx, self.e.off_reds), align=8)

    def reload_reds(self, b: ir.IRBuilder) -> None:
        """Take the counter back from ctx->reds after a call (the callee counted its own work)."""
        if self.reds is not None:
            b.store(b.load(self.e.ctx_field(b, self.ctx, self.e.off_reds), typ=I64, align=8),
                    self.reds, align=8)

    def store_param(self, b: ir.IRBuilder, p: mir.Var, v: ir.Value | None) -> None:
        if p.ty is Ty.UNIT or v is None:
            return
        if p.id in self.ssa_ok:
            self.ssa[p.id] = v
            return
        s = self.slot(p)
        b.store(v, s)

    # ───────────────────────── instructions ─────────────────────────

    def instr(self, b: ir.IRBuilder, ins: mir.Instr) -> None:
        e = self.e
        if isinstance(ins, mir.Assign):
            self.store(b, ins.dst, self.val(b, ins.src))
        elif isinstance(ins, mir.BinOp):
            self.store(b, ins.dst, self.binop(b, ins))
        elif isinstance(ins, mir.UnOp):
            a = self.val(b, ins.a)
            t = _op_ty(ins.a)
            if ins.op == "neg":
                r = b.fneg(a) if t is Ty.F64 else b.sub(ir.Constant(I64, 0), a)
            elif ins.op == "not":
                r = b.xor(a, ir.Constant(a.type, 1 if t is Ty.I1 else -1))
            elif ins.op == "itof":
                r = b.sitofp(a, F64)
            elif ins.op == "ftoi":
                # saturating: NaN -> 0, beyond the Int range -> Int max/min (a plain fptosi is poison there)
                r = b.call(self.e.intrinsic("llvm.fptosi.sat.i64.f64", I64, [F64]), [a])
            elif ins.op == "btoi":
                r = b.zext(a, I64)
            elif ins.op in ("sqrt", "floor", "ceil", "round"):
                r = b.call(self.e.intrinsic(f"llvm.{ins.op}.f64", F64, [F64]), [a])
            else:
                raise CodegenError(f"unknown unop {ins.op}")
            self.store(b, ins.dst, r)
        elif isinstance(ins, mir.Alloc):
            vals = [(self.val(b, x), _op_ty(x)) for x in ins.fields]
            aux = ins.aux
            if int(ins.kind) in (mir.Kind.TUPLE, mir.Kind.STRUCT):
                aux = len(vals)  # the runtime reads the slot count of tuples/structs from aux
            p = e.alloc(b, self.ctx, 8 + 8 * len(vals), ins.type_id, int(ins.kind), aux)
            for i, (v, t) in enumerate(vals):
                b.store(e.box(b, v, t), e.slot_ptr(b, p, i), align=8)
            self.store(b, ins.dst, p)
        elif isinstance(ins, mir.GetField):
            o = self.val(b, ins.obj)
            s = b.load(e.slot_ptr(b, o, ins.index), typ=I64, align=8)
            self.store(b, ins.dst, e.unbox(b, s, ins.dst.ty))
        elif isinstance(ins, mir.GetTag):
            o = self.val(b, ins.obj)
            p = b.gep(o, [ir.Constant(I64, 6)], inbounds=True, source_etype=I8)
            t = b.load(p, typ=I16, align=2)
            self.store(b, ins.dst, b.zext(t, I64))
        elif isinstance(ins, mir.Call):
            args = self.call_args(b, ins)
            self.spill_reds(b)
            r = e.call_fn(b, ins.fn, args, own_frame=self.f.actor_base)
            self.reload_reds(b)
            if e.mfns[ins.fn].ret is not Ty.UNIT:
                self.store(b, ins.dst, r)
        elif isinstance(ins, mir.CallClosure):
            clo = self.val(b, ins.closure)
            fty = ir.FunctionType(I64, [PTR, PTR] + [I64] * len(ins.args))
            # load the code pointer with a typed-pointer view so llvmlite knows the callee type
            fp = b.load(b.gep(clo, [ir.Constant(I64, 8)], inbounds=True, source_etype=I8),
                        typ=fty.as_pointer(), align=8)
            # a closure's code pointer never changes once the object exists (objects are
            # immutable and never move): lets LLVM forward it from the MakeClosure store across
            # calls and turn calls of known lambdas into direct (inlinable) calls
            fp.set_metadata("invariant.load", self.e.m.add_metadata([]))
            args = [self.ctx, clo] + [e.box(b, self.val(b, a), _op_ty(a)) for a in ins.args]
            self.spill_reds(b)
            r = b.call(fp, args)
            self.reload_reds(b)
            if ins.dst is not None:
                self.store(b, ins.dst, e.unbox(b, r, ins.dst.ty))
        elif isinstance(ins, mir.CallRuntime):
            fn, cf = e.runtime(ins.fn)
            params = list(cf.params)
            args = []
            if cf.first_is_ctx:
                args.append(self.ctx)
                params = params[1:]
            if len(params) != len(ins.args) and not cf.variadic:
                raise CodegenError(f"{ins.fn}: expects {len(params)} arguments, MIR passes {len(ins.args)}")
            for a, c in zip(ins.args, params, strict=False):
                args.append(e.to_c(b, self.val(b, a), _op_ty(a), c))
            if cf.first_is_ctx:
                e.set_loc(b, self.ctx, ins.loc)
            self.spill_reds(b)
            r = b.call(fn, args)
            self.reload_reds(b)
            if ins.dst is not None:
                if cf.ret.is_void:
                    raise CodegenError(f"{ins.fn} returns void")
                self.store(b, ins.dst, e.from_c(b, r, cf.ret, ins.dst.ty))
        elif isinstance(ins, mir.MakeClosure):
            target = e.fns[ins.fn]
            caps = [(self.val(b, x), _op_ty(x)) for x in ins.captures]
            p = e.alloc(b, self.ctx, 16 + 8 * len(caps), ins.type_id, int(mir.Kind.CLOSURE), len(caps))
            b.store(target, b.gep(p, [ir.Constant(I64, 8)], inbounds=True, source_etype=I8), align=8)
            for i, (v, t) in enumerate(caps):
                b.store(e.box(b, v, t), e.slot_ptr(b, p, i + 1), align=8)
            self.store(b, ins.dst, p)
        elif isinstance(ins, mir.AtActorBase):
            # the caller's frame address is the word the frame pointer points to (x86-64 rbp,
            # AArch64 x29: every compiled function keeps one, _keep_frame_pointer)
            parent = b.load(self.frame_address(b), typ=PTR, align=8)
            base = b.load(e.ctx_field(b, self.ctx, e.off_base_frame), typ=PTR, align=8)
            same = b.icmp_unsigned("==", b.ptrtoint(parent, I64), b.ptrtoint(base, I64))
            some = b.icmp_unsigned("!=", b.ptrtoint(base, I64), ir.Constant(I64, 0))
            self.store(b, ins.dst, b.and_(same, some))
        else:
            raise CodegenError(f"unknown instruction {ins!r}")

    def frame_address(self, b: ir.IRBuilder) -> ir.Value:
        fa = self.e.intrinsic("llvm.frameaddress.p0", PTR, [ir.IntType(32)])
        return b.call(fa, [ir.Constant(ir.IntType(32), 0)])

    def binop(self, b: ir.IRBuilder, ins: mir.BinOp) -> ir.Value:
        t = _op_ty(ins.a)
        a = self.val(b, ins.a)
        c = self.val(b, ins.b)
        op = ins.op
        cmp = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
        if t is Ty.F64:
            if op == "pow":
                return b.call(self.e.intrinsic("llvm.pow.f64", F64, [F64, F64]), [a, c])
            if op in cmp:
                if op == "ne":
                    return b.fcmp_unordered("!=", a, c)
                return b.fcmp_ordered(cmp[op], a, c)
            return {"add": b.fadd, "sub": b.fsub, "mul": b.fmul, "div": b.fdiv, "rem": b.frem}[op](a, c)
        if t is Ty.UNIT:
            if op in ("eq", "le", "ge"):
                return ir.Constant(I1, 1)
            return ir.Constant(I1, 0)
        if op in cmp:
            if t is Ty.I64:
                return b.icmp_signed(cmp[op], a, c)
            return b.icmp_unsigned(cmp[op], a, c)
        if op in ("and", "or", "xor"):
            return {"and": b.and_, "or": b.or_, "xor": b.xor}[op](a, c)
        if op in ("add", "sub", "mul"):
            return {"add": b.add, "sub": b.sub, "mul": b.mul}[op](a, c)
        if op in ("div", "rem"):
            # fast path inline; zero divisor and -1 (INT64_MIN / -1) go to the runtime
            special = b.icmp_unsigned("<", b.add(c, ir.Constant(I64, 1)), ir.Constant(I64, 2))
            fn = b.function
            fast = fn.append_basic_block(self.e.uniq("div.fast"))
            slow = fn.append_basic_block(self.e.uniq("div.slow"))
            join = fn.append_basic_block(self.e.uniq("div.done"))
            b.cbranch(special, slow, fast).set_weights([1, 1000])
            b.position_at_end(fast)
            r1 = b.sdiv(a, c) if op == "div" else b.srem(a, c)
            b.branch(join)
            b.position_at_end(slow)
            rf, _ = self.e.runtime("mesh_int_div" if op == "div" else "mesh_int_rem")
            self.e.set_loc(b, self.ctx, ins.loc)
            r2 = b.call(rf, [self.ctx, a, c])
            b.branch(join)
            b.position_at_end(join)
            ph = b.phi(I64)
            ph.add_incoming(r1, fast)
            ph.add_incoming(r2, slow)
            return ph
        raise CodegenError(f"unknown binop {op} on {t}")

    def terminator(self, b: ir.IRBuilder, t: mir.Terminator | None) -> None:
        e = self.e
        if isinstance(t, mir.Jump):
            if t.backedge:
                e.reduction_check(b, self.ctx, self.reds)
            b.branch(self.blocks[t.target])
        elif isinstance(t, mir.Branch):
            b.cbranch(self.val(b, t.cond), self.blocks[t.then], self.blocks[t.else_])
        elif isinstance(t, mir.Switch):
            sw = b.switch(self.val(b, t.value), self.blocks[t.default])
            for v, lbl in t.cases:
                sw.add_case(ir.Constant(I64, ((v + (1 << 63)) % (1 << 64)) - (1 << 63)), self.blocks[lbl])
        elif isinstance(t, mir.Return):
            self.spill_reds(b)
            if self.f.actor_base:
                b.store(ir.Constant(PTR, None), e.ctx_field(b, self.ctx, e.off_base_frame), align=8)
            if self.f.abi == "closure":
                v = None if t.value is None else self.val(b, t.value)
                b.ret(e.box(b, v, self.f.ret))
            elif self.f.ret is Ty.UNIT:
                b.ret_void()
            else:
                assert t.value is not None, f"{self.f.name}: missing return value"
                b.ret(self.val(b, t.value))
        elif isinstance(t, mir.Panic):
            data = t.message.encode()
            e.set_loc(b, self.ctx, t.loc)
            fn, _ = e.runtime("mesh_panic")
            b.call(fn, [self.ctx, e.cstring(data), ir.Constant(I64, len(data))])
            b.unreachable()
        elif isinstance(t, mir.Unreachable):
            b.unreachable()
        else:
            raise CodegenError(f"{self.f.name}: block without terminator")


def _keep_frame_pointer(irf: ir.Function) -> None:
    """Every compiled function keeps a frame pointer, so a frame's saved frame pointer names its
    caller (mir.AtActorBase relies on it; debuggers and profilers like it too). llvmlite knows
    no string attributes, hence the direct set insertion."""
    set.add(irf.attributes, '"frame-pointer"="all"')


def _makes_calls(f: mir.Function) -> bool:
    """Whether the function calls compiled code (so a recursion can run through it)."""
    return any(isinstance(ins, mir.Call | mir.CallClosure) for blk in f.blocks for ins in blk.instrs)


def _same_var(a: object, b: object) -> bool:
    return isinstance(a, mir.Var) and isinstance(b, mir.Var) and a.id == b.id


def _tail_callable(f: mir.Function) -> bool:
    """Compiled-code-only functions: they use the tailcc convention (C never calls them)."""
    return f.abi == "native" and not f.exported


def _assigned_vars(f: mir.Function) -> set[int]:
    out: set[int] = set()
    for blk in f.blocks:
        for ins in blk.instrs:
            dst = getattr(ins, "dst", None)
            if isinstance(dst, mir.Var):
                out.add(dst.id)
    return out


def _may_run_long(f: mir.Function) -> bool:
    """Whether the function needs the entry reduction check: it calls compiled code (directly or
    through a closure) or loops. A native leaf without back-edges finishes in bounded time (its
    callers' checks cover it); closure-ABI functions always check, since runtime loops such as
    List.map call them repeatedly."""
    if f.abi == "closure":
        return True
    for blk in f.blocks:
        if isinstance(blk.term, mir.Jump) and blk.term.backedge:
            return True
        for ins in blk.instrs:
            if isinstance(ins, mir.Call | mir.CallClosure):
                return True
    return False


def _has_backedge(f: mir.Function) -> bool:
    return any(isinstance(blk.term, mir.Jump) and blk.term.backedge for blk in f.blocks)


def _block_local_temps(f: mir.Function) -> set[int]:
    """Ids of variables (not parameters) assigned exactly once whose every use comes after the
    assignment in the same block."""
    defs: dict[int, tuple[str, int]] = {}
    ndefs: dict[int, int] = {}
    bad: set[int] = {p.id for p in f.params}
    uses: list[tuple[int, str, int]] = []
    for blk in f.blocks:
        for i, ins in enumerate(blk.instrs):
            for op in mir._operands(ins):
                if isinstance(op, mir.Var):
                    uses.append((op.id, blk.label, i))
            dst = getattr(ins, "dst", None)
            if isinstance(dst, mir.Var):
                ndefs[dst.id] = ndefs.get(dst.id, 0) + 1
                defs[dst.id] = (blk.label, i)
        t = blk.term
        n = len(blk.instrs)
        for op in (getattr(t, "cond", None), getattr(t, "value", None)):
            if isinstance(op, mir.Var):
                uses.append((op.id, blk.label, n))
    ok = {v for v, k in ndefs.items() if k == 1 and v not in bad}
    for vid, lbl, i in uses:
        if vid in ok:
            dl, di = defs[vid]
            if dl != lbl or i <= di:
                ok.discard(vid)
    return ok


def _op_ty(op: mir.Operand) -> Ty:
    return op.ty


def float_bits(x: float) -> int:
    return pystruct.unpack("<q", pystruct.pack("<d", x))[0]
