from __future__ import annotations

import pytest
from syntax_helpers import body, expr, parse

from toolchain.syntax import ast


@pytest.mark.parametrize(
    "src, value",
    [
        ("42", 42),
        ("1_000_000", 1_000_000),
        ("0xFF", 255),
        ("0xff_ff", 0xFFFF),
        ("0b1010", 10),
        ("0b1111_0000", 0xF0),
        ("0o777", 0o777),
        ("007", 7),
    ],
)
def test_integers(src: str, value: int) -> None:
    e = expr(src)
    assert isinstance(e, ast.IntLit) and e.value == value


@pytest.mark.parametrize(
    "src, value", [("3.14", 3.14), ("1.0e10", 1.0e10), ("2.5e-3", 2.5e-3), ("100_000.50", 100000.5), ("1e3", 1000.0)]
)
def test_floats(src: str, value: float) -> None:
    e = expr(src)
    assert isinstance(e, ast.FloatLit) and e.value == value


def test_string_escapes() -> None:
    e = expr(r'"a\nb\tc\rd\0e\\f\"g\qh\$i"')
    assert isinstance(e, ast.StringLit)
    assert e.parts == ['a\nb\tc\rd\0e\\f"gqh$i']


def test_string_interpolation_alternates_text_and_expressions() -> None:
    e = expr('"x=${x}, sum=${a + b}!"')
    assert isinstance(e, ast.StringLit)
    assert [type(p).__name__ for p in e.parts] == ["str", "Name", "str", "BinaryOp", "str"]
    assert e.parts[0] == "x=" and e.parts[2] == ", sum=" and e.parts[4] == "!"
    adjacent = expr('"${a}${b}"')
    assert isinstance(adjacent, ast.StringLit)
    assert adjacent.parts[0] == "" and adjacent.parts[2] == "" and adjacent.parts[4] == ""
    assert expr('""').parts == [""]  # type: ignore[attr-defined]


def test_interpolation_with_braces_and_nested_strings() -> None:
    e = expr('"v: ${Map.get(%{"k" => 1}, "k")} and ${Point { x: 1 }.x} and ${"in ${y} ner"}"')
    assert isinstance(e, ast.StringLit)
    exprs = [p for p in e.parts if not isinstance(p, str)]
    assert isinstance(exprs[0], ast.Call) and isinstance(exprs[0].args[0], ast.MapExpr)
    assert isinstance(exprs[1], ast.FieldAccess) and isinstance(exprs[1].obj, ast.StructExpr)
    nested = exprs[2]
    assert isinstance(nested, ast.StringLit) and isinstance(nested.parts[1], ast.Name)


def test_hash_and_dollar_inside_strings_are_text() -> None:
    e = expr('"# not a comment $5 #= nor this =#"')
    assert isinstance(e, ast.StringLit) and e.parts == ["# not a comment $5 #= nor this =#"]


def test_triple_quoted_strings() -> None:
    e = expr('"""line one\n  "quoted" and ""two""\n${x} end"""')
    assert isinstance(e, ast.StringLit) and e.triple
    assert e.parts[0] == 'line one\n  "quoted" and ""two""\n'
    assert isinstance(e.parts[1], ast.Name)


def test_comments() -> None:
    stmts = body(
        "# line comment\n"
        "let a = 1 # trailing\n"
        "#= block\n comment =#\n"
        "let b = #= inline =# 2\n"
        "#= outer #= inner =# still outer =#\n"
        "## doc comment inside a body\n"
        "a + b"
    )
    assert [type(s).__name__ for s in stmts] == ["Let", "Let", "BinaryOp"]


def test_comment_inside_brackets() -> None:
    e = expr("[\n  1, # first\n  2 #= second =#\n]")
    assert isinstance(e, ast.ListExpr) and len(e.items) == 2


def test_crlf_line_endings() -> None:
    sf = parse("fn main() do\r\n  let x = 1\r\n  x\r\nend\r\n")
    fn = sf.items[0]
    assert isinstance(fn, ast.FnDef) and isinstance(fn.body, ast.Block) and len(fn.body.stmts) == 2


def test_newlines_inside_brackets_are_whitespace() -> None:
    e = expr("f(\n  1,\n  2\n)")
    assert isinstance(e, ast.Call) and len(e.args) == 2
    t = expr("(\n1,\n2\n)")
    assert isinstance(t, ast.TupleExpr)


def test_do_block_inside_parens_keeps_newlines_significant() -> None:
    e = expr("List.map(xs, fn(x) do\n  let y = x\n  -y\nend)")
    assert isinstance(e, ast.Call)
    clo = e.args[1]
    assert isinstance(clo, ast.Closure)
    blk = clo.clauses[0].body
    assert isinstance(blk, ast.Block) and len(blk.stmts) == 2


def test_empty_file_and_comment_only_file() -> None:
    assert parse("").items == []
    assert parse("# nothing\n\n#= x =#\n").items == []


def test_dash_dash_comment_at_line_start() -> None:
    sf = parse("-- upstream style comment\nfn main() = 1\n")
    assert len(sf.items) == 1
