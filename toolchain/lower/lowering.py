"""Typed AST -> MIR.

`Lowerer` owns the program: a worklist of function instances (monomorphization: one MIR function
per (symbol, type arguments)), the type table, generated helpers. `FnLowerer` lowers one
function body (or one closure body) into a `mir.FunctionBuilder`.

Patterns are compiled arm by arm into test chains (each test jumps to the next arm on failure);
a case that falls through every arm panics. Self tail calls (flagged by the checker) assign the
parameters and jump back to the function's top block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toolchain.check.typed import (
    BOOL,
    FLOAT,
    INT,
    STRING,
    UNIT,
    ActorRef,
    Binding,
    BuiltinRef,
    CallInfo,
    CheckedProgram,
    ClosureCallRef,
    ConstRef,
    FnSymbol,
    ForInfo,
    GlobalFnRef,
    LocalRef,
    OpInfo,
    StructRef,
    TCon,
    TFun,
    TParam,
    TraitMethodRef,
    TryInfo,
    TTuple,
    Type,
    VariantRef,
    subst,
)
from toolchain.lower import linear, mir
from toolchain.lower.mir import FunctionBuilder, Kind, Ty, i1, i64
from toolchain.lower.types import LowerError, TypeTable, is_unit, mangle_type, mty
from toolchain.syntax import ast as A

if TYPE_CHECKING:
    from toolchain.diagnostics import SourceMap

MAX_INSTANCE_DEPTH = 64


@dataclass
class Loop:
    cont: mir.Block
    exit: mir.Block


@dataclass
class Instance:
    name: str
    symbol: FnSymbol
    mapping: dict[TParam, Type]
    depth: int


@dataclass
class FnCtx:
    """Per MIR function state (a named function instance or a closure body)."""

    fb: FunctionBuilder
    ret_type: Type
    vars: dict[int, mir.Var] = field(default_factory=dict)  # Binding.id -> Var
    loops: list[Loop] = field(default_factory=list)
    # self-tail-call target (named functions only)
    self_symbol: str | None = None
    top: mir.Block | None = None
    params: list[mir.Var] = field(default_factory=list)
    generic_lets: dict[int, A.Expr] = field(default_factory=dict)
    tail_calls: set[int] = field(default_factory=set)  # id() of Call/Pipe nodes in tail position
    # id() of an actor function's receives that come before anything it does (but pure
    # computations): it may hibernate there, restarting later from a closure over the parameters
    hibernate_at: set[int] = field(default_factory=set)
    param_types: list[Type] = field(default_factory=list)
    restart_fn: str | None = None  # the closure function that restarts it (one for all its receives)


class Lowerer:
    def __init__(self, cp: CheckedProgram, sources: SourceMap | None = None) -> None:
        self.cp = cp
        self.types = TypeTable(cp, self._type_hook)
        self.prog = mir.Program()
        self.instances: dict[tuple[str, tuple[Type, ...]], str] = {}
        self.instance_names: set[str] = set()
        self.worklist: list[Instance] = []
        self.helpers: dict[str, str] = {}
        self.lambda_n = 0
        self.const_fns: dict[str, str] = {}
        # module constants whose value folds to a literal at compile time: used in place, no call
        self.const_values: dict[str, mir.Operand] = {}
        self.cur_span: A.Span = A.NO_SPAN  # of the expression being lowered (for diagnostics)
        self.sources = sources  # source texts, for the locations in panic messages

    def locate(self) -> str | None:
        """`file:line:col` of the expression being lowered, when its source is known."""
        sp = self.cur_span
        if sp is A.NO_SPAN or self.sources is None or sp.file not in self.sources.texts:
            return None
        line, col = self.sources.line_col(sp.file, sp.start)
        return f"{sp.file}:{line}:{col}"

    # ───────────────────────────── driver ─────────────────────────────

    def run(self) -> mir.Program:
        if self.cp.entry is None:
            raise LowerError("program has no main function")
        self.prog.entry = self.instance(self.cp.entry, (), 0)
        while self.worklist:
            inst = self.worklist.pop()
            self.lower_instance(inst)
        self.prog.types = list(self.types.descs)
        linear.rewrite_program(self.prog)  # in-place updates of loop-carried maps/sets/strings
        mir.verify(self.prog)
        return self.prog

    def instance(self, symbol: str, type_args: tuple[Type, ...], depth: int) -> str:
        key = (symbol, type_args)
        name = self.instances.get(key)
        if name is not None:
            return name
        sym = self.cp.functions.get(symbol)
        if sym is None:
            raise LowerError(f"unknown function symbol {symbol}")
        if depth > MAX_INSTANCE_DEPTH:
            raise LowerError(f"generic instantiation of {sym.name} nests deeper than {MAX_INSTANCE_DEPTH}")
        name = symbol if not type_args else f"{symbol}${'$'.join(mangle_type(t) for t in type_args)}"
        if name in self.instance_names:  # two type tuples that mangle alike
            name = f"{name}${len(self.instance_names)}"
        self.instance_names.add(name)
        self.instances[key] = name
        mapping = dict(zip(sym.type_params, type_args, strict=False))
        self.worklist.append(Instance(name, sym, mapping, depth))
        return name

    def prog_fn_ret(self, name: str) -> Ty:
        """MIR return type of an instance (its FnSymbol may not be lowered yet)."""
        for (sym, targs), n in self.instances.items():
            if n == name:
                fs = self.cp.functions[sym]
                ft = subst(fs.type, dict(zip(fs.type_params, targs, strict=False)))
                assert isinstance(ft, TFun)
                return mty(ft.ret)
        raise LowerError(f"unknown instance {name}")

    def add_function(self, f: mir.Function) -> None:
        for b in f.blocks:
            if b.term is None:
                b.term = mir.Unreachable()
        self.prog.functions.append(f)

    # ───────────────────────────── type hook ─────────────────────────────

    def _type_hook(self, t: Type, d: mir.TypeDesc) -> None:
        """Attach user trait impls (Display/Debug/Eq/Ord/Hash) to a user type's descriptor."""
        if not isinstance(t, TCon) or (t.name not in self.cp.structs and t.name not in self.cp.sums):
            return
        for impl in self.cp.impls:
            if impl.derived or impl.trait not in ("Display", "Debug", "Eq", "Ord", "Hash"):
                continue
            m = match_type(impl.for_type, t)
            if m is None:
                continue
            targs = tuple(m.get(p, UNIT) for p in impl.params)
            meth = {"Display": "to_string", "Debug": "inspect", "Eq": "eq", "Ord": "compare",
                    "Hash": "hash"}[impl.trait]
            sym = impl.methods.get(meth)
            if sym is None or sym not in self.cp.functions:
                continue
            fs = self.cp.functions[sym]
            name = self.instance(sym, targs[: len(fs.type_params)], 0)
            if impl.trait == "Display":
                d.fn_display = name
            elif impl.trait == "Debug":
                d.fn_debug = name
            elif impl.trait == "Eq":
                d.fn_eq = name
            elif impl.trait == "Hash":
                d.fn_hash = name
            elif impl.trait == "Ord":
                d.fn_compare = self.ordering_to_int_helper(name, t)

    def ordering_to_int_helper(self, cmp_fn: str, t: Type) -> str:
        """User `compare(a, b) -> Ordering` wrapped as `(a, b) -> Int` (Less=0 -> -1 ...)."""
        hname = f"{cmp_fn}$int"
        if hname in self.helpers:
            return hname
        self.helpers[hname] = hname
        fb = FunctionBuilder(hname, [("a", mty(t)), ("b", mty(t))], Ty.I64)
        o = fb.call(cmp_fn, list(fb.params), Ty.PTR)
        tag = fb.tmp(Ty.I64)
        fb.emit(mir.GetTag(tag, o))
        fb.ret(fb.binop("sub", tag, i64(1), Ty.I64))
        self.add_function(fb.fn)
        return hname

    # ───────────────────────────── functions ─────────────────────────────

    def service(self, key: str) -> object:
        from toolchain.lower.services import ServiceInfo

        if not hasattr(self, "_services"):
            self._services: dict[str, ServiceInfo] = {}
        got = self._services.get(key)
        if got is None:
            sdef = None

            def walk(items: list[A.Item], mod: str) -> None:
                nonlocal sdef
                for it in items:
                    if isinstance(it, A.ServiceDef) and f"{mod.replace('.', '_')}__{it.name}" == key:
                        sdef = it
                    elif isinstance(it, A.ModuleDef):
                        walk(it.items, f"{mod}.{it.name}")

            for m in self.cp.modules:
                walk(m.ast.items, m.name)
            if sdef is None:
                raise LowerError(f"service {key} not found")
            got = ServiceInfo(self, key, sdef)
            self._services[key] = got
        return got

    def actor_def(self, mangled: str) -> A.ActorDef:
        if not hasattr(self, "_actors"):
            found: dict[str, A.ActorDef] = {}

            def walk(items: list[A.Item]) -> None:
                for it in items:
                    if isinstance(it, A.ActorDef) and "symbol" in it.info:
                        found[it.info["symbol"].mangled] = it
                    elif isinstance(it, A.ModuleDef):
                        walk(it.items)

            for m in self.cp.modules:
                walk(m.ast.items)
            self._actors = found
        if mangled not in self._actors:
            raise LowerError(f"actor definition for {mangled} not found")
        return self._actors[mangled]

    def lower_instance(self, inst: Instance) -> None:
        sym = inst.symbol
        fty = subst(sym.type, inst.mapping)
        assert isinstance(fty, TFun)
        if sym.kind == "actor":
            ad = self.actor_def(sym.mangled)
            clauses: list[tuple[list[A.Param], A.Expr | None, A.Expr]] = [(ad.params, None, ad.body)]
        else:
            clauses = [(c.params, c.guard, c.body) for c in sym.clauses if c.body is not None]
        params = [(f"p{i}", mty(t)) for i, t in enumerate(fty.params)]
        fb = FunctionBuilder(inst.name, params, mty(fty.ret))
        ctx = FnCtx(fb, fty.ret, self_symbol=sym.mangled, params=list(fb.params))
        for _, _, body in clauses:
            _collect_tail_calls(body, ctx.tail_calls)
        fl = FnLowerer(self, ctx, inst.mapping, inst.depth)
        self.cur_span = clauses[0][2].span if clauses else A.NO_SPAN
        fb.fn.loc = self.locate()
        top = fb.new_block("top")
        fb.jump(top)
        fb.set_block(top)
        ctx.top = top
        simple = len(clauses) == 1 and clauses[0][1] is None and all(
            isinstance(p.pattern, A.VarPat | A.WildcardPat) for p in clauses[0][0])
        if simple:
            ps, _, body = clauses[0]
            for p, v in zip(ps, fb.params, strict=True):
                if isinstance(p.pattern, A.VarPat):
                    ctx.vars[p.pattern.info["binding"].id] = v
            if sym.kind == "actor":
                if self.actor_def(sym.mangled).terminate is not None:
                    fl.set_terminate(self.actor_def(sym.mangled).terminate)  # type: ignore[arg-type]
                ctx.hibernate_at = {id(r) for r in _entry_receives(body)}
                ctx.param_types = list(fty.params)
            fl.ret(fl.expr(body))
        else:
            fl.lower_clauses([([p.pattern for p in ps], g, body) for ps, g, body in clauses],
                             list(fb.params), list(fty.params), fty.ret, is_fn=True)
        self.add_function(fb.fn)

    def const_fn(self, symbol: str) -> tuple[str, Type]:
        cs = self.cp.constants[symbol]
        name = self.const_fns.get(symbol)
        if name is None:
            name = f"{symbol}$const"
            self.const_fns[symbol] = name
            fb = FunctionBuilder(name, [], mty(cs.type))
            ctx = FnCtx(fb, cs.type)
            fl = FnLowerer(self, ctx, {}, 0)
            user_span, self.cur_span = self.cur_span, cs.node.let.value.span  # built from a use
            fl.ret(fl.expr(cs.node.let.value))
            self.cur_span = user_span
            folded = fold_constant_fn(fb.fn)
            if folded is not None:
                self.const_values[symbol] = folded
            else:
                self.add_function(fb.fn)
        return name, cs.type


