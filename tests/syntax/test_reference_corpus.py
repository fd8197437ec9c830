"""Parse every `.mpl` file of the reference implementation (read from the mirror at test time)."""

from __future__ import annotations

import subprocess
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


@pytest.mark.parametrize("name", PROGRAMS)
def test_reference_program_parses(name: str, sources: dict[str, str]) -> None:
    sf = parse_file(name, sources[name])
    assert isinstance(sf, ast.SourceFile)
    assert sf.items, "every reference program defines at least one item"


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
