"""The Mesh abstract syntax tree.

This module is the contract between the parser (which builds these nodes from the textX
model) and every later stage (which reads them). Nodes are plain dataclasses; every node
carries the `Span` of the source text it came from.

Later stages annotate nodes in place rather than copying the tree: the type checker sets
`Expr.ty` on every expression and `Pattern.ty` on every pattern, and may attach resolution
results in `Node.info` (a free-form dict owned by the checker). The parser never sets them.

Conventions:
- Qualified paths (`Math.Vector`, `Shape.Circle`) are lists of identifier strings.
- `Foo.bar` in expression position is parsed as `FieldAccess(Name("Foo"), "bar")`; the checker
  decides whether `Foo` is a module, a type, a variant namespace or a value.
- Syntactic sugar that needs no type information is removed by the parser: `T?` becomes
  `TypeName(["Option"], [T])`, `T!E` becomes `TypeName(["Result"], [T, E])`, `def` is `fn`,
  `match` is `case`, `&&`/`||`/`!` are `and`/`or`/`not`, `++` on strings stays `++` (the checker
  picks list or string concatenation by type; `<>` is normalised to `<>`).
- Sugar that does need types (pipes, method calls, `?`, for-comprehensions, keyword arguments)
  is kept as its own node and removed during lowering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """Byte offsets [start, end) into the source of `file` (a path as given to the compiler)."""

    file: str
    start: int
    end: int

    def to(self, other: Span) -> Span:
        return Span(self.file, min(self.start, other.start), max(self.end, other.end))


NO_SPAN = Span("<none>", 0, 0)


@dataclass(kw_only=True)
class Node:
    span: Span = NO_SPAN
    # Free-form annotations owned by later stages (never set by the parser).
    info: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


# ─────────────────────────────── type expressions ───────────────────────────────


@dataclass(kw_only=True)
class TypeExpr(Node):
    pass


@dataclass(kw_only=True)
class TypeName(TypeExpr):
    """`Int`, `List<T>`, `Math.Vector`, `Pid<Msg>`, `Self`, `Self.Item` (path ["Self", "Item"])."""

    path: list[str]
    args: list[TypeExpr] = field(default_factory=list)


@dataclass(kw_only=True)
class TupleType(TypeExpr):
    """`(A, B)`; the unit type `()` is `TupleType([])`."""

    items: list[TypeExpr]


@dataclass(kw_only=True)
class FunType(TypeExpr):
    """`Fun(A, B) -> R`."""

    params: list[TypeExpr]
    ret: TypeExpr


# ─────────────────────────────────── patterns ───────────────────────────────────


@dataclass(kw_only=True)
class Pattern(Node):
    ty: Any = field(default=None, repr=False, compare=False)


@dataclass(kw_only=True)
class WildcardPat(Pattern):
    pass


@dataclass(kw_only=True)
class VarPat(Pattern):
    name: str


@dataclass(kw_only=True)
class LiteralPat(Pattern):
    """Int, Float, String, Bool or nil literal; negative numbers have their sign folded in."""

    value: IntLit | FloatLit | StringLit | BoolLit | NilLit


@dataclass(kw_only=True)
class TuplePat(Pattern):
    """`(a, b)` or the brace form `{k, v}` used in `for {k, v} in map`."""

    items: list[Pattern]


@dataclass(kw_only=True)
class ConstructorPat(Pattern):
    """`None`, `Some(x)`, `Shape.Circle(r)`; `path` is ["Some"] or ["Shape", "Circle"].

    `args` is None for a bare name with no parentheses (`None`, `Red`).
    Bare lowercase names are VarPat, never ConstructorPat; an uppercase bare name is always a
    ConstructorPat (the checker reports E0010 when no such variant exists).
    """

    path: list[str]
    args: list[Pattern] | None = None


@dataclass(kw_only=True)
class ConsPat(Pattern):
    """`head :: tail` (right-associative)."""

    head: Pattern
    tail: Pattern


@dataclass(kw_only=True)
class OrPat(Pattern):
    alternatives: list[Pattern]


@dataclass(kw_only=True)
class AsPat(Pattern):
    """`pattern as name`."""

    pattern: Pattern
    name: str


@dataclass(kw_only=True)
class ListPat(Pattern):
    """`[]`, `[a, b]` — only if the surface syntax has it."""

    items: list[Pattern]


# ───────────────────────────────── expressions ──────────────────────────────────


@dataclass(kw_only=True)
class Expr(Node):
    ty: Any = field(default=None, repr=False, compare=False)


@dataclass(kw_only=True)
class IntLit(Expr):
    value: int


@dataclass(kw_only=True)
class FloatLit(Expr):
    value: float


@dataclass(kw_only=True)
class StringLit(Expr):
    """A string literal. `parts` alternates text (already unescaped) and interpolated expressions;
    a literal without interpolation has exactly one str part (possibly "")."""

    parts: list[str | Expr]
    triple: bool = False


@dataclass(kw_only=True)
class BoolLit(Expr):
    value: bool


@dataclass(kw_only=True)
class NilLit(Expr):
    """`nil`, the unit value (`()` is `TupleExpr([])`)."""


@dataclass(kw_only=True)
class AtomLit(Expr):
    """`:name`."""

    name: str


@dataclass(kw_only=True)
class Name(Expr):
    """An identifier in expression position: a variable, function, constructor, module or type."""

    name: str


@dataclass(kw_only=True)
class SelfExpr(Expr):
    """`self` used as a value (the receiver inside impl methods). `self()` is `SelfPid`."""


@dataclass(kw_only=True)
class SelfPid(Expr):
    """`self()` inside an actor: the current process's Pid."""


