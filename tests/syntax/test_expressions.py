from __future__ import annotations

import pytest
from syntax_helpers import body, expr, parse_error

from toolchain.syntax import ast


def shape(e: ast.Expr | ast.Pattern | ast.TypeExpr) -> str:
    """A compact s-expression of an expression tree, for precedence assertions."""
    if isinstance(e, ast.BinaryOp):
        return f"({e.op} {shape(e.left)} {shape(e.right)})"
    if isinstance(e, ast.UnaryOp):
        return f"({e.op} {shape(e.operand)})"
    if isinstance(e, ast.Pipe):
        return f"(|> {shape(e.left)} {shape(e.right)})"
    if isinstance(e, ast.Name):
        return e.name
    if isinstance(e, ast.IntLit):
        return str(e.value)
    if isinstance(e, ast.Call):
        return f"{shape(e.callee)}({', '.join(shape(a) for a in e.args)})"
    if isinstance(e, ast.FieldAccess):
        return f"{shape(e.obj)}.{e.field}"
    if isinstance(e, ast.Try):
        return f"{shape(e.expr)}?"
    if isinstance(e, ast.IndexExpr):
        return f"{shape(e.obj)}[{shape(e.index)}]"
    return type(e).__name__


# ─────────────────────────── operators and precedence ───────────────────────────


@pytest.mark.parametrize(
    "src, expected",
    [
        ("a + b * c", "(+ a (* b c))"),
        ("a * b + c", "(+ (* a b) c)"),
        ("a - b - c", "(- (- a b) c)"),
        ("a / b % c", "(% (/ a b) c)"),
        ("a <> b ++ c", "(++ (<> a b) c)"),
        ("a + b <> c", "(<> (+ a b) c)"),
        ("a .. b + 1", "(.. a (+ b 1))"),
        ("a < b .. c", "(< a (.. b c))"),
        ("a == b < c", "(== a (< b c))"),
        ("a and b == c", "(and a (== b c))"),
        ("a or b and c", "(or a (and a b))".replace("(and a b)", "(and b c)")),
        ("a || b && c", "(or a (and b c))"),
        ("x |> f or g", "(|> x (or f g))"),
        ("-a * b", "(* (- a) b)"),
        ("not a and b", "(and (not a) b)"),
        ("!a || b", "(or (not a) b)"),
        ("- -a", "(- (- a))"),
        ("-a.b(1)", "(- a.b(1))"),
        ("a != b", "(!= a b)"),
        ("a >= b and a <= c", "(and (>= a b) (<= a c))"),
        ("f(x)?.y", "f(x)?.y"),
        ("xs[0] + 1", "(+ xs[0] 1)"),
    ],
)
def test_precedence(src: str, expected: str) -> None:
    assert shape(expr(src)) == expected


def test_operator_normalisation() -> None:
    e = expr("a && !b || c")
    assert isinstance(e, ast.BinaryOp) and e.op == "or"
    assert isinstance(e.left, ast.BinaryOp) and e.left.op == "and"
    assert isinstance(e.left.right, ast.UnaryOp) and e.left.right.op == "not"


def test_newline_after_binary_operator_continues() -> None:
    assert shape(expr("a +\n  b *\n  c")) == "(+ a (* b c))"


def test_newline_ends_statement() -> None:
    stmts = body("a\n-b")
    assert len(stmts) == 2
    assert isinstance(stmts[1], ast.UnaryOp)


def test_multiline_pipe() -> None:
    e = expr("users\n  |> filter(active)\n  # a comment line\n  |> map(name)\n  |> length()")
    assert shape(e) == "(|> (|> (|> users filter(active)) map(name)) length())"


def test_pipe_with_closure_argument() -> None:
    e = expr("xs |> List.map(fn x -> x * 2 end) |> List.filter(fn x do\n  x > 2\nend)")
    assert isinstance(e, ast.Pipe)
    assert isinstance(e.right, ast.Call)
    closure = e.right.args[0]
    assert isinstance(closure, ast.Closure)
    assert isinstance(closure.clauses[0].body, ast.Block)


