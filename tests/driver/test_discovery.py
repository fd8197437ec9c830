"""Project discovery and module naming."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolchain.diagnostics import CompileError
from toolchain.driver.project import discover, module_name_for


@pytest.mark.parametrize(
    ("rel", "name"),
    [
        ("utils.mpl", "Utils"),
        ("math/vector.mpl", "Math.Vector"),
        ("math/linear_algebra.mpl", "Math.LinearAlgebra"),
        ("a/b/c/d.mpl", "A.B.C.D"),
        ("api/helpers.mpl", "Api.Helpers"),
        ("foo/main.mpl", "Foo.Main"),
        ("http__utils.mpl", "HttpUtils"),
    ],
)
def test_module_names(rel: str, name: str) -> None:
    assert module_name_for(Path(rel)) == name


def test_discover_sorts_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "main.mpl").write_text("fn main() do\nend\n")
    (tmp_path / "z.mpl").write_text("")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "a_b.mpl").write_text("")
    (tmp_path / ".mesh").mkdir()
    (tmp_path / ".mesh" / "dep.mpl").write_text("")
    (tmp_path / "notes.txt").write_text("")
    project = discover(tmp_path)
    assert [(m.name, m.rel, m.is_main) for m in project.modules] == [
        ("Main", "main.mpl", True),
        ("Lib.AB", "lib/a_b.mpl", False),
        ("Z", "z.mpl", False),
    ]


def test_missing_main_is_a_diagnostic(tmp_path: Path) -> None:
    with pytest.raises(CompileError) as info:
        discover(tmp_path)
    assert "main.mpl" in info.value.diagnostics[0].message
