"""The Mesh type checker: module/name resolution, HM inference, exhaustiveness.

Phases (see `Checker.run`):
 1. collect every module's items (inline `module X do ... end` become modules of their own);
 2. register type names, then resolve imports (E0031, E0034, E0035);
 3. resolve struct / sum / alias definitions and validate `deriving`;
 4. group function clauses (E0022-E0024, W0002) and build signatures from annotations;
 5. check constants and function bodies in dependency (SCC) order, generalising each SCC;
 6. zonk every annotated node to a final `Type` (an unresolved variable is an error).
"""

from __future__ import annotations

import gc
import itertools
from dataclasses import dataclass, field
from typing import Any

from toolchain import syntax as _syntax  # noqa: F401  (initialise the parser package first)
from toolchain.check import exhaust
from toolchain.check import stdlib as SL
from toolchain.check.typed import (
    ATOM,
    BOOL,
    FLOAT,
    INT,
    ORDERING,
    RANGE,
    STRING,
    UNIT,
    ActorRef,
    AliasInfo,
    Binding,
    BuiltinRef,
    CallInfo,
    CheckedProgram,
    ClosureCallRef,
    ConstRef,
    ConstSymbol,
    FnSymbol,
    ForInfo,
    GlobalFnRef,
    ImplInfo,
    LocalRef,
    OpInfo,
    ParsedModule,
    StructInfo,
    StructRef,
    SumInfo,
    TCon,
    TFun,
    TParam,
    TraitMethodRef,
    TryInfo,
    TTuple,
    VariantInfo,
    VariantRef,
    display_type_name,
)
from toolchain.check.unify import (
    TVar,
    UnifyError,
    free_vars,
    generalize,
    instantiate,
    prune,
    resolve,
    show,
    subst_i,
    unify,
    zonk,
)
from toolchain.diagnostics import CompileError, Diagnostic, DiagnosticSink, Label
from toolchain.syntax import ast as A

DERIVABLE = {"Eq", "Ord", "Display", "Debug", "Hash", "Json", "Row", "Schema"}
BUILTIN_VARIANTS = {"Some": "Option", "None": "Option", "Ok": "Result", "Err": "Result",
                    "Less": "Ordering", "Equal": "Ordering", "Greater": "Ordering",
                    # failure semantics (docs/guide/actors.md): a user variant of the same name wins
                    "Normal": "ExitReason", "Shutdown": "ExitReason", "Killed": "ExitReason",
                    "Crashed": "ExitReason", "Noproc": "ExitReason", "Down": "Signal", "Exit": "Signal"}
# The builtin sum of system notifications; a receive arm whose pattern is one of its
# constructors matches only notifications (the envelope kind marks them), never user messages.
SIGNAL_SUM = "Signal"
PRIMS = {"Int", "Float", "String", "Bool"}
ARITH = {"+": "Add", "-": "Sub", "*": "Mul", "/": "Div", "%": "Mod"}
_binding_ids = itertools.count(1)


class _Abort(Exception):
    """Stops checking the current expression after an error was reported."""


def mangle(module: str, name: str) -> str:
    return f"{module.replace('.', '_')}__{name}"


# ─────────────────────────────── module environments ───────────────────────────────


@dataclass
class Member:
    kind: str  # "fn" | "const" | "type" | "actor" | "service" | "module" | "interface"
    target: Any  # list[str] of mangled fn symbols | const mangled | type key | module name
    is_pub: bool
    span: A.Span


@dataclass
class ModEnv:
    name: str
    path: str
    items: list[A.Item]
    is_main: bool
    members: dict[str, Member] = field(default_factory=dict)  # defined here
    types: dict[str, str] = field(default_factory=dict)  # visible type name -> key
    modules: dict[str, str] = field(default_factory=dict)  # alias -> module name
    imported: dict[str, Member] = field(default_factory=dict)  # from-imported names
    stdlib_imports: dict[str, str] = field(default_factory=dict)  # bare name -> canonical
    variants: dict[str, str] = field(default_factory=dict)  # unqualified variant -> sum key
    traits: dict[str, str] = field(default_factory=dict)


@dataclass
class FnCtx:
    """Per-function (or per-closure) checking context."""

    ret: Any
    symbol: FnSymbol | None
    loop_depth: int = 0
    actor_msg: Any = None  # message type inside an actor body
    captures: list[Binding] | None = None  # for closures
    scope_base: int = 0  # index of the first scope belonging to this frame