def _entry_receives(e: A.Expr) -> list[A.Receive]:
    """The receives (without `after`) an actor body can reach before it does anything but pure
    computations: through pure lets, and the branches of an `if` or `case` on pure values. Waiting
    in one of them is the same as restarting the function later with the same arguments."""
    if isinstance(e, A.Receive):
        return [e] if e.after_timeout is None else []
    if isinstance(e, A.Block):
        for st in e.stmts:
            if isinstance(st, A.Let):
                if isinstance(st.value, A.Receive):
                    return _entry_receives(st.value)
                if not _pure(st.value):
                    return []
                continue
            return _entry_receives(st)
        return []
    if isinstance(e, A.If):
        if not _pure(e.cond):
            return []
        return _entry_receives(e.then) + (_entry_receives(e.else_) if e.else_ is not None else [])
    if isinstance(e, A.Case):
        if not _pure(e.scrutinee) or any(a.guard is not None and not _pure(a.guard) for a in e.arms):
            return []
        return [r for a in e.arms for r in _entry_receives(a.body)]
    return []


_PURE_TYPES = {"Int", "Float", "Bool"}


def _pure(e: A.Expr) -> bool:
    """Evaluating e has no effect but its value (or a panic, which would happen again the same
    way): literals, variables, self(), tuples and lists of such, and operators on Int, Float and
    Bool (on other types an operator may run a user's trait implementation)."""
    if isinstance(e, A.IntLit | A.FloatLit | A.BoolLit | A.NilLit | A.AtomLit | A.Name | A.SelfPid):
        return True
    if isinstance(e, A.StringLit):
        return all(isinstance(p, str) for p in e.parts)
    if isinstance(e, A.TupleExpr | A.ListExpr):
        return all(_pure(x) for x in e.items)
    if isinstance(e, A.BinaryOp | A.UnaryOp):
        operands = [e.left, e.right] if isinstance(e, A.BinaryOp) else [e.operand]
        return all(_pure(x) and isinstance(x.ty, TCon) and x.ty.name in _PURE_TYPES for x in operands)
    return False


def _int_lit(p: A.Pattern) -> int | None:
    if isinstance(p, A.LiteralPat) and isinstance(p.value, A.IntLit):
        return p.value.value
    return None


def _local_refs(node: object) -> list[Binding]:
    """Every local variable an expression refers to (including ones bound inside it, which the
    caller filters out by what is in scope)."""
    out: list[Binding] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, list | tuple):
            stack.extend(n)
        elif isinstance(n, A.Node):
            res = n.info.get("res")
            if isinstance(res, LocalRef):
                out.append(res.binding)
            for f in getattr(n, "__dataclass_fields__", ()):
                if f not in ("span", "info", "ty"):
                    stack.append(getattr(n, f, None))
    return out


_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1


def _wrap64(v: int) -> int:
    return ((v + (1 << 63)) % (1 << 64)) - (1 << 63)


def _fold_binop(op: str, a: mir.Const, b: mir.Const) -> mir.Const | None:
    x, y = a.value, b.value
    cmp = {"eq": lambda: x == y, "ne": lambda: x != y, "lt": lambda: x < y, "le": lambda: x <= y,  # type: ignore[operator]
           "gt": lambda: x > y, "ge": lambda: x >= y}  # type: ignore[operator]
    if op in cmp and a.ty in (Ty.I64, Ty.I1, Ty.F64):
        return mir.Const(Ty.I1, bool(cmp[op]()))
    if a.ty is Ty.I64 and isinstance(x, int) and isinstance(y, int):
        if op in ("add", "sub", "mul"):
            return mir.Const(Ty.I64, _wrap64({"add": x + y, "sub": x - y, "mul": x * y}[op]))
        if op in ("div", "rem") and y not in (0, -1):  # a zero divisor panics at run time
            q = abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1)  # truncating, as in C
            return mir.Const(Ty.I64, q if op == "div" else x - q * y)
        if op in ("and", "or", "xor"):
            return mir.Const(Ty.I64, {"and": x & y, "or": x | y, "xor": x ^ y}[op])
    if a.ty is Ty.I1 and op in ("and", "or", "xor"):
        return mir.Const(Ty.I1, {"and": bool(x and y), "or": bool(x or y), "xor": bool(x) != bool(y)}[op])
    if a.ty is Ty.F64 and op in ("add", "sub", "mul"):
        return mir.Const(Ty.F64, {"add": x + y, "sub": x - y, "mul": x * y}[op])  # type: ignore[operator]
    return None


def fold_constant_fn(f: mir.Function) -> mir.Operand | None:
    """The literal value of a module constant's initialiser (a parameterless function) when it is
    straight-line scalar arithmetic on literals, so that uses need no call; else None."""
    if f.params or len(f.blocks) != 1 or not isinstance(f.blocks[0].term, mir.Return):
        return None
    env: dict[int, mir.Operand] = {}

    def get(op: mir.Operand) -> mir.Operand | None:
        if isinstance(op, mir.Var):
            return env.get(op.id)
        return op if isinstance(op, mir.Const | mir.StrConst) else None

    for ins in f.blocks[0].instrs:
        if isinstance(ins, mir.Assign):
            v = get(ins.src)
        elif isinstance(ins, mir.BinOp):
            a, b = get(ins.a), get(ins.b)
            v = _fold_binop(ins.op, a, b) if isinstance(a, mir.Const) and isinstance(b, mir.Const) \
                and a.ty is b.ty else None
        elif isinstance(ins, mir.UnOp):
            a = get(ins.a)
            v = None
            if isinstance(a, mir.Const):
                if ins.op == "neg" and a.ty is Ty.I64:
                    v = mir.Const(Ty.I64, _wrap64(-int(a.value)))  # type: ignore[arg-type]
                elif ins.op == "neg" and a.ty is Ty.F64:
                    v = mir.Const(Ty.F64, -float(a.value))  # type: ignore[arg-type]
                elif ins.op == "not" and a.ty is Ty.I1:
                    v = mir.Const(Ty.I1, not a.value)
                elif ins.op == "itof" and a.ty is Ty.I64:
                    v = mir.Const(Ty.F64, float(a.value))  # type: ignore[arg-type]
        else:
            return None
        if v is None or v.ty is not ins.dst.ty:
            return None
        env[ins.dst.id] = v
    ret = f.blocks[0].term.value
    if ret is None:
        return None
    v = get(ret)
    return v if v is not None and v.ty is f.ret else None


def match_type(pat: Type, t: Type, m: dict[TParam, Type] | None = None) -> dict[TParam, Type] | None:
    m = {} if m is None else m
    if isinstance(pat, TParam):
        if pat in m and m[pat] != t:
            return None
        m[pat] = t
        return m
    if isinstance(pat, TCon) and isinstance(t, TCon):
        if pat.name != t.name or len(pat.args) != len(t.args):
            return None
        for a, b in zip(pat.args, t.args, strict=True):
            if match_type(a, b, m) is None:
                return None
        return m
    if isinstance(pat, TTuple) and isinstance(t, TTuple):
        if len(pat.items) != len(t.items):
            return None
        for a, b in zip(pat.items, t.items, strict=True):
            if match_type(a, b, m) is None:
                return None
        return m
    if isinstance(pat, TFun) and isinstance(t, TFun):
        if len(pat.params) != len(t.params):
            return None
        for a, b in zip((*pat.params, pat.ret), (*t.params, t.ret), strict=True):
            if match_type(a, b, m) is None:
                return None
        return m
    return None


_CMP = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_ARITH = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "rem"}


