"""`meshc new` / `meshc init` against the development install."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from toolchain.driver.paths import runtime_library
from toolchain.driver.scaffold import ScaffoldError, create_project

ROOT = Path(__file__).resolve().parents[2]


def meshc(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "toolchain.driver.cli", *args], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
                          timeout=300)


@pytest.mark.parametrize("command", ["new", "init"])
def test_scaffold_writes_the_project(tmp_path: Path, command: str) -> None:
    proc = meshc(command, "hello_app", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "Created project 'hello_app'"
    root = tmp_path / "hello_app"
    assert sorted(p.name for p in root.iterdir()) == [".gitignore", "README.md", "main.mpl", "mesh.toml"]
    manifest = tomllib.loads((root / "mesh.toml").read_text())
    assert manifest == {"package": {"name": "hello_app", "version": "0.1.0"}, "dependencies": {}}
    assert "fn main() do" in (root / "main.mpl").read_text()
    assert "/hello_app" in (root / ".gitignore").read_text().splitlines()
    assert "meshc build hello_app" in (root / "README.md").read_text()


def test_manifest_layout_matches_the_reference(tmp_path: Path) -> None:
    create_project("demo", tmp_path)
    assert (tmp_path / "demo" / "mesh.toml").read_text() == (
        '[package]\nname = "demo"\nversion = "0.1.0"\n\n[dependencies]\n'
    )


def test_existing_directory_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    proc = meshc("new", "taken", cwd=tmp_path)
    assert proc.returncode == 1
    assert "Directory 'taken' already exists" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "../up", "-flag", ".hidden", "sp ace", "tab\tname"])
def test_bad_names_are_rejected(tmp_path: Path, name: str) -> None:
    with pytest.raises(ScaffoldError):
        create_project(name, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_bad_name_through_the_cli(tmp_path: Path) -> None:
    proc = meshc("init", "x/y", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ")
    assert not (tmp_path / "x").exists()


def test_new_and_init_have_help(tmp_path: Path) -> None:
    for command in ("new", "init"):
        proc = meshc(command, "--help", cwd=tmp_path)
        assert proc.returncode == 0
        assert "name" in proc.stdout.lower()
        assert "Usage" in proc.stdout


needs_toolchain = pytest.mark.skipif(
    not runtime_library().is_file() or shutil.which("cc") is None,
    reason="needs the built runtime (ffi/build.py) and a C compiler",
)


@needs_toolchain
@pytest.mark.parametrize("command", ["new", "init"])
def test_generated_project_builds_and_runs(tmp_path: Path, command: str) -> None:
    assert meshc(command, "greeter", cwd=tmp_path).returncode == 0
    proc = meshc("build", "greeter", cwd=tmp_path, env={"MESH_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 0, proc.stderr
    exe = tmp_path / "greeter" / "greeter"
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60, env={})
    assert run.returncode == 0, run.stderr
    assert run.stdout == "Hello from Mesh!\n"


@needs_toolchain
def test_generated_project_checks_clean(tmp_path: Path) -> None:
    create_project("clean", tmp_path)
    proc = meshc("check", "clean", cwd=tmp_path, env={"MESH_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr.lower()