class Checker:
    def __init__(self, modules: list[ParsedModule]) -> None:
        self.parsed = modules
        self.sink = DiagnosticSink()
        self.mods: dict[str, ModEnv] = {}
        self.structs: dict[str, StructInfo] = {}
        self.sums: dict[str, SumInfo] = {}
        self.aliases: dict[str, AliasInfo] = {}
        self.alias_nodes: dict[str, tuple[ModEnv, A.TypeAlias]] = {}
        self.functions: dict[str, FnSymbol] = {}
        self.constants: dict[str, ConstSymbol] = {}
        self.impls: list[ImplInfo] = []
        self.fn_env: dict[str, ModEnv] = {}  # mangled -> defining module
        self.fn_itype: dict[str, Any] = {}  # mangled -> internal type while being checked
        self.in_progress: set[str] = set()
        self.done: set[str] = set()
        self.pending_refs: list[tuple[GlobalFnRef, str, tuple[Any, ...]]] = []
        self.pretyped: set[int] = set()
        self.impl_index: dict[str, list[tuple[ImplInfo, str]]] = {}
        self.services: dict[str, dict[str, Any]] = {}
        self.gen_lets: list[A.Let] = []
        self.actor_msg: dict[str, Any] = {}
        self.level = 0
        # per-function state
        self.scopes: list[dict[str, Binding]] = []
        self.frames: list[FnCtx] = []
        self.nodes: list[Any] = []  # annotated nodes to zonk
        self.owners: list[str] = []  # the item each node belongs to
        self.cur_owner = ""
        self.infos: list[Any] = []  # info records holding internal types
        self.deferred: list[Any] = []
        self.diverge: set[int] = set()
        self.menv: ModEnv | None = None
        self.entry: str | None = None
        self._register_builtin_sums()

    # ───────────────────────────── diagnostics ─────────────────────────────

    def error(self, code: str, message: str, span: A.Span, labels: list[Label] | None = None,
              hints: list[str] | None = None) -> None:
        self.sink.report(Diagnostic(code, message, span, labels or [], hints or []))

    def warn(self, code: str, message: str, span: A.Span, hints: list[str] | None = None) -> None:
        self.sink.report(Diagnostic(code, message, span, [], hints or []))

    def mismatch(self, expected: Any, found: Any, span: A.Span, labels: list[Label] | None = None) -> None:
        exp, fnd = show(expected), show(found)
        hints = []
        fix = _fix_suggestion(exp, fnd)
        if fix:
            hints.append(fix)
        self.error("E0001", f"expected {exp}, found {fnd}", span,
                   labels if labels is not None else [Label(span, f"expected {exp}, found {fnd}")], hints)

    def unify_at(self, expected: Any, found: Any, span: A.Span, labels: list[Label] | None = None) -> bool:
        try:
            unify(expected, found)
            return True
        except UnifyError as err:
            if err.kind == "occurs":
                left, right = _show_named(err.left, err.right)
                self.error("E0002", f"infinite type: {left} occurs in {right}", span,
                           [Label(span, f"this would need {left} = {right}")],
                           ["a value cannot have a type that refers to itself (e.g. a function applied to itself)"])
            else:
                self.mismatch(resolve(expected), resolve(found), span, labels)
            return False

    # ───────────────────────────── builtins ─────────────────────────────

    def _register_builtin_sums(self) -> None:
        t = TParam("T", "Option")
        self.sums["Option"] = SumInfo("Option", "Option", "", [t],
                                      [VariantInfo("Some", 0, [(None, t)]), VariantInfo("None", 1, [])],
                                      {"Eq", "Ord", "Debug", "Display"}, True)
        t, e = TParam("T", "Result"), TParam("E", "Result")
        self.sums["Result"] = SumInfo("Result", "Result", "", [t, e],
                                      [VariantInfo("Ok", 0, [(None, t)]), VariantInfo("Err", 1, [(None, e)])],
                                      {"Eq", "Ord", "Debug", "Display"}, True)
        self.sums["Ordering"] = SumInfo("Ordering", "Ordering", "", [],
                                        [VariantInfo("Less", 0, []), VariantInfo("Equal", 1, []),
                                         VariantInfo("Greater", 2, [])],
                                        {"Eq", "Ord", "Debug", "Display", "Hash"}, True)
        # the order of the variants is the runtime's enum MeshExitReason
        self.sums["ExitReason"] = SumInfo("ExitReason", "ExitReason", "", [],
                                          [VariantInfo("Normal", 0, []), VariantInfo("Shutdown", 1, []),
                                           VariantInfo("Killed", 2, []), VariantInfo("Crashed", 3, [(None, STRING)]),
                                           VariantInfo("Noproc", 4, [])],
                                          {"Eq", "Debug", "Display"}, True)
        reason = TCon("ExitReason")
        self.sums[SIGNAL_SUM] = SumInfo(SIGNAL_SUM, SIGNAL_SUM, "", [],
                                        [VariantInfo("Down", 0, [(None, INT), (None, TCon("Pid")), (None, reason)]),
                                         VariantInfo("Exit", 1, [(None, TCon("Pid")), (None, reason)])],
                                        {"Eq", "Debug", "Display"}, True)

    # ───────────────────────────── driver ─────────────────────────────

    def run(self) -> CheckedProgram:
        for pm in self.parsed:
            self._collect(pm.name, pm.path, pm.ast.items, pm.is_main)
        for env in list(self.mods.values()):
            self._register_types(env)
        for env in list(self.mods.values()):
            self._register_functions(env)
        for env in list(self.mods.values()):
            self._resolve_imports(env)
        self._import_cycles()
        for env in list(self.mods.values()):
            self._define_types(env)
        for env in list(self.mods.values()):
            self._register_impls(env)
        self._check_bodies()
        main = self.mods.get("Main")
        if main is not None and "main" in main.members and main.members["main"].kind == "fn":
            self.entry = main.members["main"].target[0]
        errors = self.sink.errors
        if errors:
            # warnings ride along (after the errors) so that the driver still shows them
            raise CompileError(errors + self.sink.warnings)
        return CheckedProgram(
            modules=self.parsed, functions=self.functions, constants=self.constants,
            structs=self.structs, sums=self.sums, aliases=self.aliases, impls=self.impls,
            entry=self.entry, warnings=self.sink.warnings,
        )

    # ───────────────────────────── phase 1: collect ─────────────────────────────

    def _collect(self, name: str, path: str, items: list[A.Item], is_main: bool) -> ModEnv:
        env = ModEnv(name, path, items, is_main)
        self.mods[name] = env
        for item in items:
            if isinstance(item, A.ModuleDef):
                sub = f"{item.name}" if is_main else f"{name}.{item.name}"
                self._collect(sub, path, item.items, False)
                env.modules[item.name] = sub
                env.members[item.name] = Member("module", sub, item.is_pub, item.span)
        return env

    # ───────────────────────────── phase 2: types and imports ─────────────────────────────

    def _register_types(self, env: ModEnv) -> None:
        for item in env.items:
            if isinstance(item, (A.StructDef, A.SumTypeDef, A.TypeAlias)):
                key = f"{env.name}.{item.name}"
                if item.name in env.members and env.members[item.name].kind == "type":
                    self.error("E0044", f"duplicate definition of type `{item.name}`", item.span)
                    continue
                env.members[item.name] = Member("type", key, item.is_pub, item.span)
                env.types[item.name] = key
                if isinstance(item, A.SumTypeDef):
                    for v in item.variants:
                        env.variants.setdefault(v.name, key)
            elif isinstance(item, A.InterfaceDef):
                env.members[item.name] = Member("interface", f"{env.name}.{item.name}", item.is_pub, item.span)
                env.traits[item.name] = f"{env.name}.{item.name}"

    def _resolve_imports(self, env: ModEnv) -> None:
        for item in env.items:
            if isinstance(item, A.Import):
                mod_name = ".".join(item.path)
                alias = item.alias or item.path[-1]
                if mod_name in self.mods and mod_name != "Main":
                    env.modules[alias] = mod_name
                    item.info["module"] = mod_name
                elif mod_name in SL.STDLIB_MODULES:
                    item.info["module"] = mod_name
                else:
                    self._unknown_module(mod_name, item.span)
            elif isinstance(item, A.FromImport):
                mod_name = ".".join(item.path)
                item.info["module"] = mod_name
                if mod_name in SL.STDLIB_MODULES and mod_name not in self.mods:
                    for n in item.names:
                        found = SL.lookup_module_fn(mod_name, n)
                        if found is None:
                            self.error("E0034", "name not found in module", item.span,
                                       [Label(item.span, f"`{n}` is not exported by module `{mod_name}`")])
                        else:
                            env.stdlib_imports[n] = found[0]
                    continue
                target = self.mods.get(mod_name)
                if target is None:
                    self._unknown_module(mod_name, item.span)
                    continue
                for n in item.names:
                    m = target.members.get(n)
                    if m is None:
                        avail = sorted(k for k, v in target.members.items() if v.is_pub)
                        self.error("E0034", "name not found in module", item.span,
                                   [Label(item.span, f"`{n}` is not exported by module `{mod_name}`")],
                                   [f"available exports: {', '.join(avail)}"] if avail else [])
                        continue
                    if not m.is_pub:
                        self._private(n, mod_name, item.span)  # (still bound: no cascade of E0004)
                    env.imported[n] = m
                    if m.kind == "type":
                        env.types[n] = m.target
                        sdef = self._type_node(m.target)
                        if isinstance(sdef, A.SumTypeDef):
                            for v in sdef.variants:
                                env.variants.setdefault(v.name, m.target)
                    elif m.kind == "module":
                        env.modules[n] = m.target
                    elif m.kind == "interface":
                        env.traits[n] = m.target

    def _import_cycles(self) -> None:
        """E0045 for a module importing itself or a cycle of imports between files (the path
        printed `A -> B -> A`, each cycle once). Modules nested in one file are not edges."""
        edges: dict[str, list[tuple[str, A.Item]]] = {}
        for name, env in self.mods.items():
            for item in env.items:
                if isinstance(item, (A.Import, A.FromImport)):
                    target = ".".join(item.path)
                    if target in self.mods and self.mods[target].path != env.path or target == name:
                        edges.setdefault(name, []).append((target, item))
        reported: set[frozenset[str]] = set()
        state: dict[str, int] = {}  # 1 on the stack, 2 finished
        stack: list[str] = []

        def visit(mod: str) -> None:
            state[mod] = 1
            stack.append(mod)
            for target, item in edges.get(mod, []):
                if target == mod:
                    self.error("E0045", f"module `{mod}` cannot import itself", item.span,
                               [Label(item.span, "a module imports itself here")],
                               ["remove this import: a module's own names are always in scope"])
                elif state.get(target) == 1:
                    cycle = stack[stack.index(target):] + [target]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        self.error("E0045", f"circular dependency: {' -> '.join(cycle)}", item.span,
                                   [Label(item.span, f"`{mod}` imports `{target}`, which already depends on `{mod}`")],
                                   ["modules must form a tree of imports: move the shared items into a module "
                                    "that both can import"])
                elif target not in state:
                    visit(target)
            stack.pop()
            state[mod] = 2

        order = sorted(self.mods, key=lambda n: (n != "Main", n))
        for mod in order:
            if mod not in state:
                visit(mod)

    def _type_node(self, key: str) -> A.Item | None:
        mod, _, name = key.rpartition(".")
        env = self.mods.get(mod)
        if env is None:
            return None
        for item in env.items:
            if isinstance(item, (A.StructDef, A.SumTypeDef, A.TypeAlias)) and item.name == name:
                return item
        return None

    def _unknown_module(self, mod_name: str, span: A.Span) -> None:
        hints = []
        cands = [m for m in self.mods if m != "Main"]
        close = _closest(mod_name, cands)
        if close:
            hints.append(f"did you mean `{close}`?")
        else:
            path = "/".join(_snake(p) for p in mod_name.split(".")) + ".mpl"
            hints.append(f"expected a file `{path}` in the project")
        self.error("E0031", "module not found", span, [Label(span, f"module `{mod_name}` not found")], hints)

    def _private(self, name: str, mod_name: str, span: A.Span) -> None:
        self.error("E0035", "private item cannot be imported", span,
                   [Label(span, f"`{name}` is private in module `{mod_name}`")],
                   [f"add `pub` to `{name}` in module `{mod_name}` to make it accessible"])

    # ───────────────────────────── phase 3: type definitions ─────────────────────────────

    def _define_types(self, env: ModEnv) -> None:
        for item in env.items:
            if isinstance(item, A.TypeAlias):
                key = env.types.get(item.name)
                if key is not None and key.startswith(env.name + "."):
                    self.alias_nodes[key] = (env, item)
        for item in env.items:
            key = f"{env.name}.{getattr(item, 'name', '')}"
            if isinstance(item, A.StructDef):
                params = [TParam(g, key) for g in item.generics]
                pmap = {g: p for g, p in zip(item.generics, params, strict=True)}
                info = StructInfo(key, item.name, env.name, params, [], set(), item.is_pub, item)
                self.structs[key] = info
                item.info["def"] = info
                info.derives = self._derives(item.deriving, item.name, item.span, struct=True)
                for _kw, sargs in item.schema:
                    for a in sargs:
                        lit = {A.IntLit: INT, A.FloatLit: FLOAT, A.StringLit: STRING, A.BoolLit: BOOL,
                               A.AtomLit: ATOM}.get(type(a))
                        if lit is not None:
                            a.ty = lit
                        elif isinstance(a, A.Name):
                            a.info["qualifier"] = a.name  # a type named in an ORM declaration
                for f in item.fields:
                    info.fields.append((f.name, self.resolve_type(f.type, env, pmap)))
            elif isinstance(item, A.SumTypeDef):
                params = [TParam(g, key) for g in item.generics]
                info = SumInfo(key, item.name, env.name, params, [], set(), item.is_pub, item)
                self.sums[key] = info
                item.info["def"] = info
        for item in env.items:
            if isinstance(item, A.SumTypeDef):
                key = f"{env.name}.{item.name}"
                info = self.sums[key]
                pmap = {g: p for g, p in zip(item.generics, info.params, strict=True)}
                info.derives = self._derives(item.deriving, item.name, item.span, struct=False)
                for i, v in enumerate(item.variants):
                    info.variants.append(VariantInfo(
                        v.name, i, [(f.name, self.resolve_type(f.type, env, pmap)) for f in v.fields]))
            elif isinstance(item, A.TypeAlias):
                key = f"{env.name}.{item.name}"
                if key not in self.aliases:
                    self._define_alias(key)
        for item in env.items:
            if isinstance(item, (A.StructDef, A.SumTypeDef)):
                info = item.info["def"]
                fields = info.fields if isinstance(info, StructInfo) else \
                    [f for v in info.variants for f in v.fields]
                for i, (fname, fty) in enumerate(fields):
                    span = item.fields[i].span if isinstance(item, A.StructDef) else item.span
                    fname = fname or f"{i}"
                    if "Json" in info.derives and not self._json_ok(fty):
                        ts = show(fty)
                        self.error("E0038", f"field `{fname}` of type `{ts}` is not JSON-serializable", span,
                                   [Label(span, f"`{ts}` is not serializable")],
                                   [f"type `{ts}` does not derive Json; add `deriving(Json)` to its definition, "
                                    "or use a serializable type (Int, Float, Bool, String, Option<T>, List<T>, "
                                    "Map<String, V>)"])
                    if "Row" in info.derives and isinstance(info, StructInfo) and not _row_ok(fty):
                        ts = show(fty)
                        self.error("E0039", f"field `{fname}` has type `{ts}` which cannot be mapped from a "
                                   "database row", span, [Label(span, f"`{ts}` is not row-mappable")],
                                   ["only Int, Float, Bool, String, and Option<T> fields are supported for "
                                    "deriving(Row)"])

    def _json_ok(self, t: Any) -> bool:
        if isinstance(t, TParam):
            return True
        if isinstance(t, TCon):
            if t.name in ("Int", "Float", "Bool", "String"):
                return True
            if t.name in ("Option", "List"):
                return all(self._json_ok(a) for a in t.args)
            if t.name == "Map":
                return t.args[0] == STRING and self._json_ok(t.args[1])
            node = self._type_node(t.name)
            if isinstance(node, (A.StructDef, A.SumTypeDef)):
                return node.deriving is not None and "Json" in node.deriving and \
                    all(self._json_ok(a) for a in t.args)
        return False

    def _define_alias(self, key: str) -> AliasInfo | None:
        if key in self.aliases:
            return self.aliases[key]
        entry = self.alias_nodes.get(key)
        if entry is None:
            return None
        env, item = entry
        params = [TParam(g, key) for g in item.generics]
        info = AliasInfo(key, item.name, env.name, params, UNIT, item.is_pub)
        self.aliases[key] = info  # (guards against cycles)
        pmap = {g: p for g, p in zip(item.generics, params, strict=True)}
        info.target = self.resolve_type(item.type, env, pmap)
        item.info["def"] = info
        return info

    def _derives(self, deriving: list[str] | None, name: str, span: A.Span, struct: bool) -> set[str]:
        if deriving is None:
            return {"Debug", "Eq", "Ord", "Hash"} if struct else {"Debug", "Eq", "Ord"}
        out = set()
        for d in deriving:
            if d not in DERIVABLE or (d == "Schema" and not struct):
                self.error("E0028", f"cannot derive `{d}` for `{name}`", span,
                           [Label(span, f"`{d}` is not a derivable trait")],
                           ["only Eq, Ord, Display, Debug, Hash, Json, and Row are derivable"])
                continue
            out.add(d)
        if "Ord" in out and "Eq" not in out:
            self.error("E0029", f"cannot derive `Ord` for `{name}` without `Eq`", span,
                       [Label(span, "`Ord` requires `Eq` for its implementation")],
                       ["add `Eq` to the deriving list: deriving(Eq, Ord)"])
        return out

    def resolve_type(self, te: A.TypeExpr, env: ModEnv, params: dict[str, Any] | None = None,
                     fresh_unknown: bool = False) -> Any:
        """Annotation -> type. `params` maps generic names to TParams (or TVars)."""
        params = params or {}
        if isinstance(te, A.TupleType):
            return TTuple(tuple(self.resolve_type(t, env, params, fresh_unknown) for t in te.items))
        if isinstance(te, A.FunType):
            return TFun(tuple(self.resolve_type(t, env, params, fresh_unknown) for t in te.params),
                        self.resolve_type(te.ret, env, params, fresh_unknown))
        assert isinstance(te, A.TypeName)
        args = [self.resolve_type(t, env, params, fresh_unknown) for t in te.args]
        path = te.path
        name = ".".join(path)
        if name in params:
            return params[name]
        if len(path) == 2 and path[0] == "Self":
            if "Self" not in params:
                self.error("E0042", f"cannot resolve associated type `{path[1]}`", te.span,
                           [Label(te.span, "Self.Item can only be used inside an impl block")])
            return TVar(self.level + 1)  # an abstract projection (interface signature)
        if name in ("Int", "Float", "String", "Bool", "Atom"):
            return TCon(name)
        if name in ("Unit",):
            return UNIT
        if name in SL.GENERIC_BUILTINS:
            arity = SL.GENERIC_BUILTINS[name]
            if name == "Pid" and not args:
                return TCon("Pid")
            if len(args) != arity:
                if not args:
                    return TCon(name, tuple(TVar(self.level + 1) if fresh_unknown else UNIT
                                            for _ in range(arity)))
                self.error("E0003", f"type `{name}` expects {arity} type argument(s), found {len(args)}",
                           te.span)
                return TCon(name, tuple(args[:arity]) + (UNIT,) * max(0, arity - len(args)))
            return TCon(name, tuple(args))
        if name in ("ListIterator", "MapIterator", "SetIterator", "RangeIterator"):
            return TCon("Iter", (TVar(self.level + 1),)) if fresh_unknown else TCon(name)
        key = self._lookup_type_key(path, env, te.span)
        if key is None:
            if name in SL.OPAQUE_TYPES or name in ("Self",):
                return TCon(name)
            close = _closest(name, list(env.types) + ["Int", "Float", "String", "Bool"])
            self.error("E0043", f"unknown type `{name}`", te.span, [Label(te.span, "not found in this scope")],
                       [f"did you mean `{close}`?"] if close else [])
            return TVar(self.level + 1)  # (no cascade of mismatches)
        if key in self.structs or key in self.sums:
            tparams = (self.structs[key].params if key in self.structs else self.sums[key].params)
            if len(args) != len(tparams):
                if not args:
                    args = [TVar(self.level + 1) if fresh_unknown else UNIT for _ in tparams]
                else:
                    self.error("E0003", f"type `{name}` expects {len(tparams)} type argument(s), "
                               f"found {len(args)}", te.span)
                    args = (args + [UNIT] * len(tparams))[: len(tparams)]
            return TCon(key, tuple(args))
        alias = self._define_alias(key)
        if alias is not None:
            if len(args) != len(alias.params):
                args = (args + [TVar(self.level + 1) for _ in alias.params])[: len(alias.params)]
            return subst_i(alias.target, dict(zip(alias.params, args, strict=True)))
        return TCon(key, tuple(args))

    def _lookup_type_key(self, path: list[str], env: ModEnv, span: A.Span) -> str | None:
        if len(path) == 1:
            key = env.types.get(path[0])
            if key is not None:
                return key
            if path[0] in BUILTIN_VARIANTS.values():
                return path[0]
            # the reference makes the public types of `import`ed modules visible unqualified
            for mod in env.modules.values():
                m = self.mods[mod].members.get(path[0]) if mod in self.mods else None
                if m is not None and m.kind == "type" and m.is_pub:
                    return m.target
            return None
        mod = self._module_for_path(path[:-1], env)
        if mod is not None:
            m = self.mods[mod].members.get(path[-1])
            if m is not None and m.kind == "type":
                if not m.is_pub and mod != env.name:
                    self._private(path[-1], mod, span)
                return m.target
        return None

    def _module_for_path(self, path: list[str], env: ModEnv) -> str | None:
        name = ".".join(path)
        if path[0] in env.modules:
            full = ".".join([env.modules[path[0]], *path[1:]])
            if full in self.mods:
                return full
        if name in self.mods and name != "Main":
            return name
        return None

    # ───────────────────────────── phase 4: functions ─────────────────────────────

    def _register_functions(self, env: ModEnv) -> None:
        fndefs = [it for it in env.items if isinstance(it, A.FnDef)]
        arities: dict[str, set[int]] = {}
        for fd in fndefs:
            arities.setdefault(fd.name, set()).add(len(fd.params))
        groups: list[list[A.FnDef]] = []
        seen: dict[tuple[str, int], A.FnDef] = {}
        prev: A.Item | None = None
        for item in env.items:
            if isinstance(item, A.FnDef):
                key = (item.name, len(item.params))
                if (isinstance(prev, A.FnDef) and groups and prev.name == item.name
                        and len(prev.params) == len(item.params)):
                    groups[-1].append(item)
                elif key in seen:
                    first = seen[key]
                    self.error("E0023", f"function `{item.name}/{key[1]}` already defined; multi-clause "
                               "functions must have consecutive clauses", item.span,
                               [Label(first.span, "first definition here"),
                                Label(item.span, "non-consecutive redefinition here")])
                else:
                    seen[key] = item
                    groups.append([item])
            prev = item
        for group in groups:
            first = group[0]
            arity = len(first.params)
            mangled = mangle(env.name, first.name)
            if len(arities[first.name]) > 1:
                mangled = f"{mangled}__{arity}"
            self._clause_diagnostics(group)
            multi = len(group) > 1 or any(not isinstance(p.pattern, (A.VarPat, A.WildcardPat))
                                          for p in first.params)
            sym = FnSymbol(first.name, env.name, mangled, [TParam(g, mangled) for g in first.generics],
                           TFun((), UNIT), list(group), first.is_pub, is_multi_clause=multi)
            if env.is_main and first.name == "main":
                sym.kind = "main"
            self.functions[mangled] = sym
            self.fn_env[mangled] = env
            for fd in group:
                fd.info["symbol"] = sym
            m = env.members.get(first.name)
            if m is not None and m.kind == "fn":
                m.target.append(mangled)
            else:
                env.members[first.name] = Member("fn", [mangled], first.is_pub, first.span)
        for item in env.items:
            if isinstance(item, A.LetItem):
                pat = item.let.pattern
                if isinstance(pat, A.VarPat):
                    mangled = mangle(env.name, pat.name)
                    cs = ConstSymbol(pat.name, env.name, mangled, UNIT, item, item.is_pub)
                    self.constants[mangled] = cs
                    item.info["const"] = cs
                    env.members[pat.name] = Member("const", mangled, item.is_pub, item.span)
                    self.fn_env[mangled] = env
            elif isinstance(item, A.ActorDef):
                mangled = mangle(env.name, item.name)
                sym = FnSymbol(item.name, env.name, mangled, [], TFun((), UNIT), [], item.is_pub, kind="actor")
                self.functions[mangled] = sym
                self.fn_env[mangled] = env
                item.info["symbol"] = sym
                env.members[item.name] = Member("actor", mangled, True, item.span)  # actors are exported
            elif isinstance(item, A.ServiceDef):
                env.members[item.name] = Member("service", item, True, item.span)
                # helper functions inside a service body: module-private functions
                groups2: list[list[A.FnDef]] = []
                for fd in item.functions:
                    if groups2 and groups2[-1][0].name == fd.name and len(groups2[-1][0].params) == len(fd.params):
                        groups2[-1].append(fd)
                    else:
                        groups2.append([fd])
                for group in groups2:
                    first = group[0]
                    mangled = f"{mangle(env.name, item.name)}__{first.name}"
                    self._clause_diagnostics(group)
                    multi = len(group) > 1 or any(not isinstance(p.pattern, (A.VarPat, A.WildcardPat))
                                                  for p in first.params)
                    sym = FnSymbol(first.name, env.name, mangled, [TParam(g, mangled) for g in first.generics],
                                   TFun((), UNIT), list(group), False, is_multi_clause=multi)
                    self.functions[mangled] = sym
                    self.fn_env[mangled] = env
                    for fd in group:
                        fd.info["symbol"] = sym
                    if first.name not in env.members:
                        env.members[first.name] = Member("fn", [mangled], False, first.span)
            elif isinstance(item, A.SupervisorDef):
                env.members[item.name] = Member("supervisor", item, item.is_pub, item.span)

    def _clause_diagnostics(self, group: list[A.FnDef]) -> None:
        first = group[0]
        arity = len(first.params)
        for clause in group[1:]:
            for what, present in (("visibility", clause.is_pub), ("generic parameters", bool(clause.generics)),
                                  ("return type annotation", clause.ret is not None),
                                  ("where clause", bool(clause.where))):
                if present:
                    self.warn("W0002", f"{what} on non-first clause of `{first.name}` will be ignored",
                              clause.span)
            if len(clause.params) != arity:
                self.error("E0024", f"all clauses of `{first.name}` must have the same number of parameters; "
                           f"expected {arity}, found {len(clause.params)}", clause.span,
                           [Label(clause.span, f"expected {arity} parameters")])
        if len(group) > 1:
            for clause in group[:-1]:
                if clause.guard is None and all(isinstance(p.pattern, (A.VarPat, A.WildcardPat))
                                                for p in clause.params):
                    self.error("E0022", f"catch-all clause must be the last clause of function "
                               f"`{first.name}/{arity}`", clause.span,
                               [Label(clause.span, "clauses after a catch-all are unreachable")])

    # ───────────────────────────── phase 5: bodies ─────────────────────────────

    def _check_bodies(self) -> None:
        for mangled in list(self.constants):
            self.ensure_const(mangled)
        for mangled in list(self.functions):
            self.ensure_fn(mangled)
        for env in list(self.mods.values()):
            for item in env.items:
                if isinstance(item, A.ServiceDef):
                    self._check_service(env, item)
                elif isinstance(item, A.SupervisorDef):
                    self._check_supervisor(env, item)
                elif isinstance(item, A.ImplDef):
                    self._check_impl(env, item)
                elif isinstance(item, A.InterfaceDef):
                    self.menv = env
                    self.frames, self.scopes = [FnCtx(UNIT, None)], [{}]
                    self._check_interface(env, item)
        self._finish()

    def _save(self) -> tuple:
        return (self.scopes, self.frames, self.menv)

    def _restore(self, st: tuple) -> None:
        self.scopes, self.frames, self.menv = st

    def ensure_const(self, mangled: str) -> Any:
        cs = self.constants[mangled]
        if mangled in self.done:
            return cs.type
        if mangled in self.in_progress:
            self.error("E0001", f"constant `{cs.name}` refers to itself", cs.node.span)
            return TVar(self.level)
        self.in_progress.add(mangled)
        st = self._save()
        owner = self.cur_owner
        self.cur_owner = mangled
        self.menv = self.fn_env[mangled]
        self.scopes, self.frames = [{}], [FnCtx(UNIT, None)]
        let = cs.node.let
        try:
            ty = self.expr(let.value)
            if let.type is not None:
                ann = self.resolve_type(let.type, self.menv, fresh_unknown=True)
                self.unify_at(ann, ty, let.value.span)
                ty = ann
        except _Abort:
            ty = TVar(self.level)
        let.pattern.ty = ty
        self._note(let.pattern)
        cs.type = ty
        self._restore(st)
        self.cur_owner = owner
        self.in_progress.discard(mangled)
        self.done.add(mangled)
        return ty

    def ensure_fn(self, mangled: str) -> None:
        if mangled in self.done or mangled in self.in_progress:
            return
        sym = self.functions[mangled]
        self.in_progress.add(mangled)
        st = self._save()
        owner = self.cur_owner
        self.cur_owner = mangled
        self.menv = self.fn_env[mangled]
        self.level += 1
        try:
            if sym.kind == "actor":
                self._check_actor(sym)
            else:
                self._check_fn(sym)
        finally:
            self.level -= 1
            self._restore(st)
            self.cur_owner = owner
        itype = self.fn_itype[mangled]
        explicit = list(sym.type_params)
        inferred = generalize(itype, self.level, mangled, 0)
        names = {p.name for p in explicit}
        params = list(explicit)
        k = 0
        for p in inferred:
            if p in params:
                continue
            # rename inferred parameters so they never clash with explicit ones
            while f"t{k}" in names:
                k += 1
            newp = TParam(f"t{k}", mangled)
            for v in free_vars(itype):
                if v.param == p:
                    v.param = newp
            names.add(newp.name)
            params.append(newp)
            k += 1
        sym.type_params = params
        self.in_progress.discard(mangled)
        self.done.add(mangled)

    def _fn_signature(self, sym: FnSymbol, env: ModEnv) -> tuple[list[Any], Any, dict[str, Any]]:
        first = sym.clauses[0]
        pmap: dict[str, Any] = {p.name: p for p in sym.type_params}
        if sym.impl is not None:
            pmap["Self"] = sym.impl.for_type
            for k, v in sym.impl.assoc_types.items():
                pmap[f"Self.{k}"] = v
        params = []
        for p in first.params:
            if p.type is not None:
                params.append(self.resolve_type(p.type, env, pmap, fresh_unknown=True))
            elif sym.impl is not None and isinstance(p.pattern, A.VarPat) and p.pattern.name == "self":
                params.append(sym.impl.for_type)
            else:
                params.append(TVar(self.level))
        ret = self.resolve_type(first.ret, env, pmap, fresh_unknown=True) if first.ret is not None \
            else TVar(self.level)
        for b in first.where:
            tp = pmap.get(b.var)
            if isinstance(tp, TParam):
                sym.bounds.setdefault(tp, []).extend(".".join(t.path) for t in b.traits)
        return params, ret, pmap

    def _check_fn(self, sym: FnSymbol) -> None:
        env = self.menv
        assert env is not None
        params, ret, pmap = self._fn_signature(sym, env)
        self.fn_itype[sym.mangled] = TFun(tuple(params), ret)
        if sym.impl is not None and not sym.mangled.endswith("__default"):
            found = self._iface_method(sym.impl.trait, sym.name)
            if found is not None:
                exp = self._method_sig(found[0], found[2], sym.impl.for_type)
                if len(exp.params) == len(params):
                    # unannotated impl parameters take the interface's types (mismatches: E0008 later)
                    for a, b in zip(exp.params, params, strict=True):
                        if isinstance(prune(b), TVar):
                            try:
                                unify(b, a)
                            except UnifyError:
                                pass
        first = sym.clauses[0]
        rows = []
        for clause in sym.clauses:
            self.frames = [FnCtx(ret, sym)]
            self.scopes = [{}]
            bindings: dict[str, Binding] = {}
            for i, p in enumerate(clause.params):
                pty = params[i] if i < len(params) else TVar(self.level)
                if clause is not first and p.type is not None:
                    ann = self.resolve_type(p.type, env, pmap, fresh_unknown=True)
                    self.unify_at(pty, ann, p.span)
                before = set(bindings)
                self.pattern(p.pattern, pty, bindings)
                p.info["bindings"] = [b for n, b in bindings.items() if n not in before]
            self.scopes[-1].update(bindings)
            if clause.guard is not None:
                self._guard(clause.guard, fn_guard=True)
            if clause.body is not None:
                try:
                    bty = self.expr(clause.body)
                    span = _last_span(clause.body)
                    labels = [Label(span, f"returns {show(resolve(bty))}")]
                    if first.ret is not None:
                        labels.append(Label(first.ret.span, f"return type declared as {show(resolve(ret))}"))
                    self.unify_at(ret, bty, span, labels if first.ret is not None else None)
                except _Abort:
                    pass
            rows.append((tuple(p.pattern for p in clause.params), clause.guard is not None, clause.span))
        if sym.is_multi_clause:
            self.deferred.append(("clauses", sym, rows, params))
        self._mark_tail_calls(sym)

    # ───────────────────────────── scopes ─────────────────────────────

    def _note(self, n: Any) -> None:
        self.nodes.append(n)
        self.owners.append(self.cur_owner)

    def push_scope(self) -> None:
        self.scopes.append({})

    def pop_scope(self) -> None:
        self.scopes.pop()

    def bind(self, b: Binding) -> None:
        self.scopes[-1][b.name] = b

    def new_binding(self, name: str, ty: Any, span: A.Span) -> Binding:
        return Binding(next(_binding_ids), name, ty, span)

    def lookup_local(self, name: str) -> Binding | None:
        for idx in range(len(self.scopes) - 1, -1, -1):
            b = self.scopes[idx].get(name)
            if b is not None:
                for fr in self.frames:
                    if fr.captures is not None and fr.scope_base > idx and b not in fr.captures:
                        fr.captures.append(b)
                return b
        return None

    @property
    def frame(self) -> FnCtx:
        return self.frames[-1]

    def actor_msg_type(self) -> Any:
        for fr in reversed(self.frames):
            if fr.actor_msg is not None:
                return fr.actor_msg
        return None

    # ───────────────────────────── references ─────────────────────────────

    def fn_ref(self, mangled: str, span: A.Span | None = None) -> tuple[Any, GlobalFnRef]:
        if mangled not in self.done and mangled not in self.in_progress:
            self.ensure_fn(mangled)
        sym = self.functions[mangled]
        itype = self.fn_itype.get(mangled)
        if itype is None:
            return TVar(self.level), GlobalFnRef(mangled)
        if mangled in self.in_progress:
            fresh: tuple[Any, ...] = ()
            if mangled != self.cur_owner and sym.type_params:
                # another function of the recursive group: its declared type parameters are known
                # already and are instantiated (its inferred ones stay shared until generalised)
                itype, fresh = instantiate(itype, sym.type_params, self.level)
                if sym.bounds and span is not None:
                    self.deferred.append(("bounds", sym, fresh, span, self._current_bounds()))
            ref = GlobalFnRef(mangled, ())
            self.pending_refs.append((ref, mangled, fresh))
            if fresh:
                self.infos.append(ref)  # zonks the instantiated arguments
            return itype, ref
        ty, args = instantiate(itype, sym.type_params, self.level)
        ref = GlobalFnRef(mangled, args)
        self.infos.append(ref)
        if sym.bounds and span is not None:
            self.deferred.append(("bounds", sym, args, span, self._current_bounds()))
        return ty, ref

    def _current_bounds(self) -> dict[TParam, list[str]]:
        for fr in self.frames:
            if fr.symbol is not None:
                return fr.symbol.bounds
        return {}

    def builtin_ref(self, canon: str, entry: tuple[list[TParam], Any]) -> tuple[Any, BuiltinRef]:
        params, t = entry
        ty, _ = instantiate(t, params, self.level)
        ref = BuiltinRef(canon, ty)
        self.infos.append(ref)
        return ty, ref

    def variant_ref(self, sum_key: str, vname: str) -> tuple[Any, VariantRef] | None:
        info = self.sums.get(sum_key)
        if info is None:
            return None
        v = info.variant(vname)
        if v is None:
            return None
        fresh = tuple(TVar(self.level) for _ in info.params)
        mapping = dict(zip(info.params, fresh, strict=True))
        sty = TCon(sum_key, fresh)
        ref = VariantRef(sum_key, vname, v.tag, fresh)
        self.infos.append(ref)
        if not v.fields:
            return sty, ref
        return TFun(tuple(subst_i(t, mapping) for _, t in v.fields), sty), ref

    def lookup_variant(self, name: str, env: ModEnv) -> str | None:
        if name in env.variants:
            return env.variants[name]
        if name in BUILTIN_VARIANTS:
            return BUILTIN_VARIANTS[name]
        return None

    def member_ref(self, m: Member, name: str, arity: int | None, span: A.Span) -> tuple[Any, Any]:
        if m.kind == "fn":
            cands = m.target
            chosen = cands[0]
            if arity is not None:
                for c in cands:
                    if len(self.functions[c].clauses[0].params) == arity:
                        chosen = c
            return self.fn_ref(chosen, span)
        if m.kind == "const":
            ty = self.ensure_const(m.target)
            return ty, ConstRef(m.target)
        if m.kind == "actor":
            self.ensure_fn(m.target)
            return self.fn_itype.get(m.target, TVar(self.level)), ActorRef(m.target)
        self.error("E0004", f"undefined variable: {name}", span, [Label(span, "not found in this scope")])
        raise _Abort

    def name_ref(self, node: A.Expr, name: str, arity: int | None = None) -> tuple[Any, Any]:
        b = self.lookup_local(name)
        if b is not None:
            if b.type_params:
                ty, args = instantiate(b.ty, b.type_params, self.level)
                ref = LocalRef(b, args)
                self.infos.append(ref)
                return ty, ref
            return b.ty, LocalRef(b)
        env = self.menv
        assert env is not None
        m = env.members.get(name) or env.imported.get(name)
        if m is not None and m.kind in ("fn", "const", "actor"):
            return self.member_ref(m, name, arity, node.span)
        if name in env.stdlib_imports:
            canon = env.stdlib_imports[name]
            return self.builtin_ref(canon, SL.builtin_table()[canon])
        sk = self.lookup_variant(name, env)
        if sk is not None:
            r = self.variant_ref(sk, name)
            if r is not None:
                return r
        found = SL.lookup_bare(name)
        if found is not None:
            return self.builtin_ref(*found)
        names = [n for s in self.scopes for n in s] + list(env.members)
        close = _closest(name, names)
        self.error("E0004", f"undefined variable: {name}", node.span, [Label(node.span, "not found in this scope")],
                   [f"did you mean `{close}`?"] if close else [])
        raise _Abort

    def qualified(self, node: A.FieldAccess, arity: int | None = None) -> tuple[Any, Any] | None:
        """`Mod.f`, `Mod.Sub.f`, `Type.Variant`, `Stdlib.f` — None when `obj` is a value."""
        path = _name_path(node.obj)
        if path is None or self.lookup_local(path[0]) is not None:
            return None
        env = self.menv
        assert env is not None
        name = node.field
        mod = self._module_for_path(path, env)
        if mod is not None:
            _mark_qualifier(node.obj, ".".join(path))
            target = self.mods[mod]
            m = target.members.get(name)
            if m is None:
                sk = target.variants.get(name)
                if sk is not None:
                    tm = target.members.get(sk.rpartition(".")[2])
                    if tm is not None and not tm.is_pub and mod != env.name:
                        self._private(sk.rpartition(".")[2], mod, node.span)
                        raise _Abort
                    r = self.variant_ref(sk, name)
                    if r is not None:
                        return r
                self.error("E0004", f"undefined variable: {'.'.join(path)}.{name}", node.span,
                           [Label(node.span, f"`{name}` is not defined in module `{mod}`")])
                raise _Abort
            if not m.is_pub and mod != env.name and not mod.startswith(env.name + ".") \
                    and not env.name.startswith(mod):
                self._private(name, mod, node.span)
                raise _Abort
            return self.member_ref(m, name, arity, node.span)
        # a type: variant constructor or static function
        key = self._lookup_type_key(path, env, node.span) if path[0][:1].isupper() else None
        if key is not None and key in self.sums:
            r = self.variant_ref(key, name)
            if r is not None:
                _mark_qualifier(node.obj, ".".join(path))
                return r
            if name[:1].isupper():
                self.error("E0010", f"unknown variant: {name}", node.span, [Label(node.span, "not a known variant")])
                raise _Abort
            return None
        if len(path) == 1 and path[0] in SL.STDLIB_MODULES:
            found = SL.lookup_module_fn(path[0], name)
            if found is None and (path[0] == "Tuple" or (path[0] == "Node" and name.startswith("spawn"))):
                return None
            _mark_qualifier(node.obj, path[0])
            if found is None:
                self.error("E0030", f"no method `{name}` on type `{path[0]}`", node.span,
                           [Label(node.span, f"method `{name}` not found")])
                raise _Abort
            return self.builtin_ref(*found)
        if key is not None:
            return None  # static methods on user types are handled by the caller
        if path[0][:1].isupper() and self._service_member(path, env) is None:
            if len(path) == 1 and path[0] not in env.types and path[0] not in env.traits \
                    and path[0] not in ("Display", "Debug", "Eq", "Ord", "Hash", "Default", "From", "Into"):
                self._unknown_module(".".join(path), node.obj.span)
                raise _Abort
        return None

    # ───────────────────────────── expressions ─────────────────────────────

    def expr(self, e: A.Expr, expected: Any = None) -> Any:
        meth = getattr(self, "e_" + type(e).__name__, None)
        if meth is None:
            raise NotImplementedError(f"checker: expression {type(e).__name__}")
        try:
            ty = meth(e, expected)
        except _Abort:
            e.ty = TVar(self.level)
            self.diverge.add(e.ty.id)
            self._note(e)
            raise
        e.ty = ty
        self._note(e)
        return ty

    def expr_soft(self, e: A.Expr, expected: Any = None) -> Any:
        """Check `e`; after an error inside it continue with an unknown (diverging) type."""
        try:
            return self.expr(e, expected)
        except _Abort:
            return e.ty

    def diverging(self) -> TVar:
        v = TVar(self.level)
        self.diverge.add(v.id)
        return v

    def e_IntLit(self, e: A.IntLit, expected: Any) -> Any:
        return INT

    def e_FloatLit(self, e: A.FloatLit, expected: Any) -> Any:
        return FLOAT

    def e_BoolLit(self, e: A.BoolLit, expected: Any) -> Any:
        return BOOL

    def e_NilLit(self, e: A.NilLit, expected: Any) -> Any:
        return UNIT

    def e_AtomLit(self, e: A.AtomLit, expected: Any) -> Any:
        return ATOM

    def e_StringLit(self, e: A.StringLit, expected: Any) -> Any:
        for part in e.parts:
            if isinstance(part, A.Expr):
                t = self.expr_soft(part)
                ref = TraitMethodRef("Display", "to_string", t)
                part.info["to_string"] = ref
                self.infos.append(ref)
                self.deferred.append(("display", ref, part.span))
        return STRING

    def e_Name(self, e: A.Name, expected: Any) -> Any:
        ty, ref = self.name_ref(e, e.name)
        e.info["res"] = ref
        return ty

    def e_SelfExpr(self, e: A.SelfExpr, expected: Any) -> Any:
        b = self.lookup_local("self")
        if b is None:
            self.error("E0004", "undefined variable: self", e.span, [Label(e.span, "not found in this scope")])
            raise _Abort
        e.info["res"] = LocalRef(b)
        return b.ty

    def e_SelfPid(self, e: A.SelfPid, expected: Any) -> Any:
        msg = self.actor_msg_type()
        if msg is None:
            if self.frames and self.frames[0].symbol is not None and self.frames[0].symbol.kind == "service_fn":
                return TCon("Pid")
            self.error("E0015", "self() used outside actor block", e.span,
                       [Label(e.span, "self() is only available inside an actor block")])
            raise _Abort
        return TCon("Pid", (msg,))

    def e_TupleExpr(self, e: A.TupleExpr, expected: Any) -> Any:
        exp = prune(expected) if expected is not None else None
        items = []
        for i, it in enumerate(e.items):
            hint = exp.items[i] if isinstance(exp, TTuple) and len(exp.items) == len(e.items) else None
            items.append(self.expr_soft(it, hint))
        return TTuple(tuple(items))

    def e_ListExpr(self, e: A.ListExpr, expected: Any) -> Any:
        exp = prune(expected) if expected is not None else None
        elem = exp.args[0] if isinstance(exp, TCon) and exp.name == "List" and exp.args else TVar(self.level)
        for it in e.items:
            t = self.expr_soft(it, elem)
            self.unify_at(elem, t, it.span)
        return TCon("List", (elem,))

    def e_MapExpr(self, e: A.MapExpr, expected: Any) -> Any:
        k, v = TVar(self.level), TVar(self.level)
        for ke, ve in e.entries:
            self.unify_at(k, self.expr_soft(ke), ke.span)
            self.unify_at(v, self.expr_soft(ve, v), ve.span)
        return TCon("Map", (k, v))

    def e_IndexExpr(self, e: A.IndexExpr, expected: Any) -> Any:
        ot = prune(self.expr_soft(e.obj))
        it = self.expr_soft(e.index)
        if isinstance(ot, TCon) and ot.name == "List":
            self.unify_at(INT, it, e.index.span)
            return ot.args[0]
        if isinstance(ot, TCon) and ot.name == "Map":
            self.unify_at(ot.args[0], it, e.index.span)
            return ot.args[1]
        return UNIT

    def e_Block(self, e: A.Block, expected: Any) -> Any:
        self.push_scope()
        try:
            ty: Any = UNIT
            n = len(e.stmts)
            for i, st in enumerate(e.stmts):
                last = i == n - 1
                if isinstance(st, A.Let):
                    self.let_stmt(st)
                    ty = UNIT
                else:
                    ty = self.expr_soft(st, expected if last else None)
            return ty
        finally:
            self.pop_scope()

    def let_stmt(self, st: A.Let) -> None:
        generalizable = isinstance(st.value, A.Closure) and isinstance(st.pattern, A.VarPat) and st.type is None
        if generalizable:
            self.level += 1
        try:
            ann = self.resolve_type(st.type, self.menv, self._tparams(), fresh_unknown=True) \
                if st.type is not None else None
            ty = self.expr_soft(st.value, ann)
            if ann is not None:
                self.unify_at(ann, ty, st.value.span, [Label(st.type.span, f"expected {show(resolve(ann))} "
                                                                           "from annotation")])
                ty = ann
        finally:
            if generalizable:
                self.level -= 1
        bindings: dict[str, Binding] = {}
        self.pattern(st.pattern, ty, bindings)
        if generalizable:
            b = next(iter(bindings.values()))
            owner = f"let#{b.id}"
            b.type_params = generalize(ty, self.level, owner)
            if b.type_params:
                st.info["type_params"] = b.type_params
                self.gen_lets.append(st)
        st.info["bindings"] = list(bindings.values())
        if not isinstance(st.pattern, (A.VarPat, A.WildcardPat, A.TuplePat, A.AsPat)):
            self.deferred.append(("let", st, ty))
        for b in bindings.values():
            self.bind(b)

    def _tparams(self) -> dict[str, Any]:
        for fr in self.frames:
            if fr.symbol is not None:
                out: dict[str, Any] = {p.name: p for p in fr.symbol.type_params if not p.name.startswith("t")
                                       or p.owner != fr.symbol.mangled}
                if fr.symbol.impl is not None:
                    out["Self"] = fr.symbol.impl.for_type
                    for k, v in fr.symbol.impl.assoc_types.items():
                        out[f"Self.{k}"] = v
                return out
        return {}

    def e_If(self, e: A.If, expected: Any) -> Any:
        ct = self.expr_soft(e.cond)
        self.unify_at(BOOL, ct, e.cond.span)
        tt = self.expr_soft(e.then, expected)
        if e.else_ is None:
            return UNIT
        et = self.expr_soft(e.else_, expected)
        try:
            unify(tt, et)
        except UnifyError:
            then_span, else_span = _last_span(e.then), _last_span(e.else_)
            exp, fnd = show(resolve(tt)), show(resolve(et))
            self.error("E0001", f"expected {exp}, found {fnd}", e.span,
                       [Label(then_span, f"expected {exp}"), Label(else_span, f"found {fnd}")],
                       [h for h in [_fix_suggestion(exp, fnd)] if h])
        return tt

    def e_Case(self, e: A.Case, expected: Any) -> Any:
        st = self.expr_soft(e.scrutinee)
        result: Any = expected if expected is not None else TVar(self.level)
        first_arm_ty = None
        for arm in e.arms:
            self.match_arm(arm, st)
            bt = arm.body.ty
            if first_arm_ty is None:
                first_arm_ty = bt
            self.unify_at(result, bt, _last_span(arm.body))
        self.deferred.append(("case", e, st, [(a.pattern, a.guard is not None, a.span) for a in e.arms]))
        return result

    def match_arm(self, arm: A.MatchArm, scrut: Any) -> None:
        self.push_scope()
        try:
            bindings: dict[str, Binding] = {}
            self.pattern(arm.pattern, scrut, bindings)
            arm.info["bindings"] = list(bindings.values())
            self.scopes[-1].update(bindings)
            if arm.guard is not None:
                self._guard(arm.guard, fn_guard=False)
            self.expr_soft(arm.body)
        finally:
            self.pop_scope()

    def _guard(self, g: A.Expr, fn_guard: bool) -> None:
        reason = None if fn_guard else _invalid_guard(g)
        if reason is not None:
            self.error("E0013", f"invalid guard: {reason}", g.span,
                       [Label(g.span, "only comparisons, boolean ops, literals, and names allowed")],
                       ["guards must be simple boolean expressions"])
        t = self.expr_soft(g)
        try:
            unify(BOOL, t)
        except UnifyError:
            fnd = show(resolve(t))
            self.error("E0025", f"guard expression must return `Bool`, found `{fnd}`", g.span,
                       [Label(g.span, f"expected `Bool`, found `{fnd}`")])

    def e_While(self, e: A.While, expected: Any) -> Any:
        ct = self.expr_soft(e.cond)
        self.unify_at(BOOL, ct, e.cond.span)
        self.frame.loop_depth += 1
        try:
            self.expr_soft(e.body)
        finally:
            self.frame.loop_depth -= 1
        return UNIT

    def e_For(self, e: A.For, expected: Any) -> Any:
        it = e.iterable
        self._iter_impl = None
        if isinstance(it, A.BinaryOp) and it.op == "..":
            self.expr_soft(it)
            kind, elem = "range", INT
        else:
            t = prune(resolve(self.expr_soft(it)))
            kind, elem = self._iter_kind(t, it.span)
        iter_ref = self._iter_impl
        self.push_scope()
        self.frame.loop_depth += 1
        try:
            bindings: dict[str, Binding] = {}
            self.pattern(e.pattern, elem, bindings)
            self.scopes[-1].update(bindings)
            e.info["bindings"] = list(bindings.values())
            if e.filter is not None:
                ft = self.expr_soft(e.filter)
                self.unify_at(BOOL, ft, e.filter.span)
            bt = self.expr_soft(e.body)
        finally:
            self.frame.loop_depth -= 1
            self.pop_scope()
        result = TCon("List", (bt,))
        info = ForInfo(kind, elem, result, iter_ref if kind == "iterable" else None)
        e.info["for"] = info
        self.infos.append(info)
        return result

    def _iter_kind(self, t: Any, span: A.Span) -> tuple[str, Any]:
        if isinstance(t, TCon):
            if t.name == "Range":
                return "range", INT
            if t.name == "List":
                return "list", t.args[0]
            if t.name == "Map":
                return "map", TTuple((t.args[0], t.args[1]))
            if t.name == "Set":
                return "set", t.args[0]
            if t.name == "Iter":
                return "iterator", t.args[0]
            impl = self.find_impl("Iterable", t)
            if impl is not None:
                item = impl.assoc_types.get("Item", TVar(self.level))
                self._iter_impl = TraitMethodRef("Iterable", "iter", t, impl.methods.get("iter"))
                self.infos.append(self._iter_impl)
                return "iterable", item
        if isinstance(t, TVar):
            elem = TVar(self.level)
            self.unify_at(TCon("List", (elem,)), t, span)
            return "list", elem
        self.error("E0006", f"{show(t)} does not implement Iterable", span,
                   [Label(span, f"{show(t)} does not satisfy Iterable")])
        return "list", TVar(self.level)

    def e_Break(self, e: A.Break, expected: Any) -> Any:
        if self.frame.loop_depth == 0:
            self.error("E0032", "`break` outside of loop", e.span,
                       [Label(e.span, "`break` can only be used inside a `while` loop")],
                       ["move this `break` inside a loop body"])
        return self.diverging()

    def e_Continue(self, e: A.Continue, expected: Any) -> Any:
        if self.frame.loop_depth == 0:
            self.error("E0033", "`continue` outside of loop", e.span,
                       [Label(e.span, "`continue` can only be used inside a `while` loop")],
                       ["move this `continue` inside a loop body"])
        return self.diverging()

    def e_Return(self, e: A.Return, expected: Any) -> Any:
        ret = self.frame.ret
        if e.value is not None:
            t = self.expr_soft(e.value, ret)
            self.unify_at(ret, t, e.value.span)
        else:
            self.unify_at(ret, UNIT, e.span)
        e.info["return_type"] = ret
        self._note(_InfoType(e.info, "return_type"))
        return self.diverging()

    def e_Try(self, e: A.Try, expected: Any) -> Any:
        t = prune(resolve(self.expr_soft(e.expr)))
        ret = prune(resolve(self.frame.ret))
        kind = None
        if isinstance(t, TCon) and t.name == "Result":
            kind, ok, err = "result", t.args[0], t.args[1]
        elif isinstance(t, TCon) and t.name == "Option":
            kind, ok, err = "option", t.args[0], None
        elif isinstance(t, TVar):
            ok, err = TVar(self.level), TVar(self.level)
            if isinstance(ret, TCon) and ret.name == "Option":
                unify(t, TCon("Option", (ok,)))
                kind, err = "option", None
            else:
                unify(t, TCon("Result", (ok, err)))
                kind = "result"
        if kind is None:
            self.error("E0037", "`?` requires `Result` or `Option`", e.span,
                       [Label(e.span, f"type `{show(t)}` is not `Result` or `Option`")],
                       ["the `?` operator can only be used on `Result<T, E>` or `Option<T>` values"])
            raise _Abort
        convert = None
        bad = False
        no_from: tuple[Any, Any] | None = None
        sym = self.frame.symbol
        if isinstance(ret, TVar) and sym is not None and sym.kind == "main" and self.frame is self.frames[0]:
            bad = True
        elif isinstance(ret, TVar):
            unify(ret, TCon("Result", (TVar(self.level), err)) if kind == "result" else TCon("Option", (TVar(self.level),)))
        elif kind == "result" and isinstance(ret, TCon) and ret.name == "Result":
            try:
                unify(err, ret.args[1])
            except UnifyError:
                fe, te = resolve(err), resolve(ret.args[1])
                if self.find_impl("From", te, (fe,)) is not None:
                    convert = TraitMethodRef("From", "from", te, type_args=())
                    impl = self.find_impl("From", te, (fe,))
                    convert.symbol = impl.methods.get("from") if impl else None
                    self.infos.append(convert)
                else:
                    bad = True
                    no_from = (fe, te)
        elif kind == "option" and isinstance(ret, TCon) and ret.name == "Option":
            pass
        else:
            bad = True
        if bad and no_from is not None:
            fe, te = (show(x) for x in no_from)
            self.error("E0036", "`?` operator requires function to return `Result` or `Option`", e.span,
                       [Label(e.span, f"this error is `{fe}`, but the function returns errors of type `{te}`")],
                       [f"the error type is converted only through a `From` impl: add "
                        f"`impl From<{fe}> for {te} do fn from(e :: {fe}) -> {te} do ... end end`, "
                        "or map the error first"])
        elif bad:
            self.error("E0036", "`?` operator requires function to return `Result` or `Option`", e.span,
                       [Label(e.span, "cannot use `?` here")],
                       [f"the enclosing function returns `{show(resolve(ret))}`, but `?` requires "
                        "`Result<_, _>` or `Option<_>`"])
        info = TryInfo(kind, ok, err, self.frame.ret, convert)
        e.info["try"] = info
        self.infos.append(info)
        return ok

    def e_UnaryOp(self, e: A.UnaryOp, expected: Any) -> Any:
        t = self.expr_soft(e.operand)
        if e.op == "not":
            self.unify_at(BOOL, t, e.operand.span)
            info = OpInfo("bool", BOOL)
            e.info["op"] = info
            return BOOL
        info = OpInfo("num", t)
        e.info["op"] = info
        self.infos.append(info)
        self.deferred.append(("unary", e, info, t))
        rt = prune(resolve(t))
        if isinstance(rt, TCon) and rt.name not in ("Int", "Float"):
            impl = self.find_impl("Neg", rt)
            if impl is not None:
                return impl.assoc_types.get("Output", rt)
        return t

    def e_BinaryOp(self, e: A.BinaryOp, expected: Any) -> Any:
        op = e.op
        lt = self.expr_soft(e.left)
        rt = self.expr_soft(e.right, lt if op not in ("and", "or") else BOOL)
        if op in ("and", "or"):
            self.unify_at(BOOL, lt, e.left.span)
            self.unify_at(BOOL, rt, e.right.span)
            e.info["op"] = OpInfo("bool", BOOL)
            return BOOL
        if op == "..":
            self.unify_at(INT, lt, e.left.span)
            self.unify_at(INT, rt, e.right.span)
            e.info["op"] = OpInfo("range", INT)
            return RANGE
        info = OpInfo("pending", lt)
        e.info["op"] = info
        self.infos.append(info)
        res = prune(resolve(lt))
        if op in ARITH and isinstance(res, TCon) and res.name not in PRIMS and res.name != "String":
            impl = self.find_impl(ARITH[op], res)
            if impl is not None:
                rhs_t = impl.trait_args[0] if impl.trait_args else res
                self.unify_at(rhs_t, rt, e.right.span)
                self.deferred.append(("binop", e, info, lt))
                return impl.assoc_types.get("Output", res)
        if not self.unify_at(lt, rt, e.span, [Label(e.right.span, f"expected {show(resolve(lt))}, "
                                                                  f"found {show(resolve(rt))}")]):
            raise _Abort
        self.deferred.append(("binop", e, info, lt))
        if op in ("==", "!=", "<", ">", "<=", ">="):
            return BOOL
        return lt

    def e_Closure(self, e: A.Closure, expected: Any) -> Any:
        exp = prune(expected) if expected is not None else None
        nparams = len(e.clauses[0].params) if e.clauses else 0
        if isinstance(exp, TFun) and len(exp.params) == nparams:
            params = list(exp.params)
            ret = exp.ret
        else:
            params = [TVar(self.level) for _ in range(nparams)]
            ret = TVar(self.level)
        if e.ret is not None:
            self.unify_at(self.resolve_type(e.ret, self.menv, self._tparams(), fresh_unknown=True), ret, e.ret.span)
        fr = FnCtx(ret, None, captures=[], scope_base=len(self.scopes))
        self.frames.append(fr)
        rows = []
        try:
            for clause in e.clauses:
                self.push_scope()
                try:
                    bindings: dict[str, Binding] = {}
                    if len(clause.params) != nparams:
                        self.error("E0024", f"all clauses of `closure` must have the same number of parameters; "
                                   f"expected {nparams}, found {len(clause.params)}", clause.span,
                                   [Label(clause.span, f"this clause has {len(clause.params)} parameter(s)")],
                                   [f"the first clause takes {nparams} parameter(s)"])
                    for i, p in enumerate(clause.params[:nparams]):
                        if p.type is not None:
                            ann = self.resolve_type(p.type, self.menv, self._tparams(), fresh_unknown=True)
                            self.unify_at(ann, params[i], p.span)
                        before = set(bindings)
                        self.pattern(p.pattern, params[i], bindings)
                        p.info["bindings"] = [b for n, b in bindings.items() if n not in before]
                    clause.info["bindings"] = list(bindings.values())
                    self.scopes[-1].update(bindings)
                    if clause.guard is not None:
                        self._guard(clause.guard, fn_guard=True)
                    bt = self.expr_soft(clause.body, ret)
                    self.unify_at(ret, bt, _last_span(clause.body))
                finally:
                    self.pop_scope()
                if len(clause.params) == nparams:  # a wrong-arity clause was reported (E0024)
                    rows.append((tuple(p.pattern for p in clause.params), clause.guard is not None, clause.span))
        finally:
            self.frames.pop()
        e.info["captures"] = fr.captures
        fty = TFun(tuple(params), ret)
        e.info["fn_type"] = fty
        self._note(_InfoType(e.info, "fn_type"))
        if len(e.clauses) > 1:
            self.deferred.append(("closure_clauses", e, rows, params))
        return fty

    # ───────────────────────────── calls ─────────────────────────────

    def e_Call(self, e: A.Call, expected: Any) -> Any:
        ty = self.call(e, e.callee, list(e.args), e.kwargs, e.trailing, None, expected)
        self._fill_callee(e, e.callee, ty)
        return ty

    def _fill_callee(self, node: A.Expr, callee: A.Expr, ret: Any) -> None:
        """Give the syntactic callee of a resolved call a type and resolution (its function type
        as called: receiver / pipe operand first)."""
        info = node.info.get("call")
        if info is None or callee.ty is not None:
            return
        callee.ty = TFun(tuple(a.ty for a in info.args), ret)
        self._note(callee)
        if not isinstance(info.target, ClosureCallRef) and "res" not in callee.info:
            callee.info["res"] = info.target

    def e_Pipe(self, e: A.Pipe, expected: Any) -> Any:
        try:
            lt = self.pre(e.left)
        except _Abort:
            lt = e.left.ty
            self.pretyped.add(id(e.left))
        r = e.right
        if isinstance(r, A.Call):
            ty = self.call(e, r.callee, list(r.args), r.kwargs, r.trailing, e.left, expected)
            self._fill_callee(e, r.callee, ty)
            r.ty = ty
            r.info["call"] = e.info.get("call")
            self._note(r)
            return ty
        if isinstance(r, (A.Name, A.FieldAccess)):
            ty = self.call(e, r, [], [], None, e.left, expected)
            self._fill_callee(e, r, ty)
            return ty
        # a closure or any other function-valued expression
        ft = self.expr(r, TFun((lt,), TVar(self.level)))
        return self.apply(e, ClosureCallRef(), ft, [e.left], r)

    def call(self, node: A.Expr, callee: A.Expr, args: list[A.Expr], kwargs: list[tuple[str, A.Expr]],
             trailing: A.Closure | None, first: A.Expr | None, expected: Any) -> Any:
        all_args = ([first] if first is not None else []) + args
        if kwargs:
            entries: list[tuple[A.Expr, A.Expr]] = []
            for k, v in kwargs:
                entries.append((A.StringLit(parts=[k], span=v.span), v))
            span = kwargs[0][1].span.to(kwargs[-1][1].span)
            kw = A.MapExpr(entries=entries, span=span)
            node.info["kw_map"] = kw
            all_args.append(kw)
        if trailing is not None:
            all_args.append(trailing)
        n = len(all_args)
        if isinstance(callee, A.Name):
            if self.lookup_local(callee.name) is None:
                special = self.special_call(node, callee.name, all_args, first)
                if special is not None:
                    return special
            ty, ref = self.name_ref(callee, callee.name, n)
            callee.info["res"] = ref
            callee.ty = ty
            self._note(callee)
            if isinstance(ref, LocalRef):
                return self.apply(node, ClosureCallRef(), ty, all_args, callee)
            return self.apply(node, ref, ty, all_args, None)
        if isinstance(callee, A.FieldAccess):
            if callee.field == "from" and len(all_args) == 1 and _name_path(callee.obj) == ["Iter"] \
                    and self.lookup_local("Iter") is None and "Iter" not in (self.menv.modules if self.menv else {}):
                _mark_qualifier(callee.obj, "Iter")
                return self.iter_from_call(node, all_args)
            q = self.qualified(callee, n)
            if q is not None:
                ty, ref = q
                callee.info["res"] = ref
                callee.ty = ty
                self._note(callee)
                return self.apply(node, ref, ty, all_args, None)
            path = _name_path(callee.obj)
            if path is not None and self.lookup_local(path[0]) is None:
                static = self.static_call(node, callee, path, all_args)
                if static is not None:
                    return static
            return self.method_call(node, callee, all_args, expected)
        ft = self.expr(callee)
        return self.apply(node, ClosureCallRef(), ft, all_args, callee)

    def apply(self, node: A.Expr, target: Any, fty: Any, args: list[A.Expr], callee: A.Expr | None) -> Any:
        ft = prune(fty)
        if isinstance(ft, TVar):
            new = TFun(tuple(TVar(self.level) for _ in args), TVar(self.level))
            unify(ft, new)
            ft = new
        if not isinstance(ft, TFun):
            fs = show(resolve(ft))
            self.error("E0005", f"type {fs} is not callable", (callee or node).span,
                       [Label((callee or node).span, f"{fs} is not a function")],
                       ["did you mean to call it? Remove the argument list"])
            for a in args:
                if a.ty is None:
                    self.expr_soft(a)
            raise _Abort
        if len(ft.params) != len(args):
            exp, fnd = len(ft.params), len(args)
            self.error("E0003", f"expected {exp} argument(s), found {fnd}", node.span,
                       [Label(node.span, f"expected {exp} argument(s)")],
                       [f"missing {exp - fnd} argument(s)" if exp > fnd else f"{fnd - exp} extra argument(s)"])
            for a in args:
                if a.ty is None:
                    self.expr_soft(a)
            raise _Abort
        for i, (p, a) in enumerate(zip(ft.params, args, strict=True)):
            at = a.ty if id(a) in self.pretyped else self.expr_soft(a, p)
            try:
                unify(p, at)
            except UnifyError as err:
                if err.kind == "occurs":
                    self.unify_at(p, at, a.span)
                else:
                    exp, fnd = show(resolve(p)), show(resolve(at))
                    self.error("E0001", f"expected {exp}, found {fnd}", a.span,
                               [Label(a.span, f"argument {i + 1} has type {fnd}, expected {exp}")],
                               [h for h in [_fix_suggestion(exp, fnd)] if h])
        info = CallInfo(target, args, callee)
        node.info["call"] = info
        return ft.ret

    def pre(self, e: A.Expr, expected: Any = None) -> Any:
        """Check an argument before `apply` (pipe operand, receiver); apply reuses its type."""
        t = self.expr(e, expected)
        self.pretyped.add(id(e))
        return t

    def method_call(self, node: A.Expr, callee: A.FieldAccess, args: list[A.Expr], expected: Any = None) -> Any:
        recv = callee.obj
        rt = prune(resolve(self.pre(recv)))
        m = callee.field
        if m == "into" and not args and not self.impl_methods_for(rt, m):
            into = self.into_method(rt, expected, callee.span)
            if into is not None:
                callee.info["res"] = into[0]
                return self.apply(node, into[0], into[1], [recv], None)
        # a struct field holding a function
        if isinstance(rt, TCon) and rt.name in self.structs:
            fty = self.field_type(rt, m)
            if fty is not None:
                callee.ty = fty
                callee.info["field"] = (rt.name, self._field_index(rt.name, m))
                self._note(callee)
                return self.apply(node, ClosureCallRef(), fty, args, callee)
        target, fty = self.resolve_method(rt, m, callee.span, len(args) + 1)
        callee.info["res"] = target
        return self.apply(node, target, fty, [recv, *args], None)

    def resolve_method(self, rt: Any, m: str, span: A.Span, arity: int | None = None) -> tuple[Any, Any]:
        # user impl methods
        cands = self.impl_methods_for(rt, m)
        if len(cands) > 1:
            traits = sorted(c[0].trait for c in cands)
            self.error("E0027", f"ambiguous method `{m}` for type `{show(rt)}`: candidates from traits "
                       f"[{', '.join(traits)}]", span, [Label(span, f"multiple traits provide `{m}`")],
                       ["use qualified syntax: " + " or ".join(f"{t}.{m}(value)" for t in traits)])
            raise _Abort
        if cands:
            impl, mangled = cands[0]
            fty, ref = self.fn_ref(mangled)
            tref = TraitMethodRef(impl.trait, m, rt, mangled, False, ref.type_args)
            self.infos.append(tref)
            return tref, fty
        builtin = self.builtin_trait_method(rt, m)
        if builtin is not None:
            return builtin
        bounded = self.bounded_method(rt, m)
        if bounded is not None:
            return bounded
        dflt = self.default_method(rt, m)
        if dflt is not None:
            return dflt
        mod = _stdlib_module_of(rt)
        if mod is not None:
            found = SL.lookup_module_fn(mod, m)
            if found is not None:
                ty, ref = self.builtin_ref(*found)
                return ref, ty
        user = self.user_fn_method(m, arity, span)
        if user is not None:
            return user
        if isinstance(rt, TVar):
            self.error("E0030", f"no method `{m}` on type `{show(rt)}`", span,
                       [Label(span, f"method `{m}` not found")],
                       ["the receiver's type is not known here; add a type annotation"])
            raise _Abort
        if isinstance(rt, TParam):
            providers = sorted({f"{e.name}.{it.name}" if e.name != "Main" else it.name
                                for e in self.mods.values() for it in e.items
                                if isinstance(it, A.InterfaceDef) and any(fd.name == m for fd in it.methods)})
            hint = (f"`{rt.name}` is a type parameter: only methods of its bounds can be called; add "
                    + (f"`where {rt.name}: {providers[0]}`" if providers else f"a bound whose trait declares `{m}`"))
            self.error("E0030", f"no method `{m}` on type `{show(rt)}`", span,
                       [Label(span, f"method `{m}` not found")], [hint])
            raise _Abort
        self.error("E0030", f"no method `{m}` on type `{show(rt)}`", span, [Label(span, f"method `{m}` not found")],
                   [f"type `{show(rt)}` has no trait impl providing `{m}`"])
        raise _Abort

    def user_fn_method(self, m: str, arity: int | None, span: A.Span) -> tuple[Any, Any] | None:
        """`x.f(y)` as `f(x, y)` for a function `f` in scope (defined here or imported) whose
        arity counts the receiver; tried after trait and stdlib methods."""
        env = self.menv
        if env is None or arity is None:
            return None
        mem = env.members.get(m) or env.imported.get(m)
        if mem is None or mem.kind != "fn":
            return None
        if not any(len(self.functions[c].clauses[0].params) == arity for c in mem.target):
            return None
        if not mem.is_pub and m not in env.members and mem.target:
            return None
        ty, ref = self.member_ref(mem, m, arity, span)
        return ref, ty

    def into_method(self, rt: Any, expected: Any, span: A.Span) -> tuple[Any, Any] | None:
        """`x.into()`: the `From<typeof x>` impl of the target type. Every `impl From<A> for B`
        provides `Into<B>` for A; the target is the expected type when several B exist."""
        head = _head(rt)
        if isinstance(rt, TVar):
            return None
        want = prune(resolve(expected)) if expected is not None else None
        want_head = None if want is None or isinstance(want, TVar) else _head(want)
        cands: list[tuple[ImplInfo, str]] = []
        for entries in self.impl_index.values():
            for impl, _ in entries:
                if (impl.trait == "From" and impl.trait_args and _head(impl.trait_args[0]) == head
                        and "from" in impl.methods and (want_head is None or _head(impl.for_type) == want_head)
                        and all(c[0] is not impl for c in cands)):
                    cands.append((impl, impl.methods["from"]))
        if not cands and want_head in ("String", "Float") and head in ("Int", "Float", "Bool"):
            found = SL.lookup_module_fn(want_head, "from")
            if found is not None:
                fty, bref = self.builtin_ref(*found)
                return bref, fty
        if len(cands) > 1:
            targets = sorted(show(c[0].for_type) for c in cands)
            self.error("E0027", f"ambiguous method `into` for type `{show(rt)}`: it converts into "
                       f"[{', '.join(targets)}]", span, [Label(span, "the target type is not known here")],
                       ["annotate the result, e.g. `let y :: " + targets[0] + " = x.into()`"])
            raise _Abort
        if not cands:
            return None
        impl, mangled = cands[0]
        fty, ref = self.fn_ref(mangled)
        tref = TraitMethodRef("From", "from", prune(fty).ret if isinstance(prune(fty), TFun) else impl.for_type,
                              mangled, False, ref.type_args)
        self.infos.append(tref)
        return tref, fty

    def _iface_method(self, trait: str, m: str) -> tuple[ModEnv, A.InterfaceDef, A.FnDef] | None:
        env = self.menv
        assert env is not None
        key = env.traits.get(trait)
        if key is None:
            for e in self.mods.values():
                if trait in e.traits:
                    key = e.traits[trait]
                    break
        if key is None:
            return None
        mod, _, name = key.rpartition(".")
        for it in self.mods[mod].items:
            if isinstance(it, A.InterfaceDef) and it.name == name:
                for fd in it.methods:
                    if fd.name == m:
                        return self.mods[mod], it, fd
        return None

    def _method_sig(self, env: ModEnv, fd: A.FnDef, self_ty: Any) -> TFun:
        pmap: dict[str, Any] = {"Self": self_ty}
        params = []
        for p in fd.params:
            if p.type is not None:
                params.append(self.resolve_type(p.type, env, pmap, fresh_unknown=True))
            elif isinstance(p.pattern, A.VarPat) and p.pattern.name == "self":
                params.append(self_ty)
            else:
                params.append(TVar(self.level))
        ret = self.resolve_type(fd.ret, env, pmap, fresh_unknown=True) if fd.ret is not None else UNIT
        return TFun(tuple(params), ret)

    def bounded_method(self, rt: Any, m: str) -> tuple[Any, Any] | None:
        if not isinstance(rt, TParam):
            return None
        for trait in self._current_bounds().get(rt, []):
            found = self._iface_method(trait, m)
            if found is not None:
                env, _, fd = found
                if fd.body is not None:
                    # the default body is instantiated by lowering for impls that omit `m`
                    self.ensure_fn(self._default_symbol(*found))
                ref = TraitMethodRef(trait, m, rt)
                self.infos.append(ref)
                return ref, self._method_sig(env, fd, rt)
        return None

    def default_method(self, rt: Any, m: str) -> tuple[Any, Any] | None:
        head = _head(prune(resolve(rt)))
        for impl, _ in self.impl_index.get(head, []):
            found = self._iface_method(impl.trait, m)
            if found is not None and found[2].body is not None:
                mangled = self._default_symbol(*found)
                fty, ref = self.fn_ref(mangled)
                assert isinstance(fty, TFun)
                if fty.params:
                    unify(fty.params[0], rt)
                tref = TraitMethodRef(impl.trait, m, rt, mangled, False, ref.type_args)
                self.infos.append(tref)
                return tref, fty
        return None

    def _default_symbol(self, env: ModEnv, iface: A.InterfaceDef, fd: A.FnDef) -> str:
        mangled = f"{env.name.replace('.', '_')}__{iface.name}__{fd.name}__default"
        if mangled not in self.functions:
            selfp = TParam("Self", mangled)
            sym = FnSymbol(fd.name, env.name, mangled, [selfp], TFun((), UNIT), [fd], False, kind="impl_method")
            sym.bounds[selfp] = [iface.name]
            impl = ImplInfo(iface.name, (), selfp, [selfp], {fd.name: mangled}, {}, False, env.name)
            sym.impl = impl
            self.functions[mangled] = sym
            self.fn_env[mangled] = env
            fd.info["symbol"] = sym
        return mangled

    def builtin_trait_method(self, rt: Any, m: str) -> tuple[Any, Any] | None:
        table = {"to_string": ("Display", STRING), "inspect": ("Debug", STRING), "hash": ("Hash", INT)}
        if m in table:
            trait, res = table[m]
            ref = TraitMethodRef(trait, m, rt)
            self.infos.append(ref)
            self.deferred.append(("trait", trait, ref, None))
            return ref, TFun((rt,), res)
        if m == "compare":
            ref = TraitMethodRef("Ord", "compare", rt)
            self.infos.append(ref)
            self.deferred.append(("trait", "Ord", ref, None))
            return ref, TFun((rt, rt), ORDERING)
        if m == "eq":
            ref = TraitMethodRef("Eq", "eq", rt)
            self.infos.append(ref)
            return ref, TFun((rt, rt), BOOL)
        return None

    def static_call(self, node: A.Expr, callee: A.FieldAccess, path: list[str], args: list[A.Expr]) -> Any:
        """`Type.from(x)`, `Type.default()`, `Trait.method(x)`, `Tuple.first(t)`, service calls."""
        env = self.menv
        assert env is not None
        name = callee.field
        qual = ".".join(path)
        if path == ["Tuple"] and name in ("first", "second", "nth", "size"):
            _mark_qualifier(callee.obj, qual)
            return self.tuple_call(node, name, args)
        if path == ["Node"] and name in ("spawn", "spawn_link") and "Node" not in env.modules:
            _mark_qualifier(callee.obj, qual)
            if len(args) < 2:
                self.error("E0003", f"expected at least 2 argument(s), found {len(args)}", node.span)
                raise _Abort
            tys = [STRING] + [TVar(self.level) for _ in args[1:]]
            fty = TFun(tuple(tys), TCon("Pid"))
            ref = BuiltinRef(f"Node.{name}", fty)
            self.infos.append(ref)
            callee.info["res"] = ref
            return self.apply(node, ref, fty, args, None)
        key = self._lookup_type_key(path, env, callee.span) if len(path) >= 1 else None
        if key is None and len(path) == 1 and path[0] in ("String", "Int", "Float", "Bool"):
            key = path[0]
        svc = self._service_member(path, env)
        if svc is not None:
            _mark_qualifier(callee.obj, qual)
            return self.service_call(node, svc, name, args, callee)
        if key is not None:
            _mark_qualifier(callee.obj, qual)
            ty = self.type_of_key(key)
            cands = self.impl_methods_for(ty, name)
            if cands:
                impl, mangled = cands[0]
                fty, ref = self.fn_ref(mangled)
                tref = TraitMethodRef(impl.trait, name, ty, mangled, False, ref.type_args)
                self.infos.append(tref)
                callee.info["res"] = tref
                return self.apply(node, tref, fty, args, None)
            if name == "default":
                ref = TraitMethodRef("Default", "default", ty)
                self.infos.append(ref)
                callee.info["res"] = ref
                return self.apply(node, ref, TFun((), ty), args, None)
            if name == "from" and key in ("String", "Float"):
                found = SL.lookup_module_fn(key, "from")
                if found is not None:
                    fty, bref = self.builtin_ref(*found)
                    callee.info["res"] = bref
                    return self.apply(node, bref, fty, args, None)
            if name in ("from_json",) and (key in self.structs or key in self.sums):
                ref = TraitMethodRef("FromJson", "from_json", ty, derived=True)
                self.infos.append(ref)
                callee.info["res"] = ref
                return self.apply(node, ref, TFun((STRING,), TCon("Result", (ty, STRING))), args, None)
            if name == "from_row" and key in self.structs:
                ref = TraitMethodRef("FromRow", "from_row", ty, derived=True)
                self.infos.append(ref)
                callee.info["res"] = ref
                return self.apply(node, ref, TFun((TCon("Map", (STRING, STRING)),), TCon("Result", (ty, STRING))),
                                  args, None)
            if name.startswith("__") and key in self.structs:
                ref = TraitMethodRef("Schema", name, ty, derived=True)
                self.infos.append(ref)
                callee.info["res"] = ref
                ret = TCon("List", (STRING,)) if name in ("__fields__", "__relationships__", "__field_types__",
                                                           "__relationship_meta__") else STRING
                return self.apply(node, ref, TFun((), ret), args, None)
            self.error("E0030", f"no method `{name}` on type `{'.'.join(path)}`", callee.span,
                       [Label(callee.span, f"method `{name}` not found")])
            raise _Abort
        trait = env.traits.get(path[0]) if len(path) == 1 else None
        if trait is not None or (len(path) == 1 and path[0] in ("Display", "Debug", "Eq", "Ord", "Hash",
                                                                "Default", "From", "Into")):
            _mark_qualifier(callee.obj, qual)
            if not args:
                self.error("E0003", "expected 1 argument(s), found 0", node.span)
                raise _Abort
            rt = prune(resolve(self.pre(args[0])))
            impl = self.find_impl(path[0], rt)
            if impl is not None and name in impl.methods:
                mangled = impl.methods[name]
                fty, ref = self.fn_ref(mangled)
                target = TraitMethodRef(impl.trait, name, rt, mangled, False, ref.type_args)
                self.infos.append(target)
            else:
                target, fty = self.resolve_method(rt, name, callee.span)
            callee.info["res"] = target
            return self.apply(node, target, fty, args, None)
        return None

    def iter_from_call(self, node: A.Expr, args: list[A.Expr]) -> Any:
        """`Iter.from(c)` over any collection: List<T>/Set<T>/Iter<T> -> Iter<T>, Map<K, V> ->
        Iter<(K, V)>, Range -> Iter<Int> (the runtime iterates all of them lazily)."""
        t = prune(resolve(self.pre(args[0])))
        if isinstance(t, TCon) and t.name in ("List", "Set", "Iter") and len(t.args) == 1:
            item: Any = t.args[0]
        elif isinstance(t, TCon) and t.name == "Map" and len(t.args) == 2:
            item = TTuple((t.args[0], t.args[1]))
        elif isinstance(t, TCon) and t.name == "Range":
            item = INT
        else:
            item = TVar(self.level)
            self.unify_at(TCon("List", (item,)), t, args[0].span)
        fty = TFun((t,), TCon("Iter", (item,)))
        ref = BuiltinRef("Iter.from", fty)
        self.infos.append(ref)
        return self.apply(node, ref, fty, args, None)

    def tuple_call(self, node: A.Expr, name: str, args: list[A.Expr]) -> Any:
        if not args:
            self.error("E0003", "expected 1 argument(s), found 0", node.span)
            raise _Abort
        t = prune(resolve(self.pre(args[0])))
        canon = f"Tuple.{name}"
        if name == "size":
            ret: Any = INT
            params: tuple = (t,)
        elif name == "nth":
            params = (t, INT)
            ret = self.tuple_nth_type(t, args)
        else:
            idx = 0 if name == "first" else 1
            if isinstance(t, TTuple) and len(t.items) > idx:
                ret = t.items[idx]
            else:
                self.error("E0001", f"expected a tuple, found {show(t)}", args[0].span)
                raise _Abort
            params = (t,)
        fty = TFun(params, ret)
        ref = BuiltinRef(canon, fty)
        self.infos.append(ref)
        return self.apply(node, ref, fty, args, None)

    def tuple_nth_type(self, t: Any, args: list[A.Expr]) -> Any:
        """The element type `Tuple.nth(t, i)` returns: element i for a literal i; for any other
        index the one type all elements share (the runtime returns a raw slot either way)."""
        idx = args[1] if len(args) > 1 else None
        if not isinstance(t, TTuple) or idx is None:
            return INT  # an unknown tuple keeps the old Int reading; a missing index is an arity error
        if isinstance(idx, A.IntLit) or (isinstance(idx, A.UnaryOp) and idx.op == "-"
                                         and isinstance(idx.operand, A.IntLit)):
            i = idx.value if isinstance(idx, A.IntLit) else -idx.operand.value  # type: ignore[union-attr]
            if not 0 <= i < len(t.items):
                self.error("E0009", f"tuple index {i} out of range for {show(t)} "
                           f"({len(t.items)} element(s))", idx.span)
                raise _Abort
            return t.items[i]
        try:
            for x in t.items[1:]:
                unify(t.items[0], x)
        except UnifyError:
            self.error("E0001", f"Tuple.nth with a computed index needs elements of one type, found {show(t)}",
                       idx.span, [],
                       ["use a literal index (`Tuple.nth(t, 2)`) or a pattern to take an element of its own type"])
            raise _Abort from None
        return t.items[0]

    def special_call(self, node: A.Expr, name: str, args: list[A.Expr], first: A.Expr | None) -> Any:
        env = self.menv
        assert env is not None
        if name in env.members or name in env.imported:
            return None
        if name in ("tuple_first", "tuple_second", "tuple_nth", "tuple_size"):
            # the flat prelude names are typed per tuple like `Tuple.*`, not by a fixed signature
            return self.tuple_call(node, name.removeprefix("tuple_"), args)
        if name == "spawn":
            if not args:
                self.error("E0003", "expected 1 argument(s), found 0", node.span)
                raise _Abort
            f = args[0]
            msg = TVar(self.level)
            if isinstance(f, A.Name) and self.lookup_local(f.name) is None:
                m = env.members.get(f.name) or env.imported.get(f.name)
                if m is not None and m.kind == "actor":
                    self.ensure_fn(m.target)
                    f.info["res"] = ActorRef(m.target)
                    aty = self.fn_itype.get(m.target, TFun((), UNIT))
                    f.ty = aty
                    self._note(f)
                    self.pretyped.add(id(f))
                    if m.target in self.actor_msg:
                        msg = self.actor_msg[m.target]
                    fty = TFun((aty, *aty.params), TCon("Pid", (msg,))) if isinstance(aty, TFun) else aty
                    ref = BuiltinRef("spawn", fty)
                    self.infos.append(ref)
                    return self.apply(node, ref, fty, args, None)
                if m is not None and m.kind == "supervisor":
                    f.info["res"] = GlobalFnRef(mangle(env.name, f.name))
                    f.ty = UNIT
                    self._note(f)
                    ref = BuiltinRef("spawn_supervisor", TFun((UNIT,), TCon("Pid")))
                    node.info["call"] = CallInfo(ref, args)
                    return TCon("Pid")
            ft = prune(resolve(self.pre(f)))
            if isinstance(ft, TFun):
                fty = TFun((ft, *ft.params), TCon("Pid", (msg,)))
                ref = BuiltinRef("spawn", fty)
                self.infos.append(ref)
                return self.apply(node, ref, fty, args, None)
            if not isinstance(ft, TVar):
                self.error("E0016", f"cannot spawn non-function: found {show(ft)}", f.span,
                           [Label(f.span, f"expected a function, found {show(ft)}")])
                raise _Abort
            return TCon("Pid", (msg,))
        if name == "send":
            if len(args) != 2:
                self.error("E0003", f"expected 2 argument(s), found {len(args)}", node.span)
                raise _Abort
            pt = prune(resolve(self.pre(args[0])))
            mt = self.expr_soft(args[1])
            if isinstance(pt, TCon) and pt.name == "Pid" and pt.args:
                try:
                    unify(pt.args[0], mt)
                except UnifyError:
                    exp, fnd = show(resolve(pt.args[0])), show(resolve(mt))
                    self.error("E0014", f"message type mismatch: expected {exp}, found {fnd}", args[1].span,
                               [Label(args[1].span, f"expected {exp}, found {fnd}")],
                               [f"this Pid accepts messages of type {exp}"])
            elif isinstance(pt, TVar):
                unify(pt, TCon("Pid", (mt,)))
            elif not (isinstance(pt, TCon) and pt.name == "Pid"):
                self.mismatch(TCon("Pid", (mt,)), pt, args[0].span)
            fty = TFun((resolve(pt), mt), UNIT)
            ref = BuiltinRef("send", fty)
            self.infos.append(ref)
            node.info["call"] = CallInfo(ref, args)
            return UNIT
        if name in ("link", "unlink"):
            fty = TFun((TCon("Pid"),), UNIT)
            ref = BuiltinRef(name, fty)
            for a in args:
                t = self.expr_soft(a)
                pt = prune(resolve(t))
                if isinstance(pt, TVar):
                    unify(pt, TCon("Pid", (TVar(self.level),)))
            node.info["call"] = CallInfo(ref, args)
            return UNIT
        if name in ("to_string", "inspect", "hash") and len(args) == 1:
            rt = prune(resolve(self.pre(args[0])))
            target, fty = self.resolve_method(rt, name, node.span)
            return self.apply(node, target, fty, args, None)
        if name == "compare" and len(args) == 2:
            rt = prune(resolve(self.pre(args[0])))
            target, fty = self.resolve_method(rt, name, node.span)
            return self.apply(node, target, fty, args, None)
        if args and name not in env.stdlib_imports and SL.lookup_bare(name) is None \
                and self.lookup_variant(name, env) is None and self._is_trait_method_name(name):
            # a bare call of a trait method: dispatched on the first argument's type
            rt = prune(resolve(self.pre(args[0])))
            target, fty = self.resolve_method(rt, name, node.span)
            return self.apply(node, target, fty, args, None)
        return None

    def _is_trait_method_name(self, name: str) -> bool:
        for entries in self.impl_index.values():
            for impl, _ in entries:
                if name in impl.methods:
                    return True
        return False

    # ───────────────────────────── fields and structs ─────────────────────────────

    def type_of_key(self, key: str) -> Any:
        if key in self.structs:
            return TCon(key, tuple(TVar(self.level) for _ in self.structs[key].params))
        if key in self.sums:
            return TCon(key, tuple(TVar(self.level) for _ in self.sums[key].params))
        return TCon(key)

    def field_type(self, st: TCon, name: str) -> Any:
        info = self.structs[st.name]
        ft = info.field_type(name)
        if ft is None:
            return None
        return subst_i(ft, dict(zip(info.params, st.args, strict=True)))

    def _field_index(self, key: str, name: str) -> int:
        return [f for f, _ in self.structs[key].fields].index(name)

    def e_FieldAccess(self, e: A.FieldAccess, expected: Any) -> Any:
        q = self.qualified(e)
        if q is not None:
            ty, ref = q
            e.info["res"] = ref
            return ty
        path = _name_path(e.obj)
        if path is not None and self.lookup_local(path[0]) is None and path[0][:1].isupper():
            env = self.menv
            assert env is not None
            if path == ["Math"] or (len(path) == 1 and path[0] in SL.STDLIB_MODULES):
                found = SL.lookup_module_fn(path[0], e.field)
                if found is not None:
                    _mark_qualifier(e.obj, path[0])
                    ty, ref = self.builtin_ref(*found)
                    e.info["res"] = ref
                    return ty
        ot = prune(resolve(self.expr(e.obj)))
        if isinstance(ot, TVar):
            cands = [k for k, s in self.structs.items() if s.field_type(e.field) is not None]
            if len(cands) == 1:
                st = self.type_of_key(cands[0])
                unify(ot, st)
                ot = st
        if isinstance(ot, TCon) and ot.name in self.structs:
            ft = self.field_type(ot, e.field)
            if ft is not None:
                e.info["field"] = (ot.name, self._field_index(ot.name, e.field))
                return ft
        if isinstance(ot, TTuple) and e.field.isdigit() and int(e.field) < len(ot.items):
            e.info["field"] = ("tuple", int(e.field))
            return ot.items[int(e.field)]
        self.error("E0009", f"type {show(ot)} has no field {e.field}", e.span,
                   [Label(e.span, f"no field `{e.field}`")])
        raise _Abort

    def e_StructExpr(self, e: A.StructExpr, expected: Any) -> Any:
        env = self.menv
        assert env is not None
        key = self._lookup_type_key(e.path, env, e.span)
        if key is None or key not in self.structs:
            name = ".".join(e.path)
            self.error("E0043", f"unknown struct `{name}`", e.span, [Label(e.span, "not found in this scope")])
            for _, v in e.fields:
                self.expr_soft(v)
            raise _Abort
        info = self.structs[key]
        args = tuple(TVar(self.level) for _ in info.params)
        if e.type_args:
            targs = [self.resolve_type(t, env, self._tparams(), fresh_unknown=True) for t in e.type_args]
            for a, t in zip(args, targs, strict=False):
                unify(a, t)
        st = TCon(key, args)
        mapping = dict(zip(info.params, args, strict=True))
        seen = set()
        for fname, val in e.fields:
            ft = info.field_type(fname)
            if ft is None:
                self.error("E0009", f"unknown field {fname} in struct {info.name}", val.span,
                           [Label(val.span, f"`{info.name}` has no field `{fname}`")])
                self.expr_soft(val)
                continue
            seen.add(fname)
            ft = subst_i(ft, mapping)
            vt = self.expr_soft(val, ft)
            self.unify_at(ft, vt, val.span)
        for fname, _ in info.fields:
            if fname not in seen:
                self.error("E0009", f"missing field {fname} in struct {info.name}", e.span,
                           [Label(e.span, f"field `{fname}` is required")], [f"add `{fname}: <value>`"])
        ref = StructRef(key, args)
        self.infos.append(ref)
        e.info["struct"] = ref
        return st

    def e_StructUpdate(self, e: A.StructUpdate, expected: Any) -> Any:
        bt = prune(resolve(self.expr(e.base, expected)))
        if not (isinstance(bt, TCon) and bt.name in self.structs):
            self.error("E0001", f"expected a struct, found {show(bt)}", e.base.span,
                       [Label(e.base.span, "struct update requires a struct value")])
            raise _Abort
        info = self.structs[bt.name]
        for fname, val in e.fields:
            ft = self.field_type(bt, fname)
            if ft is None:
                self.error("E0009", f"unknown field {fname} in struct {info.name}", val.span,
                           [Label(val.span, f"`{info.name}` has no field `{fname}`")])
                self.expr_soft(val)
                continue
            self.unify_at(ft, self.expr_soft(val, ft), val.span)
        ref = StructRef(bt.name, bt.args)
        self.infos.append(ref)
        e.info["struct"] = ref
        return bt

    # ───────────────────────────── actors ─────────────────────────────

    def e_Receive(self, e: A.Receive, expected: Any) -> Any:
        msg = self.actor_msg_type()
        if msg is None:
            self.error("E0017", "receive used outside actor block", e.span,
                       [Label(e.span, "receive is only available inside an actor block")],
                       ["move this receive expression into an actor block"])
            msg = TVar(self.level)
        result: Any = expected if expected is not None else TVar(self.level)
        for arm in e.arms:
            sig = self._is_signal_pattern(arm.pattern)
            arm.info["signal"] = sig
            scrut = TCon(SIGNAL_SUM) if sig else msg
            if not sig and isinstance(arm.pattern, A.OrPat) and any(
                    self._is_signal_pattern(alt) for alt in arm.pattern.alternatives):
                self.error("E0001", "a receive arm cannot match both notifications (Down/Exit) and messages",
                           arm.pattern.span, [Label(arm.pattern.span, "notifications and messages mixed here")],
                           ["write one arm for the notifications and another for the messages"])
                scrut = TVar(self.level)
            self.match_arm(arm, scrut)
            self.unify_at(result, arm.body.ty, _last_span(arm.body))
        if e.after_timeout is not None:
            self.unify_at(INT, self.expr_soft(e.after_timeout), e.after_timeout.span)
        if e.after_body is not None:
            self.unify_at(result, self.expr_soft(e.after_body), _last_span(e.after_body))
        e.info["msg_type"] = msg
        e.info["signal_type"] = TCon(SIGNAL_SUM)
        self._note(_InfoType(e.info, "msg_type"))
        return result

    def _is_signal_pattern(self, p: A.Pattern) -> bool:
        """`Down(...)` / `Exit(...)` (or `Signal.Down(...)`) unless a user variant of that name
        is visible: such arms receive system notifications, not user messages."""
        while isinstance(p, A.AsPat):
            p = p.pattern
        if isinstance(p, A.OrPat):
            return all(self._is_signal_pattern(alt) for alt in p.alternatives)
        if not isinstance(p, A.ConstructorPat) or self.menv is None:
            return False
        if len(p.path) == 1:
            return self.lookup_variant(p.path[0], self.menv) == SIGNAL_SUM
        return len(p.path) == 2 and p.path[0] == SIGNAL_SUM and SIGNAL_SUM not in self.menv.types

    def _check_actor(self, sym: FnSymbol) -> None:
        env = self.menv
        assert env is not None
        node = next(it for it in env.items if isinstance(it, A.ActorDef) and mangle(env.name, it.name) == sym.mangled)
        msg = TVar(0)  # a mailbox is monomorphic: the var is never generalized (it is weak, as in ML)
        self.actor_msg[sym.mangled] = msg
        params = []
        for p in node.params:
            params.append(self.resolve_type(p.type, env, {}, fresh_unknown=True) if p.type is not None
                          else TVar(self.level))
        self.fn_itype[sym.mangled] = TFun(tuple(params), UNIT)
        fr = FnCtx(TVar(self.level), sym, actor_msg=msg)
        self.frames = [fr]
        self.scopes = [{}]
        bindings: dict[str, Binding] = {}
        for p, t in zip(node.params, params, strict=True):
            before = set(bindings)
            self.pattern(p.pattern, t, bindings)
            p.info["bindings"] = [b for n, b in bindings.items() if n not in before]
        self.scopes[-1].update(bindings)
        self.expr_soft(node.body)
        if node.terminate is not None:
            self.expr_soft(node.terminate)
        node.info["msg_type"] = msg
        self._note(_InfoType(node.info, "msg_type"))
        sym.type = TFun(tuple(params), UNIT)
        self._mark_tail_calls(sym, [node.body])

    # ───────────────────────────── patterns ─────────────────────────────

    def pattern(self, p: A.Pattern, ty: Any, bindings: dict[str, Binding],
                reuse: dict[str, Binding] | None = None) -> None:
        p.ty = ty
        self._note(p)
        if isinstance(p, A.WildcardPat):
            return
        if isinstance(p, A.VarPat):
            if reuse is not None and p.name in reuse:
                b = reuse[p.name]
                self.unify_at(b.ty, ty, p.span)
            else:
                b = self.new_binding(p.name, ty, p.span)
            bindings[p.name] = b
            p.info["binding"] = b
            return
        if isinstance(p, A.AsPat):
            self.pattern(p.pattern, ty, bindings, reuse)
            if reuse is not None and p.name in reuse:
                b = reuse[p.name]
                self.unify_at(b.ty, ty, p.span)
            else:
                b = self.new_binding(p.name, ty, p.span)
            bindings[p.name] = b
            p.info["binding"] = b
            return
        if isinstance(p, A.LiteralPat):
            v = p.value
            lt = {A.IntLit: INT, A.FloatLit: FLOAT, A.StringLit: STRING, A.BoolLit: BOOL,
                  A.NilLit: UNIT}[type(v)]
            v.ty = lt
            self.unify_at(ty, lt, p.span)
            return
        if isinstance(p, A.TuplePat):
            items = tuple(TVar(self.level) for _ in p.items)
            self.unify_at(ty, TTuple(items), p.span)
            for sub, t in zip(p.items, items, strict=True):
                self.pattern(sub, t, bindings, reuse)
            return
        if isinstance(p, A.ConsPat):
            elem = TVar(self.level)
            lt = TCon("List", (elem,))
            self.unify_at(ty, lt, p.span)
            self.pattern(p.head, elem, bindings, reuse)
            self.pattern(p.tail, lt, bindings, reuse)
            return
        if isinstance(p, A.ListPat):
            elem = TVar(self.level)
            self.unify_at(ty, TCon("List", (elem,)), p.span)
            for sub in p.items:
                self.pattern(sub, elem, bindings, reuse)
            return
        if isinstance(p, A.OrPat):
            first: dict[str, Binding] = {}
            self.pattern(p.alternatives[0], ty, first, reuse)
            names = sorted(first)
            for alt in p.alternatives[1:]:
                other: dict[str, Binding] = {}
                self.pattern(alt, ty, other, {**(reuse or {}), **first})
                if sorted(other) != names:
                    self.error("E0011", f"or-pattern alternatives bind different variables: [{', '.join(names)}] "
                               f"vs [{', '.join(sorted(other))}]", p.span,
                               [Label(p.span, "alternatives must bind the same variables")],
                               ["all alternatives in an or-pattern must bind the same set of variable names"])
            bindings.update(first)
            return
        if isinstance(p, A.ConstructorPat):
            self.ctor_pattern(p, ty, bindings, reuse)
            return
        raise NotImplementedError(f"checker: pattern {type(p).__name__}")

    def ctor_pattern(self, p: A.ConstructorPat, ty: Any, bindings: dict[str, Binding],
                     reuse: dict[str, Binding] | None) -> None:
        env = self.menv
        assert env is not None
        vname = p.path[-1]
        sum_key = None
        if len(p.path) == 1:
            sum_key = self.lookup_variant(vname, env)
            if sum_key is None:
                # a variant of the expected sum type even if not imported by name
                rt = prune(resolve(ty))
                if isinstance(rt, TCon) and rt.name in self.sums and self.sums[rt.name].variant(vname):
                    sum_key = rt.name
        else:
            key = self._lookup_type_key(p.path[:-1], env, p.span)
            if key is not None and key in self.sums:
                sum_key = key
            else:
                mod = self._module_for_path(p.path[:-1], env)
                if mod is not None:
                    sum_key = self.mods[mod].variants.get(vname)
        info = self.sums.get(sum_key) if sum_key else None
        v = info.variant(vname) if info else None
        if info is None or v is None:
            cands = list(env.variants) + list(BUILTIN_VARIANTS)
            close = _closest(vname, cands)
            self.error("E0010", f"unknown variant: {'.'.join(p.path)}", p.span, [Label(p.span, "not a known variant")],
                       [f"did you mean `{close}`?"] if close else [])
            for sub in p.args or []:
                self.pattern(sub, TVar(self.level), bindings, reuse)
            return
        args = tuple(TVar(self.level) for _ in info.params)
        mapping = dict(zip(info.params, args, strict=True))
        self.unify_at(ty, TCon(info.key, args), p.span)
        ref = VariantRef(info.key, vname, v.tag, args)
        self.infos.append(ref)
        p.info["variant"] = ref
        subs = p.args or []
        if len(subs) != len(v.fields) and not (p.args is None and not v.fields):
            self.error("E0003", f"expected {len(v.fields)} argument(s), found {len(subs)}", p.span,
                       [Label(p.span, f"expected {len(v.fields)} argument(s)")])
        for sub, (_, ft) in zip(subs, v.fields, strict=False):
            self.pattern(sub, subst_i(ft, mapping), bindings, reuse)
        for sub in subs[len(v.fields):]:
            self.pattern(sub, TVar(self.level), bindings, reuse)

    def abstract(self, p: A.Pattern) -> exhaust.Pat:
        if isinstance(p, (A.WildcardPat, A.VarPat)):
            return exhaust.WILD
        if isinstance(p, A.AsPat):
            return self.abstract(p.pattern)
        if isinstance(p, A.LiteralPat):
            v = p.value
            if isinstance(v, A.BoolLit):
                return exhaust.ctor("true" if v.value else "false")
            if isinstance(v, A.NilLit):
                return exhaust.ctor("()")
            if isinstance(v, A.StringLit):
                return exhaust.ctor(repr("".join(x for x in v.parts if isinstance(x, str))))
            return exhaust.ctor(repr(v.value))
        if isinstance(p, A.TuplePat):
            return exhaust.ctor("()", [self.abstract(x) for x in p.items])
        if isinstance(p, A.ConsPat):
            return exhaust.ctor("::", [self.abstract(p.head), self.abstract(p.tail)])
        if isinstance(p, A.ListPat):
            out = exhaust.ctor("[]")
            for x in reversed(p.items):
                out = exhaust.ctor("::", [self.abstract(x), out])
            return out
        if isinstance(p, A.OrPat):
            return exhaust.orp([self.abstract(x) for x in p.alternatives])
        if isinstance(p, A.ConstructorPat):
            ref = p.info.get("variant")
            if ref is None:
                return exhaust.WILD
            return exhaust.ctor(ref.variant, [self.abstract(x) for x in (p.args or [])])
        return exhaust.WILD

    def ctor_sig(self, t: Any) -> list[tuple[str, list[Any]]] | None:
        if t is None:
            return None
        t = prune(resolve(t))
        if isinstance(t, TTuple):
            return [("()", list(t.items))]
        if isinstance(t, TCon):
            if t.name == "Bool":
                return [("true", []), ("false", [])]
            if t.name == "List":
                return [("[]", []), ("::", [t.args[0], t])]
            info = self.sums.get(t.name)
            if info is not None:
                mapping = dict(zip(info.params, t.args, strict=False))
                return [(v.name, [subst_i(ft, mapping) for _, ft in v.fields]) for v in info.variants]
        return None

    # ───────────────────────────── impls and traits ─────────────────────────────

    def _register_impls(self, env: ModEnv) -> None:
        for item in env.items:
            if not isinstance(item, A.ImplDef):
                continue
            trait = item.trait.path[-1]
            ikey = f"{env.name}.impl.{trait}.{len(self.impls)}"
            params = [TParam(g, ikey) for g in item.generics]
            pmap: dict[str, Any] = {g: p for g, p in zip(item.generics, params, strict=True)}
            # free single-letter names in the target type are implicit impl parameters
            for_type = self._impl_type(item.for_type, env, pmap, ikey, params)
            pmap["Self"] = for_type
            trait_args = tuple(self.resolve_type(t, env, pmap) for t in item.trait.args)
            assoc = {a.name: self.resolve_type(a.type, env, pmap) for a in item.assoc_types if a.type is not None}
            impl = ImplInfo(trait, trait_args, for_type, params, {}, assoc, False, env.name)
            head = _head(for_type)
            for other, _ in self.impl_index.get(head, []):
                if other.trait == trait and other.trait_args == trait_args and other is not impl:
                    self.error("E0026", f"duplicate impl: `{trait}` is already implemented for `{show(for_type)}`",
                               item.span, [Label(item.span, "previously defined")],
                               ["remove one of the conflicting impl blocks"])
                    break
            self.impls.append(impl)
            item.info["impl"] = impl
            tname = head.replace(".", "_")
            targ = "_".join(_head(t).replace(".", "_") for t in trait_args)
            tpart = f"{trait}_{targ}" if targ else trait
            groups: dict[str, list[A.FnDef]] = {}
            for m in item.methods:
                groups.setdefault(m.name, []).append(m)
            for mname, clauses in groups.items():
                mangled = f"{env.name.replace('.', '_')}__{tpart}__{mname}__{tname}"
                k = 2
                while mangled in self.functions:  # (a duplicate impl, reported as E0026)
                    mangled = f"{env.name.replace('.', '_')}__{tpart}__{mname}__{tname}__{k}"
                    k += 1
                tps = list(params) + [TParam(g, mangled) for g in clauses[0].generics]
                sym = FnSymbol(mname, env.name, mangled, tps, TFun((), UNIT), clauses, False, kind="impl_method",
                               impl=impl)
                sym.is_multi_clause = len(clauses) > 1
                self.functions[mangled] = sym
                self.fn_env[mangled] = env
                for c in clauses:
                    c.info["symbol"] = sym
                impl.methods[mname] = mangled
                self.impl_index.setdefault(head, []).append((impl, mangled))
            if not item.methods:
                self.impl_index.setdefault(head, [])
                self.impl_index[head].append((impl, ""))
            iface = self._interface(trait, env)
            if iface is None and trait in _BUILTIN_TRAITS:
                self._check_builtin_assoc(trait, for_type, item, assoc)
            if iface is not None:
                for m in iface.methods:
                    if m.name not in impl.methods and m.body is None:
                        self.error("E0007", f"impl {trait} for {show(for_type)} is missing method {m.name}",
                                   item.span, [Label(item.span, f"missing `{m.name}`")],
                                   [f"add `fn {m.name}(...)` to the impl block"])
                declared = {a.name for a in iface.assoc_types}
                for a in iface.assoc_types:
                    if a.name not in assoc:
                        self.error("E0040", f"impl `{trait}` for `{show(for_type)}` is missing associated type "
                                   f"`{a.name}`", item.span, [Label(item.span, f"missing `type {a.name} = ...`")],
                                   [f"add `type {a.name} = <ConcreteType>` to the impl block"])
                for a in item.assoc_types:
                    if a.name not in declared:
                        self.error("E0041", f"impl `{trait}` for `{show(for_type)}` provides associated type "
                                   f"`{a.name}` which is not declared by the trait", a.span,
                                   [Label(a.span, f"`{a.name}` is not declared by `{trait}`")])

    def _check_builtin_assoc(self, trait: str, for_type: Any, item: A.ImplDef, assoc: dict[str, Any]) -> None:
        """Associated types of the compiler-known traits (`Add.Output`, `Iterator.Item`, ...)."""
        declared = _BUILTIN_TRAITS[trait]
        for name in declared:
            if name not in assoc:
                self.error("E0040", f"impl `{trait}` for `{show(for_type)}` is missing associated type `{name}`",
                           item.span, [Label(item.span, f"missing `type {name} = ...`")],
                           [f"`{trait}` declares `type {name}`; add `type {name} = <ConcreteType>` to the impl block"])
        for a in item.assoc_types:
            if a.name not in declared:
                what = f"declares only {', '.join(f'`{d}`' for d in declared)}" if declared else "has none"
                self.error("E0041", f"impl `{trait}` for `{show(for_type)}` provides associated type `{a.name}` "
                           "which is not declared by the trait", a.span,
                           [Label(a.span, f"`{a.name}` is not declared by `{trait}`")],
                           [f"remove it: `{trait}` {what}"])

    def _impl_type(self, te: A.TypeExpr, env: ModEnv, pmap: dict[str, Any], ikey: str,
                   params: list[TParam]) -> Any:
        def walk(t: A.TypeExpr) -> None:
            if isinstance(t, A.TypeName):
                n = ".".join(t.path)
                if len(n) == 1 and n.isupper() and n not in pmap and n not in env.types:
                    p = TParam(n, ikey)
                    pmap[n] = p
                    params.append(p)
                for a in t.args:
                    walk(a)
            elif isinstance(t, A.TupleType):
                for a in t.items:
                    walk(a)
            elif isinstance(t, A.FunType):
                for a in t.params:
                    walk(a)
                walk(t.ret)
        walk(te)
        return self.resolve_type(te, env, pmap)

    def _interface(self, trait: str, env: ModEnv) -> A.InterfaceDef | None:
        key = env.traits.get(trait)
        if key is None:
            return None
        mod, _, name = key.rpartition(".")
        for it in self.mods[mod].items:
            if isinstance(it, A.InterfaceDef) and it.name == name:
                return it
        return None

    def impl_methods_for(self, rt: Any, m: str) -> list[tuple[ImplInfo, str]]:
        head = _head(prune(resolve(rt)))
        out = []
        for impl, mangled in self.impl_index.get(head, []):
            if mangled and impl.methods.get(m) == mangled:
                out.append((impl, mangled))
        # From-impls with different trait args share a method name but are not ambiguous
        if len(out) > 1 and all(i.trait == out[0][0].trait for i, _ in out):
            return out[:1]
        return out

    def find_impl(self, trait: str, t: Any, trait_args: tuple | None = None) -> ImplInfo | None:
        head = _head(prune(resolve(t)))
        for impl, _ in self.impl_index.get(head, []):
            if impl.trait != trait:
                continue
            if trait_args is not None:
                if len(impl.trait_args) != len(trait_args):
                    continue
                if any(_head(a) != _head(prune(resolve(b))) for a, b in zip(impl.trait_args, trait_args, strict=True)):
                    continue
            return impl
        return None

    def _check_impl(self, env: ModEnv, item: A.ImplDef) -> None:
        pass  # method bodies are checked as functions (kind "impl_method")

    def _check_interface(self, env: ModEnv, iface: A.InterfaceDef) -> None:
        """Annotate the parameter patterns of body-less interface signatures (Self is abstract)."""
        selfp = TParam("Self", f"{env.name}.{iface.name}")
        for fd in iface.methods:
            if fd.body is not None:
                continue
            sig = self._method_sig(env, fd, selfp)
            for p, t in zip(fd.params, sig.params, strict=True):
                b: dict[str, Binding] = {}
                self.pattern(p.pattern, t, b)
                p.info["bindings"] = list(b.values())

    def has_trait(self, trait: str, t: Any) -> bool:
        """Whether a (resolved) type implements a builtin-derivable trait."""
        t = prune(t)
        if isinstance(t, (TVar, TParam)):
            return True
        if isinstance(t, TFun):
            return False
        if isinstance(t, TTuple):
            return all(self.has_trait(trait, x) for x in t.items)
        if self.find_impl(trait, t) is not None:
            return True
        assert isinstance(t, TCon)
        if t.name in self.structs:
            return trait in self.structs[t.name].derives or (trait == "Display" and False)
        if t.name in self.sums:
            info = self.sums[t.name]
            if info.module == "":
                return all(self.has_trait(trait, a) for a in t.args)
            return trait in info.derives
        if t.name in ("List", "Map", "Set", "Option", "Result"):
            return all(self.has_trait(trait, a) for a in t.args)
        return True

    # ───────────────────────────── services / supervisors ─────────────────────────────

    def _service_member(self, path: list[str], env: ModEnv) -> tuple[ModEnv, A.ServiceDef] | None:
        if len(path) == 1:
            m = env.members.get(path[0]) or env.imported.get(path[0])
            if m is not None and m.kind == "service":
                for e in self.mods.values():
                    if any(it is m.target for it in e.items):
                        return e, m.target
        else:
            mod = self._module_for_path(path[:-1], env)
            if mod is not None:
                m = self.mods[mod].members.get(path[-1])
                if m is not None and m.kind == "service":
                    return self.mods[mod], m.target
        return None

    def _service_types(self, env: ModEnv, svc: A.ServiceDef) -> dict[str, Any]:
        key = mangle(env.name, svc.name)
        cached = self.services.get(key)
        if cached is not None:
            return cached
        out: dict[str, Any] = {"state": TVar(0), "init_params": [], "handlers": {}, "key": key}
        self.services[key] = out
        if svc.init is not None:
            pts = [self.resolve_type(p.type, env, {}, fresh_unknown=True) if p.type is not None else TVar(0)
                   for p in svc.init.params]
            out["init_params"] = pts
            if svc.init.ret is not None:
                unify(out["state"], self.resolve_type(svc.init.ret, env, {}, fresh_unknown=True))
        for h in svc.handlers:
            pts = [self.resolve_type(p.type, env, {}, fresh_unknown=True) if p.type is not None else TVar(0)
                   for p in h.params]
            ret = self.resolve_type(h.ret, env, {}, fresh_unknown=True) if h.ret is not None else TVar(0)
            out["handlers"][_snake(h.name)] = (h, pts, ret if h.kind == "call" else UNIT)
        return out

    def service_call(self, node: A.Expr, svc: tuple[ModEnv, A.ServiceDef], name: str, args: list[A.Expr],
                     callee: A.FieldAccess) -> Any:
        env, sdef = svc
        st = self._service_types(env, sdef)
        if name == "start":
            fty = TFun(tuple(st["init_params"]), TCon("Pid"))
        elif name in st["handlers"]:
            _, pts, ret = st["handlers"][name]
            fty = TFun((TCon("Pid"), *pts), ret)
        elif name.startswith("try_") and st["handlers"].get(name[4:], (None,))[0] is not None \
                and st["handlers"][name[4:]][0].kind == "call":
            # the non-crashing form of a call: Err(reason) instead of a panic (docs/guide/06-actors.md)
            _, pts, ret = st["handlers"][name[4:]]
            fty = TFun((TCon("Pid"), *pts), TCon("Result", (ret, STRING)))
        else:
            self.error("E0030", f"no method `{name}` on type `{sdef.name}`", callee.span,
                       [Label(callee.span, f"method `{name}` not found")])
            raise _Abort
        ref = BuiltinRef(f"service:{st['key']}.{name}", fty)
        self.infos.append(ref)
        callee.info["res"] = ref
        return self.apply(node, ref, fty, args, None)

    def _check_service(self, env: ModEnv, svc: A.ServiceDef) -> None:
        st = self._service_types(env, svc)
        self.menv = env
        self.level += 1
        sym = FnSymbol(svc.name, env.name, st["key"], [], TFun((), UNIT), [], svc.is_pub, kind="service_fn")
        try:
            if svc.init is not None:
                self.frames = [FnCtx(st["state"], sym)]
                self.scopes = [{}]
                b: dict[str, Binding] = {}
                for p, t in zip(svc.init.params, st["init_params"], strict=True):
                    self.pattern(p.pattern, t, b)
                self.scopes[-1].update(b)
                if svc.init.body is not None:
                    self.unify_at(st["state"], self.expr_soft(svc.init.body), _last_span(svc.init.body))
            for h in svc.handlers:
                _, pts, ret = st["handlers"][_snake(h.name)]
                body_ret = TTuple((st["state"], ret)) if h.kind == "call" else st["state"]
                self.frames = [FnCtx(body_ret, sym)]
                self.scopes = [{}]
                b = {}
                for p, t in zip(h.params, pts, strict=True):
                    self.pattern(p.pattern, t, b)
                self.pattern(h.state, st["state"], b)
                self.scopes[-1].update(b)
                bt = self.expr_soft(h.body)
                self.unify_at(body_ret, bt, _last_span(h.body))
        finally:
            self.level -= 1

    def _check_supervisor(self, env: ModEnv, sup: A.SupervisorDef) -> None:
        self.menv = env
        sym = FnSymbol(sup.name, env.name, mangle(env.name, sup.name), [], TFun((), UNIT), [], sup.is_pub,
                       kind="service_fn")
        self.frames = [FnCtx(UNIT, sym)]
        self.scopes = [{}]

        def config(val: A.Expr) -> None:
            if isinstance(val, A.Name):
                val.ty = ATOM  # a bare configuration word
                self._note(val)
            else:
                self.expr_soft(val)

        for key, val in sup.options:
            config(val)
            word = val.name if isinstance(val, A.Name) else None
            if key == "strategy" and word not in ("one_for_one", "one_for_all", "rest_for_one",
                                                  "simple_one_for_one"):
                found = word or "?"
                self.error("E0019", f"unknown supervision strategy `{found}`", val.span,
                           [Label(val.span, "expected one_for_one, one_for_all, rest_for_one, or "
                                            "simple_one_for_one")])
        for child in sup.children:
            for key, val in child.options:
                word = val.name if isinstance(val, A.Name) else None
                if key == "start":
                    t = prune(resolve(self.expr_soft(val)))
                    ret = prune(t.ret) if isinstance(t, TFun) else t
                    if not (isinstance(ret, TCon) and ret.name == "Pid") and not isinstance(ret, TVar):
                        self.error("E0018", f"child `{child.id}` start function must return Pid, found "
                                   f"`{show(ret)}`", val.span, [Label(val.span, f"expected Pid<M>, found {show(ret)}")],
                                   ["the start function must call spawn() and return a Pid"])
                else:
                    config(val)
                if key == "restart" and word not in ("permanent", "transient", "temporary"):
                    self.error("E0020", f"invalid restart type `{word or '?'}` for child `{child.id}`", val.span,
                               [Label(val.span, "expected permanent, transient, or temporary")])
                elif key == "shutdown" and not (isinstance(val, A.IntLit) or word == "brutal_kill"):
                    self.error("E0021", f"invalid shutdown value `{word or '?'}` for child `{child.id}`", val.span,
                               [Label(val.span, "expected a positive integer or brutal_kill")])

    # ───────────────────────────── tail calls ─────────────────────────────

    def _mark_tail_calls(self, sym: FnSymbol, bodies: list[A.Expr] | None = None) -> None:
        def is_self(target: Any) -> bool:
            return isinstance(target, (GlobalFnRef, ActorRef)) and target.symbol == sym.mangled

        def walk(e: Any) -> None:
            if isinstance(e, A.Block):
                if e.stmts and not isinstance(e.stmts[-1], A.Let):
                    walk(e.stmts[-1])
            elif isinstance(e, A.If):
                walk(e.then)
                if e.else_ is not None:
                    walk(e.else_)
            elif isinstance(e, (A.Case, A.Receive)):
                for arm in e.arms:
                    walk(arm.body)
                if isinstance(e, A.Receive) and e.after_body is not None:
                    walk(e.after_body)
            elif isinstance(e, A.Return) and e.value is not None:
                walk(e.value)
            elif isinstance(e, (A.Call, A.Pipe)):
                info = e.info.get("call")
                if info is not None and is_self(info.target):
                    info.self_tail_call = True
                    sym.has_self_tail_call = True

        if bodies is None:
            bodies = [c.body for c in sym.clauses if c.body is not None]
        for body in bodies:
            walk(body)

    # ───────────────────────────── phase 6: finish ─────────────────────────────

    def _final(self, t: Any) -> Any:
        t = prune(resolve(t))
        if isinstance(t, TVar) and t.param is not None:
            return t.param
        return t

    def _collapse_local_generics(self) -> None:
        """A generalised local closure used at a single instantiation is made monomorphic, so the
        lowering only sees local type parameters when they are really needed."""
        uses: dict[int, list[LocalRef]] = {}
        for rec in self.infos:
            if isinstance(rec, LocalRef) and rec.binding.type_params:
                uses.setdefault(rec.binding.id, []).append(rec)
        for refs in uses.values():
            b = refs[0].binding
            first = [resolve(t) for t in refs[0].type_args]
            if any([resolve(t) for t in r.type_args] != first for r in refs[1:]):
                continue
            if any(v.param is not None for t in refs[0].type_args for v in free_vars(t)):
                continue  # used inside another generalised let at its parameters: stays generic
            mapping = dict(zip(b.type_params, refs[0].type_args, strict=True))
            for v in free_vars(b.ty):
                if v.param in mapping:
                    target = mapping[v.param]
                    v.param = None
                    v.ref = target
            b.type_params = []
            for r in refs:
                r.type_args = ()
        for st in self.gen_lets:
            bs = st.info.get("bindings", [])
            if bs and not bs[0].type_params:
                del st.info["type_params"]

    def _check_impl_signatures(self) -> None:
        for sym in list(self.functions.values()):
            impl = sym.impl
            if sym.kind != "impl_method" or impl is None or sym.mangled.endswith("__default"):
                continue
            env = self.fn_env[sym.mangled]
            self.menv = env
            found = self._iface_method(impl.trait, sym.name)
            itype = self.fn_itype.get(sym.mangled)
            if found is None or itype is None:
                continue
            exp = self._method_sig(found[0], found[2], impl.for_type)
            got, _ = instantiate(itype, sym.type_params, self.level + 1)
            try:
                unify(exp, got)
            except UnifyError:
                e, g = show(resolve(exp)), show(resolve(itype))
                span = sym.clauses[0].span
                self.error("E0008", f"method {sym.name} in impl {impl.trait} has wrong signature: expected {e}, "
                           f"found {g}", span, [Label(span, f"expected `{e}`")])

    def _finish(self) -> None:
        for ref, mangled, fresh in self.pending_refs:
            ref.type_args = fresh + tuple(self.functions[mangled].type_params[len(fresh):])
        self._check_impl_signatures()
        self._collapse_local_generics()
        for d in self.deferred:
            try:
                getattr(self, "_d_" + d[0])(*d[1:])
            except _Abort:
                pass
        # Diverging expressions (break, return) with no other constraint, and variables that no
        # operation observes (element type of an empty collection that is only measured, message
        # type of an actor nobody sends to), cannot affect code generation: they are fixed to
        # Unit. Observed ones (operands of arithmetic, comparisons, Display...) were reported by
        # the deferred checks above.
        for n in self.nodes:
            unresolved: list[TVar] = []
            if isinstance(n, _InfoType):
                n.set(zonk(n.get(), unresolved))
            elif n.ty is not None:
                n.ty = zonk(n.ty, unresolved)
                b = n.info.get("binding") if isinstance(n, A.Pattern) else None
                if b is not None:
                    b.ty = zonk(b.ty, unresolved)
            for v in unresolved:
                v.ref = UNIT
        for sym in self.functions.values():
            itype = self.fn_itype.get(sym.mangled)
            if itype is not None:
                t = zonk(itype, [])
                assert isinstance(t, TFun)
                sym.type = t
        for cs in self.constants.values():
            cs.type = zonk(cs.type, [])
        for rec in self.infos:
            _zonk_record(rec)
        for sym in self.functions.values():
            for clause in sym.clauses:
                for p in clause.params:
                    for b in p.info.get("bindings", []):
                        b.ty = zonk(b.ty, [])

    def _d_bounds(self, sym: FnSymbol, args: tuple, span: A.Span, caller_bounds: dict) -> None:
        for tp, traits in sym.bounds.items():
            if tp not in sym.type_params:
                continue
            t = self._final(args[sym.type_params.index(tp)])
            for trait in traits:
                if isinstance(t, TVar):
                    continue
                if isinstance(t, TParam):
                    ok = True  # checked again by the lowering after substitution
                elif trait in ("Display", "Debug", "Eq", "Ord", "Hash"):
                    ok = self.has_trait(trait, t) and not (trait == "Ord" and isinstance(t, TCon) and t.name == "Bool")
                else:
                    ok = self.find_impl(trait, t) is not None
                if not ok:
                    ts = show(t)
                    hints = [f"`{sym.name}` requires `{tp.name}: {trait}` (its `where` clause), and "
                             f"`{tp.name}` is `{ts}` here"]
                    known = trait in _BUILTIN_TRAITS or any(trait in e.traits for e in self.mods.values())
                    if known:
                        hints.append(f"add `impl {trait} for {ts} do ... end`")
                    else:
                        hints.append(f"no interface named `{trait}` is defined; declare it with "
                                     f"`interface {trait} do ... end`")
                    self.error("E0006", f"{ts} does not implement {trait}", span,
                               [Label(span, f"{ts} does not satisfy {trait}")], hints)

    def _d_display(self, ref: TraitMethodRef, span: A.Span) -> None:
        self._d_trait("Display", ref, span)

    def _ambiguous(self, span: A.Span) -> None:
        if self.sink.errors:
            return  # usually a consequence of an earlier error
        self.error("E0001", "cannot infer the type of this expression: type annotations needed", span,
                   [Label(span, "its type is ambiguous")],
                   ["add a type annotation (for example `let x :: List<Int> = ...`)"])

    def _d_trait(self, trait: str, ref: TraitMethodRef, span: A.Span | None) -> None:
        t = self._final(ref.self_type)
        if isinstance(t, TVar) and span is not None:
            self._ambiguous(span)
            return
        impl = self.find_impl(trait, t)
        if impl is not None and ref.method in impl.methods:
            ref.symbol = impl.methods[ref.method]
            return
        if isinstance(t, TCon) and (t.name in self.structs or (t.name in self.sums and self.sums[t.name].module)):
            derives = self.structs[t.name].derives if t.name in self.structs else self.sums[t.name].derives
            if trait in derives:
                ref.derived = True
                return
            if span is not None:
                self.error("E0006", f"{show(t)} does not implement {trait}", span,
                           [Label(span, f"{show(t)} does not satisfy {trait}")],
                           [f"add `deriving({trait})` or `impl {trait} for {show(t)} do ... end`"])

    def _d_binop(self, e: A.BinaryOp, info: OpInfo, lt: Any) -> None:
        t = self._final(lt)
        op = e.op
        info.operand_type = t
        name = t.name if isinstance(t, TCon) else None
        if isinstance(t, TVar):
            self._ambiguous(e.span)
            return
        if isinstance(t, TParam):
            info.kind = "generic"
            return
        if op in ARITH:
            if name in ("Int", "Float"):
                info.kind = name.lower()
                return
            impl = self.find_impl(ARITH[op], t)
            if impl is not None:
                m = ARITH[op].lower()
                ref = TraitMethodRef(ARITH[op], m, t, impl.methods.get(m))
                info.kind, info.method = "trait", ref
                return
            self.error("E0006", f"{show(t)} does not implement {ARITH[op]}", e.span,
                       [Label(e.span, f"{show(t)} does not satisfy {ARITH[op]}")],
                       [f"add `impl {ARITH[op]} for {show(t)} do ... end`"])
            return
        if op in ("==", "!="):
            if name in ("Int", "Float", "Bool"):
                info.kind = name.lower()
                return
            info.kind = "eq"
            if not self.has_trait("Eq", t):
                self.error("E0006", f"{show(t)} does not implement Eq", e.span,
                           [Label(e.span, f"{show(t)} does not satisfy Eq")])
            return
        if op in ("<", ">", "<=", ">="):
            if name in ("Int", "Float"):
                info.kind = name.lower()
                return
            info.kind = "ord"
            if not self.has_trait("Ord", t) or name == "Bool":
                self.error("E0006", f"{show(t)} does not implement Ord", e.span,
                           [Label(e.span, f"{show(t)} does not satisfy Ord")])
            return
        if op in ("<>", "++"):
            if name == "String":
                info.kind = "string_concat"
                return
            if name == "List":
                info.kind = "list_concat"
                return
            self.error("E0001", f"expected String or List, found {show(t)}", e.span,
                       [Label(e.span, f"`{op}` concatenates strings or lists")])
            return
        info.kind = "generic"

    def _d_unary(self, e: A.UnaryOp, info: OpInfo, t0: Any) -> None:
        t = self._final(t0)
        info.operand_type = t
        if isinstance(t, TCon) and t.name in ("Int", "Float"):
            info.kind = t.name.lower()
        elif isinstance(t, TVar):
            self._ambiguous(e.span)
        elif isinstance(t, TParam):
            info.kind = "generic"
        else:
            impl = self.find_impl("Neg", t)
            if impl is not None:
                info.kind, info.method = "trait", TraitMethodRef("Neg", "neg", t, impl.methods.get("neg"))
            else:
                self.error("E0006", f"{show(t)} does not implement Neg", e.span,
                           [Label(e.span, f"{show(t)} does not satisfy Neg")])

    def _d_case(self, e: A.Case, st: Any, arms: list[tuple[A.Pattern, bool, A.Span]]) -> None:
        pats = [(self.abstract(p), g) for p, g, _ in arms]
        miss, redundant = exhaust.check_arms(pats, st, self.ctor_sig)
        for i in redundant:
            self.warn("W0001", f"redundant match arm (arm {i + 1})", arms[i][2],
                      ["remove this arm or reorder the match"])
        e.info["exhaustive"] = not miss
        if miss:
            ts = show(resolve(st))
            self.error("E0012", f"non-exhaustive match on `{ts}`", e.span,
                       [Label(e.span, f"missing: {', '.join(miss)}")],
                       ["add the missing patterns or a wildcard `_` arm"])

    def _d_clauses(self, sym: FnSymbol, rows: list, params: list[Any]) -> None:
        data = [(tuple(self.abstract(p) for p in row), g) for row, g, _ in rows]
        miss, redundant = exhaust.check_rows(data, list(params), self.ctor_sig)
        for i in redundant:
            self.warn("W0001", f"redundant match arm (arm {i + 1})", rows[i][2],
                      ["remove this arm or reorder the match"])
        sym.clauses[0].info["exhaustive"] = not miss

    def _d_closure_clauses(self, e: A.Closure, rows: list, params: list[Any]) -> None:
        data = [(tuple(self.abstract(p) for p in row), g) for row, g, _ in rows]
        miss, redundant = exhaust.check_rows(data, list(params), self.ctor_sig)
        e.info["exhaustive"] = not miss

    def _d_let(self, st: A.Let, ty: Any) -> None:
        pass


