"""The typed-program contract: what the type checker produces and the lowering consumes.

The checker annotates the AST in place (see `toolchain.syntax.ast`):

* `Expr.ty` / `Pattern.ty` — a `Type` (defined below), fully resolved after checking. Inside a
  generic function (or a generalised local closure) it may mention that function's `TParam`s;
  monomorphization substitutes them (`subst`). Outside generic code it contains no `TParam`.
  No inference variable ever survives checking: a variable that some operation observes
  (arithmetic, comparison, Display, a method call) and that stays unconstrained is a compile
  error; one that nothing observes (the element type of an empty list that is only measured,
  the message type of an actor nobody sends to, a `break`) cannot influence code generation
  and is fixed to Unit `()` — the reference compiles such programs, so we must too.
* `node.info[...]` — resolution results, all values are the dataclasses of this module. Every key
  the checker may set is listed in `INFO_KEYS` with a one-line description; the per-node tables
  are repeated in the docstrings of the records they hold.

The program-wide tables (types, functions, constants, impls) are in `CheckedProgram`.

This contract only grows: later tasks may add keys and fields, never change existing meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolchain.diagnostics import Diagnostic
    from toolchain.syntax import ast as A


# ═══════════════════════════════════ input ═══════════════════════════════════


@dataclass
class ParsedModule:
    """One source file handed to the checker. `name` is the module name derived from the path
    (`math/vector.mpl` -> "Math.Vector"); the entry file `main.mpl` is named "Main"."""

    name: str
    path: str
    ast: A.SourceFile
    is_main: bool = False


# ═══════════════════════════════════ types ═══════════════════════════════════


@dataclass(frozen=True, slots=True)
class TCon:
    """A named type constructor applied to arguments.

    Builtin names (no module prefix):
      Int Float Bool String Atom            primitives (Atom is distinct from String)
      List<T> Map<K,V> Set<T>               persistent collections (Set is generic here)
      Range Queue                           Range of Int; Queue of Int
      Option<T> Result<T,E> Ordering        builtin sum types (see BUILTIN_SUMS)
      Pid<M>                                typed process id; `Pid` with no args is the untyped Pid
      Json Request Response Router SqliteConn PgConn PoolHandle Ptr ListIterator MapIterator
      SetIterator RangeIterator Iter Query Changeset   opaque runtime handles
    User structs / sum types: `name` is the qualified key "<Module>.<Name>" (e.g. "Main.Point",
    "Geometry.Shape"), the key of `CheckedProgram.structs` / `.sums`; `args` are the generic
    arguments in declaration order.
    """

    name: str
    args: tuple[Type, ...] = ()

    def __str__(self) -> str:
        return show_type(self)


@dataclass(frozen=True, slots=True)
class TTuple:
    """`(A, B, ...)`. The unit type `()` is `TTuple(())` (see `UNIT`)."""

    items: tuple[Type, ...]

    def __str__(self) -> str:
        return show_type(self)


@dataclass(frozen=True, slots=True)
class TFun:
    """`Fun(A, B) -> R`: the type of named functions and closures alike."""

    params: tuple[Type, ...]
    ret: Type

    def __str__(self) -> str:
        return show_type(self)


@dataclass(frozen=True, slots=True)
class TParam:
    """A type parameter of a generic function, generic type, or generalised local binding.
    `owner` names what declares it: a function's mangled symbol, a type key, or
    "let#<binding id>" for a generalised local. Parameters inferred by generalisation (no
    `<T>` written) get names like "t0", "t1"."""

    name: str
    owner: str

    def __str__(self) -> str:
        return self.name


Type = TCon | TTuple | TFun | TParam

INT = TCon("Int")
FLOAT = TCon("Float")
BOOL = TCon("Bool")
STRING = TCon("String")
ATOM = TCon("Atom")
UNIT = TTuple(())
RANGE = TCon("Range")
ORDERING = TCon("Ordering")


def list_of(t: Type) -> TCon:
    return TCon("List", (t,))


def map_of(k: Type, v: Type) -> TCon:
    return TCon("Map", (k, v))


def option_of(t: Type) -> TCon:
    return TCon("Option", (t,))


def result_of(t: Type, e: Type) -> TCon:
    return TCon("Result", (t, e))


def subst(t: Type, mapping: dict[TParam, Type]) -> Type:
    """Replace type parameters (monomorphization)."""
    if isinstance(t, TParam):
        return mapping.get(t, t)
    if isinstance(t, TCon):
        return TCon(t.name, tuple(subst(a, mapping) for a in t.args)) if t.args else t
    if isinstance(t, TTuple):
        return TTuple(tuple(subst(a, mapping) for a in t.items))
    if isinstance(t, TFun):
        return TFun(tuple(subst(a, mapping) for a in t.params), subst(t.ret, mapping))
    raise TypeError(f"not a type: {t!r}")


def type_params_in(t: Type, out: list[TParam] | None = None) -> list[TParam]:
    """The TParams mentioned in `t`, in first-occurrence order."""
    out = [] if out is None else out
    if isinstance(t, TParam):
        if t not in out:
            out.append(t)
    elif isinstance(t, TCon):
        for a in t.args:
            type_params_in(a, out)
    elif isinstance(t, TTuple):
        for a in t.items:
            type_params_in(a, out)
    elif isinstance(t, TFun):
        for a in t.params:
            type_params_in(a, out)
        type_params_in(t.ret, out)
    return out


def display_type_name(key: str) -> str:
    """How a type name is printed in diagnostics: Main's types bare, other modules' qualified."""
    return key[5:] if key.startswith("Main.") else key


def show_type(t: Type) -> str:
    """Mesh surface syntax for a type, as used in diagnostics (`List<Int>`, `Fun(Int) -> Bool`)."""
    if isinstance(t, TCon):
        name = display_type_name(t.name)
        if not t.args:
            return name
        return f"{name}<{', '.join(show_type(a) for a in t.args)}>"
    if isinstance(t, TTuple):
        if len(t.items) == 0:
            return "()"
        return f"({', '.join(show_type(a) for a in t.items)})"
    if isinstance(t, TFun):
        return f"Fun({', '.join(show_type(a) for a in t.params)}) -> {show_type(t.ret)}"
    if isinstance(t, TParam):
        return t.name
    return str(t)


# ═════════════════════════════ definitions (resolved) ═════════════════════════════


@dataclass
class StructInfo:
    """A struct definition. `key` is the TCon name ("Main.Point"). Field types may mention
    `params` (the struct's generic parameters, owner = key)."""

    key: str
    name: str  # as written ("Point")
    module: str
    params: list[TParam]
    fields: list[tuple[str, Type]]
    derives: set[str]  # effective derived traits: Eq Ord Debug Hash Display Json Row Schema
    is_pub: bool
    node: A.StructDef | None = None

    def field_type(self, name: str) -> Type | None:
        for fname, fty in self.fields:
            if fname == name:
                return fty
        return None


@dataclass
class VariantInfo:
    """One variant of a sum type. `tag` is the declaration index (Option: Some=0, None=1;
    Result: Ok=0, Err=1; Ordering: Less=0, Equal=1, Greater=2). `fields` are (name or None,
    type) in order; nullary variants have no fields."""

    name: str
    tag: int
    fields: list[tuple[str | None, Type]]


@dataclass
class SumInfo:
    """A sum type (user or builtin Option/Result/Ordering). `key` is the TCon name."""

    key: str
    name: str
    module: str  # "" for builtin sums
    params: list[TParam]
    variants: list[VariantInfo]
    derives: set[str]
    is_pub: bool
    node: A.SumTypeDef | None = None

    def variant(self, name: str) -> VariantInfo | None:
        for v in self.variants:
            if v.name == name:
                return v
        return None


@dataclass
class AliasInfo:
    """`type Name<T> = target`; the checker expands aliases everywhere, so lowering never
    sees alias names in types. Recorded for tooling."""

    key: str
    name: str
    module: str
    params: list[TParam]
    target: Type
    is_pub: bool


@dataclass
class FnSymbol:
    """A named function (all its clauses), a module constant initialiser is not a FnSymbol.

    `mangled` is unique program-wide: "<Module>__<name>" with dots in the module name replaced
    by "_" (Main's `add` is "Main__add", Math.Vector's `add` is "Math_Vector__add"); impl
    methods are "<Module>__<Trait>__<method>__<TypeKey mangled>"; actors "<Module>__<name>".
    `type` is the generalised signature over `type_params` (explicit `<T>` first, then
    inferred ones). `clauses` are the FnDef nodes in source order (one for a plain function).
    """

    name: str
    module: str
    mangled: str
    type_params: list[TParam]
    type: TFun
    clauses: list[A.FnDef]
    is_pub: bool
    kind: str = "fn"  # "fn" | "impl_method" | "actor" | "service_fn" | "main"
    bounds: dict[TParam, list[str]] = field(default_factory=dict)  # where-clause trait bounds
    has_self_tail_call: bool = False
    # multi-clause: each clause's params are patterns matched in order; `is_multi_clause` is
    # True when there are several clauses or any parameter pattern is refutable.
    is_multi_clause: bool = False
    impl: ImplInfo | None = None  # for kind == "impl_method"


@dataclass
class ConstSymbol:
    """A top-level `let` (module constant). `mangled` as for functions."""

    name: str
    module: str
    mangled: str
    type: Type
    node: A.LetItem
    is_pub: bool


@dataclass
class ImplInfo:
    """A trait implementation (user `impl`, or derived). `methods` maps method name -> mangled
    symbol; derived/builtin impls have no FnSymbol and `derived` is True (lowering generates
    the body from the type's StructInfo/SumInfo)."""

    trait: str
    trait_args: tuple[Type, ...]
    for_type: Type  # may mention `params`
    params: list[TParam]
    methods: dict[str, str]
    assoc_types: dict[str, Type] = field(default_factory=dict)
    derived: bool = False
    module: str = ""


# ═══════════════════════════════ local bindings ═══════════════════════════════


@dataclass(eq=False)
class Binding:
    """A local variable (let, parameter, pattern variable, for-loop variable, receive binding).
    `id` is unique in the whole program; shadowing creates a new Binding. `type_params` is
    non-empty only for a generalised let-bound value (`let id = fn x -> x end`): every use
    then carries `LocalRef.type_args`."""

    id: int
    name: str
    ty: Type
    span: object = None  # Span of the binding occurrence
    type_params: list[TParam] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"Binding({self.name}#{self.id}: {show_type(self.ty)})"


# ═════════════════════════════ name / call resolution ═════════════════════════════


@dataclass
class LocalRef:
    """A use of a local variable."""

    binding: Binding
    type_args: tuple[Type, ...] = ()  # instantiation of binding.type_params


@dataclass
class GlobalFnRef:
    """A reference to (or call of) a named user function; `type_args` instantiate
    `FnSymbol.type_params` in order (may mention the enclosing function's TParams)."""

    symbol: str  # FnSymbol.mangled
    type_args: tuple[Type, ...] = ()


@dataclass
class ConstRef:
    """A use of a module constant (top-level let)."""

    symbol: str  # ConstSymbol.mangled


@dataclass
class VariantRef:
    """A variant constructor, used as a value (nullary: the value; with fields: a constructor
    function) or called. `sum` is the SumInfo key ("Option", "Main.Shape")."""

    sum: str
    variant: str
    tag: int
    type_args: tuple[Type, ...] = ()


@dataclass
class StructRef:
    """A struct literal's or update's struct (`StructExpr.info["struct"]`)."""

    struct: str  # StructInfo key
    type_args: tuple[Type, ...] = ()


@dataclass
class BuiltinRef:
    """A stdlib / prelude function. `name` is canonical "<Module>.<fn>" for module functions
    ("String.length", "List.map", "IO.eprintln", "Math.abs", "Int.to_float") and the bare
    name for prelude functions ("println", "print", "compare", "default"). Prelude aliases
    are normalised: bare `map`/`filter`/`reduce`/`head`/`tail` are "List.map" etc., flat
    names like `string_length` are "String.length". `type` is the instantiated signature at
    this use (e.g. Fun(List<Int>, Fun(Int) -> String) -> List<String>)."""

    name: str
    type: Type  # a TFun for functions; the value type for constants such as `Math.pi`
    # Special canonical names besides stdlib functions:
    #   "spawn"  args [actor-or-fn, actor args...] -> Pid<M>      "send"  args [pid, msg] -> ()
    #   "link" / "unlink"  args [pid]                               "spawn_supervisor"  args [Name]
    #   "Node.spawn" / "Node.spawn_link"  args [node, fn, args...] (variadic)
    #   "Tuple.first" / "Tuple.second" / "Tuple.nth" / "Tuple.size"  typed per tuple
    #   "service:<Service mangled>.<fn>"  a service's generated `start` or handler function
    #     (`Counter.start(args)`, `Counter.get_count(pid, args)`); the handler name is snake_case


@dataclass
class TraitMethodRef:
    """A trait method call resolved to an impl at check time (static dispatch).

    `trait` e.g. "Display", "Debug", "Eq", "Ord", "Hash", "Add", "From", or a user interface
    key; `method` e.g. "to_string"; `self_type` the receiver/implementing type (may mention
    enclosing TParams: then lowering re-resolves after substitution). `symbol` is the
    FnSymbol.mangled of a user impl method, or None when the impl is builtin (primitives,
    collections, tuples) or derived (lowering generates it from the type).
    `x.into()` (Into, synthesised from every `impl From<A> for B`) resolves to that From impl:
    trait "From", method "from", self_type B, the receiver as the only argument; into a
    primitive target (`Int` -> `Float`/`String`, ...) it is the BuiltinRef of `Float.from` /
    `String.from`."""

    trait: str
    method: str
    self_type: Type
    symbol: str | None = None
    derived: bool = False
    type_args: tuple[Type, ...] = ()  # instantiation of a generic impl's params


@dataclass
class ClosureCallRef:
    """The callee is a value of function type (local, field, expression result)."""


@dataclass
class ActorRef:
    """A reference to an actor definition (used as `spawn(actor_name, args)`)."""

    symbol: str


Resolution = (
    LocalRef | GlobalFnRef | ConstRef | VariantRef | StructRef | BuiltinRef | TraitMethodRef
    | ClosureCallRef | ActorRef
)


@dataclass
class CallInfo:
    """The resolved form of any call-like node: `Call`, `Pipe`, method calls
    (`Call(FieldAccess(recv, m), args)`), and constructor applications.

    `target` says what is called. `args` is the final positional argument list in call order,
    after desugaring: pipe left operand first, method receiver first, keyword arguments folded
    into one trailing synthesised `MapExpr` (already typed, `Map<String, V>`), trailing
    `do` closure last. Every element is an already-typed Expr node of the tree (or that one
    synthesised MapExpr). For a ClosureCallRef the callee value is `callee` (an Expr)."""

    target: Resolution
    args: list[A.Expr]
    callee: A.Expr | None = None  # for ClosureCallRef
    self_tail_call: bool = False  # a self-recursive call in tail position of its function


@dataclass
class TryInfo:
    """`expr?`: kind "result" unwraps Ok(T) / returns Err(e); "option" unwraps Some(T) /
    returns None. `ok_type` is T; `err_type` is E (None for option); `fn_return` is the
    enclosing function's return type; `convert` is the `From` impl applied to the error
    (`From<E>` for the function's error type), or None when the error type is identical."""

    kind: str
    ok_type: Type
    err_type: Type | None
    fn_return: Type
    convert: TraitMethodRef | None = None


@dataclass
class ForInfo:
    """How a `for` loop iterates. kind: "range" (Int, iterable is a Range, `a..b` BinaryOp
    or a Range value), "list" (List<T>), "map" (Map<K,V>, elem is the (K, V) tuple), "set"
    (Set<T>), "iterable" (user Iterable impl: `iter` is the impl's iter method, then
    Iterator.next on the iterator). `elem_type` is the type of the loop pattern; `result_type`
    is `List<body type>`."""

    kind: str
    elem_type: Type
    result_type: Type
    iter: TraitMethodRef | None = None


@dataclass
class OpInfo:
    """How a BinaryOp / UnaryOp is implemented. kind:
      "int" | "float"   arithmetic / comparison on primitives
      "bool"            and/or/not, ==/!= on Bool
      "string_concat" | "list_concat"   `<>` / `++`
      "eq" | "ord"      ==, != / < > <= >= on a non-primitive operand type `operand_type`
                        (String, lists, tuples, structs, sums...); lowering calls the type's
                        structural equality / comparison (derived or builtin)
      "range"           `a..b` builds a Range
      "trait"           overloaded via a user numeric trait impl (`method` says which)
      "generic"         operand type is a type parameter: re-resolve after substitution
    UnaryOp: `not` is "bool"; unary minus is "int" | "float" | "trait" (Neg) | "generic".
    """

    kind: str
    operand_type: Type
    method: TraitMethodRef | None = None


# ═══════════════════════════════════ output ═══════════════════════════════════


@dataclass
class CheckedProgram:
    modules: list[ParsedModule]
    functions: dict[str, FnSymbol]  # mangled -> symbol (user functions, impl methods, actors)
    constants: dict[str, ConstSymbol]
    structs: dict[str, StructInfo]  # key -> info (user structs)
    sums: dict[str, SumInfo]  # key -> info (user sums and builtin Option/Result/Ordering)
    aliases: dict[str, AliasInfo]
    impls: list[ImplInfo]
    entry: str | None  # mangled name of Main's `main`, None if absent
    warnings: list[Diagnostic] = field(default_factory=list)


# ═══════════════════════════════════ info keys ═══════════════════════════════════

INFO_KEYS: dict[str, str] = {
    # Name, FieldAccess (when it names a value, function, constructor or module member)
    "res": "Resolution of a name used as a value: LocalRef / GlobalFnRef / ConstRef / "
    "VariantRef / BuiltinRef / ActorRef / TraitMethodRef (Name and qualified FieldAccess like "
    "`Math.pi`, `Shape.Circle`, `Vector.add`). The syntactic callee of a resolved call also "
    "carries the call's target here and `ty` = the function type as called (receiver first).",
    # FieldAccess on a struct value
    "field": "On FieldAccess reading a struct field: (struct key, field index); for a tuple "
    "(`t.0`): (\"tuple\", index). Also on the callee of `obj.f(args)` when `f` is a field "
    "holding a function (then the call is a ClosureCallRef whose callee is that FieldAccess).",
    # Call / Pipe
    "call": "On Call and Pipe: CallInfo (target, final positional args, tail-call flag).",
    # patterns and lets
    "binding": "On VarPat and AsPat: the Binding introduced.",
    "variant": "On ConstructorPat: VariantRef (sum key, variant, tag, type args).",
    "bindings": "On Param/MatchArm/Let/ClosureClause/For: list[Binding] the pattern(s) introduce.",
    "type_params": "On a Let whose value was generalised: list[TParam] of the binding.",
    # literals / structs
    "struct": "On StructExpr and StructUpdate: StructRef.",
    "kw_map": "On Call with keyword arguments: the synthesised MapExpr (also last in args).",
    "to_string": "On each Expr part of an interpolated StringLit: TraitMethodRef for "
    "Display.to_string of that part's type (String parts: identity, still recorded).",
    # operators
    "op": "On BinaryOp and UnaryOp: OpInfo.",
    "try": "On Try: TryInfo.",
    "for": "On For: ForInfo.",
    # closures and functions
    "captures": "On Closure: list[Binding] captured from enclosing scopes, in first-use order.",
    "fn_type": "On Closure: its TFun (same as .ty).",
    "symbol": "On FnDef (every clause of a group; also service helper functions and interface "
    "methods with a default body, whose FnSymbol is generic over `Self`), ActorDef: the FnSymbol.",
    "const": "On LetItem: the ConstSymbol.",
    "exhaustive": "On Case, multi-clause Closure and a multi-clause function's first FnDef: "
    "bool, whether the patterns cover every value (a function or closure may be partial: no "
    "match is a runtime panic; a Case must be exhaustive or E0012 is reported). Receive arms "
    "are never checked (unmatched messages stay queued).",
    "msg_type": "On Receive and ActorDef: the actor's message type M (its Pid is Pid<M>).",
    "qualifier": "On the Name/FieldAccess nodes of a qualifier that is not a value (`String` in "
    "`String.split`, `Math.Vector` in `Math.Vector.add`, `Shape` in `Shape.Circle`): the path as "
    "written. These nodes have no type.",
    "impl": "On ImplDef: its ImplInfo.",
    "return_type": "On Return: the enclosing function's (or closure's) return type.",
    "module": "On Import/FromImport: the target module name.",
    "def": "On StructDef/SumTypeDef/TypeAlias: StructInfo/SumInfo/AliasInfo.",
}
