"""The driver parses uncached modules in forked workers: same trees and the same diagnostics as
parsing them one after another. (Driver test kept here with the other back-end tests.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolchain.diagnostics import CompileError
from toolchain.driver import project as proj


def _project(tmp: Path, bad: bool) -> proj.Project:
    (tmp / "main.mpl").write_text('fn main() do\n  println("hi")\nend\n')
    for k in range(3):
        body = "".join(f"pub fn f{i}(x :: Int) -> Int do\n  x + {i}\nend\n" for i in range(20))
        if bad and k == 1:
            body += "pub fn broken( do\nend\n"
        (tmp / f"mod{k}.mpl").write_text(body)
    return proj.discover(tmp)


@pytest.mark.parametrize("bad", [False, True])
def test_parallel_parse_matches_sequential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: bool) -> None:
    monkeypatch.setenv("MESH_NO_CACHE", "1")
    monkeypatch.setattr(proj, "PARALLEL_PARSE_MIN_CHARS", 0)
    results = []
    for mode in ("1", "0"):
        monkeypatch.setenv("MESH_PARALLEL_PARSE", mode)
        try:
            results.append([(m.name, repr(t)) for m, t in proj.parse_project(_project(tmp_path, bad))])
        except CompileError as err:
            results.append([(d.code, d.message, d.span.file) for d in err.diagnostics])
    assert results[0] == results[1]
    if bad:
        assert results[0][0][2] == "mod1.mpl"