# ─────────────────────────────────── helpers ───────────────────────────────────


# Compiler-known traits a user may implement, with their associated types.
_BUILTIN_TRAITS: dict[str, tuple[str, ...]] = {
    "Add": ("Output",), "Sub": ("Output",), "Mul": ("Output",), "Div": ("Output",), "Mod": ("Output",),
    "Neg": ("Output",), "Not": (), "Eq": (), "Ord": (), "Display": (), "Debug": (), "Hash": (),
    "Default": (), "From": (), "Into": (), "Iterator": ("Item",), "Iterable": ("Item", "Iter"),
}


def _show_named(*types: Any) -> list[str]:
    """Render types for one message, naming unbound variables `a`, `b`, ... by first appearance
    (stable across runs, unlike the internal `?N` numbering)."""
    names: dict[int, str] = {}

    def go(t: Any) -> str:
        t = prune(t)
        if isinstance(t, TVar) and t.param is None:
            if t.id not in names:
                n = len(names)
                names[t.id] = chr(ord("a") + n) if n < 26 else f"t{n}"
            return names[t.id]
        if isinstance(t, TCon) and t.args:
            return f"{display_type_name(t.name)}<{', '.join(go(a) for a in t.args)}>"
        if isinstance(t, TTuple) and t.items:
            return f"({', '.join(go(a) for a in t.items)})"
        if isinstance(t, TFun):
            return f"Fun({', '.join(go(a) for a in t.params)}) -> {go(t.ret)}"
        return show(t)

    return [go(t) for t in types]


