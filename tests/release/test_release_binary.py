"""The release binary `dist/meshc` on a machine without a C compiler or Python.

Slow: the session builds dist/meshc once (see conftest.py). Two kinds of "bare machine":

- a PATH holding only `sh` and `env` (no cc, gcc, python3), with a fresh HOME;
- a Debian minbase root made by `debootstrap` (no compiler, no -dev packages, no Python at all),
  entered with chroot. It is made once and kept in ~/.cache/mesh-release/bare-root.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Outside the checkout, so that CI's fresh clones on the same machine reuse it.
BARE_ROOT = Path(os.environ.get("MESH_BARE_ROOT") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                 / "mesh-release" / "bare-root")
HELLO_OUT = "Hello from Mesh!\n"

pytestmark = pytest.mark.slow


def bare_env(tmp: Path) -> dict[str, str]:
    """A PATH directory with symlinks to `sh` and `env` only, and an empty HOME."""
    tools = tmp / "tools"
    tools.mkdir()
    for name in ("sh", "env"):
        os.symlink(shutil.which(name), tools / name)
    home = tmp / "home"
    home.mkdir()
    for name in ("cc", "gcc", "clang", "python3", "python", "ld", "zig"):
        assert shutil.which(name, path=str(tools)) is None
    return {"PATH": str(tools), "HOME": str(home)}


def run(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def needed_libraries(exe: Path) -> list[str] | None:
    if shutil.which("readelf") is None:
        return None
    out = subprocess.run(["readelf", "-d", str(exe)], capture_output=True, text=True).stdout
    return sorted(line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if "(NEEDED)" in line)


def test_version_names_the_commit(release_meshc: Path, tmp_path: Path) -> None:
    proc = run([str(release_meshc), "--version"], cwd=tmp_path, env=bare_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    from toolchain import __version__

    words = proc.stdout.split()
    assert words[:2] == ["meshc", __version__]
    assert len(words) == 3 and words[2].startswith("(") and words[2] != "()"


def test_new_build_run_without_compiler_or_python(release_meshc: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    meshc = work / "meshc"
    shutil.copy2(release_meshc, meshc)
    env = bare_env(tmp_path)
    proc = run([str(meshc), "new", "hello"], cwd=work, env=env)
    assert proc.returncode == 0, proc.stderr
    proc = run([str(meshc), "build", "hello"], cwd=work, env=env)
    assert proc.returncode == 0, proc.stderr
    exe = work / "hello" / "hello"
    assert run([str(exe)], cwd=work, env=env).stdout == HELLO_OUT
    # With an empty environment, from another directory.
    proc = run([str(exe)], cwd=tmp_path, env={})
    assert (proc.returncode, proc.stdout) == (0, HELLO_OUT), proc.stderr
    needed = needed_libraries(exe)
    if needed is not None:
        assert set(needed) <= {"libc.so.6", "libm.so.6"}, needed


def test_compile_errors_are_diagnostics(release_meshc: Path, tmp_path: Path) -> None:
    env = bare_env(tmp_path)
    proj = tmp_path / "bad"
    proj.mkdir()
    (proj / "main.mpl").write_text('fn main() do\n  let x :: Int = "hello"\n  println("${x}")\nend\n')
    proc = run([str(release_meshc), "build", str(proj), "--json"], cwd=tmp_path, env=env)
    assert proc.returncode == 1
    first = json.loads(proc.stderr.splitlines()[0])
    assert first["code"].startswith("E")
    assert "Traceback" not in proc.stderr


def test_system_cc_can_be_chosen(release_meshc: Path, tmp_path: Path) -> None:
    if shutil.which("cc") is None:
        pytest.skip("no system C compiler here")
    work = tmp_path / "w"
    work.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "MESH_LINKER": "cc"}
    assert run([str(release_meshc), "new", "viacc"], cwd=work, env=env).returncode == 0
    proc = run([str(release_meshc), "build", "viacc"], cwd=work, env=env)
    assert proc.returncode == 0, proc.stderr
    assert run([str(work / "viacc" / "viacc")], cwd=work, env={}).stdout == HELLO_OUT


def test_install_script_installs_the_real_archive(release_meshc: Path, tmp_path: Path) -> None:
    from toolchain import __version__

    archives = sorted((ROOT / "dist").glob(f"meshc-v{__version__}-*.tar.gz"))
    assert len(archives) == 1
    with tarfile.open(archives[0]) as tar:
        assert tar.getnames() == ["meshc"]
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "NO_COLOR": "1", "SHELL": "/bin/bash"}
    proc = run(["sh", str(ROOT / "packaging" / "install.sh"), str(archives[0])], cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "checksum verified" in proc.stdout
    assert f"meshc {__version__}" in proc.stdout
    installed = home / ".mesh" / "bin" / "meshc"
    assert installed.read_bytes() == release_meshc.read_bytes()


# ───────────────────────────── a debootstrap root ─────────────────────────────


def _make_bare_root() -> Path:
    if (BARE_ROOT / ".complete").is_file():
        return BARE_ROOT
    if os.geteuid() != 0 or shutil.which("debootstrap") is None or shutil.which("unshare") is None:
        pytest.skip("needs root, unshare and debootstrap (packaging/bootstrap.sh installs it)")
    BARE_ROOT.parent.mkdir(parents=True, exist_ok=True)
    tmp = BARE_ROOT.with_name("bare-root.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    proc = subprocess.run(["nice", "-n", "10", "debootstrap", "--variant=minbase", "bookworm", str(tmp),
                           "http://deb.debian.org/debian"], capture_output=True, text=True, timeout=1500)
    if proc.returncode != 0:
        pytest.skip(f"debootstrap failed (no Debian mirror?): {proc.stdout[-800:]}{proc.stderr[-800:]}")
    (tmp / ".complete").write_text("debootstrap --variant=minbase bookworm\n")
    shutil.rmtree(BARE_ROOT, ignore_errors=True)
    tmp.rename(BARE_ROOT)
    return BARE_ROOT


def chroot(root: Path, script: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `script` with /bin/sh inside `root`, in a private mount namespace with /proc mounted
    (as on any real machine: the one-file binary finds itself through /proc/self/exe)."""
    pairs = " ".join(shlex.quote(f"{k}={v}") for k, v in (env or {"PATH": "/usr/bin:/bin", "HOME": "/root"}).items())
    inner = (f"mount -t proc proc {shlex.quote(str(root / 'proc'))} && "
             f"exec chroot {shlex.quote(str(root))} /usr/bin/env -i {pairs} /bin/sh -c {shlex.quote(script)}")
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", inner],
                          capture_output=True, text=True, timeout=900)


def test_debootstrap_root_without_compiler(release_meshc: Path, tmp_path: Path) -> None:
    root = _make_bare_root()
    probe = chroot(root, "for t in cc gcc clang ld python3 python perl-doc; do command -v $t; done; "
                         "ls /usr/include 2>/dev/null | head -1; exit 0")
    assert probe.stdout.strip() == "", f"the bare root has: {probe.stdout}"
    # A clean place for this run inside the root.
    work = root / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    shutil.copy2(release_meshc, work / "meshc")
    shutil.rmtree(root / "root" / ".cache", ignore_errors=True)  # a cold first start, every time
    proc = chroot(root, "cd /work && ./meshc --version && ./meshc new hello && ./meshc build hello && ./hello/hello")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.endswith(HELLO_OUT)
    proc = chroot(root, "/work/hello/hello", env={})
    assert (proc.returncode, proc.stdout) == (0, HELLO_OUT), proc.stderr
    # The program also runs here, outside the root, in an empty environment.
    outside = tmp_path / "hello"
    shutil.copy2(work / "hello" / "hello", outside)
    proc = subprocess.run([str(outside)], capture_output=True, text=True, env={}, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, HELLO_OUT)