# ─────────────────────────────────── literals ──────────────────────────────────


def test_literals() -> None:
    stmts = body('42\n3.5\ntrue\nfalse\nnil\n:asc\n"s"\n()')
    kinds = [type(s).__name__ for s in stmts]
    assert kinds == ["IntLit", "FloatLit", "BoolLit", "BoolLit", "NilLit", "AtomLit", "StringLit", "TupleExpr"]
    assert stmts[5].name == "asc"  # type: ignore[union-attr]
    assert stmts[7].items == []  # type: ignore[union-attr]


def test_tuples_lists_grouping() -> None:
    t = expr("(1, 2, 3)")
    assert isinstance(t, ast.TupleExpr) and len(t.items) == 3
    g = expr("(1 + 2) * 3")
    assert shape(g) == "(* (+ 1 2) 3)"
    one = expr("(1,)")
    assert isinstance(one, ast.TupleExpr) and len(one.items) == 1
    lst = expr("[1,\n 2,\n 3,\n]")
    assert isinstance(lst, ast.ListExpr) and [i.value for i in lst.items] == [1, 2, 3]  # type: ignore[attr-defined]
    assert expr("[]") == ast.ListExpr(items=[], span=expr("[]").span)


def test_map_literal_and_struct_update() -> None:
    m = expr('%{"a" => 1, "b" => 2}')
    assert isinstance(m, ast.MapExpr) and len(m.entries) == 2
    assert isinstance(m.entries[0][0], ast.StringLit)
    empty = expr("%{}")
    assert isinstance(empty, ast.MapExpr) and empty.entries == []
    u = expr('%{user | name: "Bob", age: 3}')
    assert isinstance(u, ast.StructUpdate)
    assert isinstance(u.base, ast.Name) and [f for f, _ in u.fields] == ["name", "age"]
    multi = expr("%{\n  1 => 2,\n  3 => 4\n}")
    assert isinstance(multi, ast.MapExpr) and len(multi.entries) == 2


def test_struct_literal() -> None:
    s = expr("Point { x: 1, y: 2 }")
    assert isinstance(s, ast.StructExpr)
    assert s.path == ["Point"] and [f for f, _ in s.fields] == ["x", "y"]
    q = expr("Geo.Point {\n  x: 1\n  y: 2\n}")
    assert isinstance(q, ast.StructExpr) and q.path == ["Geo", "Point"] and len(q.fields) == 2


def test_field_access_and_method_calls() -> None:
    e = expr("p.name.length()")
    assert shape(e) == "p.name.length()"
    m = expr("Node.self()")
    assert isinstance(m, ast.Call) and isinstance(m.callee, ast.FieldAccess) and m.callee.field == "self"
    m2 = expr("Query.where(q, :x, 1)")
    assert isinstance(m2, ast.Call) and m2.callee.field == "where"  # type: ignore[union-attr]
    n = expr("42.to_string()")
    assert isinstance(n, ast.Call) and isinstance(n.callee, ast.FieldAccess)
    assert isinstance(n.callee.obj, ast.IntLit)
    f = expr("3.14.to_string()")
    assert isinstance(f, ast.Call) and isinstance(f.callee.obj, ast.FloatLit)  # type: ignore[union-attr]


def test_index_and_try() -> None:
    e = expr("m[key]")
    assert isinstance(e, ast.IndexExpr)
    t = expr("parse(x)?")
    assert isinstance(t, ast.Try) and isinstance(t.expr, ast.Call)


def test_keyword_arguments() -> None:
    c = expr('f(1, name: "A", age: 30)')
    assert isinstance(c, ast.Call)
    assert len(c.args) == 1 and [k for k, _ in c.kwargs] == ["name", "age"]
    only = expr("f(name: x)")
    assert isinstance(only, ast.Call) and only.args == [] and only.kwargs[0][0] == "name"


def test_ranges() -> None:
    e = expr("0..10")
    assert isinstance(e, ast.BinaryOp) and e.op == ".."
    f = expr("for i in 0..n do\n  i\nend")
    assert isinstance(f, ast.For) and isinstance(f.iterable, ast.BinaryOp)