def _row_ok(t: Any) -> bool:
    if isinstance(t, TCon):
        if t.name in ("Int", "Float", "Bool", "String"):
            return True
        if t.name == "Option":
            return _row_ok(t.args[0])
    return False


class _InfoType:
    """A type stored in an info dict (zonked in the final pass like `Expr.ty`)."""

    def __init__(self, info: dict, key: str) -> None:
        self.info = info
        self.key = key
        self.span = A.NO_SPAN

    def get(self) -> Any:
        return self.info[self.key]

    def set(self, v: Any) -> None:
        self.info[self.key] = v


def _zonk_record(rec: Any) -> None:
    if isinstance(rec, (GlobalFnRef, VariantRef, StructRef)):
        rec.type_args = tuple(zonk(t, []) for t in rec.type_args)
    elif isinstance(rec, LocalRef):
        rec.type_args = tuple(zonk(t, []) for t in rec.type_args)
    elif isinstance(rec, BuiltinRef):
        rec.type = zonk(rec.type, [])
    elif isinstance(rec, TraitMethodRef):
        rec.self_type = zonk(rec.self_type, [])
        rec.type_args = tuple(zonk(t, []) for t in rec.type_args)
    elif isinstance(rec, TryInfo):
        rec.ok_type = zonk(rec.ok_type, [])
        rec.err_type = zonk(rec.err_type, []) if rec.err_type is not None else None
        rec.fn_return = zonk(rec.fn_return, [])
    elif isinstance(rec, ForInfo):
        rec.elem_type = zonk(rec.elem_type, [])
        rec.result_type = zonk(rec.result_type, [])
    elif isinstance(rec, OpInfo):
        rec.operand_type = zonk(rec.operand_type, [])
        if rec.method is not None:
            _zonk_record(rec.method)


