from __future__ import annotations

import pytest

from toolchain.diagnostics import CompileError, Diagnostic
from toolchain.syntax import ast, parse_file


def parse(src: str, path: str = "t.mpl") -> ast.SourceFile:
    return parse_file(path, src)


def parse_error(src: str, path: str = "t.mpl") -> Diagnostic:
    with pytest.raises(CompileError) as info:
        parse_file(path, src)
    diags = info.value.diagnostics
    assert len(diags) == 1
    assert diags[0].code == "P0001"
    return diags[0]


def body(src: str) -> list[ast.Stmt]:
    """Statements of `fn main() do <src> end`."""
    sf = parse("fn main() do\n" + src + "\nend\n")
    fn = sf.items[0]
    assert isinstance(fn, ast.FnDef) and isinstance(fn.body, ast.Block)
    return fn.body.stmts


def expr(src: str) -> ast.Expr:
    stmts = body(src)
    assert len(stmts) == 1, stmts
    e = stmts[0]
    assert isinstance(e, ast.Expr)
    return e


def pattern(src: str) -> ast.Pattern:
    """The pattern of the single arm of `case x do <src> -> 0 end`."""
    e = expr(f"case x do\n  {src} -> 0\nend")
    assert isinstance(e, ast.Case)
    return e.arms[0].pattern


def type_of(src: str) -> ast.TypeExpr:
    """The annotation of `let x :: <src> = 0`."""
    stmts = body(f"let x :: {src} = 0")
    let = stmts[0]
    assert isinstance(let, ast.Let) and let.type is not None
    return let.type
