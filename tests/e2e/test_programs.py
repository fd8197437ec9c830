"""End-to-end programs: each compiles with the real toolchain, runs, and must print exactly the
expected bytes (the corpus layout is described in corpus.py).

Every program is also run with the collector forced at every allocation (MESH_GC_STRESS=1),
which must not change its output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolchain.driver import project as proj

sys.path.insert(0, str(Path(__file__).parent))
from corpus import Expected, cases, project_dir  # noqa: E402


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Compile each program once per session (the stress run reuses the executable)."""
    cache: dict[Path, Path] = {}

    def get(case: Path) -> Path:
        if case not in cache:
            out_dir = tmp_path_factory.mktemp(case.stem)
            project = proj.discover(project_dir(case, out_dir))
            exe = out_dir / case.stem
            proj.build_project(project, exe)
            cache[case] = exe
        return cache[case]

    return get


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.stem)
@pytest.mark.parametrize("mode", ["normal", "gc-stress"])
def test_program(case: Path, mode: str, built) -> None:
    exe = built(case)
    expected = Expected.of(case)
    env = {**os.environ, **({"MESH_GC_STRESS": "1"} if mode == "gc-stress" else {})}
    # the timeout only catches hangs: collecting at every allocation makes the heaviest
    # programs take ~10 s of CPU, which a loaded 2-core machine can stretch past a minute
    timeout = 240 if mode == "gc-stress" else 60
    result = subprocess.run([str(exe)], input=expected.stdin.encode(), capture_output=True, timeout=timeout, env=env)
    expected.check(result)