class FnLowerer:
    def __init__(self, lw: Lowerer, ctx: FnCtx, mapping: dict[TParam, Type], depth: int) -> None:
        self.lw = lw
        self.ctx = ctx
        self.fb = ctx.fb
        self.fb.locate = lw.locate
        self.mapping = mapping
        self.depth = depth

    # ───────────────────────────── helpers ─────────────────────────────

    def ty(self, t: Type | None) -> Type:
        if t is None:
            raise LowerError("expression without a type reached lowering")
        return subst(t, self.mapping) if self.mapping else t

    def tid(self, t: Type) -> int:
        return self.lw.types.tid(t)

    def var_for(self, b: Binding) -> mir.Var:
        v = self.ctx.vars.get(b.id)
        if v is None:
            v = self.fb.var(b.name, mty(self.ty(b.ty)))
            self.ctx.vars[b.id] = v
        return v

    def copy_to_var(self, op: mir.Operand, ty: Ty, name: str = "v") -> mir.Operand:
        if not isinstance(op, mir.Var) or ty is Ty.UNIT:
            return op
        v = self.fb.var(name, ty)
        self.fb.emit(mir.Assign(v, op))
        return v

    def ret(self, v: mir.Operand) -> None:
        if self.fb.terminated:
            return
        self.fb.ret(None if self.fb.fn.ret is Ty.UNIT else v)

    def rt(self, name: str, args: list[mir.Operand], ret: Ty) -> mir.Operand:
        return self.fb.rt(name, args, ret)

    def dead(self) -> mir.Operand:
        return mir.unit()

    def panic(self, msg: str) -> None:
        self.fb.term(mir.Panic(msg))

    # ───────────────────────────── expressions ─────────────────────────────

    def expr(self, e: A.Expr | A.Let) -> mir.Operand:
        if self.fb.terminated:
            return mir.unit()
        outer = self.lw.cur_span
        if e.span is not A.NO_SPAN:
            self.lw.cur_span = e.span
        m = getattr(self, "x_" + type(e).__name__, None)
        if m is None:
            raise LowerError(f"lowering of {type(e).__name__} is not supported yet")
        v = m(e)
        # back to the enclosing expression (its own runtime calls come after its operands); an
        # exception leaves cur_span at the innermost expression, where its diagnostic points
        self.lw.cur_span = outer
        return v

    def x_IntLit(self, e: A.IntLit) -> mir.Operand:
        if is_float(self.ty(e.ty)):
            return mir.f64(float(e.value))
        return i64(e.value)

    def x_FloatLit(self, e: A.FloatLit) -> mir.Operand:
        return mir.f64(e.value)

    def x_BoolLit(self, e: A.BoolLit) -> mir.Operand:
        return i1(e.value)

    def x_NilLit(self, e: A.NilLit) -> mir.Operand:
        return mir.unit()

    def x_AtomLit(self, e: A.AtomLit) -> mir.Operand:
        return mir.StrConst(e.name)

    def x_IndexExpr(self, e: A.IndexExpr) -> mir.Operand:
        return mir.unit()

    def x_StringLit(self, e: A.StringLit) -> mir.Operand:
        acc: mir.Operand | None = None
        for part in e.parts:
            if isinstance(part, str):
                if part == "":
                    continue
                s: mir.Operand = mir.StrConst(part)
            else:
                v = self.expr(part)
                tm = part.info.get("to_string")
                s = self.display(v, self.ty(part.ty), tm)
            acc = s if acc is None else self.rt("mesh_string_concat", [acc, s], Ty.PTR)
        return acc if acc is not None else mir.StrConst("")

    def x_Name(self, e: A.Name) -> mir.Operand:
        return self.value_ref(e, e.info.get("res"))

    def x_SelfExpr(self, e: A.SelfExpr) -> mir.Operand:
        return self.value_ref(e, e.info.get("res"))

    def value_ref(self, e: A.Expr, res: object) -> mir.Operand:
        if isinstance(res, LocalRef):
            if res.binding.id in self.ctx.generic_lets:
                ext = dict(self.mapping)
                ext.update(zip(res.binding.type_params, (self.ty(t) for t in res.type_args), strict=False))
                sub = FnLowerer(self.lw, self.ctx, ext, self.depth + 1)
                return sub.expr(self.ctx.generic_lets[res.binding.id])
            v = self.ctx.vars.get(res.binding.id)
            if v is None:
                raise LowerError(f"variable {res.binding.name} used before its binding was lowered")
            return v
        if isinstance(res, GlobalFnRef):
            targs = tuple(self.ty(t) for t in res.type_args)
            return mir.FnRef(self.lw.instance(res.symbol, targs, self.depth + 1))
        if isinstance(res, ConstRef):
            name, cty = self.lw.const_fn(res.symbol)
            folded = self.lw.const_values.get(res.symbol)
            if folded is not None:
                return folded
            return self.fb.call(name, [], mty(cty))
        if isinstance(res, VariantRef):
            t = self.ty(e.ty)
            if isinstance(t, TFun):
                return mir.FnRef(self.ctor_fn(res, t))
            return mir.StaticObj(self.tid(t), int(Kind.VARIANT), res.tag)
        if isinstance(res, ActorRef):
            return mir.unit()  # only meaningful as spawn's first argument
        if isinstance(res, TraitMethodRef) and isinstance(self.ty(e.ty), TFun):
            ft = self.ty(e.ty)
            assert isinstance(ft, TFun)
            self_t = ft.params[0] if ft.params else self.ty(res.self_type)
            if res.symbol is not None:
                return mir.FnRef(self.method_instance(res.symbol, res.type_args, self_t, list(ft.params)))
            user = self.find_impl(res.trait, res.method, self_t)
            if user is not None:
                return mir.FnRef(user)
        if isinstance(res, BuiltinRef):
            if isinstance(res.type, TFun):
                return mir.FnRef(self.builtin_fn_value(res))
            if res.name == "Math.pi":
                return mir.f64(3.141592653589793)
        raise LowerError(f"unsupported name reference {res!r} at {e.span}")

    def ctor_fn(self, res: VariantRef, t: TFun) -> str:
        name = f"{res.sum.replace('.', '_')}__{res.variant}$ctor${mangle_type(t)}"
        if name not in self.lw.helpers:
            self.lw.helpers[name] = name
            fb = FunctionBuilder(name, [(f"a{i}", mty(p)) for i, p in enumerate(t.params)], Ty.PTR)
            d = fb.tmp(Ty.PTR)
            fb.emit(mir.Alloc(d, self.tid(t.ret), int(Kind.VARIANT), list(fb.params), res.tag))
            fb.ret(d)
            self.lw.add_function(fb.fn)
        return name

    def builtin_fn_value(self, res: BuiltinRef) -> str:
        t = self.ty(res.type)
        assert isinstance(t, TFun)
        name = f"builtin${res.name.replace('.', '_')}${mangle_type(t)}"
        if name not in self.lw.helpers:
            self.lw.helpers[name] = name
            fb = FunctionBuilder(name, [(f"a{i}", mty(p)) for i, p in enumerate(t.params)], mty(t.ret))
            ctx = FnCtx(fb, t.ret)
            fl = FnLowerer(self.lw, ctx, {}, self.depth)
            r = fl.call_builtin(BuiltinRef(res.name, t), list(fb.params), list(t.params), t.ret)
            fl.ret(r)
            self.lw.add_function(fb.fn)
        return name

    def x_TupleExpr(self, e: A.TupleExpr) -> mir.Operand:
        if not e.items:
            return mir.unit()
        if len(e.items) == 1:
            return self.expr(e.items[0])
        vals = [self.expr(x) for x in e.items]
        d = self.fb.tmp(Ty.PTR)
        self.fb.emit(mir.Alloc(d, self.tid(self.ty(e.ty)), int(Kind.TUPLE), vals))
        return d

    def x_ListExpr(self, e: A.ListExpr) -> mir.Operand:
        t = self.ty(e.ty)
        lst = self.rt("mesh_list_new", [i64(self.tid(t))], Ty.PTR)
        for x in e.items:
            v = self.expr(x)
            lst = self.rt("mesh_list_append", [lst, v], Ty.PTR)
        return lst

    def x_MapExpr(self, e: A.MapExpr) -> mir.Operand:
        t = self.ty(e.ty)
        m = self.rt("mesh_map_new", [i64(self.tid(t))], Ty.PTR)
        for k, v in e.entries:
            kv = self.expr(k)
            vv = self.expr(v)
            m = self.rt("mesh_map_put", [m, kv, vv], Ty.PTR)
        return m

    def x_StructExpr(self, e: A.StructExpr) -> mir.Operand:
        ref: StructRef = e.info["struct"]
        si = self.lw.cp.structs[ref.struct]
        given = {}
        for fname, fx in e.fields:
            given[fname] = self.copy_to_var(self.expr(fx), mty(self.ty(fx.ty)), fname)
        vals = [given.get(fname, mir.unit()) for fname, _ in si.fields]
        d = self.fb.tmp(Ty.PTR)
        self.fb.emit(mir.Alloc(d, self.tid(self.ty(e.ty)), int(Kind.STRUCT), vals))
        return d

    def x_StructUpdate(self, e: A.StructUpdate) -> mir.Operand:
        t = self.ty(e.ty)
        assert isinstance(t, TCon)
        si = self.lw.cp.structs[t.name]
        mp = dict(zip(si.params, t.args, strict=False))
        base = self.copy_to_var(self.expr(e.base), Ty.PTR, "base")
        given = {fname: self.copy_to_var(self.expr(fx), mty(self.ty(fx.ty)), fname) for fname, fx in e.fields}
        vals: list[mir.Operand] = []
        for i, (fname, fty) in enumerate(si.fields):
            if fname in given:
                vals.append(given[fname])
            else:
                v = self.fb.var(fname, mty(subst(fty, mp)))
                self.fb.emit(mir.GetField(v, base, i))
                vals.append(v)
        d = self.fb.tmp(Ty.PTR)
        self.fb.emit(mir.Alloc(d, self.tid(t), int(Kind.STRUCT), vals))
        return d

    def x_FieldAccess(self, e: A.FieldAccess) -> mir.Operand:
        fi = e.info.get("field")
        if fi is not None:
            _, idx = fi
            obj = self.expr(e.obj)
            d = self.fb.tmp(mty(self.ty(e.ty)))
            self.fb.emit(mir.GetField(d, obj, idx))
            return d
        if "res" in e.info:
            return self.value_ref(e, e.info["res"])
        if "call" in e.info:
            return self.x_Call(e)  # type: ignore[arg-type]
        raise LowerError(f"unresolved field access .{e.field} at {e.span}")

    def x_Block(self, e: A.Block) -> mir.Operand:
        last: mir.Operand = mir.unit()
        for st in e.stmts:
            if self.fb.terminated:
                break
            if isinstance(st, A.Let):
                self.let(st)
                last = mir.unit()
            else:
                last = self.expr(st)
        if e.ty is not None and is_unit(self.ty(e.ty)):
            return mir.unit()
        return last

    def let(self, st: A.Let) -> None:
        p = st.pattern
        if isinstance(p, A.VarPat) and p.info["binding"].type_params:
            # a generalised local (`let id = fn x -> x end`): lowered again at each use with
            # that use's type arguments
            self.ctx.generic_lets[p.info["binding"].id] = st.value
            return
        v = self.expr(st.value)
        if self.fb.terminated:
            return
        if isinstance(p, A.VarPat):
            b: Binding = p.info["binding"]
            var = self.var_for(b)
            if var.ty is not Ty.UNIT:
                self.fb.emit(mir.Assign(var, v))
            return
        if isinstance(p, A.WildcardPat):
            return
        fail = self.fb.new_block("let_fail")
        vty = self.ty(st.value.ty)
        val = self.copy_to_var(v, mty(vty), "scrut")
        self.match_pat(p, val, vty, fail)
        cont = self.fb.new_block("let_ok")
        self.fb.jump(cont)
        self.fb.set_block(fail)
        self.panic("non-exhaustive match")
        self.fb.set_block(cont)

    def x_If(self, e: A.If) -> mir.Operand:
        t = self.ty(e.ty)
        rt = mty(t)
        c = self.expr(e.cond)
        res = self.fb.var("if", rt) if rt is not Ty.UNIT else None
        tb, eb, jb = self.fb.new_block("then"), self.fb.new_block("else"), self.fb.new_block("endif")
        self.fb.branch(c, tb, eb)
        self.fb.set_block(tb)
        v = self.expr(e.then)
        if res is not None and not self.fb.terminated:
            self.fb.emit(mir.Assign(res, v))
        self.fb.jump(jb)
        self.fb.set_block(eb)
        if e.else_ is not None:
            v = self.expr(e.else_)
            if res is not None and not self.fb.terminated:
                self.fb.emit(mir.Assign(res, v))
        self.fb.jump(jb)
        self.fb.set_block(jb)
        return res if res is not None else mir.unit()

    def x_While(self, e: A.While) -> mir.Operand:
        head, body, exit_ = self.fb.new_block("while"), self.fb.new_block("wbody"), self.fb.new_block("wend")
        self.fb.jump(head)
        self.fb.set_block(head)
        c = self.expr(e.cond)
        self.fb.branch(c, body, exit_)
        self.fb.set_block(body)
        self.ctx.loops.append(Loop(head, exit_))
        self.expr(e.body)
        self.ctx.loops.pop()
        self.fb.jump(head, backedge=True)
        self.fb.set_block(exit_)
        return mir.unit()

    def x_Break(self, e: A.Break) -> mir.Operand:
        self.fb.jump(self.ctx.loops[-1].exit)
        return mir.unit()

    def x_Continue(self, e: A.Continue) -> mir.Operand:
        self.fb.jump(self.ctx.loops[-1].cont, backedge=True)
        return mir.unit()

    def x_Return(self, e: A.Return) -> mir.Operand:
        v = self.expr(e.value) if e.value is not None else mir.unit()
        self.ret(v)
        return mir.unit()

    def x_For(self, e: A.For) -> mir.Operand:
        fi: ForInfo = e.info["for"]
        rtype = self.ty(fi.result_type)
        elem_t = self.ty(fi.elem_type)
        body_t = rtype.args[0] if isinstance(rtype, TCon) and rtype.args else UNIT
        acc = self.fb.var("acc", Ty.PTR)
        idx = self.fb.var("i", Ty.I64)
        end = self.fb.var("n", Ty.I64)
        kind = fi.kind
        coll: mir.Operand = mir.unit()
        if kind == "range":
            it = e.iterable
            if isinstance(it, A.BinaryOp) and it.op == "..":
                lo = self.expr(it.left)
                self.fb.emit(mir.Assign(idx, lo))
                hi = self.expr(it.right)
                self.fb.emit(mir.Assign(end, hi))
            else:
                r = self.copy_to_var(self.expr(it), Ty.PTR, "range")
                self.fb.emit(mir.Assign(idx, self.rt("mesh_range_start", [r], Ty.I64)))
                self.fb.emit(mir.Assign(end, self.rt("mesh_range_end", [r], Ty.I64)))
        elif kind in ("iterable", "iterator"):
            # iterator protocol: it = iter(x) (Iterable) or x itself (Iter<T>); next(it) -> Option
            coll = self.copy_to_var(self.expr(e.iterable), Ty.PTR, "coll")
            it_t = self.ty(e.iterable.ty)
            if kind == "iterable" and fi.iter is not None:
                if fi.iter.symbol is not None:
                    fs = self.lw.cp.functions[fi.iter.symbol]
                    m = match_type(fs.type.params[0], it_t) if fs.type.params else {}
                    ret_t = subst(fs.type.ret, m or {})
                else:
                    ret_t = it_t
                coll = self.copy_to_var(self.trait_call(fi.iter, [coll], [it_t], ret_t), Ty.PTR, "iter")
                it_t = ret_t
            self.fb.emit(mir.Assign(idx, i64(0)))
            self.fb.emit(mir.Assign(end, i64(1)))
        else:
            coll = self.copy_to_var(self.expr(e.iterable), Ty.PTR, "coll")
            self.fb.emit(mir.Assign(idx, i64(0)))
            size_fn = {"list": "mesh_list_length", "map": "mesh_map_size", "set": "mesh_set_size"}.get(kind)
            if size_fn is None:
                raise LowerError(f"for over {kind} is not supported yet")
            self.fb.emit(mir.Assign(end, self.rt(size_fn, [coll], Ty.I64)))
        self.fb.emit(mir.Assign(acc, self.rt("mesh_list_new", [i64(self.tid(rtype))], Ty.PTR)))
        head, body, step, exit_ = (self.fb.new_block("for"), self.fb.new_block("fbody"),
                                   self.fb.new_block("fstep"), self.fb.new_block("fend"))
        self.fb.jump(head)
        self.fb.set_block(head)
        self.fb.branch(self.fb.binop("lt", idx, end, Ty.I1), body, exit_)
        self.fb.set_block(body)
        et = mty(elem_t)
        if kind == "range":
            elem: mir.Operand = idx
            elem = self.copy_to_var(idx, Ty.I64, "x")
        elif kind == "list":
            elem = self.rt("mesh_list_get", [coll, idx], et)
        elif kind == "set":
            elem = self.rt("mesh_set_element_at", [coll, idx], et)
        elif kind in ("iterable", "iterator"):
            opt_t = TCon("Option", (elem_t,))
            user = self.find_impl("Iterator", "next", it_t)
            if user is not None:
                opt = self.fb.call(user, [coll], Ty.PTR)
            else:
                self.need_rt("mesh_iter_next")
                opt = self.rt("mesh_iter_next", [coll, i64(self.tid(opt_t))], Ty.PTR)
            opt = self.copy_to_var(opt, Ty.PTR, "next")
            tag = self.fb.tmp(Ty.I64)
            self.fb.emit(mir.GetTag(tag, opt))
            more = self.fb.new_block("iter_some")
            self.fb.branch(self.fb.binop("eq", tag, i64(0), Ty.I1), more, exit_)
            self.fb.set_block(more)
            x = self.fb.var("x", et)
            if et is not Ty.UNIT:
                self.fb.emit(mir.GetField(x, opt, 0))
            elem = x
            self.fb.emit(mir.Assign(idx, i64(-1)))  # idx stays below end: loop until None
        else:
            assert isinstance(elem_t, TTuple)
            k = self.rt("mesh_map_key_at", [coll, idx], mty(elem_t.items[0]))
            v = self.rt("mesh_map_value_at", [coll, idx], mty(elem_t.items[1]))
            t = self.fb.tmp(Ty.PTR)
            self.fb.emit(mir.Alloc(t, self.tid(elem_t), int(Kind.TUPLE), [k, v]))
            elem = t
        fail = self.fb.new_block("for_nomatch")
        self.match_pat(e.pattern, elem, elem_t, fail)
        self.ctx.loops.append(Loop(step, exit_))
        if e.filter is not None:
            c = self.expr(e.filter)
            ok = self.fb.new_block("fkeep")
            self.fb.branch(c, ok, step)
            self.fb.set_block(ok)
        bv = self.expr(e.body)
        if not self.fb.terminated:
            self.fb.emit(mir.Assign(acc, self.rt("mesh_list_append", [acc, bv if not is_unit(body_t) else mir.unit()],
                                                 Ty.PTR)))
        self.ctx.loops.pop()
        self.fb.jump(step)
        self.fb.set_block(fail)
        self.fb.jump(step)
        self.fb.set_block(step)
        self.fb.emit(mir.BinOp(idx, "add", idx, i64(1)))
        self.fb.jump(head, backedge=True)
        self.fb.set_block(exit_)
        return acc

    # ───────────────────────────── operators ─────────────────────────────

    def x_UnaryOp(self, e: A.UnaryOp) -> mir.Operand:
        oi: OpInfo | None = e.info.get("op")
        if oi is not None and oi.kind == "trait" and oi.method is not None:
            v = self.expr(e.operand)
            return self.trait_call(oi.method, [v], [self.ty(e.operand.ty)], self.ty(e.ty))
        v = self.expr(e.operand)
        t = mty(self.ty(e.ty))
        if e.op != "not" and t not in (Ty.I64, Ty.F64):
            user = self.find_impl("Neg", "neg", self.ty(e.operand.ty))
            if user is None:
                raise LowerError(f"no Neg impl for {self.ty(e.operand.ty)}")
            return self.fb.call(user, [v], t)
        d = self.fb.tmp(t)
        self.fb.emit(mir.UnOp(d, "not" if e.op == "not" else "neg", v))
        return d

    def x_BinaryOp(self, e: A.BinaryOp) -> mir.Operand:
        oi: OpInfo | None = e.info.get("op")
        kind = oi.kind if oi is not None else None
        op = e.op
        if op in ("and", "or"):
            res = self.fb.var(op, Ty.I1)
            a = self.expr(e.left)
            self.fb.emit(mir.Assign(res, a))
            rhs, done = self.fb.new_block(op + "_rhs"), self.fb.new_block(op + "_done")
            if op == "and":
                self.fb.branch(res, rhs, done)
            else:
                self.fb.branch(res, done, rhs)
            self.fb.set_block(rhs)
            b = self.expr(e.right)
            if not self.fb.terminated:
                self.fb.emit(mir.Assign(res, b))
            self.fb.jump(done)
            self.fb.set_block(done)
            return res
        lt = self.ty(e.left.ty)
        if kind == "trait" and oi is not None and oi.method is not None:
            a = self.copy_to_var(self.expr(e.left), mty(lt))
            b = self.expr(e.right)
            return self.trait_call(oi.method, [a, b], [lt, self.ty(e.right.ty)], self.ty(e.ty))
        a = self.copy_to_var(self.expr(e.left), mty(lt))
        b = self.expr(e.right)
        if op == "..":
            return self.rt("mesh_range_new", [a, b], Ty.PTR)
        if op in ("<>", "++"):
            if isinstance(lt, TCon) and lt.name == "List":
                return self.rt("mesh_list_concat", [a, b], Ty.PTR)
            return self.rt("mesh_string_concat", [a, b], Ty.PTR)
        if op in _ARITH:
            if mty(lt) not in (Ty.I64, Ty.F64):
                # a type parameter instantiated with a user type: its numeric trait impl
                trait = {"+": "Add", "-": "Sub", "*": "Mul", "/": "Div", "%": "Rem"}[op]
                user = self.find_impl(trait, trait.lower(), lt)
                if user is None:
                    raise LowerError(f"no {trait} impl for {lt}")
                return self.fb.call(user, [a, b], mty(self.ty(e.ty)))
            return self.fb.binop(_ARITH[op], a, b, mty(self.ty(e.ty)))
        if op in _CMP:
            if op in ("==", "!="):
                r = self.eq(a, b, lt)
                if op == "!=":
                    d = self.fb.tmp(Ty.I1)
                    self.fb.emit(mir.UnOp(d, "not", r))
                    return d
                return r
            if mty(lt) in (Ty.I64, Ty.F64, Ty.I1):
                return self.fb.binop(_CMP[op], a, b, Ty.I1)
            c = self.compare(a, b, lt)
            return self.fb.binop(_CMP[op], c, i64(0), Ty.I1)
        raise LowerError(f"unsupported operator {op}")

    def eq(self, a: mir.Operand, b: mir.Operand, t: Type) -> mir.Operand:
        mt = mty(t)
        if mt is Ty.UNIT:
            return i1(True)
        if mt in (Ty.I64, Ty.F64, Ty.I1):
            return self.fb.binop("eq", a, b, Ty.I1)
        if isinstance(t, TCon) and t.name in ("String", "Atom"):
            return self.rt("mesh_string_eq", [a, b], Ty.I1)
        return self.rt("mesh_value_eq", [i64(self.tid(t)), a, b], Ty.I1)

    def compare(self, a: mir.Operand, b: mir.Operand, t: Type) -> mir.Operand:
        mt = mty(t)
        if mt in (Ty.I64, Ty.F64, Ty.I1):
            gt = self.fb.binop("gt", a, b, Ty.I1)
            lt = self.fb.binop("lt", a, b, Ty.I1)
            g = self.fb.tmp(Ty.I64)
            self.fb.emit(mir.UnOp(g, "btoi", gt))
            ll = self.fb.tmp(Ty.I64)
            self.fb.emit(mir.UnOp(ll, "btoi", lt))
            return self.fb.binop("sub", g, ll, Ty.I64)
        if isinstance(t, TCon) and t.name == "String":
            return self.rt("mesh_string_compare", [a, b], Ty.I64)
        return self.rt("mesh_value_compare", [i64(self.tid(t)), a, b], Ty.I64)

    def display(self, v: mir.Operand, t: Type, tm: TraitMethodRef | None = None) -> mir.Operand:
        if tm is not None and tm.symbol is not None:
            return self.fb.call(self.method_instance(tm.symbol, tm.type_args, t), [v], Ty.PTR)
        if isinstance(t, TCon):
            if t.name in ("String", "Atom"):
                return v
            if t.name == "Int":
                return self.rt("mesh_int_to_string", [v], Ty.PTR)
            if t.name == "Float":
                return self.rt("mesh_float_to_string", [v], Ty.PTR)
            if t.name == "Bool":
                return self.rt("mesh_bool_to_string", [v], Ty.PTR)
        return self.rt("mesh_value_display", [i64(self.tid(t)), v], Ty.PTR)

    # ───────────────────────────── calls ─────────────────────────────

    def x_Pipe(self, e: A.Pipe) -> mir.Operand:
        return self.x_Call(e)  # type: ignore[arg-type]

    def x_Call(self, e: A.Call) -> mir.Operand:
        ci: CallInfo | None = e.info.get("call")
        if ci is None:
            raise LowerError(f"unresolved call at {e.span}")
        rt = self.ty(e.ty)
        tgt = ci.target
        if isinstance(tgt, ActorRef):
            tgt = GlobalFnRef(tgt.symbol)  # an actor calling itself (its loop) is a plain call
        if isinstance(tgt, GlobalFnRef) and (ci.self_tail_call or id(e) in self.ctx.tail_calls) \
                and tgt.symbol == self.ctx.self_symbol \
                and self.ctx.top is not None and not self.mapping_changes(tgt):
            vals = [self.copy_to_var(self.expr(a), mty(self.ty(a.ty)), "arg") for a in ci.args]
            if self.fb.terminated:
                return mir.unit()
            tmps = []
            for v, p in zip(vals, self.ctx.params, strict=True):
                if p.ty is Ty.UNIT:
                    tmps.append(v)
                    continue
                t = self.fb.var("tc", p.ty)
                self.fb.emit(mir.Assign(t, v))
                tmps.append(t)
            for t, p in zip(tmps, self.ctx.params, strict=True):
                if p.ty is not Ty.UNIT:
                    self.fb.emit(mir.Assign(p, t))
            self.fb.jump(self.ctx.top, backedge=True)
            return mir.unit()
        if isinstance(tgt, ClosureCallRef | LocalRef) and not isinstance(tgt, GlobalFnRef):
            callee = ci.callee if ci.callee is not None else (e.callee if isinstance(e, A.Call) else None)
            clo = self.copy_to_var(self.expr(callee), Ty.PTR, "clo") if callee is not None else \
                self.ctx.vars[tgt.binding.id]  # type: ignore[union-attr]
            args = [self.expr(a) for a in ci.args]
            d = None if mty(rt) is Ty.UNIT else self.fb.tmp(mty(rt))
            self.fb.emit(mir.CallClosure(d, clo, args))
            return d if d is not None else mir.unit()
        if isinstance(tgt, BuiltinRef) and tgt.name == "spawn_supervisor":
            return self.spawn_supervisor(ci.args[0])
        args = [self.copy_to_var(self.expr(a), mty(self.ty(a.ty)), "arg") for a in ci.args]
        if self.fb.terminated:
            return mir.unit()
        self.lw.cur_span = e.span
        if isinstance(tgt, GlobalFnRef):
            targs = tuple(self.ty(t) for t in tgt.type_args)
            name = self.lw.instance(tgt.symbol, targs, self.depth + 1)
            return self.fb.call(name, args, mty(rt))
        if isinstance(tgt, VariantRef):
            d = self.fb.tmp(Ty.PTR)
            self.fb.emit(mir.Alloc(d, self.tid(rt), int(Kind.VARIANT), args, tgt.tag))
            return d
        if isinstance(tgt, BuiltinRef):
            if tgt.name in ("spawn", "spawn_link"):
                return self.spawn(args, ci.args, link=tgt.name == "spawn_link")
            if tgt.name.startswith("service:"):
                from toolchain.lower.services import service_builtin

                return service_builtin(self, tgt.name, args, [self.ty(a.ty) for a in ci.args], rt)
            if tgt.name == "send":
                self.need_rt("mesh_actor_send")
                return self.rt("mesh_actor_send", [args[0], i64(self.tid(self.ty(ci.args[1].ty))), args[1]], Ty.UNIT)
            return self.call_builtin(tgt, args, [self.ty(a.ty) for a in ci.args], rt)
        if isinstance(tgt, TraitMethodRef):
            return self.trait_call(tgt, args, [self.ty(a.ty) for a in ci.args], rt)
        raise LowerError(f"unsupported call target {tgt!r}")

    def mapping_changes(self, tgt: GlobalFnRef) -> bool:
        """A self call with different type arguments (polymorphic recursion) is not a loop."""
        sym = self.lw.cp.functions[tgt.symbol]
        return any(self.ty(t) != self.mapping.get(p, p) for p, t in zip(sym.type_params, tgt.type_args, strict=False))

    def trait_call(self, tm: TraitMethodRef, args: list[mir.Operand], arg_types: list[Type], rt: Type) -> mir.Operand:
        self_t = self.ty(tm.self_type)
        if tm.symbol is not None:
            return self.fb.call(self.method_instance(tm.symbol, tm.type_args, self_t, arg_types), args, mty(rt))
        # re-resolve against the concrete type: a user impl may exist for it
        user = self.find_impl(tm.trait, tm.method, self_t)
        if user is not None:
            return self.fb.call(user, args, mty(rt))
        key = (tm.trait, tm.method)
        if key == ("Display", "to_string"):
            return self.display(args[0], self_t)
        if key == ("Debug", "inspect"):
            return self.rt("mesh_value_debug", [i64(self.tid(self_t)), args[0]], Ty.PTR)
        if key == ("Eq", "eq"):
            return self.eq(args[0], args[1], self_t)
        if key == ("Ord", "compare"):
            c = self.compare(args[0], args[1], self_t)
            return self.rt("mesh_value_ordering", [c], Ty.PTR)
        if key == ("Hash", "hash"):
            return self.rt("mesh_value_hash", [i64(self.tid(self_t)), args[0]], Ty.I64)
        if tm.trait in ("Add", "Sub", "Mul", "Div", "Rem", "Neg"):
            if tm.trait == "Neg":
                d = self.fb.tmp(mty(rt))
                self.fb.emit(mir.UnOp(d, "neg", args[0]))
                return d
            return self.fb.binop(tm.trait.lower().replace("rem", "rem"), args[0], args[1], mty(rt))
        if key == ("Default", "default"):
            return self.default_value(rt)
        if tm.trait == "Schema":
            return self.schema_method(tm.method, self_t)
        if key == ("FromJson", "from_json"):
            self.need_rt("mesh_json_decode_value")
            return self.rt("mesh_json_decode_value", [args[0], i64(self.tid(rt))], Ty.PTR)
        if key == ("FromRow", "from_row"):
            from toolchain.lower.derive import from_row_fn

            return self.fb.call(from_row_fn(self.lw, self_t), args, Ty.PTR)
        if tm.trait == "From" or tm.trait == "Into":
            src = arg_types[0] if arg_types else UNIT
            return self.convert(args[0], src, rt)
        raise LowerError(f"builtin trait method {tm.trait}.{tm.method} for {self_t} is not supported")

    def schema_method(self, method: str, t: Type) -> mir.Operand:
        """`deriving(Schema)` metadata functions, computed at compile time."""
        if not isinstance(t, TCon) or t.name not in self.lw.cp.structs:
            raise LowerError(f"Schema.{method} on non-struct {t}")
        si = self.lw.cp.structs[t.name]
        opts: dict[str, str] = {}
        rels: list[tuple[str, str, str]] = []
        for kw, args in (si.node.schema if si.node is not None else []):
            vals = [_schema_arg(a) for a in args]
            if kw in ("belongs_to", "has_many", "has_one") and len(vals) >= 2:
                rels.append((kw, vals[0], vals[1]))
            elif vals:
                opts[kw] = vals[0]
        fields = list(si.fields)
        if opts.get("timestamps") == "true" and not any(f == "inserted_at" for f, _ in fields):
            fields += [("inserted_at", STRING), ("updated_at", STRING)]

        def strs(xs: list[str]) -> mir.Operand:
            lt = TCon("List", (STRING,))
            lst = self.rt("mesh_list_new", [i64(self.tid(lt))], Ty.PTR)
            for x in xs:
                lst = self.rt("mesh_list_append", [lst, mir.StrConst(x)], Ty.PTR)
            return lst

        if method == "__table__":
            return mir.StrConst(opts.get("table", si.name.lower() + "s"))
        if method == "__primary_key__":
            return mir.StrConst(opts.get("primary_key", "id"))
        if method == "__fields__":
            return strs([f for f, _ in fields])
        if method == "__field_types__":
            sql = {"Int": "BIGINT", "Float": "DOUBLE PRECISION", "Bool": "BOOLEAN"}
            return strs([f"{f}:{sql.get(ft.name, 'TEXT') if isinstance(ft, TCon) else 'TEXT'}" for f, ft in fields])
        if method == "__relationships__":
            return strs([f"{k}:{n}:{tg}" for k, n, tg in rels])
        if method == "__relationship_meta__":
            out = []
            for k, n, tg in rels:
                fk = f"{n}_id" if k == "belongs_to" else f"{si.name.lower()}_id"
                out.append(f"{k}:{n}:{tg}:{fk}:{tg.lower()}s")
            return strs(out)
        if method.startswith("__") and method.endswith("_col__"):
            return mir.StrConst(method[2:-6])
        raise LowerError(f"unknown Schema method {method}")

    def method_instance(self, symbol: str, type_args: tuple[Type, ...], self_t: Type,
                        arg_types: list[Type] | None = None) -> str:
        """Instance of an impl method: type arguments from the resolution, completed by matching
        the method's parameter types against the concrete argument types."""
        fs = self.lw.cp.functions[symbol]
        targs = tuple(self.ty(x) for x in type_args)
        if len(targs) < len(fs.type_params) or any(_has_tparam(x) for x in targs):
            m: dict[TParam, Type] = {}
            concrete = arg_types if arg_types else [self_t]
            for pt, at in zip(fs.type.params, concrete, strict=False):
                match_type(pt, at, m)
            if fs.type.params and not arg_types:
                match_type(fs.type.params[0], self_t, m)
            targs = tuple(m.get(p, UNIT) for p in fs.type_params)
        return self.lw.instance(symbol, targs[: len(fs.type_params)], self.depth + 1)

    def find_impl(self, trait: str, method: str, t: Type) -> str | None:
        for impl in self.lw.cp.impls:
            if impl.derived or impl.trait != trait:
                continue
            m = match_type(impl.for_type, t)
            if m is None:
                continue
            sym = impl.methods.get(method)
            if sym is None or sym not in self.lw.cp.functions:
                dflt = self.default_method_symbol(trait, method)
                if dflt is None:
                    continue
                return self.lw.instance(dflt, (t,), self.depth + 1)
            fs = self.lw.cp.functions[sym]
            targs = tuple(m.get(p, UNIT) for p in fs.type_params)
            return self.lw.instance(sym, targs, self.depth + 1)
        return None

    def default_method_symbol(self, trait: str, method: str) -> str | None:
        """An interface's default method body: a FnSymbol generic over `Self`."""
        for sym in self.lw.cp.functions.values():
            if sym.name == method and sym.mangled.endswith("__default") and sym.impl is not None \
                    and sym.impl.trait == trait and len(sym.type_params) == 1:
                return sym.mangled
        return None

    def default_value(self, t: Type) -> mir.Operand:
        if t == INT:
            return i64(0)
        if t == FLOAT:
            return mir.f64(0.0)
        if t == BOOL:
            return i1(False)
        if t == STRING:
            return mir.StrConst("")
        user = self.find_impl("Default", "default", t)
        if user is not None:
            return self.fb.call(user, [], mty(t))
        return mir.unit()

    def convert(self, v: mir.Operand, src: Type, dst: Type) -> mir.Operand:
        if dst == STRING:
            return self.display(v, src)
        if dst == FLOAT and src == INT:
            d = self.fb.tmp(Ty.F64)
            self.fb.emit(mir.UnOp(d, "itof", v))
            return d
        user = self.find_impl("From", "from", dst)
        if user is not None:
            return self.fb.call(user, [v], mty(dst))
        return v

    def call_builtin(self, ref: BuiltinRef, args: list[mir.Operand], ats: list[Type], rt: Type) -> mir.Operand:
        from toolchain.lower.builtins import lower_builtin

        return lower_builtin(self, ref.name, args, ats, rt)

    # ───────────────────────────── closures ─────────────────────────────

    def x_Closure(self, e: A.Closure) -> mir.Operand:
        t = self.ty(e.ty)
        assert isinstance(t, TFun)
        caps, generic = self.closure_captures(e.info.get("captures", []))
        cap_vals = []
        cap_types = []
        for b in caps:
            v = self.ctx.vars.get(b.id)
            if v is None:
                raise LowerError(f"captured variable {b.name} is not bound")
            cap_vals.append(v)
            cap_types.append(self.ty(b.ty))
        self.lw.lambda_n += 1
        name = f"{self.fb.fn.name}$lambda{self.lw.lambda_n}"
        params = [("self", Ty.PTR)] + [(f"a{i}", mty(p)) for i, p in enumerate(t.params)]
        fb = FunctionBuilder(name, params, mty(t.ret), abi="closure")
        ctx = FnCtx(fb, t.ret, params=list(fb.params[1:]))
        fl = FnLowerer(self.lw, ctx, self.mapping, self.depth)
        selfv = fb.params[0]
        for i, b in enumerate(caps):
            cv = fb.var(b.name, mty(self.ty(b.ty)))
            if cv.ty is not Ty.UNIT:
                fb.emit(mir.GetField(cv, selfv, 1 + i))
            ctx.vars[b.id] = cv
        for bid in generic:  # generalised lets used inside: lowered again there, at each use
            ctx.generic_lets[bid] = self.ctx.generic_lets[bid]
        top = fb.new_block("top")
        fb.jump(top)
        fb.set_block(top)
        clauses = e.clauses
        if len(clauses) == 1 and clauses[0].guard is None and all(
                isinstance(p.pattern, A.VarPat | A.WildcardPat) for p in clauses[0].params):
            for p, v in zip(clauses[0].params, fb.params[1:], strict=True):
                if isinstance(p.pattern, A.VarPat):
                    ctx.vars[p.pattern.info["binding"].id] = v
            fl.ret(fl.expr(clauses[0].body))
        else:
            fl.lower_clauses([([p.pattern for p in c.params], c.guard, c.body) for c in clauses],
                             list(fb.params[1:]), list(t.params), t.ret, is_fn=True)
        self.lw.add_function(fb.fn)
        return self.make_closure(name, cap_vals, cap_types)

    def make_closure(self, fn: str, caps: list[mir.Operand], cap_types: list[Type]) -> mir.Var:
        """A closure object for the closure-ABI function `fn` capturing `caps`."""
        clo = self.fb.tmp(Ty.PTR)
        self.fb.emit(mir.MakeClosure(clo, fn, caps, self.lw.types.closure_type(cap_types)))
        return clo

    def closure_captures(self, caps: list[Binding]) -> tuple[list[Binding], list[int]]:
        """The variables a closure object must carry, and the generalised lets it uses. A
        generalised let has no variable (its value is lowered again at each use), so the closure
        carries what that value itself refers to instead, transitively."""
        out: list[Binding] = []
        seen: set[int] = set()
        generic: list[int] = []
        todo = list(caps)
        while todo:
            b = todo.pop(0)
            if b.id in seen:
                continue
            seen.add(b.id)
            if b.id in self.ctx.generic_lets:
                generic.append(b.id)
                todo.extend(_local_refs(self.ctx.generic_lets[b.id]))
            elif b.id in self.ctx.vars:
                out.append(b)
            elif any(c.id == b.id for c in caps):
                out.append(b)  # reported as unbound by the caller
        return out, generic

    # ───────────────────────────── actors ─────────────────────────────

    def need_rt(self, name: str) -> None:
        from toolchain.codegen.rtdecls import load_runtime_decls

        if name not in load_runtime_decls().functions:
            raise LowerError(f"this program needs the runtime function {name}, which cruntime/include/mesh does not "
                             "declare yet (docs/internals/abi.md: Requested by codegen)")

    def x_SelfPid(self, e: A.SelfPid) -> mir.Operand:
        self.need_rt("mesh_actor_self")
        return self.rt("mesh_actor_self", [], Ty.I64)

    def supervisor_def(self, mangled: str) -> A.SupervisorDef:
        found: A.SupervisorDef | None = None

        def walk(items: list[A.Item], mod: str) -> None:
            nonlocal found
            for it in items:
                if isinstance(it, A.SupervisorDef) and f"{mod.replace('.', '_')}__{it.name}" == mangled:
                    found = it
                elif isinstance(it, A.ModuleDef):
                    walk(it.items, f"{mod}.{it.name}")

        for m in self.lw.cp.modules:
            walk(m.ast.items, m.name)
        if found is None:
            raise LowerError(f"supervisor {mangled} not found")
        return found

    def spawn_supervisor(self, ref_expr: A.Expr) -> mir.Operand:
        """`spawn(Sup)`: build the supervisor's specification with runtime calls, then start it."""
        for fn in ("mesh_supervisor_new", "mesh_supervisor_add_child", "mesh_supervisor_start"):
            self.need_rt(fn)
        res = ref_expr.info.get("res")
        if not isinstance(res, GlobalFnRef):
            raise LowerError("spawn of a supervisor without its definition")
        sd = self.supervisor_def(res.symbol)
        words = {"one_for_one": 0, "one_for_all": 1, "rest_for_one": 2, "simple_one_for_one": 3,
                 "permanent": 0, "transient": 1, "temporary": 2, "worker": 0, "supervisor": 1,
                 "brutal_kill": 0, "infinity": -1}

        def opt(options: list[tuple[str, A.Expr]], key: str, default: int) -> mir.Operand:
            for k, v in options:
                if k == key:
                    if isinstance(v, A.Name):
                        return i64(words.get(v.name, default))
                    return self.expr(v)
            return i64(default)

        sup = self.copy_to_var(self.rt("mesh_supervisor_new", [
            opt(sd.options, "strategy", 0), opt(sd.options, "max_restarts", 3),
            opt(sd.options, "max_seconds", 5)], Ty.PTR), Ty.PTR, "sup")
        for ch in sd.children:
            start = next((v for k, v in ch.options if k == "start"), None)
            if start is None:
                raise LowerError(f"supervisor child {ch.id} has no start function")
            clo = self.copy_to_var(self.expr(start), Ty.PTR, "start")
            self.rt("mesh_supervisor_add_child", [
                sup, mir.StrConst(ch.id), clo, opt(ch.options, "restart", 0),
                opt(ch.options, "shutdown", 5000), opt(ch.options, "type", 0)], Ty.UNIT)
        return self.rt("mesh_supervisor_start", [sup], Ty.I64)

    def set_terminate(self, block: A.Block) -> None:
        """`terminate do ... end`: a closure (capturing the actor's variables it uses) that the
        runtime runs when the process ends."""
        self.need_rt("mesh_actor_set_terminate")
        caps = [b for b in _local_refs(block) if b.id in self.ctx.vars]
        self.lw.lambda_n += 1
        name = f"{self.fb.fn.name}$terminate{self.lw.lambda_n}"
        fb = FunctionBuilder(name, [("self", Ty.PTR)], Ty.UNIT, abi="closure")
        ctx = FnCtx(fb, UNIT)
        fl = FnLowerer(self.lw, ctx, self.mapping, self.depth)
        for i, b in enumerate(caps):
            cv = fb.var(b.name, mty(self.ty(b.ty)))
            if cv.ty is not Ty.UNIT:
                fb.emit(mir.GetField(cv, fb.params[0], 1 + i))
            ctx.vars[b.id] = cv
        fl.expr(block)
        fl.ret(mir.unit())
        self.lw.add_function(fb.fn)
        clo = self.make_closure(name, [self.ctx.vars[b.id] for b in caps], [self.ty(b.ty) for b in caps])
        self.rt("mesh_actor_set_terminate", [clo], Ty.UNIT)

    def spawn(self, args: list[mir.Operand], arg_exprs: list[A.Expr], link: bool = False) -> mir.Operand:
        """spawn(actor_or_fn, args...): a no-argument closure capturing the arguments runs the
        body in the new process."""
        fn_name = "mesh_actor_spawn_link" if link else "mesh_actor_spawn"
        self.need_rt(fn_name)
        f = arg_exprs[0]
        rest = args[1:]
        rest_types = [self.ty(a.ty) for a in arg_exprs[1:]]
        res = f.info.get("res") if isinstance(f, A.Name | A.FieldAccess) else None
        if isinstance(res, ActorRef):
            target = self.lw.instance(res.symbol, (), self.depth + 1)
            caps, cap_types = list(rest), rest_types
        else:
            target, caps, cap_types = None, [args[0], *rest], [self.ty(f.ty), *rest_types]
        clo = self.make_closure(self.start_fn(target, cap_types, "spawn"), caps, cap_types)
        return self.rt(fn_name, [clo], Ty.I64)

    def start_fn(self, target: str | None, cap_types: list[Type], kind: str) -> str:
        """The function of a no-argument closure that starts a process: it calls the actor function
        `target` with the captured values (as the process's base frame, so the actor may
        hibernate), or, with no target, calls the first captured value (a function value) with
        the others."""
        self.lw.lambda_n += 1
        name = f"{self.fb.fn.name}${kind}{self.lw.lambda_n}"
        fb = FunctionBuilder(name, [("self", Ty.PTR)], Ty.UNIT, abi="closure")
        vals = []
        for i, ct in enumerate(cap_types):
            v = fb.var("a", mty(ct))
            if v.ty is not Ty.UNIT:
                fb.emit(mir.GetField(v, fb.params[0], 1 + i))
            vals.append(v)
        if target is not None:
            fb.fn.actor_base = True
            fb.call(target, list(vals), self.lw.prog_fn_ret(target))
        else:
            fb.emit(mir.CallClosure(None, vals[0], vals[1:]))
        fb.ret()
        self.lw.add_function(fb.fn)
        return name

    def hibernate_point(self) -> None:
        """Before the receive an actor function starts with: when the function is its process's
        base frame and nothing is waiting in the mailbox, give the stack back and restart later
        from a closure calling this function with these arguments (mesh_actor_hibernate returns
        only if a message arrived meanwhile)."""
        at = self.fb.tmp(Ty.I1)
        self.fb.emit(mir.AtActorBase(at))
        check, hib, go = self.fb.new_block("hib_check"), self.fb.new_block("hibernate"), self.fb.new_block("recv")
        self.fb.branch(at, check, go)
        self.fb.set_block(check)
        self.need_rt("mesh_actor_may_hibernate")
        self.fb.branch(self.rt("mesh_actor_may_hibernate", [], Ty.I1), hib, go)
        self.fb.set_block(hib)
        if self.ctx.restart_fn is None:
            self.ctx.restart_fn = self.start_fn(self.fb.fn.name, self.ctx.param_types, "restart")
        clo = self.make_closure(self.ctx.restart_fn, list(self.ctx.params), self.ctx.param_types)
        self.need_rt("mesh_actor_hibernate")
        self.rt("mesh_actor_hibernate", [clo], Ty.UNIT)
        self.fb.jump(go)
        self.fb.set_block(go)

    def accept_closure(self, arms: list[A.MatchArm], msg_t: Type) -> mir.Operand:
        """The closure `(msg) -> Bool` a receive hands the runtime: does some arm (pattern +
        guard) take this message?"""
        outer: list[Binding] = []
        for arm in arms:
            if arm.guard is not None:
                for b in _local_refs(arm.guard):
                    if b.id in self.ctx.vars and b not in outer:
                        outer.append(b)
        self.lw.lambda_n += 1
        name = f"{self.fb.fn.name}$accept{self.lw.lambda_n}"
        fb = FunctionBuilder(name, [("self", Ty.PTR), ("msg", mty(msg_t))], Ty.I1, abi="closure")
        actx = FnCtx(fb, BOOL)
        fl = FnLowerer(self.lw, actx, self.mapping, self.depth)
        for i, b in enumerate(outer):
            cv = fb.var(b.name, mty(self.ty(b.ty)))
            if cv.ty is not Ty.UNIT:
                fb.emit(mir.GetField(cv, fb.params[0], 1 + i))
            actx.vars[b.id] = cv
        for arm in arms:
            nxt = fb.new_block("next")
            fl.match_pat(arm.pattern, fb.params[1], msg_t, nxt)
            if arm.guard is not None:
                g = fl.expr(arm.guard)
                ok = fb.new_block("ok")
                fb.branch(g, ok, nxt)
                fb.set_block(ok)
            fb.ret(i1(True))
            fb.set_block(nxt)
        fb.ret(i1(False))
        self.lw.add_function(fb.fn)
        return self.make_closure(name, [self.ctx.vars[b.id] for b in outer], [self.ty(b.ty) for b in outer])

    def x_Receive(self, e: A.Receive) -> mir.Operand:
        """Selective receive. Arms whose pattern is `Down(..)` / `Exit(..)` (checker: info
        "signal") take system notifications, the others user messages: with such arms the
        runtime offers both kinds and says which one it took."""
        user_arms = [a for a in e.arms if not a.info.get("signal")]
        sig_arms = [a for a in e.arms if a.info.get("signal")]
        # only notifications wanted: the message type may be unconstrained (user messages
        # are then never accepted, so their type does not matter)
        msg_t = self.ty(e.info["msg_type"]) if user_arms or not sig_arms else UNIT
        result_t = self.ty(e.ty)
        sig_t = self.ty(e.info["signal_type"]) if sig_arms else UNIT
        if id(e) in self.ctx.hibernate_at:
            self.hibernate_point()
        acc = self.accept_closure(user_arms, msg_t)
        acc_sig = self.accept_closure(sig_arms, sig_t) if sig_arms else None
        timeout: mir.Operand = i64(-1)
        if e.after_timeout is not None:
            timeout = self.expr(e.after_timeout)
        rt = mty(result_t)
        res = self.fb.var("recv", rt) if rt is not Ty.UNIT else None
        got, timed_out, done = self.fb.new_block("received"), self.fb.new_block("timeout"), self.fb.new_block("recv_end")
        got_sig = self.fb.new_block("received_signal")
        if acc_sig is None:
            self.need_rt("mesh_actor_receive")
            took = self.rt("mesh_actor_receive", [acc, timeout], Ty.I1)
            self.fb.branch(took, got, timed_out)
        else:
            self.need_rt("mesh_actor_receive_signals")
            kind = self.rt("mesh_actor_receive_signals", [acc, acc_sig, timeout, i64(self.tid(sig_t))], Ty.I64)
            self.fb.term(mir.Switch(kind, [(1, got.label), (2, got_sig.label)], timed_out.label))
        self.fb.set_block(timed_out)
        if e.after_body is not None:
            v = self.expr(e.after_body)
            if res is not None and not self.fb.terminated:
                self.fb.emit(mir.Assign(res, v))
        self.fb.jump(done)
        for blk, arms, t in ((got, user_arms, msg_t), (got_sig, sig_arms, sig_t)):
            self.fb.set_block(blk)
            if not arms:
                self.fb.term(mir.Panic("receive took a message no arm accepts"))
                continue
            m = self.copy_to_var(self.rt("mesh_actor_received", [], mty(t)), mty(t), "msg")
            v = self.lower_clauses([([a.pattern], a.guard, a.body) for a in arms], [m], [t], result_t,
                                   is_fn=False)
            if res is not None and not self.fb.terminated:
                self.fb.emit(mir.Assign(res, v))
            self.fb.jump(done)
        self.fb.set_block(done)
        return res if res is not None else mir.unit()

    # ───────────────────────────── try ─────────────────────────────

    def x_Try(self, e: A.Try) -> mir.Operand:
        ti: TryInfo = e.info["try"]
        v = self.copy_to_var(self.expr(e.expr), Ty.PTR, "try")
        tag = self.fb.tmp(Ty.I64)
        self.fb.emit(mir.GetTag(tag, v))
        ok, bad = self.fb.new_block("try_ok"), self.fb.new_block("try_err")
        self.fb.branch(self.fb.binop("eq", tag, i64(0), Ty.I1), ok, bad)
        self.fb.set_block(bad)
        fr = self.ty(ti.fn_return)
        if ti.kind == "option":
            self.ret(mir.StaticObj(self.tid(fr), int(Kind.VARIANT), 1))
        else:
            et = self.ty(ti.err_type) if ti.err_type is not None else UNIT
            ev = self.fb.tmp(mty(et))
            self.fb.emit(mir.GetField(ev, v, 0))
            target_e = fr.args[1] if isinstance(fr, TCon) and len(fr.args) == 2 else et
            conv: mir.Operand = ev
            if ti.convert is not None:
                conv = self.trait_call(ti.convert, [ev], [et], target_e)
            d = self.fb.tmp(Ty.PTR)
            self.fb.emit(mir.Alloc(d, self.tid(fr), int(Kind.VARIANT), [conv], 1))
            self.ret(d)
        self.fb.set_block(ok)
        r = self.fb.tmp(mty(self.ty(ti.ok_type)))
        if r.ty is Ty.UNIT:
            return mir.unit()
        self.fb.emit(mir.GetField(r, v, 0))
        return r

    # ───────────────────────────── pattern matching ─────────────────────────────

    def x_Case(self, e: A.Case) -> mir.Operand:
        st = self.ty(e.scrutinee.ty)
        sv = self.copy_to_var(self.expr(e.scrutinee), mty(st), "scrut")
        return self.lower_clauses([([a.pattern], a.guard, a.body) for a in e.arms], [sv], [st], self.ty(e.ty),
                                  is_fn=False)

    def lower_clauses(self, clauses: list[tuple[list[A.Pattern], A.Expr | None, A.Expr]], vals: list[mir.Operand],
                      types: list[Type], result_t: Type, *, is_fn: bool) -> mir.Operand:
        """Compile clauses (rows of patterns against `vals`, optional guard, body) into a decision
        tree (see `dispatch`): switches on sum-type tags and Int literals in any column, nested
        constructor arguments included; what no switch decides is tested row by row. Each body is
        lowered once, in its own block."""
        rt = mty(result_t)
        res = self.fb.var("case", rt) if rt is not Ty.UNIT and not is_fn else None
        done = self.fb.new_block("case_end")
        arms = [self.fb.new_block("arm") for _ in clauses]
        fail = self.fb.new_block("no_match")
        rows = [(i, list(pats)) for i, (pats, _, _) in enumerate(clauses)]
        guards = [g for _, g, _ in clauses]
        # rows compatible with several cases are tested in each: bound the number of switch
        # cases per match so that pathological matches cannot blow up (the rest is row by row)
        outer_budget = self._dt_budget
        self._dt_budget = 64 + 8 * len(clauses)
        try:
            self.dispatch(rows, list(vals), list(types), guards, arms, fail, 0)
        finally:
            self._dt_budget = outer_budget
        self.fb.set_block(fail)
        self.panic("non-exhaustive match")
        for (_, _, body), blk in zip(clauses, arms, strict=True):
            self.fb.set_block(blk)
            v = self.expr(body)
            if is_fn:
                self.ret(v)
            else:
                if res is not None and not self.fb.terminated:
                    self.fb.emit(mir.Assign(res, v))
                self.fb.jump(done)
        self.fb.set_block(done)
        return res if res is not None else mir.unit()

    _MAX_SWITCH_DEPTH = 4
    _dt_budget = 0

    def dispatch(self, rows: list[tuple[int, list[A.Pattern]]], vals: list[mir.Operand], types: list[Type],
                 guards: list[A.Expr | None], arms: list[mir.Block], fail: mir.Block, depth: int) -> None:
        """Decision tree over `rows` (clause index, one pattern per column; first match wins).
        Picks the first column where a row tests a constructor (of a sum type with several
        variants) or an Int literal and every row's pattern is such a test or irrefutable, and
        switches on it; each case keeps the rows compatible with it, in order, with the
        constructor's argument patterns as new columns, and recurses. Rows left when no column
        qualifies are tested one after another (guards run there, so a failed guard falls
        through to the next compatible row)."""
        if self.fb.terminated:
            return
        # tuple patterns become one column per item (so their items can be switched on)
        for col, t in enumerate(types):
            if isinstance(t, TTuple) and rows and any(isinstance(r[1][col], A.TuplePat) for r in rows) and all(
                    isinstance(r[1][col], A.TuplePat | A.WildcardPat | A.VarPat) for r in rows):
                n = len(t.items)
                used = [any(isinstance(r[1][col], A.TuplePat) and not isinstance(r[1][col].items[j], A.WildcardPat)
                            for r in rows) for j in range(n)]
                ivals: list[mir.Operand] = []
                for j, it in enumerate(t.items):
                    iv = self.fb.var("item", mty(it))
                    if used[j] and iv.ty is not Ty.UNIT:
                        self.fb.emit(mir.GetField(iv, vals[col], j))
                    ivals.append(iv)
                new_rows = []
                for i, pats in rows:
                    p = pats[col]
                    if isinstance(p, A.TuplePat):
                        new_rows.append((i, pats[:col] + [A.WildcardPat()] + pats[col + 1:] + list(p.items)))
                    else:
                        new_rows.append((i, pats + [A.WildcardPat() for _ in range(n)]))
                self.dispatch(new_rows, vals + ivals, types + list(t.items), guards, arms, fail, depth)
                return
        col = self.switch_column(rows, types) if depth < self._MAX_SWITCH_DEPTH and rows \
            and self._dt_budget > 0 else None
        if col is None:
            self.test_rows(rows, vals, types, guards, arms, fail)
            return
        t, v = types[col], vals[col]
        irrefutable = A.WildcardPat | A.VarPat
        default = self.fb.new_block("sw_default")
        default_rows = [(i, pats) for i, pats in rows if isinstance(pats[col], irrefutable)]
        case_rows: list[tuple[int, mir.Block, list[tuple[int, list[A.Pattern]]], list[mir.Operand], list[Type]]] = []
        if isinstance(t, TCon) and t.name in self.lw.cp.sums:
            su = self.lw.cp.sums[t.name]
            mp = dict(zip(su.params, t.args, strict=False))
            scrut = self.fb.tmp(Ty.I64)
            self.fb.emit(mir.GetTag(scrut, v))
            for k, vi in enumerate(su.variants):
                nf = max([len(pats[col].args or []) for _, pats in rows  # type: ignore[union-attr]
                          if isinstance(pats[col], A.ConstructorPat) and pats[col].info["variant"].tag == k]
                         or [0])
                sub = [(i, pats) for i, pats in rows if isinstance(pats[col], irrefutable)
                       or pats[col].info["variant"].tag == k]  # type: ignore[union-attr]
                if not sub:
                    continue
                ftypes = [subst(vi.fields[j][1], mp) for j in range(nf)]
                new_rows = []
                for i, pats in sub:
                    p = pats[col]
                    if isinstance(p, A.ConstructorPat):
                        args = list(p.args or [])
                        extra = args + [A.WildcardPat() for _ in range(nf - len(args))]
                        new_rows.append((i, pats[:col] + [A.WildcardPat()] + pats[col + 1:] + extra))
                    else:
                        new_rows.append((i, pats + [A.WildcardPat() for _ in range(nf)]))
                case_rows.append((k, self.fb.new_block("sw_case"), new_rows, ftypes, []))
        else:
            scrut = v
            values = sorted({_int_lit(pats[col]) for _, pats in rows} - {None})  # type: ignore[type-var]
            for lit in values:
                new_rows = [(i, pats[:col] + [A.WildcardPat()] + pats[col + 1:]) for i, pats in rows
                            if isinstance(pats[col], irrefutable) or _int_lit(pats[col]) == lit]
                case_rows.append((lit, self.fb.new_block("sw_case"), new_rows, [], []))  # type: ignore[arg-type]
        self._dt_budget -= len(case_rows)
        self.fb.term(mir.Switch(scrut, [(k, b.label) for k, b, _, _, _ in case_rows], default.label))
        for _, b, new_rows, ftypes, _ in case_rows:
            self.fb.set_block(b)
            fvals: list[mir.Operand] = []
            for j, ft in enumerate(ftypes):
                used = any(not isinstance(pats[len(vals) + j], A.WildcardPat) for _, pats in new_rows)
                fv = self.fb.var("f", mty(ft))
                if used and fv.ty is not Ty.UNIT:
                    self.fb.emit(mir.GetField(fv, v, j))
                fvals.append(fv)
            self.dispatch(new_rows, vals + fvals, types + ftypes, guards, arms, fail, depth + 1)
        self.fb.set_block(default)
        self.dispatch(default_rows, vals, types, guards, arms, fail, depth + 1)

    def switch_column(self, rows: list[tuple[int, list[A.Pattern]]], types: list[Type]) -> int | None:
        """The column `dispatch` switches on, or None (see there)."""
        irrefutable = A.WildcardPat | A.VarPat
        for col, t in enumerate(types):
            pats = [r[1][col] for r in rows]
            if all(isinstance(p, irrefutable) for p in pats):
                continue
            if isinstance(t, TCon) and t.name in self.lw.cp.sums and len(self.lw.cp.sums[t.name].variants) > 1:
                if all(isinstance(p, irrefutable | A.ConstructorPat) for p in pats):
                    return col
            elif t == INT:
                lits = [_int_lit(p) for p in pats]
                if all(isinstance(p, irrefutable) or x is not None for p, x in zip(pats, lits, strict=True)) \
                        and len({x for x in lits if x is not None}) >= 2:
                    return col
        return None

    def test_rows(self, rows: list[tuple[int, list[A.Pattern]]], vals: list[mir.Operand], types: list[Type],
                  guards: list[A.Expr | None], arms: list[mir.Block], fail: mir.Block) -> None:
        """Try `rows` in order; the first whose patterns and guard pass jumps to its arm block."""
        for i, pats in rows:
            if self.fb.terminated:
                return
            nxt = self.fb.new_block("next_arm")
            for p, v, t in zip(pats, vals, types, strict=True):
                self.match_pat(p, v, t, nxt)
            guard = guards[i]
            if guard is not None and not self.fb.terminated:
                g = self.expr(guard)
                ok = self.fb.new_block("guard_ok")
                self.fb.branch(g, ok, nxt)
                self.fb.set_block(ok)
            self.fb.jump(arms[i])
            self.fb.set_block(nxt)
        self.fb.jump(fail)

    def match_known_head(self, p: A.Pattern, v: mir.Operand, t: Type, fail: mir.Block) -> None:
        """Match `p` when the switch already established its constructor tag / literal value."""
        if isinstance(p, A.ConstructorPat):
            vr: VariantRef = p.info["variant"]
            assert isinstance(t, TCon)
            self.match_ctor_fields(p, vr, v, t, fail)
        elif isinstance(p, A.LiteralPat):
            return
        else:
            self.match_pat(p, v, t, fail)

    def match_ctor_fields(self, p: A.ConstructorPat, vr: VariantRef, v: mir.Operand, t: TCon,
                          fail: mir.Block) -> None:
        su = self.lw.cp.sums[vr.sum]
        vi = su.variants[vr.tag]
        mp = dict(zip(su.params, t.args, strict=False))
        for i, sp in enumerate(p.args or []):
            ft = subst(vi.fields[i][1], mp)
            if isinstance(sp, A.WildcardPat):
                continue
            fv = self.fb.var("f", mty(ft))
            if fv.ty is not Ty.UNIT:
                self.fb.emit(mir.GetField(fv, v, i))
            self.match_pat(sp, fv, ft, fail)

    def bind(self, p: A.Pattern, v: mir.Operand) -> None:
        b: Binding = p.info["binding"]
        var = self.var_for(b)
        if var.ty is not Ty.UNIT:
            self.fb.emit(mir.Assign(var, v))

    def match_pat(self, p: A.Pattern, v: mir.Operand, t: Type, fail: mir.Block) -> None:
        if self.fb.terminated:
            return
        if isinstance(p, A.WildcardPat):
            return
        if isinstance(p, A.VarPat):
            self.bind(p, v)
            return
        if isinstance(p, A.AsPat):
            self.bind(p, v)
            self.match_pat(p.pattern, v, t, fail)
            return
        if isinstance(p, A.LiteralPat):
            lit = p.value
            if isinstance(lit, A.NilLit):
                return
            if isinstance(lit, A.StringLit):
                c = self.rt("mesh_string_eq", [v, mir.StrConst("".join(x for x in lit.parts if isinstance(x, str)))],
                            Ty.I1)
            elif isinstance(lit, A.BoolLit):
                c = self.fb.binop("eq", v, i1(lit.value), Ty.I1)
            elif isinstance(lit, A.FloatLit) or (isinstance(lit, A.IntLit) and mty(t) is Ty.F64):
                c = self.fb.binop("eq", v, mir.f64(float(lit.value)), Ty.I1)
            elif isinstance(lit, A.IntLit):
                c = self.fb.binop("eq", v, i64(lit.value), Ty.I1)
            else:
                raise LowerError(f"unsupported literal pattern {lit!r}")
            self.test(c, fail)
            return
        if isinstance(p, A.TuplePat):
            assert isinstance(t, TTuple), t
            if len(p.items) == 1:
                self.match_pat(p.items[0], v, t, fail)
                return
            for i, (sp, st) in enumerate(zip(p.items, t.items, strict=True)):
                fv = self.fb.var("f", mty(st))
                if fv.ty is not Ty.UNIT:
                    self.fb.emit(mir.GetField(fv, v, i))
                self.match_pat(sp, fv, st, fail)
            return
        if isinstance(p, A.ConstructorPat):
            vr: VariantRef = p.info["variant"]
            assert isinstance(t, TCon)
            su = self.lw.cp.sums[vr.sum]
            if len(su.variants) > 1:
                tag = self.fb.tmp(Ty.I64)
                self.fb.emit(mir.GetTag(tag, v))
                self.test(self.fb.binop("eq", tag, i64(vr.tag), Ty.I1), fail)
            self.match_ctor_fields(p, vr, v, t, fail)
            return
        if isinstance(p, A.ConsPat):
            assert isinstance(t, TCon) and t.name == "List"
            et = t.args[0]
            empty = self.rt("mesh_list_is_empty", [v], Ty.I1)
            ne = self.fb.tmp(Ty.I1)
            self.fb.emit(mir.UnOp(ne, "not", empty))
            self.test(ne, fail)
            h = self.rt("mesh_list_head", [v], mty(et))
            h = self.copy_to_var(h, mty(et), "hd")
            tl = self.copy_to_var(self.rt("mesh_list_tail", [v], Ty.PTR), Ty.PTR, "tl")
            self.match_pat(p.head, h, et, fail)
            self.match_pat(p.tail, tl, t, fail)
            return
        if isinstance(p, A.ListPat):
            assert isinstance(t, TCon) and t.name == "List"
            et = t.args[0]
            n = self.rt("mesh_list_length", [v], Ty.I64)
            self.test(self.fb.binop("eq", n, i64(len(p.items)), Ty.I1), fail)
            for i, sp in enumerate(p.items):
                x = self.copy_to_var(self.rt("mesh_list_get", [v, i64(i)], mty(et)), mty(et), "x")
                self.match_pat(sp, x, et, fail)
            return
        if isinstance(p, A.OrPat):
            ok = self.fb.new_block("or_ok")
            for alt in p.alternatives:
                nxt = self.fb.new_block("or_next")
                self.match_or_alt(alt, v, t, nxt, p)
                self.fb.jump(ok)
                self.fb.set_block(nxt)
            self.fb.jump(fail)
            self.fb.set_block(ok)
            return
        raise LowerError(f"unsupported pattern {type(p).__name__}")

    def match_or_alt(self, alt: A.Pattern, v: mir.Operand, t: Type, fail: mir.Block, orp: A.Pattern) -> None:
        # alternatives bind the same names; make their Bindings share one Var (by name), using
        # the bindings recorded on the first alternative if the checker made separate ones
        names: dict[str, mir.Var] = {}
        for b in _pattern_bindings(orp.alternatives[0]):
            names[b.name] = self.var_for(b)
        for b in _pattern_bindings(alt):
            if b.name in names and b.id not in self.ctx.vars:
                self.ctx.vars[b.id] = names[b.name]
        self.match_pat(alt, v, t, fail)

    def test(self, c: mir.Operand, fail: mir.Block) -> None:
        ok = self.fb.new_block("ok")
        self.fb.branch(c, ok, fail)
        self.fb.set_block(ok)


