"""The `meshc` command line, run as a subprocess the way users run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MESHC = [sys.executable, "-m", "toolchain.driver.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*MESHC, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.startswith("meshc 0.1.0")


def test_build_without_main_mpl(tmp_path: Path) -> None:
    out = run("build", str(tmp_path))
    assert out.returncode == 1
    assert "No 'main.mpl' found" in out.stderr
    assert "Traceback" not in out.stderr


def test_build_of_missing_directory(tmp_path: Path) -> None:
    out = run("build", str(tmp_path / "nope"))
    assert out.returncode == 1
    assert "is not a directory" in out.stderr
