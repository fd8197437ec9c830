"""Convert the textX model of grammar/mesh.tx into toolchain.syntax.ast nodes.

Each textX object is dispatched on its class name (the grammar rule that produced it). Spans are
the character offsets textX records for every object (`_tx_position`, `_tx_position_end`).

Conventions the AST contract leaves open, as this builder fills them:
- `StringLit.parts` strictly alternates str and Expr, starting and ending with a str
  (`"${a}${b}"` is `["", a, "", b, ""]`); a literal without interpolation is `[text]`.
- `(e)` is `e` itself; `(e,)` is a one-element `TupleExpr`; the same holds for patterns and types.
- A closure clause written with `->` whose body is a single expression has that expression as
  `body`; `do ... end` bodies and multi-statement `->` bodies are a `Block`.
- `self` as a parameter is `Param(VarPat("self"))`.
- A service handler without `|state|` gets a zero-width `WildcardPat` as `state`.
- `ServiceDef.init` is the first `fn init`; every other `fn` goes to `functions`.
- `Import.alias` is None unless `as X` is written; `ModuleDef.name` joins a dotted name with `.`.
- Integer literals keep their full value (no i64 range check here); `0x`/`0b`/`0o` prefixes and
  `_` separators are resolved.
- `Block.span` runs from its first to its last statement (zero-width at the block start when
  empty); `ActorDef.body` is the actor's statements without the `terminate` clause.
"""

from __future__ import annotations

import re
from typing import Any

from toolchain.syntax import ast

# Binary operators, lowest precedence first (features.md EXP-10; all left-associative).
PRECEDENCE: dict[str, int] = {
    "|>": 1,
    "or": 2,
    "||": 2,
    "and": 3,
    "&&": 3,
    "==": 4,
    "!=": 4,
    "<": 5,
    ">": 5,
    "<=": 5,
    ">=": 5,
    "..": 6,
    "<>": 7,
    "++": 7,
    "+": 8,
    "-": 8,
    "*": 9,
    "/": 9,
    "%": 9,
}
_NORMALISE = {"&&": "and", "||": "or", "!": "not"}

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"'}
_ESCAPE_RE = re.compile(r"\\([\s\S]?)")


def unescape(raw: str) -> str:
    """`\\n \\t \\r \\0 \\\\ \\"` are escapes; any other escaped character stands for itself."""
    if "\\" not in raw:
        return raw

    def repl(m: re.Match[str]) -> str:
        ch = m.group(1)
        if ch == "":
            return "\\"
        return _ESCAPES.get(ch, ch)

    return _ESCAPE_RE.sub(repl, raw)


def _cls(obj: Any) -> str:
    return type(obj).__name__


def _is_upper(name: str) -> bool:
    return name[:1].isupper()


