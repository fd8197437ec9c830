"""The release bundle's layout, run by the ordinary Python instead of the Nuitka binary.

`build_release.py --stage-only` prepares exactly the files the binary embeds; copying the
`toolchain` package and packaging/meshc_main.py beside them gives the directory the binary
unpacks into. Running meshc_main.py from there with no C compiler on PATH exercises paths.py,
the bundled linker (link.py) and the preprocessed headers, in seconds rather than a Nuitka build.
Needs the `release` extra (ziglang); marked slow with the other release tests.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("ziglang") is None, reason="needs the release extra (ziglang)"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    stage = tmp_path_factory.mktemp("stage") / "stage"
    proc = subprocess.run([sys.executable, str(ROOT / "packaging" / "build_release.py"), "--stage-only",
                           "--stage-dir", str(stage)], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shutil.copytree(ROOT / "toolchain", stage / "toolchain", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "packaging" / "meshc_main.py", stage / "meshc_main.py")
    return stage


def run_bundle(bundle: Path, cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    tools = home / "tools"
    tools.mkdir(exist_ok=True)
    for name in ("sh", "env"):
        if not (tools / name).exists():
            os.symlink(shutil.which(name), tools / name)
    env = {"PATH": str(tools), "HOME": str(home), "PYTHONPATH": str(bundle), "PYTHONNOUSERSITE": "1"}
    return subprocess.run([sys.executable, str(bundle / "meshc_main.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_manifest_describes_the_bundle(bundle: Path) -> None:
    manifest = json.loads((bundle / "meshc-bundle.json").read_text())
    assert manifest["linker"]["args"].count("{inputs}") == 1
    assert manifest["linker"]["args"].count("{output}") == 1
    assert (bundle / manifest["linker"]["archive"]).is_file()
    assert (bundle / "grammar" / "mesh.tx").is_file()
    assert (bundle / "build" / "runtime" / "libmeshrt.a").is_file()
    assert (bundle / "COMMIT").read_text().strip() == manifest["commit"]
    if manifest["preprocessed_headers"]:
        assert (bundle / manifest["preprocessed_headers"]).is_file()


def test_builds_with_the_bundled_linker_and_no_cc(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    assert run_bundle(bundle, work, home, "new", "hello").returncode == 0
    proc = run_bundle(bundle, work, home, "build", "hello")
    assert proc.returncode == 0, proc.stderr
    out = subprocess.run([str(work / "hello" / "hello")], capture_output=True, text=True, env={}, timeout=60)
    assert (out.returncode, out.stdout) == (0, "Hello from Mesh!\n")
    unpacked = list((home / ".cache" / "mesh" / "linker").iterdir())
    assert len(unpacked) == 1 and (unpacked[0] / ".complete").is_file()
    # A second build reuses the unpacked linker.
    assert run_bundle(bundle, work, home, "build", "hello").returncode == 0
    assert list((home / ".cache" / "mesh" / "linker").iterdir()) == unpacked


def test_unknown_linker_choice_is_a_diagnostic(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "main.mpl").write_text('fn main() do\n  println("x")\nend\n')
    env_args = ("build", str(tmp_path / "p"))
    tools = home / "tools"
    tools.mkdir()
    env = {"PATH": str(tools), "HOME": str(home), "PYTHONPATH": str(bundle), "MESH_LINKER": "gold"}
    proc = subprocess.run([sys.executable, str(bundle / "meshc_main.py"), *env_args], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1
    assert "MESH_LINKER" in proc.stderr and "Traceback" not in proc.stderr