# ─────────────────────────────────── let ───────────────────────────────────────


def test_let_forms() -> None:
    stmts = body("let x = 1\nlet y :: Int = 2\nlet (a, b) = pair\nlet _ = f()\nlet Some(v) = opt")
    assert all(isinstance(s, ast.Let) for s in stmts)
    x, y, ab, w, sv = stmts
    assert isinstance(x.pattern, ast.VarPat) and x.type is None  # type: ignore[union-attr]
    assert isinstance(y.type, ast.TypeName) and y.type.path == ["Int"]  # type: ignore[union-attr]
    assert isinstance(ab.pattern, ast.TuplePat)  # type: ignore[union-attr]
    assert isinstance(w.pattern, ast.WildcardPat)  # type: ignore[union-attr]
    assert isinstance(sv.pattern, ast.ConstructorPat)  # type: ignore[union-attr]


def test_semicolons_separate_statements() -> None:
    stmts = body("let a = 1; let b = 2; a + b")
    assert [type(s).__name__ for s in stmts] == ["Let", "Let", "BinaryOp"]


# ─────────────────────────────────── if ────────────────────────────────────────


def test_if_forms() -> None:
    e = expr("if a do\n  1\nelse if b do\n  2\nelse\n  3\nend")
    assert isinstance(e, ast.If) and isinstance(e.else_, ast.If)
    assert isinstance(e.else_.else_, ast.Block)
    one = expr("if x > 0 do x else 0 - x end")
    assert isinstance(one, ast.If) and isinstance(one.else_, ast.Block)
    no_else = expr("if ok do\n  go()\nend")
    assert isinstance(no_else, ast.If) and no_else.else_ is None


def test_if_condition_call_does_not_take_trailing_closure() -> None:
    e = expr("if List.is_empty(xs) do 0 else 1 end")
    assert isinstance(e, ast.If) and isinstance(e.cond, ast.Call) and e.cond.trailing is None


# ────────────────────────────── case / receive ─────────────────────────────────


def test_case_and_match() -> None:
    e = expr("case x do\n  0 -> \"zero\"\n  n when n < 0 -> \"neg\"\n  _ -> \"pos\"\nend")
    assert isinstance(e, ast.Case) and len(e.arms) == 3
    assert e.arms[1].guard is not None
    m = expr("match f(x) do\n  Ok(v) -> v\n  Err(e) -> 0\nend")
    assert isinstance(m, ast.Case) and isinstance(m.scrutinee, ast.Call)
    one_line = expr("case x do 1 -> a 2 -> b end")
    assert isinstance(one_line, ast.Case) and len(one_line.arms) == 2


def test_receive_with_after() -> None:
    e = expr("receive do\n  {:ping, from} -> 1\n  n when n > 0 -> n\n  after 100 -> 0\nend".replace("{:ping, from}", "(a, b)"))
    assert isinstance(e, ast.Receive) and len(e.arms) == 2
    assert isinstance(e.after_timeout, ast.IntLit) and isinstance(e.after_body, ast.IntLit)
    plain = expr("receive do\n  msg -> msg\nend")
    assert isinstance(plain, ast.Receive) and plain.after_timeout is None


# ─────────────────────────────────── closures ──────────────────────────────────


def test_closure_forms() -> None:
    stmts = body(
        "fn x -> x + 1 end\n"
        "fn(x :: Int) -> x * 2 end\n"
        "fn a, b -> a + b end\n"
        "fn -> 99 end\n"
        "fn do\n  1\nend\n"
        "fn x do\n  let y = x\n  y\nend\n"
        "fn (a, b) -> a end\n"
        "fn((a, b)) -> a end\n"
        "fn _ -> 0 end\n"
        "fn Some(x) -> x | None -> 0 end\n"
    )
    closures = [s for s in stmts if isinstance(s, ast.Closure)]
    assert len(closures) == 10
    c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 = closures
    assert isinstance(c1.clauses[0].body, ast.BinaryOp)
    assert c2.clauses[0].params[0].type is not None
    assert len(c3.clauses[0].params) == 2
    assert c4.clauses[0].params == [] and isinstance(c4.clauses[0].body, ast.IntLit)
    assert c5.clauses[0].params == [] and isinstance(c5.clauses[0].body, ast.Block)
    assert isinstance(c6.clauses[0].body, ast.Block) and len(c6.clauses[0].body.stmts) == 2
    assert len(c7.clauses[0].params) == 2
    assert len(c8.clauses[0].params) == 1 and isinstance(c8.clauses[0].params[0].pattern, ast.TuplePat)
    assert isinstance(c9.clauses[0].params[0].pattern, ast.WildcardPat)
    assert len(c10.clauses) == 2