class Builder:
    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text

    # ───────────────────────────── helpers ─────────────────────────────

    def span(self, obj: Any) -> ast.Span:
        return ast.Span(self.path, obj._tx_position, obj._tx_position_end)

    def span_between(self, start: int, end: int) -> ast.Span:
        return ast.Span(self.path, start, end)

    def fail(self, message: str, start: int, end: int, hints: list[str] | None = None) -> Any:
        from toolchain.syntax import ParseFailure

        raise ParseFailure(message, start, end, hints)

    def doc_before(self, pos: int) -> str | None:
        """Text of the `##` doc comment lines directly above the line containing `pos`."""
        text = self.text
        line_start = text.rfind("\n", 0, pos) + 1
        lines: list[str] = []
        end = line_start
        while end > 0:
            prev_start = text.rfind("\n", 0, end - 1) + 1
            line = text[prev_start:end].strip()
            if line.startswith("##") and not line.startswith("##!"):
                body = line[2:]
                lines.append(body[1:] if body.startswith(" ") else body)
                end = prev_start
                continue
            break
        if not lines:
            return None
        return "\n".join(reversed(lines))

    def module_doc(self) -> str | None:
        lines = []
        for line in self.text.splitlines():
            stripped = line.strip()
            if stripped.startswith("##!"):
                body = stripped[3:]
                lines.append(body[1:] if body.startswith(" ") else body)
        return "\n".join(lines) if lines else None

    # ───────────────────────────── items ─────────────────────────────

    def source_file(self, model: Any) -> ast.SourceFile:
        # textX returns a bare string for an input with no items (only blank lines / comments)
        items = [self.item(it) for it in getattr(model, "items", [])]
        return ast.SourceFile(
            span=ast.Span(self.path, 0, len(self.text)),
            path=self.path,
            items=items,
            module_doc=self.module_doc(),
        )

    def item(self, obj: Any) -> ast.Item:
        kind = _cls(obj)
        node: ast.Item = getattr(self, "item_" + kind)(obj)
        node.span = self.span(obj)
        node.is_pub = bool(getattr(obj, "pub", False))
        node.doc = self.doc_before(obj._tx_position)
        return node

    def generics(self, obj: Any) -> list[str]:
        g = getattr(obj, "generics", None)
        return list(g.names) if g is not None else []

    def params(self, plist: Any) -> list[ast.Param]:
        if plist is None:
            return []
        return [self.param(p) for p in plist.params]

    def param(self, obj: Any) -> ast.Param:
        if obj.var:
            end = obj._tx_position + len(obj.var)
            pat: ast.Pattern = ast.VarPat(span=self.span_between(obj._tx_position, end), name=obj.var)
        else:
            pat = self.pattern(obj.pattern)
        return ast.Param(
            span=self.span(obj),
            pattern=pat,
            type=self.type(obj.type) if obj.type is not None else None,
        )

    def where(self, obj: Any) -> list[ast.TraitBound]:
        w = getattr(obj, "where", None)
        if w is None:
            return []
        return [
            ast.TraitBound(
                span=self.span(b), var=b.var, traits=[self.named_type(t) for t in b.traits]
            )
            for b in w.bounds
        ]

    def fn_def(self, obj: Any, allow_no_body: bool = False) -> ast.FnDef:
        if obj.do_kw:
            body: ast.Expr | None = self.block(obj.body, obj)
        elif obj.expr_body is not None:
            body = self.expr(obj.expr_body)
        else:
            body = None
            if not allow_no_body:
                self.fail("expected `=` or `do` for the function body", obj._tx_position, obj._tx_position_end)
        node = ast.FnDef(
            span=self.span(obj),
            name=obj.name,
            generics=self.generics(obj),
            params=self.params(obj.params),
            ret=self.type(obj.ret) if obj.ret is not None else None,
            where=self.where(obj),
            guard=self.expr(obj.guard) if getattr(obj, "guard", None) is not None else None,
            body=body,
        )
        node.is_pub = bool(obj.pub)
        node.doc = self.doc_before(obj._tx_position)
        return node

    def item_FnDef(self, obj: Any) -> ast.FnDef:
        return self.fn_def(obj)

    def item_StructDef(self, obj: Any) -> ast.StructDef:
        fields: list[ast.StructField] = []
        schema: list[tuple[str, list[ast.Expr]]] = []
        for entry in obj.entries:
            if _cls(entry) == "StructField":
                fields.append(
                    ast.StructField(span=self.span(entry), name=entry.name, type=self.type(entry.type))
                )
            else:
                schema.append((entry.key, [self.expr(a) for a in entry.args]))
        return ast.StructDef(
            name=obj.name,
            generics=self.generics(obj),
            fields=fields,
            deriving=self.deriving(obj.deriving),
            schema=schema,
        )

    def deriving(self, obj: Any) -> list[str] | None:
        if obj is None:
            return None
        return list(obj.body.names)

    def item_SumTypeDef(self, obj: Any) -> ast.SumTypeDef:
        variants = []
        for v in obj.variants:
            fields = []
            if v.fields is not None:
                for f in v.fields.items:
                    fields.append(
                        ast.VariantField(span=self.span(f), name=f.name or None, type=self.type(f.type))
                    )
            variants.append(ast.Variant(span=self.span(v), name=v.name, fields=fields))
        return ast.SumTypeDef(
            name=obj.name,
            generics=self.generics(obj),
            variants=variants,
            deriving=self.deriving(obj.deriving),
        )

    def item_TypeAlias(self, obj: Any) -> ast.TypeAlias:
        return ast.TypeAlias(name=obj.name, generics=self.generics(obj), type=self.type(obj.type))

    def assoc_type(self, obj: Any) -> ast.AssocTypeDecl:
        return ast.AssocTypeDecl(
            span=self.span(obj),
            name=obj.name,
            type=self.type(obj.type) if obj.type is not None else None,
        )

    def item_InterfaceDef(self, obj: Any) -> ast.InterfaceDef:
        methods = []
        assoc = []
        for m in obj.members:
            if _cls(m) == "AssocType":
                assoc.append(self.assoc_type(m))
            else:
                methods.append(self.fn_def(m, allow_no_body=True))
        return ast.InterfaceDef(
            name=obj.name, generics=self.generics(obj), methods=methods, assoc_types=assoc
        )

    def item_ImplDef(self, obj: Any) -> ast.ImplDef:
        methods = []
        assoc = []
        for m in obj.members:
            if _cls(m) == "AssocType":
                assoc.append(self.assoc_type(m))
            else:
                methods.append(self.fn_def(m))
        return ast.ImplDef(
            trait=self.named_type(obj.trait),
            for_type=self.type(obj.for_type),
            generics=self.generics(obj),
            methods=methods,
            assoc_types=assoc,
            where=self.where(obj),
        )

    def item_ActorDef(self, obj: Any) -> ast.ActorDef:
        stmts: list[ast.Stmt] = []
        terminate: ast.Block | None = None
        for part in obj.parts:
            if _cls(part) == "Terminate":
                if terminate is not None:
                    self.fail(
                        "only one `terminate` clause is allowed per actor",
                        part._tx_position,
                        part._tx_position_end,
                    )
                terminate = self.block(part.body, part)
            else:
                stmts.append(self.stmt(part))
        if stmts:
            bspan = stmts[0].span.to(stmts[-1].span)
        else:
            bspan = self.span_between(obj._tx_position, obj._tx_position)
        return ast.ActorDef(
            name=obj.name,
            params=self.params(obj.params),
            body=ast.Block(span=bspan, stmts=stmts),
            terminate=terminate,
        )

    def item_ServiceDef(self, obj: Any) -> ast.ServiceDef:
        init: ast.FnDef | None = None
        handlers = []
        functions = []
        for m in obj.members:
            if _cls(m) == "Handler":
                if m.state is not None:
                    state = self.pattern(m.state)
                else:
                    state = ast.WildcardPat(span=self.span_between(m._tx_position, m._tx_position))
                handlers.append(
                    ast.ServiceHandler(
                        span=self.span(m),
                        kind=m.kind,
                        name=m.name,
                        params=self.params(m.params),
                        ret=self.type(m.ret) if m.ret is not None else None,
                        state=state,
                        body=self.block(m.body, m),
                    )
                )
            else:
                fn = self.fn_def(m)
                if fn.name == "init" and init is None:
                    init = fn
                else:
                    functions.append(fn)
        return ast.ServiceDef(name=obj.name, init=init, handlers=handlers, functions=functions)

    def option(self, obj: Any) -> tuple[str, ast.Expr]:
        return (obj.key, self.expr(obj.value))

    def item_SupervisorDef(self, obj: Any) -> ast.SupervisorDef:
        options = []
        children = []
        for e in obj.entries:
            if _cls(e) == "ChildSpec":
                children.append(
                    ast.ChildSpec(
                        span=self.span(e), id=e.name, options=[self.option(o) for o in e.options]
                    )
                )
            else:
                options.append(self.option(e))
        return ast.SupervisorDef(name=obj.name, options=options, children=children)

    def item_ModuleDef(self, obj: Any) -> ast.ModuleDef:
        return ast.ModuleDef(name=".".join(obj.path), items=[self.item(i) for i in obj.items])

    def item_ImportDecl(self, obj: Any) -> ast.Import:
        return ast.Import(path=list(obj.path), alias=obj.alias or None)

    def item_FromImport(self, obj: Any) -> ast.FromImport:
        if obj.glob:
            star = self.text.find("*", obj._tx_position)
            self.fail(
                "glob imports are not allowed; import names explicitly",
                star,
                star + 1,
                hints=[f"write `from {'.'.join(obj.path)} import name1, name2`"],
            )
        return ast.FromImport(path=list(obj.path), names=list(obj.names))

    def item_LetItem(self, obj: Any) -> ast.LetItem:
        return ast.LetItem(let=self.let(obj.let))

    # ─────────────────────────── statements ───────────────────────────

    def block(self, obj: Any, parent: Any) -> ast.Block:
        """A `do ... end` body; `obj` is None for an empty body (textX creates no object)."""
        stmts = [self.stmt(s) for s in obj.stmts] if obj is not None else []
        if stmts:
            span = stmts[0].span.to(stmts[-1].span)
        else:
            pos = obj._tx_position if obj is not None else parent._tx_position_end
            span = self.span_between(pos, pos)
        return ast.Block(span=span, stmts=stmts)

    def stmt(self, obj: Any) -> ast.Stmt:
        if _cls(obj) == "Let":
            return self.let(obj)
        return self.expr(obj)

    def let(self, obj: Any) -> ast.Let:
        return ast.Let(
            span=self.span(obj),
            pattern=self.pattern(obj.pattern),
            type=self.type(obj.type) if obj.type is not None else None,
            value=self.expr(obj.value),
        )

    # ─────────────────────────── expressions ──────────────────────────

    def expr(self, obj: Any) -> ast.Expr:
        kind = _cls(obj)
        method = getattr(self, "ex_" + kind)
        return method(obj)

    def ex_Expr(self, obj: Any) -> ast.Expr:
        first = self.expr(obj.first)
        if not obj.rest:
            return first
        operands = [first]
        ops: list[str] = []
        for tail in obj.rest:
            ops.append(tail.op)
            operands.append(self.expr(tail.right))
        return self.fold(operands, ops)

    ex_CondExpr = ex_Expr

    def fold(self, operands: list[ast.Expr], ops: list[str]) -> ast.Expr:
        """Operator-precedence fold of `e0 op1 e1 op2 e2 ...` (iterative, all left-assoc)."""
        out: list[ast.Expr] = [operands[0]]
        stack: list[str] = []

        def reduce() -> None:
            op = stack.pop()
            right = out.pop()
            left = out.pop()
            span = left.span.to(right.span)
            if op == "|>":
                out.append(ast.Pipe(span=span, left=left, right=right))
            else:
                out.append(ast.BinaryOp(span=span, op=_NORMALISE.get(op, op), left=left, right=right))

        for op, operand in zip(ops, operands[1:], strict=True):
            prec = PRECEDENCE[op]
            while stack and PRECEDENCE[stack[-1]] >= prec:
                reduce()
            stack.append(op)
            out.append(operand)
        while stack:
            reduce()
        return out[0]

    def ex_PrefixExpr(self, obj: Any) -> ast.Expr:
        node = self.expr(obj.operand)
        pos = obj._tx_position
        starts = []
        for op in obj.ops:
            pos = self.text.find(op[0], pos)
            starts.append(pos)
            pos += len(op)
        for op, start in zip(reversed(obj.ops), reversed(starts), strict=True):
            node = ast.UnaryOp(
                span=self.span_between(start, node.span.end), op=_NORMALISE.get(op, op), operand=node
            )
        return node

    ex_CondPrefixExpr = ex_PrefixExpr

    def ex_Postfix(self, obj: Any) -> ast.Expr:
        node = self.expr(obj.base)
        start = node.span.start
        for op in obj.ops:
            kind = _cls(op)
            span = self.span_between(start, op._tx_position_end)
            if kind in ("CallOp", "CondCallOp"):
                args, kwargs = self.call_args(op.args)
                trailing = getattr(op, "trailing", None)
                node = ast.Call(
                    span=span,
                    callee=node,
                    args=args,
                    kwargs=kwargs,
                    trailing=self.trailing(trailing) if trailing is not None else None,
                )
            elif kind == "FieldOp":
                node = ast.FieldAccess(span=span, obj=node, field=op.name)
            elif kind == "IndexRest":
                node = ast.IndexExpr(span=span, obj=node, index=self.expr(op.index))
            else:  # TryOp
                node = ast.Try(span=span, expr=node)
        return node

    ex_CondPostfix = ex_Postfix

    def call_args(self, obj: Any) -> tuple[list[ast.Expr], list[tuple[str, ast.Expr]]]:
        args: list[ast.Expr] = []
        kwargs: list[tuple[str, ast.Expr]] = []
        for a in obj.args:
            if _cls(a) == "KwArg":
                kwargs.append((a.name, self.expr(a.value)))
            else:
                if kwargs:
                    self.fail(
                        "positional argument after keyword arguments",
                        a._tx_position,
                        a._tx_position_end,
                        hints=["keyword arguments (`name: value`) must come last"],
                    )
                args.append(self.expr(a))
        return args, kwargs

    def trailing(self, obj: Any) -> ast.Closure:
        params = [self.param(p) for p in obj.params]
        body = self.block(obj.body, obj)
        clause = ast.ClosureClause(span=self.span(obj), params=params, guard=None, body=body)
        return ast.Closure(span=self.span(obj), clauses=[clause])

    # literals

    def ex_IntLit(self, obj: Any) -> ast.Expr:
        return ast.IntLit(span=self.span(obj), value=self.int_value(obj))

    def int_value(self, obj: Any) -> int:
        raw = obj.text
        clean = raw.replace("_", "")
        try:
            if len(clean) > 1 and clean[0] == "0" and clean[1] in "xXbBoO":
                base = {"x": 16, "b": 2, "o": 8}[clean[1].lower()]
                return int(clean[2:], base)
            return int(clean, 10)
        except ValueError:
            return self.fail(f"invalid integer literal `{raw}`", obj._tx_position, obj._tx_position_end)

    def ex_FloatLit(self, obj: Any) -> ast.Expr:
        raw = obj.text
        try:
            value = float(raw.replace("_", ""))
        except ValueError:
            return self.fail(f"invalid float literal `{raw}`", obj._tx_position, obj._tx_position_end)
        return ast.FloatLit(span=self.span(obj), value=value)

    def ex_BoolLit(self, obj: Any) -> ast.Expr:
        return ast.BoolLit(span=self.span(obj), value=obj.value == "true")

    def ex_NilLit(self, obj: Any) -> ast.Expr:
        return ast.NilLit(span=self.span(obj))

    def ex_AtomLit(self, obj: Any) -> ast.Expr:
        return ast.AtomLit(span=self.span(obj), name=obj.text[1:])

    def ex_StringLit(self, obj: Any) -> ast.Expr:
        body = obj.triple if obj.triple is not None else obj.plain
        parts: list[str | ast.Expr] = [""]
        for part in body.parts:
            if _cls(part) == "InterpRest":
                parts.append(self.expr(part.expr))
                parts.append("")
            else:
                parts[-1] += unescape(part.text)
        return ast.StringLit(span=self.span(obj), parts=parts, triple=obj.triple is not None)

    # names and simple atoms

    def ex_NameRef(self, obj: Any) -> ast.Expr:
        return ast.Name(span=self.span(obj), name=obj.name)

    def ex_SelfPid(self, obj: Any) -> ast.Expr:
        return ast.SelfPid(span=self.span(obj))

    def ex_SelfRef(self, obj: Any) -> ast.Expr:
        return ast.SelfExpr(span=self.span(obj))

    def ex_BreakExpr(self, obj: Any) -> ast.Expr:
        return ast.Break(span=self.span(obj))

    def ex_ContinueExpr(self, obj: Any) -> ast.Expr:
        return ast.Continue(span=self.span(obj))

    def ex_ReturnExpr(self, obj: Any) -> ast.Expr:
        value = self.expr(obj.value) if obj.value is not None else None
        return ast.Return(span=self.span(obj), value=value)

    # compound literals

    def ex_ParenExpr(self, obj: Any) -> ast.Expr:
        items = [self.expr(e) for e in obj.items]
        if len(items) == 1 and not obj.trailing:
            return items[0]
        return ast.TupleExpr(span=self.span(obj), items=items)

    def ex_ListLit(self, obj: Any) -> ast.Expr:
        return ast.ListExpr(span=self.span(obj), items=[self.expr(e) for e in obj.items])

    def field_inits(self, fields: Any) -> list[tuple[str, ast.Expr]]:
        return [(f.name, self.expr(f.value)) for f in fields]

    def ex_MapOrUpdate(self, obj: Any) -> ast.Expr:
        if obj.first is None:
            return ast.MapExpr(span=self.span(obj), entries=[])
        first = self.expr(obj.first)
        if obj.update:
            return ast.StructUpdate(span=self.span(obj), base=first, fields=self.field_inits(obj.fields))
        entries = [(first, self.expr(obj.value))]
        entries += [(self.expr(e.key), self.expr(e.value)) for e in obj.entries]
        return ast.MapExpr(span=self.span(obj), entries=entries)

    def ex_StructLit(self, obj: Any) -> ast.Expr:
        return ast.StructExpr(
            span=self.span(obj), path=list(obj.path), fields=self.field_inits(obj.body.fields)
        )

    # control flow

    def ex_IfExpr(self, obj: Any) -> ast.Expr:
        else_: ast.Block | ast.If | None = None
        if obj.elif_ is not None:
            else_ = self.ex_IfExpr(obj.elif_)  # type: ignore[assignment]
        elif obj.else_kw:
            else_ = self.block(obj.else_, obj)
        return ast.If(
            span=self.span(obj), cond=self.expr(obj.cond), then=self.block(obj.then, obj), else_=else_
        )

    def arm(self, obj: Any) -> ast.MatchArm:
        return ast.MatchArm(
            span=self.span(obj),
            pattern=self.pattern(obj.pattern),
            guard=self.expr(obj.guard) if obj.guard is not None else None,
            body=self.expr(obj.body),
        )

    def ex_CaseExpr(self, obj: Any) -> ast.Expr:
        return ast.Case(
            span=self.span(obj),
            scrutinee=self.expr(obj.scrutinee),
            arms=[self.arm(a) for a in obj.arms],
        )

    def ex_ReceiveExpr(self, obj: Any) -> ast.Expr:
        after = obj.after
        return ast.Receive(
            span=self.span(obj),
            arms=[self.arm(a) for a in obj.arms],
            after_timeout=self.expr(after.timeout) if after is not None else None,
            after_body=self.expr(after.body) if after is not None else None,
        )

    def ex_WhileExpr(self, obj: Any) -> ast.Expr:
        return ast.While(span=self.span(obj), cond=self.expr(obj.cond), body=self.block(obj.body, obj))

    def ex_ForExpr(self, obj: Any) -> ast.Expr:
        return ast.For(
            span=self.span(obj),
            pattern=self.pattern(obj.pattern),
            iterable=self.expr(obj.iterable),
            filter=self.expr(obj.filter) if obj.filter is not None else None,
            body=self.block(obj.body, obj),
        )

    def ex_Closure(self, obj: Any) -> ast.Expr:
        clauses = []
        for c in obj.clauses:
            params = self.params(c.plist) if c.plist is not None else [self.param(p) for p in c.params]
            body: ast.Expr = self.block(c.body, c)
            if _cls(c) == "ArrowClause":
                assert isinstance(body, ast.Block)
                if len(body.stmts) == 1 and not isinstance(body.stmts[0], ast.Let):
                    body = body.stmts[0]
            clauses.append(
                ast.ClosureClause(
                    span=self.span(c),
                    params=params,
                    guard=self.expr(c.guard) if c.guard is not None else None,
                    body=body,
                )
            )
        return ast.Closure(span=self.span(obj), clauses=clauses)

    # ───────────────────────────── patterns ────────────────────────────

    def pattern(self, obj: Any) -> ast.Pattern:
        return getattr(self, "pat_" + _cls(obj))(obj)

    def pat_Pattern(self, obj: Any) -> ast.Pattern:
        inner = self.pattern(obj.pat)
        if obj.alias:
            return ast.AsPat(span=self.span(obj), pattern=inner, name=obj.alias)
        return inner

    def pat_ConsPat(self, obj: Any) -> ast.Pattern:
        head = self.pattern(obj.head)
        if obj.tail is None:
            return head
        return ast.ConsPat(span=self.span(obj), head=head, tail=self.pattern(obj.tail))

    def pat_OrPat(self, obj: Any) -> ast.Pattern:
        alts = [self.pattern(a) for a in obj.alts]
        if len(alts) == 1:
            return alts[0]
        return ast.OrPat(span=self.span(obj), alternatives=alts)

    def pat_LitPat(self, obj: Any) -> ast.Pattern:
        value = self.expr(obj.value)
        if obj.neg:
            assert isinstance(value, ast.IntLit | ast.FloatLit)
            value.value = -value.value
            value.span = self.span(obj)
        if isinstance(value, ast.StringLit) and len(value.parts) != 1:
            self.fail(
                "string interpolation is not allowed in patterns",
                obj._tx_position,
                obj._tx_position_end,
            )
        return ast.LiteralPat(span=self.span(obj), value=value)  # type: ignore[arg-type]

    def pat_TuplePat(self, obj: Any) -> ast.Pattern:
        items = [self.pattern(p) for p in obj.items]
        if len(items) == 1 and not obj.trailing:
            return items[0]
        return ast.TuplePat(span=self.span(obj), items=items)

    def pat_BracePat(self, obj: Any) -> ast.Pattern:
        return ast.TuplePat(span=self.span(obj), items=[self.pattern(p) for p in obj.items])

    def pat_NamePat(self, obj: Any) -> ast.Pattern:
        path = list(obj.path)
        span = self.span(obj)
        if obj.args is None and len(path) == 1:
            name = path[0]
            if name == "_":
                return ast.WildcardPat(span=span)
            if not _is_upper(name):
                return ast.VarPat(span=span, name=name)
            return ast.ConstructorPat(span=span, path=path, args=None)
        args = [self.pattern(p) for p in obj.args.args] if obj.args is not None else None
        return ast.ConstructorPat(span=span, path=path, args=args)

    # ────────────────────────────── types ──────────────────────────────

    def type(self, obj: Any) -> ast.TypeExpr:
        kind = _cls(obj)
        if kind == "Type":
            t = self.type(obj.base)
            if obj.opt:
                t = ast.TypeName(span=t.span.to(self._question_span(t.span.end)), path=["Option"], args=[t])
            if obj.err is not None:
                e = self.type(obj.err)
                t = ast.TypeName(span=t.span.to(e.span), path=["Result"], args=[t, e])
            return t
        if kind == "NamedType":
            return self.named_type(obj)
        if kind == "FunType":
            return ast.FunType(
                span=self.span(obj),
                params=[self.type(p) for p in obj.params.items],
                ret=self.type(obj.ret),
            )
        # TupleType
        items = [self.type(t) for t in obj.items]
        if len(items) == 1 and not obj.trailing:
            return items[0]
        return ast.TupleType(span=self.span(obj), items=items)

    def _question_span(self, pos: int) -> ast.Span:
        q = self.text.find("?", pos)
        return self.span_between(q, q + 1)

    def named_type(self, obj: Any) -> ast.TypeName:
        return ast.TypeName(
            span=self.span(obj), path=list(obj.path), args=[self.type(a) for a in obj.args]
        )