def _head(t: Any) -> str:
    t = prune(t)
    if isinstance(t, TCon):
        return t.name
    if isinstance(t, TTuple):
        return "Tuple" if t.items else "Unit"
    if isinstance(t, TFun):
        return "Fun"
    if isinstance(t, TParam):
        return f"param:{t.name}"
    return "?"


def _stdlib_module_of(t: Any) -> str | None:
    if isinstance(t, TCon):
        return {"String": "String", "List": "List", "Map": "Map", "Set": "Set", "Range": "Range",
                "Iter": "Iter", "Queue": "Queue", "Int": "Int", "Float": "Float"}.get(t.name)
    return None


def _mark_qualifier(e: A.Expr, name: str) -> None:
    """The Names of a qualifier (`String` in `String.split`, `Math.Vector` in `Math.Vector.add`) are
    not values: they get `info["qualifier"]` (the qualifier path as written) and no type."""
    while isinstance(e, A.FieldAccess):
        e.info["qualifier"] = name
        e = e.obj
    e.info["qualifier"] = name


def _name_path(e: A.Expr) -> list[str] | None:
    if isinstance(e, A.Name):
        return [e.name]
    if isinstance(e, A.FieldAccess):
        inner = _name_path(e.obj)
        return None if inner is None else [*inner, e.field]
    return None