@dataclass(kw_only=True)
class TupleExpr(Expr):
    items: list[Expr]


@dataclass(kw_only=True)
class ListExpr(Expr):
    items: list[Expr]


@dataclass(kw_only=True)
class MapExpr(Expr):
    """`%{k => v, ...}`; `%{}` is empty."""

    entries: list[tuple[Expr, Expr]]


@dataclass(kw_only=True)
class StructExpr(Expr):
    """`Point { x: 1, y: 2 }` or `Geo.Point { ... }`."""

    path: list[str]
    fields: list[tuple[str, Expr]]
    type_args: list[TypeExpr] = field(default_factory=list)


@dataclass(kw_only=True)
class StructUpdate(Expr):
    """`%{base | field: value, ...}`."""

    base: Expr
    fields: list[tuple[str, Expr]]


@dataclass(kw_only=True)
class FieldAccess(Expr):
    """`obj.field` (also `Module.name`, `Type.Variant`)."""

    obj: Expr
    field: str


@dataclass(kw_only=True)
class IndexExpr(Expr):
    """`obj[index]` (parsed; the reference never lowered it)."""

    obj: Expr
    index: Expr


@dataclass(kw_only=True)
class Call(Expr):
    """`callee(args, key: value)` optionally followed by a trailing `do ... end` closure.

    Method calls are `Call(FieldAccess(recv, name), args)`. `spawn(...)`, `send(...)`,
    `link(...)` are calls whose callee is `Name("spawn")` etc.
    """

    callee: Expr
    args: list[Expr]
    kwargs: list[tuple[str, Expr]] = field(default_factory=list)
    trailing: Closure | None = None


@dataclass(kw_only=True)
class BinaryOp(Expr):
    """op is one of: + - * / % == != < > <= >= and or <> ++ .."""

    op: str
    left: Expr
    right: Expr


@dataclass(kw_only=True)
class UnaryOp(Expr):
    """op is one of: - not."""

    op: str
    operand: Expr


@dataclass(kw_only=True)
class Pipe(Expr):
    """`left |> right` where right is a Name, FieldAccess, Call or Closure."""

    left: Expr
    right: Expr


@dataclass(kw_only=True)
class Try(Expr):
    """`expr?`."""

    expr: Expr


@dataclass(kw_only=True)
class Block(Expr):
    """A sequence of statements; its value is the last statement's value (unit if it is a let or
    empty)."""

    stmts: list[Stmt]


@dataclass(kw_only=True)
class If(Expr):
    """`if c do ... else ... end`; `else if` chains nest an If inside `else_`."""

    cond: Expr
    then: Block
    else_: Block | If | None = None


@dataclass(kw_only=True)
class MatchArm(Node):
    pattern: Pattern
    guard: Expr | None
    body: Expr


@dataclass(kw_only=True)
class Case(Expr):
    """`case e do arms end` (also `match`)."""

    scrutinee: Expr
    arms: list[MatchArm]


@dataclass(kw_only=True)
class Receive(Expr):
    """`receive do arms [after timeout -> body] end`."""

    arms: list[MatchArm]
    after_timeout: Expr | None = None
    after_body: Expr | None = None


@dataclass(kw_only=True)
class Param(Node):
    """A function or closure parameter: a pattern (usually VarPat) with an optional type."""

    pattern: Pattern
    type: TypeExpr | None = None


@dataclass(kw_only=True)
class ClosureClause(Node):
    params: list[Param]
    guard: Expr | None
    body: Expr


@dataclass(kw_only=True)
class Closure(Expr):
    """`fn x -> e end`, `fn(x :: Int) -> e end`, `fn x do ... end`, multi-clause
    `fn 0 -> a | n -> b end`, and trailing `do |x| ... end` blocks. `ret` is an optional return
    type annotation."""

    clauses: list[ClosureClause]
    ret: TypeExpr | None = None


@dataclass(kw_only=True)
class While(Expr):
    cond: Expr
    body: Block


@dataclass(kw_only=True)
class For(Expr):
    """`for pat in iterable [when filter] do body end` — a comprehension returning a List."""

    pattern: Pattern
    iterable: Expr
    filter: Expr | None
    body: Block


@dataclass(kw_only=True)
class Break(Expr):
    pass


@dataclass(kw_only=True)
class Continue(Expr):
    pass


@dataclass(kw_only=True)
class Return(Expr):
    value: Expr | None = None


# ─────────────────────────────────── statements ─────────────────────────────────


@dataclass(kw_only=True)
class Let(Node):
    """`let pat [:: T] = value`."""

    pattern: Pattern
    type: TypeExpr | None
    value: Expr


