"""End-to-end programs: each compiles with the real toolchain, runs, and must print exactly the
expected bytes.

Layout of `tests/e2e/programs/`:
- `name.mpl` (single file) or `name/` (a project directory with main.mpl and modules);
- `name.out`: the exact expected stdout;
- optional `name.exit` (expected exit status, default 0), `name.stdin` (fed to the program),
  `name.stderr` (text that stderr must contain).

Every program is also run with the collector forced at every allocation (MESH_GC_STRESS=1),
which must not change its output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from toolchain.driver import project as proj

HERE = Path(__file__).parent / "programs"


def _cases() -> list[Path]:
    if not HERE.is_dir():
        return []
    return sorted(p for p in HERE.iterdir() if (p.suffix == ".mpl" or p.is_dir()) and p.with_suffix(".out").exists())


def _read(path: Path, default: str | None = None) -> str | None:
    return path.read_text() if path.exists() else default


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Compile each program once per session (the stress run reuses the executable)."""
    cache: dict[Path, Path] = {}

    def get(case: Path) -> Path:
        if case not in cache:
            out_dir = tmp_path_factory.mktemp(case.stem)
            if case.is_dir():
                project = proj.discover(case)
            else:
                src = out_dir / "src"
                src.mkdir()
                shutil.copy(case, src / "main.mpl")
                project = proj.discover(src)
            exe = out_dir / case.stem
            proj.build_project(project, exe)
            cache[case] = exe
        return cache[case]

    return get


def _run(exe: Path, case: Path, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    stdin = _read(case.with_suffix(".stdin"), "")
    env = {**os.environ, **extra_env}
    return subprocess.run([str(exe)], input=stdin.encode(), capture_output=True, timeout=60, env=env)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.stem)
@pytest.mark.parametrize("mode", ["normal", "gc-stress"])
def test_program(case: Path, mode: str, built) -> None:
    exe = built(case)
    env = {"MESH_GC_STRESS": "1"} if mode == "gc-stress" else {}
    result = _run(exe, case, env)
    expected = case.with_suffix(".out").read_bytes()
    status = int(_read(case.with_suffix(".exit"), "0").strip())
    assert result.stdout.decode(errors="replace") == expected.decode(errors="replace"), result.stderr.decode(
        errors="replace"
    )
    assert result.returncode == status, result.stderr.decode(errors="replace")
    needle = _read(case.with_suffix(".stderr"))
    if needle is not None:
        assert needle.strip() in result.stderr.decode(errors="replace")
