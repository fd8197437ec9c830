"""The e2e corpus (tests/e2e/programs) built by the release binary instead of the development
install: same programs, same expected bytes, on a PATH without cc, gcc or python3.

Slow: needs dist/meshc (see conftest.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from corpus import Expected, cases, project_dir  # noqa: E402
from test_release_binary import bare_env  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shared_bare_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One bare PATH and HOME for the whole corpus: the binary unpacks itself and its linker
    (about 700 MB) into HOME's cache once, not once per program."""
    return bare_env(tmp_path_factory.mktemp("bare"))


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.stem)
def test_corpus_program(case: Path, release_meshc: Path, tmp_path: Path, shared_bare_env: dict[str, str]) -> None:
    env = shared_bare_env
    exe = tmp_path / case.stem
    build = subprocess.run([str(release_meshc), "build", str(project_dir(case, tmp_path)), "-o", str(exe)],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    expected = Expected.of(case)
    result = subprocess.run([str(exe)], input=expected.stdin.encode(), capture_output=True, timeout=60, env=env)
    expected.check(result)