Stmt = Let | Expr


# ───────────────────────────────────── items ────────────────────────────────────


@dataclass(kw_only=True)
class Item(Node):
    is_pub: bool = False
    doc: str | None = None


@dataclass(kw_only=True)
class TraitBound(Node):
    """`T: Display + Eq` in a where clause (one entry per type variable)."""

    var: str
    traits: list[TypeName]


@dataclass(kw_only=True)
class FnDef(Item):
    """One clause of a named function. Consecutive FnDefs with the same name in the same scope
    form a multi-clause function; the checker groups them.

    `body` is a Block for `do ... end` bodies and an arbitrary Expr for `= expr` bodies.
    `body` is None only for signatures without a body (inside `interface`).
    """

    name: str
    generics: list[str]
    params: list[Param]
    ret: TypeExpr | None
    where: list[TraitBound]
    guard: Expr | None
    body: Expr | None


@dataclass(kw_only=True)
class StructField(Node):
    name: str
    type: TypeExpr


@dataclass(kw_only=True)
class StructDef(Item):
    """`struct Name<T> do fields end deriving(...)`. `deriving` is None when there is no clause,
    [] for `deriving()`. `schema` holds ORM declarations inside the body (`table "users"`,
    `primary_key :id`, `timestamps`, `belongs_to :user, User`, ...) as (keyword, args) pairs."""

    name: str
    generics: list[str]
    fields: list[StructField]
    deriving: list[str] | None = None
    schema: list[tuple[str, list[Expr]]] = field(default_factory=list)


@dataclass(kw_only=True)
class VariantField(Node):
    """A variant payload field: positional (`Circle(Float)`, name None) or named (`w :: Float`)."""

    name: str | None
    type: TypeExpr


@dataclass(kw_only=True)
class Variant(Node):
    name: str
    fields: list[VariantField]


@dataclass(kw_only=True)
class SumTypeDef(Item):
    name: str
    generics: list[str]
    variants: list[Variant]
    deriving: list[str] | None = None


@dataclass(kw_only=True)
class TypeAlias(Item):
    """`type Name<T> = Type`."""

    name: str
    generics: list[str]
    type: TypeExpr


@dataclass(kw_only=True)
class AssocTypeDecl(Node):
    """`type Item` inside an interface, or `type Item = Int` inside an impl (`type` set)."""

    name: str
    type: TypeExpr | None = None


@dataclass(kw_only=True)
class InterfaceDef(Item):
    """`interface Name<T> do fn m(self, ...) -> R [do default body end] ... end`."""

    name: str
    generics: list[str]
    methods: list[FnDef]
    assoc_types: list[AssocTypeDecl]


@dataclass(kw_only=True)
class ImplDef(Item):
    """`impl Trait<Args> for Type do ... end` (generics are the impl's own type variables)."""

    trait: TypeName
    for_type: TypeExpr
    generics: list[str]
    methods: list[FnDef]
    assoc_types: list[AssocTypeDecl]
    where: list[TraitBound] = field(default_factory=list)


@dataclass(kw_only=True)
class ActorDef(Item):
    """`actor name(params) do body [terminate do ... end] end`."""

    name: str
    params: list[Param]
    body: Block
    terminate: Block | None = None


@dataclass(kw_only=True)
class ServiceHandler(Node):
    """`call Name(params) :: Ret do |state| body end` or `cast Name(params) do |state| body end`."""

    kind: str  # "call" or "cast"
    name: str
    params: list[Param]
    ret: TypeExpr | None
    state: Pattern
    body: Block


@dataclass(kw_only=True)
class ServiceDef(Item):
    name: str
    init: FnDef | None
    handlers: list[ServiceHandler]
    functions: list[FnDef] = field(default_factory=list)


@dataclass(kw_only=True)
class ChildSpec(Node):
    """`child id do start: expr  restart: permanent  shutdown: 5000 end`; values kept as Exprs
    (atoms-like bare words such as `permanent` are Names)."""

    id: str
    options: list[tuple[str, Expr]]


@dataclass(kw_only=True)
class SupervisorDef(Item):
    """`supervisor Name do strategy: one_for_one  max_restarts: 3 ... child ... end`."""

    name: str
    options: list[tuple[str, Expr]]
    children: list[ChildSpec]


@dataclass(kw_only=True)
class ModuleDef(Item):
    """Inline `module Name do items end`."""

    name: str
    items: list[Item]


@dataclass(kw_only=True)
class Import(Item):
    """`import A.B` (alias is the last segment unless `as X` is given)."""

    path: list[str]
    alias: str | None = None


@dataclass(kw_only=True)
class FromImport(Item):
    """`from A.B import x, y`."""

    path: list[str]
    names: list[str]


@dataclass(kw_only=True)
class LetItem(Item):
    """A top-level `let` binding (a module constant)."""

    let: Let


@dataclass(kw_only=True)
class SourceFile(Node):
    """One parsed `.mpl` file. `module_doc` is the text of leading `##!` comments."""

    path: str
    items: list[Item]
    module_doc: str | None = None
