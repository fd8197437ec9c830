from __future__ import annotations

from syntax_helpers import pattern, type_of

from toolchain.syntax import ast


def test_literal_patterns() -> None:
    for src, value in [("0", 0), ("-3", -3), ("2.5", 2.5), ("-2.5", -2.5), ("true", True), ('"hi"', None)]:
        p = pattern(src)
        assert isinstance(p, ast.LiteralPat), src
        if value is not None:
            assert p.value.value == value  # type: ignore[union-attr]
    s = pattern('"hi"')
    assert isinstance(s, ast.LiteralPat) and isinstance(s.value, ast.StringLit) and s.value.parts == ["hi"]
    n = pattern("nil")
    assert isinstance(n, ast.LiteralPat) and isinstance(n.value, ast.NilLit)


def test_negative_literal_span_includes_sign() -> None:
    p = pattern("-42")
    assert isinstance(p, ast.LiteralPat)
    assert p.value.span.end - p.value.span.start == 3


def test_variable_wildcard_and_constructors() -> None:
    assert isinstance(pattern("x"), ast.VarPat)
    assert isinstance(pattern("_"), ast.WildcardPat)
    assert isinstance(pattern("_unused"), ast.VarPat)
    none = pattern("None")
    assert isinstance(none, ast.ConstructorPat) and none.path == ["None"] and none.args is None
    some = pattern("Some(Some(x))")
    assert isinstance(some, ast.ConstructorPat) and some.args is not None
    inner = some.args[0]
    assert isinstance(inner, ast.ConstructorPat) and isinstance(inner.args[0], ast.VarPat)  # type: ignore[index]
    q = pattern("Shape.Circle(r)")
    assert isinstance(q, ast.ConstructorPat) and q.path == ["Shape", "Circle"]
    qn = pattern("Color.Red")
    assert isinstance(qn, ast.ConstructorPat) and qn.path == ["Color", "Red"] and qn.args is None
    empty_args = pattern("Unit()")
    assert isinstance(empty_args, ast.ConstructorPat) and empty_args.args == []


def test_tuple_cons_or_as() -> None:
    t = pattern("(0, _, (a, b))")
    assert isinstance(t, ast.TuplePat) and len(t.items) == 3 and isinstance(t.items[2], ast.TuplePat)
    c = pattern("h :: t")
    assert isinstance(c, ast.ConsPat) and isinstance(c.head, ast.VarPat)
    rc = pattern("a :: b :: rest")
    assert isinstance(rc, ast.ConsPat) and isinstance(rc.tail, ast.ConsPat)
    o = pattern("Red | Green | Blue")
    assert isinstance(o, ast.OrPat) and len(o.alternatives) == 3
    a = pattern("Circle(r) as c")
    assert isinstance(a, ast.AsPat) and a.name == "c" and isinstance(a.pattern, ast.ConstructorPat)
    grouped = pattern("(x)")
    assert isinstance(grouped, ast.VarPat)


def test_or_pattern_binds_tighter_than_cons_and_as() -> None:
    p = pattern("1 | 2 :: t as whole")
    assert isinstance(p, ast.AsPat)
    assert isinstance(p.pattern, ast.ConsPat) and isinstance(p.pattern.head, ast.OrPat)


def test_types() -> None:
    t = type_of("List<Map<String, Int>>")
    assert isinstance(t, ast.TypeName) and t.path == ["List"]
    inner = t.args[0]
    assert isinstance(inner, ast.TypeName) and inner.path == ["Map"] and len(inner.args) == 2
    opt = type_of("Int?")
    assert isinstance(opt, ast.TypeName) and opt.path == ["Option"] and opt.args[0].path == ["Int"]  # type: ignore[attr-defined]
    res = type_of("String!Error")
    assert isinstance(res, ast.TypeName) and res.path == ["Result"] and len(res.args) == 2
    optres = type_of("Int?!String")
    assert isinstance(optres, ast.TypeName) and optres.path == ["Result"]
    assert optres.args[0].path == ["Option"]  # type: ignore[attr-defined]
    fun = type_of("Fun(Int, String) -> Bool")
    assert isinstance(fun, ast.FunType) and len(fun.params) == 2
    fun0 = type_of("Fun() -> Int")
    assert isinstance(fun0, ast.FunType) and fun0.params == []
    tup = type_of("(Int, String)")
    assert isinstance(tup, ast.TupleType) and len(tup.items) == 2
    unit = type_of("()")
    assert isinstance(unit, ast.TupleType) and unit.items == []
    qual = type_of("Geo.Point")
    assert isinstance(qual, ast.TypeName) and qual.path == ["Geo", "Point"]
    proj = type_of("Self.Item")
    assert isinstance(proj, ast.TypeName) and proj.path == ["Self", "Item"]
    pid = type_of("Pid<Msg>")
    assert isinstance(pid, ast.TypeName) and pid.args[0].path == ["Msg"]  # type: ignore[attr-defined]