def _last_span(e: Any) -> A.Span:
    if isinstance(e, A.Block) and e.stmts:
        last = e.stmts[-1]
        return last.span if not isinstance(last, A.Let) else last.value.span
    return e.span


def _invalid_guard(g: A.Expr) -> str | None:
    """The reference's rule for `case` arm guards: literals, names, comparisons, `and`/`or`/`not`,
    tuples and calls of named functions."""
    if isinstance(g, (A.IntLit, A.FloatLit, A.StringLit, A.BoolLit, A.NilLit, A.AtomLit, A.Name)):
        return None
    if isinstance(g, A.BinaryOp):
        if g.op not in ("==", "!=", "<", ">", "<=", ">=", "and", "or"):
            return f"operator `{g.op}` not allowed in guard"
        return _invalid_guard(g.left) or _invalid_guard(g.right)
    if isinstance(g, A.UnaryOp):
        if g.op != "not":
            return f"operator `{g.op}` not allowed in guard"
        return _invalid_guard(g.operand)
    if isinstance(g, A.TupleExpr):
        return None
    if isinstance(g, A.Call):
        return None if isinstance(g.callee, A.Name) else "only named function calls allowed in guard"
    return "expression not allowed in guard"


def _fix_suggestion(exp: str, fnd: str) -> str | None:
    if exp.startswith("Option<") and exp[7:-1] == fnd:
        return "wrap in Some(...)"
    if exp.startswith("Result<") and "," in exp and exp[7:exp.index(",")].strip() == fnd:
        return "wrap in Ok(...)"
    if exp == "Int" and fnd == "Float":
        return "use Int conversion"
    if exp == "Float" and fnd == "Int":
        return "use Float conversion"
    if exp == "String" and fnd in ("Int", "Float"):
        return "use to_string()"
    if exp == "Bool" and fnd != "Bool":
        return "expected a boolean expression"
    return None


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0 and (not name[i - 1].isupper()):
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _closest(name: str, cands: list[str], limit: int = 2) -> str | None:
    best, best_d = None, limit + 1
    for c in sorted(set(cands)):
        if c == name:
            continue
        d = _levenshtein(name, c)
        if d < best_d and d < len(name) and d < len(c):
            best, best_d = c, d
    return best


def check_program(modules: list[ParsedModule]) -> CheckedProgram:
    # The checker allocates many small acyclic objects (types, records) while the parsed trees
    # of the whole program are alive: with the cyclic collector on, its full collections
    # rescan every AST node again and again and dominate the time on large programs (2.5x at
    # 800 functions, growing with size). Nothing the checker builds needs cycle collection
    # during the check, so the collector is paused for its duration.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return Checker(modules).run()
    finally:
        if was_enabled:
            gc.enable()
