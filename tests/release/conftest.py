"""Fixtures for the release tests.

Tests marked `slow` need the Nuitka-built `dist/meshc`. They run only when selected with
`-m slow` (or with MESH_RELEASE_TESTS=1); the session builds the binary at most once
(`packaging/build_release.py --if-stale`, which reuses dist/meshc when it is newer than its
inputs), under a file lock so that pytest-xdist workers share one build.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST_MESHC = ROOT / "dist" / "meshc"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: needs the release binary dist/meshc (built once, minutes)")


def _slow_selected(config: pytest.Config) -> bool:
    return os.environ.get("MESH_RELEASE_TESTS") == "1" or "slow" in (config.getoption("-m") or "")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _slow_selected(config):
        return
    skip = pytest.mark.skip(reason="release build test: select with `-m slow` or MESH_RELEASE_TESTS=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def release_meshc() -> Path:
    """dist/meshc, built (once per session, shared between workers) if it is older than its inputs."""
    lock_path = ROOT / "build" / "release" / ".build.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.run([sys.executable, str(ROOT / "packaging" / "build_release.py"), "--if-stale"],
                              cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.fail(f"release build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    assert DIST_MESHC.is_file()
    return DIST_MESHC
