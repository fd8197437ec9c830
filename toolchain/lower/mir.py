"""Mesh MIR: the monomorphic, explicitly-typed middle representation.

Shape
-----
A `Program` is a list of `Function`s plus a type-descriptor table. A function is a control-flow
graph of `Block`s; each block is a list of instructions followed by one terminator. Values live
in *virtual variables* (`Var`): typed, function-local and **mutable** (a variable may be assigned
in several blocks). This keeps lowering simple — decision trees, loops, break/continue, early
return and self-tail-calls-to-loops are all "assign variables, jump to a block" — and the code
generator gives every variable a stack slot that LLVM's mem2reg promotes at -O2 (single-assignment
temporaries used only later in their own block stay in SSA registers even at -O0).

Control flow: `Jump` (with `backedge=True` on loop back-edges: the code generator adds the
reduction check there; function entry always gets one), `Branch` on an I1, `Switch` on an I64
(decision trees switch on a sum type's tag or an Int literal), `Return`, `Panic` (message
constant; never returns) and `Unreachable`. Self tail calls are `Assign`s to the parameter
variables followed by a back-edge `Jump` to the function's `top` block.

Value types (`Ty`): I64 (Int, Pid), F64 (Float), I1 (Bool), PTR (every heap object), UNIT
(no value; a function returning UNIT returns nothing). Boxing to/from the runtime's 8-byte
slots is implicit at slot boundaries (object fields, closure calls, runtime `MeshSlot`
parameters) and done by the code generator from the operand's type.

Calling conventions (`Function.abi`):
- "native": `fn(ctx, params...) -> ret` with native types. Used for direct calls.
- "closure": `fn(ctx, self, slot...) -> slot`. `params[0]` is `self` (the closure object, PTR);
  the remaining params are unboxed from slots on entry, the result is boxed on return. Lambdas
  are lowered straight to this ABI; their captured values are `GetField(self, 1 + i)` (slot 0 of
  a closure object holds the code pointer).
A named native function used as a value is an `FnRef` operand: the code generator emits a
static closure object and an adapter thunk with the closure ABI.

Objects: `Alloc` allocates a heap object (header `{type_id, kind, gc, aux}` + one slot per
field), `GetField` reads slot `i` (unboxing to the destination's type), `GetTag` reads `aux`.
Static objects are operands: `StrConst` (string literal), `StaticObj` (a nullary variant or any
field-less object), `FnRef` (closure of a named function). `MakeClosure` allocates a closure
object for a closure-ABI function with its captured values. `CallRuntime` calls a C runtime
function by its header name (`ctx` added when the C prototype starts with `MeshCtx *`).

`format_program` prints the readable text dump used by snapshot tests; `verify` checks the
structure (terminators, jump targets, call arities).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


class Ty(enum.Enum):
    I64 = "i64"
    F64 = "f64"
    I1 = "i1"
    PTR = "ptr"
    UNIT = "unit"

    def __str__(self) -> str:
        return self.value


# Object kinds (must match enum MeshKind in cruntime/include/mesh/rt.h; the code generator checks).
class Kind(enum.IntEnum):
    NONE = 0
    STRING = 1
    TUPLE = 2
    STRUCT = 3
    VARIANT = 4
    CLOSURE = 5
    LIST = 6
    MAP = 7
    SET = 8
    RANGE = 9
    QUEUE = 10
    JSON = 11
    ITER = 12
    INTERNAL = 13
    OPAQUE = 14


# ───────────────────────────────── operands ─────────────────────────────────


@dataclass(eq=False)
class Var:
    id: int
    name: str
    ty: Ty

    def __str__(self) -> str:
        return f"%{self.name}.{self.id}"


@dataclass(frozen=True)
class Const:
    ty: Ty
    value: int | float | bool | None = None

    def __str__(self) -> str:
        if self.ty is Ty.UNIT:
            return "()"
        if self.ty is Ty.I1:
            return "true" if self.value else "false"
        if self.ty is Ty.F64:
            return repr(float(self.value))  # type: ignore[arg-type]
        return f"{self.value}"


@dataclass(frozen=True)
class StrConst:
    value: str
    ty: Ty = Ty.PTR

    def __str__(self) -> str:
        return "str " + _quote(self.value)


@dataclass(frozen=True)
class StaticObj:
    """A static, field-less heap object (nullary variant): header only."""

    type_id: int
    kind: int
    aux: int = 0
    ty: Ty = Ty.PTR

    def __str__(self) -> str:
        return f"static(type={self.type_id}, kind={self.kind}, aux={self.aux})"


@dataclass(frozen=True)
class FnRef:
    """The static closure object of a named native function."""

    name: str
    ty: Ty = Ty.PTR

    def __str__(self) -> str:
        return f"&{self.name}"


Operand = Var | Const | StrConst | StaticObj | FnRef


def unit() -> Const:
    return Const(Ty.UNIT)


def i64(v: int) -> Const:
    return Const(Ty.I64, v)


def f64(v: float) -> Const:
    return Const(Ty.F64, v)


def i1(v: bool) -> Const:
    return Const(Ty.I1, bool(v))


# ─────────────────────────────── instructions ───────────────────────────────

# Binary operators. Arithmetic on I64 or F64 operands: add sub mul div rem (integer div/rem by
# zero panics; the code generator emits the check). Comparisons (result I1) on I64, F64 or I1:
# eq ne lt le gt ge. Bitwise/logical on I1 or I64: and or xor.
# pow: F64 ** F64.
BINOPS = {"add", "sub", "mul", "div", "rem", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "xor", "pow"}
# neg (I64/F64), not (I1), itof (I64 -> F64), ftoi (F64 -> I64, truncating), btoi (I1 -> I64),
# sqrt floor ceil round (F64 -> F64; round is half away from zero)
UNOPS = {"neg", "not", "itof", "ftoi", "btoi", "sqrt", "floor", "ceil", "round"}


@dataclass(eq=False)
class Assign:
    dst: Var
    src: Operand

    def __str__(self) -> str:
        return f"{self.dst} = {self.src}"


@dataclass(eq=False)
class BinOp:
    dst: Var
    op: str
    a: Operand
    b: Operand
    loc: str | None = None  # "file:line:col" for div/rem's zero check (panic messages)

    def __str__(self) -> str:
        return f"{self.dst} = {self.op} {self.a}, {self.b}"


@dataclass(eq=False)
class UnOp:
    dst: Var
    op: str
    a: Operand

    def __str__(self) -> str:
        return f"{self.dst} = {self.op} {self.a}"


@dataclass(eq=False)
class Alloc:
    dst: Var
    type_id: int
    kind: int
    fields: list[Operand]
    aux: int = 0

    def __str__(self) -> str:
        fs = ", ".join(map(str, self.fields))
        return f"{self.dst} = alloc(type={self.type_id}, kind={self.kind}, aux={self.aux}) [{fs}]"


@dataclass(eq=False)
class GetField:
    dst: Var
    obj: Operand
    index: int

    def __str__(self) -> str:
        return f"{self.dst} = field {self.obj}[{self.index}]"


@dataclass(eq=False)
class GetTag:
    dst: Var
    obj: Operand

    def __str__(self) -> str:
        return f"{self.dst} = tag {self.obj}"


@dataclass(eq=False)
class Call:
    dst: Var | None
    fn: str
    args: list[Operand]

    def __str__(self) -> str:
        lhs = f"{self.dst} = " if self.dst else ""
        return f"{lhs}call {self.fn}({', '.join(map(str, self.args))})"


@dataclass(eq=False)
class CallClosure:
    dst: Var | None
    closure: Operand
    args: list[Operand]

    def __str__(self) -> str:
        lhs = f"{self.dst} = " if self.dst else ""
        return f"{lhs}call_closure {self.closure}({', '.join(map(str, self.args))})"


@dataclass(eq=False)
class CallRuntime:
    """Call a C runtime function declared in cruntime/include/mesh/*.h. `ctx` is passed
    automatically when the C function's first parameter is `MeshCtx *`. Arguments are converted
    to the C parameter types (MeshSlot: box; bool/uint8_t: zext; pointers: as is) and the result
    converted to `dst.ty`."""

    dst: Var | None
    fn: str
    args: list[Operand]
    loc: str | None = None  # "file:line:col" recorded in ctx->loc before the call (panic messages)

    def __str__(self) -> str:
        lhs = f"{self.dst} = " if self.dst else ""
        return f"{lhs}rt {self.fn}({', '.join(map(str, self.args))})"


@dataclass(eq=False)
class MakeClosure:
    """Allocate a closure object for the closure-ABI function `fn` with the captured values."""

    dst: Var
    fn: str
    captures: list[Operand]
    type_id: int

    def __str__(self) -> str:
        return f"{self.dst} = closure {self.fn} [{', '.join(map(str, self.captures))}]"


@dataclass(eq=False)
class AtActorBase:
    """dst (i1): the running function was called by its process's start closure (a function
    with `actor_base`), so nothing else is on the stack and the process may hibernate."""

    dst: Var

    def __str__(self) -> str:
        return f"{self.dst} = at_actor_base"


Instr = (Assign | BinOp | UnOp | Alloc | GetField | GetTag | Call | CallClosure | CallRuntime | MakeClosure
         | AtActorBase)


# ──────────────────────────────── terminators ───────────────────────────────


@dataclass(eq=False)
class Jump:
    target: str
    backedge: bool = False  # loop back-edge: the code generator adds a reduction check

    def __str__(self) -> str:
        return f"jump {self.target}" + (" (backedge)" if self.backedge else "")


@dataclass(eq=False)
class Branch:
    cond: Operand
    then: str
    else_: str

    def __str__(self) -> str:
        return f"br {self.cond}, {self.then}, {self.else_}"


@dataclass(eq=False)
class Switch:
    value: Operand  # I64
    cases: list[tuple[int, str]]
    default: str

    def __str__(self) -> str:
        cs = ", ".join(f"{v} -> {b}" for v, b in self.cases)
        return f"switch {self.value} [{cs}] else {self.default}"


@dataclass(eq=False)
class Return:
    value: Operand | None = None

    def __str__(self) -> str:
        return "ret" if self.value is None else f"ret {self.value}"


@dataclass(eq=False)
class Panic:
    message: str
    loc: str | None = None  # "file:line:col" of the construct that failed

    def __str__(self) -> str:
        return f"panic {_quote(self.message)}"


@dataclass(eq=False)
class Unreachable:
    def __str__(self) -> str:
        return "unreachable"


Terminator = Jump | Branch | Switch | Return | Panic | Unreachable


# ───────────────────────────── functions, program ───────────────────────────


@dataclass(eq=False)
class Block:
    label: str
    instrs: list[Instr] = field(default_factory=list)
    term: Terminator | None = None


@dataclass(eq=False)
class Function:
    name: str
    params: list[Var]
    ret: Ty
    blocks: list[Block] = field(default_factory=list)
    abi: str = "native"  # "native" or "closure"
    exported: bool = False  # external linkage (otherwise internal)
    loc: str | None = None  # "file:line:col" of its body (named by a stack overflow panic)
    # a process's start closure for an actor: records its frame in ctx->base_frame while its
    # call runs (AtActorBase compares against it)
    actor_base: bool = False

    def block(self, label: str) -> Block:
        for b in self.blocks:
            if b.label == label:
                return b
        raise KeyError(label)


@dataclass
class VariantDesc:
    name: str
    field_names: list[str | None]
    field_types: list[int]


@dataclass
class TypeDesc:
    """One entry of the program's type table. `fields`/`field_types` describe a struct or tuple;
    `variants` a sum type; `elems` the element type ids of a collection (List: [T],
    Map: [K, V], Set: [T]). `fn_*` name native MIR functions overriding the runtime's generic
    behaviour (display/debug: `(x) -> String`, eq: `(a, b) -> Bool`, compare: `(a, b) -> Int`,
    hash: `(x) -> Int`); the code generator wraps them in slot adapters. Ids below 64 are the
    runtime's predefined types; a program's table is contiguous from 64."""

    id: int
    name: str
    kind: int
    boxed: bool = True
    flags: int = 0  # MeshType.flags (MESH_TFLAG_DISPLAY: Display is derived)
    fields: list[str] = field(default_factory=list)
    field_types: list[int] = field(default_factory=list)
    variants: list[VariantDesc] = field(default_factory=list)
    elems: list[int] = field(default_factory=list)
    fn_display: str | None = None
    fn_debug: str | None = None
    fn_eq: str | None = None
    fn_compare: str | None = None
    fn_hash: str | None = None


@dataclass
class Program:
    functions: list[Function] = field(default_factory=list)
    types: list[TypeDesc] = field(default_factory=list)
    entry: str = "main"  # native function `fn(ctx)` run as the main process

    def function(self, name: str) -> Function:
        for f in self.functions:
            if f.name == name:
                return f
        raise KeyError(name)


# ─────────────────────────────────── builder ────────────────────────────────


class FunctionBuilder:
    """Helper that appends instructions to a current block and allocates fresh variables."""

    def __init__(self, name: str, params: list[tuple[str, Ty]], ret: Ty, *, abi: str = "native",
                 exported: bool = False) -> None:
        self._next = 0
        self._labels: dict[str, int] = {}
        ps = [self.var(n, t) for n, t in params]
        self.fn = Function(name, ps, ret, abi=abi, exported=exported)
        self.cur: Block | None = self.new_block("entry")
        # where the code being built comes from ("file:line:col"), for panic messages; set by
        # the lowering of user code, None in generated helpers
        self.locate: Callable[[], str | None] | None = None

    @property
    def params(self) -> list[Var]:
        return self.fn.params

    def var(self, name: str, ty: Ty) -> Var:
        self._next += 1
        return Var(self._next, name, ty)

    def new_block(self, hint: str) -> Block:
        n = self._labels.get(hint, 0)
        self._labels[hint] = n + 1
        b = Block(hint if n == 0 else f"{hint}{n}")
        self.fn.blocks.append(b)
        return b

    def set_block(self, b: Block) -> None:
        self.cur = b

    @property
    def terminated(self) -> bool:
        return self.cur is None or self.cur.term is not None

    def emit(self, ins: Instr) -> None:
        if self.terminated:
            return  # dead code after a terminator
        assert self.cur is not None
        self.cur.instrs.append(ins)

    def term(self, t: Terminator) -> None:
        if self.terminated:
            return
        assert self.cur is not None
        if isinstance(t, Panic) and t.loc is None:
            t.loc = self.loc()
        self.cur.term = t
        self.cur = None

    # convenience
    def tmp(self, ty: Ty, name: str = "t") -> Var:
        return self.var(name, ty)

    def loc(self) -> str | None:
        return self.locate() if self.locate is not None else None

    def binop(self, op: str, a: Operand, b: Operand, ty: Ty) -> Var:
        d = self.tmp(ty)
        self.emit(BinOp(d, op, a, b, self.loc() if op in ("div", "rem") and ty is Ty.I64 else None))
        return d

    def call(self, fn: str, args: list[Operand], ret: Ty) -> Operand:
        d = None if ret is Ty.UNIT else self.tmp(ret)
        self.emit(Call(d, fn, args))
        return d if d is not None else unit()

    def rt(self, fn: str, args: list[Operand], ret: Ty) -> Operand:
        d = None if ret is Ty.UNIT else self.tmp(ret)
        self.emit(CallRuntime(d, fn, args, self.loc()))
        return d if d is not None else unit()

    def jump(self, b: Block, backedge: bool = False) -> None:
        self.term(Jump(b.label, backedge))

    def branch(self, c: Operand, t: Block, e: Block) -> None:
        self.term(Branch(c, t.label, e.label))

    def ret(self, v: Operand | None = None) -> None:
        self.term(Return(v))


# ─────────────────────────────────── printing ───────────────────────────────


def _quote(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 32:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def format_function(f: Function) -> str:
    ps = ", ".join(f"{p}: {p.ty}" for p in f.params)
    head = f"fn {f.name}({ps}) -> {f.ret}"
    if f.abi != "native":
        head += f" [{f.abi}]"
    if f.exported:
        head += " [export]"
    lines = [head + " {"]
    for b in f.blocks:
        lines.append(f"{b.label}:")
        for ins in b.instrs:
            lines.append(f"    {ins}")
        lines.append(f"    {b.term if b.term is not None else '<no terminator>'}")
    lines.append("}")
    return "\n".join(lines)


def format_type(t: TypeDesc) -> str:
    s = f"type {t.id} {t.name} kind={t.kind}"
    if t.fields or t.field_types:
        s += " fields(" + ", ".join(f"{n}: {ty}" for n, ty in zip(t.fields, t.field_types, strict=False)) + ")"
    for v in t.variants:
        s += f" | {v.name}(" + ", ".join(str(x) for x in v.field_types) + ")"
    if t.elems:
        s += " elems(" + ", ".join(map(str, t.elems)) + ")"
    for k in ("display", "debug", "eq", "compare", "hash"):
        fn = getattr(t, "fn_" + k)
        if fn:
            s += f" {k}={fn}"
    return s


def format_program(p: Program) -> str:
    parts = [format_type(t) for t in p.types]
    parts += [format_function(f) for f in p.functions]
    parts.append(f"entry {p.entry}")
    return "\n\n".join(parts) + "\n"


# ─────────────────────────────────── verifier ───────────────────────────────


class MirError(Exception):
    pass


def verify(p: Program) -> None:
    """Cheap structural checks: every block terminated, jump targets exist, calls name known
    functions with the right arity."""
    fns = {f.name: f for f in p.functions}
    if p.entry not in fns:
        raise MirError(f"entry function {p.entry!r} not defined")
    for f in p.functions:
        labels = {b.label for b in f.blocks}
        if len(labels) != len(f.blocks):
            raise MirError(f"{f.name}: duplicate block labels")
        for b in f.blocks:
            if b.term is None:
                raise MirError(f"{f.name}:{b.label}: block has no terminator")
            for ins in b.instrs:
                if isinstance(ins, Call):
                    callee = fns.get(ins.fn)
                    if callee is None:
                        raise MirError(f"{f.name}: call to unknown function {ins.fn}")
                    if len(callee.params) != len(ins.args) or callee.abi != "native":
                        raise MirError(f"{f.name}: bad call to {ins.fn}")
                elif isinstance(ins, MakeClosure):
                    callee = fns.get(ins.fn)
                    if callee is None or callee.abi != "closure":
                        raise MirError(f"{f.name}: closure of unknown/non-closure fn {ins.fn}")
                for op in _operands(ins):
                    if isinstance(op, FnRef) and op.name not in fns:
                        raise MirError(f"{f.name}: reference to unknown function {op.name}")
                _check_types(f, b, ins)
            t = b.term
            if isinstance(t, Branch) and t.cond.ty is not Ty.I1:
                raise MirError(f"{f.name}:{b.label}: branch on a {t.cond.ty}")
            if isinstance(t, Switch) and t.value.ty is not Ty.I64:
                raise MirError(f"{f.name}:{b.label}: switch on a {t.value.ty}")
            if isinstance(t, Return) and t.value is not None and f.abi == "native" and f.ret is not Ty.UNIT \
                    and t.value.ty is not f.ret:
                raise MirError(f"{f.name}:{b.label}: returns a {t.value.ty} from a function returning {f.ret}")
            targets: list[str] = []
            if isinstance(t, Jump):
                targets = [t.target]
            elif isinstance(t, Branch):
                targets = [t.then, t.else_]
            elif isinstance(t, Switch):
                targets = [x for _, x in t.cases] + [t.default]
            for tg in targets:
                if tg not in labels:
                    raise MirError(f"{f.name}:{b.label}: jump to unknown block {tg}")


_CMP_OPS = {"eq", "ne", "lt", "le", "gt", "ge"}


def _check_types(f: Function, b: Block, ins: Instr) -> None:
    """Operand/result type agreement for the instructions whose types are fixed."""
    where = f"{f.name}:{b.label}: {ins}"
    if isinstance(ins, Assign):
        if ins.dst.ty is not ins.src.ty and ins.dst.ty is not Ty.UNIT and ins.src.ty is not Ty.UNIT:
            raise MirError(f"{where}: assigns a {ins.src.ty} to a {ins.dst.ty}")
    elif isinstance(ins, BinOp):
        if ins.op not in BINOPS:
            raise MirError(f"{where}: unknown operator")
        if ins.a.ty is not ins.b.ty:
            raise MirError(f"{where}: operands of different types")
        want = Ty.I1 if ins.op in _CMP_OPS else ins.a.ty
        if ins.dst.ty is not want:
            raise MirError(f"{where}: result should be {want}")
    elif isinstance(ins, UnOp):
        if ins.op not in UNOPS:
            raise MirError(f"{where}: unknown operator")
    elif isinstance(ins, GetTag):
        if ins.dst.ty is not Ty.I64 or ins.obj.ty is not Ty.PTR:
            raise MirError(f"{where}: tag needs a ptr and gives an i64")
    elif isinstance(ins, GetField | Alloc | MakeClosure):
        obj = ins.obj if isinstance(ins, GetField) else ins.dst
        if obj.ty is not Ty.PTR:
            raise MirError(f"{where}: object operand is a {obj.ty}")
    elif isinstance(ins, CallClosure) and ins.closure.ty is not Ty.PTR:
        raise MirError(f"{where}: calls a {ins.closure.ty}")


def _operands(ins: Instr) -> list[Operand]:
    if isinstance(ins, Assign):
        return [ins.src]
    if isinstance(ins, BinOp):
        return [ins.a, ins.b]
    if isinstance(ins, UnOp):
        return [ins.a]
    if isinstance(ins, Alloc):
        return list(ins.fields)
    if isinstance(ins, GetField | GetTag):
        return [ins.obj]
    if isinstance(ins, Call | CallRuntime):
        return list(ins.args)
    if isinstance(ins, CallClosure):
        return [ins.closure, *ins.args]
    if isinstance(ins, MakeClosure):
        return list(ins.captures)
    return []
