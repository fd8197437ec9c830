"""Parse every `.mpl` file of the reference implementation (read from the mirror at test time)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from toolchain.diagnostics import CompileError
from toolchain.syntax import ast, parse_file

MIRROR = Path("/work/.mirror/snowdamiz+mesh-lang/repo")


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(MIRROR), *args], check=True, capture_output=True, text=True
    ).stdout


def _mpl_files() -> list[str]:
    if not MIRROR.exists():
        return []
    try:
        names = _git("ls-tree", "-r", "--name-only", "HEAD").splitlines()
    except (OSError, subprocess.CalledProcessError):
        return []
    return sorted(n for n in names if n.endswith(".mpl"))


FILES = _mpl_files()
PROGRAMS = [f for f in FILES if not f.startswith("tests/fixtures/")]
FIXTURES = [f for f in FILES if f.startswith("tests/fixtures/")]

pytestmark = pytest.mark.skipif(not FILES, reason="reference mirror not available")


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in FILES:
        out[name] = _git("show", f"HEAD:{name}")
    return out


def test_corpus_size() -> None:
    assert len(FILES) == 205
    assert len(FIXTURES) == 10


def _walk(node: object) -> Iterator[ast.Node]:
    if isinstance(node, ast.Node):
        yield node
        for f in dataclasses.fields(node):
            if f.name not in ("span", "info", "ty"):
                yield from _walk(getattr(node, f.name))
    elif isinstance(node, list | tuple):
        for x in node:
            yield from _walk(x)


# What the source text under each kind of node must look like.
SPAN_SHAPES: dict[type, Callable[[str], object]] = {
    ast.FnDef: lambda t: re.match(r"(pub\s+)?(fn|def)\b", t),
    ast.StructDef: lambda t: re.match(r"(pub\s+)?struct\b", t),
    ast.Let: lambda t: t.startswith("let"),
    ast.If: lambda t: t.startswith("if") and t.endswith("end"),
    ast.Case: lambda t: re.match(r"(case|match)\b", t) and t.endswith("end"),
    ast.For: lambda t: t.startswith("for") and t.endswith("end"),
    ast.Closure: lambda t: t.startswith(("fn", "do")) and t.endswith("end"),
    ast.Call: lambda t: t.endswith((")", "end")),
    ast.StringLit: lambda t: t.startswith('"') and t.endswith('"'),
    ast.ListExpr: lambda t: t.startswith("[") and t.endswith("]"),
    ast.MapExpr: lambda t: t.startswith("%") and t.endswith("}"),
    ast.TupleExpr: lambda t: t.startswith("(") and t.endswith(")"),
    ast.Name: lambda t: re.fullmatch(r"\w+", t),
    ast.VarPat: lambda t: re.fullmatch(r"\w+", t),
    ast.FieldAccess: lambda t: re.search(r"\.\w+$", t),
    ast.Try: lambda t: t.endswith("?"),
    ast.Pipe: lambda t: "|>" in t,
    ast.MatchArm: lambda t: "->" in t,
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_reference_program_parses(name: str, sources: dict[str, str]) -> None:
    src = sources[name]
    sf = parse_file(name, src)
    assert isinstance(sf, ast.SourceFile)
    assert sf.items, "every reference program defines at least one item"
    for node in _walk(sf):
        assert 0 <= node.span.start <= node.span.end <= len(src), node
        shape = SPAN_SHAPES.get(type(node))
        if shape is not None:
            text = src[node.span.start : node.span.end]
            assert shape(text), (type(node).__name__, text[:80])


@pytest.mark.parametrize("name", FIXTURES)
def test_reference_fixture_parses_or_reports_p0001(name: str, sources: dict[str, str]) -> None:
    try:
        parse_file(name, sources[name])
    except CompileError as err:
        assert [d.code for d in err.diagnostics] == ["P0001"]
        d = err.diagnostics[0]
        assert 0 <= d.span.start <= d.span.end <= len(sources[name])


MESHER = [f for f in PROGRAMS if f.startswith("mesher/")]


@pytest.mark.parametrize("name", MESHER)
def test_mesher_parses_the_same_with_crlf(name: str, sources: dict[str, str]) -> None:
    lf = parse_file(name, sources[name])
    crlf = parse_file(name, sources[name].replace("\n", "\r\n"))
    assert [type(i).__name__ for i in crlf.items] == [type(i).__name__ for i in lf.items]
    assert [getattr(i, "name", None) for i in crlf.items] == [getattr(i, "name", None) for i in lf.items]