def _local_refs(e: object, out: list[Binding] | None = None) -> list[Binding]:
    """Bindings referenced (LocalRef) anywhere inside an expression tree."""
    out = [] if out is None else out
    if isinstance(e, A.Node):
        r = e.info.get("res")
        if isinstance(r, LocalRef) and r.binding not in out:
            out.append(r.binding)
        for f in getattr(e, "__dataclass_fields__", {}):
            if f in ("span", "info", "ty"):
                continue
            _local_refs(getattr(e, f), out)
    elif isinstance(e, list | tuple):
        for x in e:
            _local_refs(x, out)
    return out


def _schema_arg(e: A.Expr) -> str:
    if isinstance(e, A.StringLit):
        return "".join(p for p in e.parts if isinstance(p, str))
    if isinstance(e, A.AtomLit):
        return e.name
    if isinstance(e, A.Name):
        return e.name
    if isinstance(e, A.FieldAccess):
        return e.field
    if isinstance(e, A.BoolLit):
        return "true" if e.value else "false"
    return ""


def _collect_tail_calls(e: A.Expr, out: set[int]) -> None:
    if isinstance(e, A.Block):
        if e.stmts and isinstance(e.stmts[-1], A.Expr):
            _collect_tail_calls(e.stmts[-1], out)
    elif isinstance(e, A.If):
        _collect_tail_calls(e.then, out)
        if e.else_ is not None:
            _collect_tail_calls(e.else_, out)
    elif isinstance(e, A.Case | A.Receive):
        for arm in e.arms:
            _collect_tail_calls(arm.body, out)
        if isinstance(e, A.Receive) and e.after_body is not None:
            _collect_tail_calls(e.after_body, out)
    elif isinstance(e, A.Return) and e.value is not None:
        _collect_tail_calls(e.value, out)
    elif isinstance(e, A.Call | A.Pipe):
        out.add(id(e))


def _pattern_bindings(p: A.Pattern) -> list[Binding]:
    out: list[Binding] = []
    if isinstance(p, A.VarPat | A.AsPat) and "binding" in p.info:
        out.append(p.info["binding"])
    for ch in (getattr(p, "items", None) or []) + (getattr(p, "args", None) or []) + \
            (getattr(p, "alternatives", None) or [])[:1]:
        out += _pattern_bindings(ch)
    for attr in ("head", "tail", "pattern"):
        ch = getattr(p, attr, None)
        if isinstance(ch, A.Pattern):
            out += _pattern_bindings(ch)
    return out


def _has_tparam(t: Type) -> bool:
    if isinstance(t, TParam):
        return True
    if isinstance(t, TCon):
        return any(_has_tparam(a) for a in t.args)
    if isinstance(t, TTuple):
        return any(_has_tparam(a) for a in t.items)
    if isinstance(t, TFun):
        return any(_has_tparam(a) for a in t.params) or _has_tparam(t.ret)
    return False


def is_float(t: Type) -> bool:
    return t == FLOAT