def test_multi_clause_closure_with_guards() -> None:
    c = expr("fn 0 -> \"zero\" | n when n < 0 -> \"neg\" | n -> \"pos\" end")
    assert isinstance(c, ast.Closure) and len(c.clauses) == 3
    assert isinstance(c.clauses[0].params[0].pattern, ast.LiteralPat)
    assert c.clauses[1].guard is not None
    multi_line = expr("fn 0 -> 1\n  | n -> n\nend")
    assert isinstance(multi_line, ast.Closure) and len(multi_line.clauses) == 2


def test_trailing_closures() -> None:
    c = expr("run() do\n  work()\nend")
    assert isinstance(c, ast.Call) and c.trailing is not None
    assert c.trailing.clauses[0].params == []
    d = expr("each(xs) do |x, i|\n  show(x, i)\nend")
    assert isinstance(d, ast.Call) and d.trailing is not None
    assert [p.pattern.name for p in d.trailing.clauses[0].params] == ["x", "i"]  # type: ignore[attr-defined]


# ─────────────────────────────────── loops ─────────────────────────────────────


def test_loops() -> None:
    w = expr("while i < 10 do\n  if i == 5 do break end\n  continue\nend")
    assert isinstance(w, ast.While)
    stmts = w.body.stmts
    assert isinstance(stmts[0], ast.If) and isinstance(stmts[0].then.stmts[0], ast.Break)
    assert isinstance(stmts[1], ast.Continue)
    f = expr("for x in xs when x > 1 do\n  x * 2\nend")
    assert isinstance(f, ast.For) and f.filter is not None and isinstance(f.pattern, ast.VarPat)
    m = expr("for {k, v} in map do\n  k\nend")
    assert isinstance(m, ast.For) and isinstance(m.pattern, ast.TuplePat) and len(m.pattern.items) == 2


def test_return() -> None:
    stmts = body("if x do\n  return\nend\nreturn 1 + 2")
    assert isinstance(stmts[0], ast.If)
    r0 = stmts[0].then.stmts[0]
    assert isinstance(r0, ast.Return) and r0.value is None
    assert isinstance(stmts[1], ast.Return) and isinstance(stmts[1].value, ast.BinaryOp)


# ─────────────────────────────────── actors ────────────────────────────────────


def test_actor_primitives() -> None:
    stmts = body("let pid = spawn(worker, 1)\nsend(pid, :hi)\nlet me = self()\nlink(pid)\nself.x")
    spawn = stmts[0].value  # type: ignore[union-attr]
    assert isinstance(spawn, ast.Call) and spawn.callee == ast.Name(name="spawn", span=spawn.callee.span)
    assert isinstance(stmts[1], ast.Call) and stmts[1].callee.name == "send"  # type: ignore[union-attr]
    assert isinstance(stmts[2].value, ast.SelfPid)  # type: ignore[union-attr]
    assert isinstance(stmts[3], ast.Call) and stmts[3].callee.name == "link"  # type: ignore[union-attr]
    assert isinstance(stmts[4], ast.FieldAccess) and isinstance(stmts[4].obj, ast.SelfExpr)


def test_statements_need_a_separator() -> None:
    # a statement ends at a newline, `;` or the end of its block
    d = parse_error("fn main() do\n  let a = 1 let b = 2\nend\n")
    assert d.message.endswith("found `let`")
    assert len(body("let a = 1; let b = 2")) == 2
