"""packaging/install.sh with local release archives, in a temporary HOME.

The archive holds a stand-in `meshc` (a shell script) so these tests need no Nuitka build; the
slow test in test_release_binary.py installs the real one.
"""

from __future__ import annotations

import hashlib
import io
import os
import platform
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "packaging" / "install.sh"
ARCH = {"amd64": "x86_64", "arm64": "aarch64"}.get(platform.machine().lower(), platform.machine().lower())
TRIPLE = f"{ARCH}-unknown-linux-gnu"
MARKER = "# Mesh compiler"


def make_release(dirpath: Path, version: str = "0.1.0", body: str | None = None, sums: bool = True) -> Path:
    dirpath.mkdir(parents=True, exist_ok=True)
    script = (body or f'#!/bin/sh\necho "meshc {version} (fake)"\n').encode()
    name = f"meshc-v{version}-{TRIPLE}.tar.gz"
    archive = dirpath / name
    info = tarfile.TarInfo("meshc")
    info.size = len(script)
    info.mode = 0o755
    with tarfile.open(archive, "w:gz") as tar:
        tar.addfile(info, io.BytesIO(script))
    if sums:
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        (dirpath / "SHA256SUMS").write_text(f"{'0' * 64}  other-file.tar.gz\n{digest}  {name}\n")
    return archive


def install(home: Path, *args: str, shell: str = "/bin/bash") -> subprocess.CompletedProcess:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "SHELL": shell, "NO_COLOR": "1", "TMPDIR": str(home)}
    return subprocess.run(["sh", str(INSTALL), *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    (h / ".bashrc").write_text("# user's bashrc\nalias ll='ls -l'\n")
    return h


def test_installs_verifies_and_sets_up_path(tmp_path: Path, home: Path) -> None:
    archive = make_release(tmp_path / "rel")
    proc = install(home, str(archive))
    assert proc.returncode == 0, proc.stderr
    assert "checksum verified" in proc.stdout
    meshc = home / ".mesh" / "bin" / "meshc"
    assert os.access(meshc, os.X_OK)
    assert subprocess.run([str(meshc)], capture_output=True, text=True).stdout == "meshc 0.1.0 (fake)\n"
    assert (home / ".mesh" / "version").read_text() == "0.1.0\n"
    bashrc = (home / ".bashrc").read_text()
    assert bashrc.startswith("# user's bashrc\nalias ll='ls -l'\n")
    assert bashrc.count(MARKER) == 1
    assert '. "$HOME/.mesh/env"' in bashrc
    assert ". \"$HOME/.mesh/env\"" in proc.stdout  # tells the user how to use it now
    # The env file puts ~/.mesh/bin on PATH, once.
    out = subprocess.run(["sh", "-c", '. "$HOME/.mesh/env"; . "$HOME/.mesh/env"; echo "$PATH"; command -v meshc'],
                         capture_output=True, text=True, env={"HOME": str(home), "PATH": "/usr/bin:/bin"})
    path_line, which = out.stdout.splitlines()
    assert path_line.split(":").count(str(home / ".mesh" / "bin")) == 1
    assert which == str(meshc)


def test_reinstall_is_idempotent(tmp_path: Path, home: Path) -> None:
    archive = make_release(tmp_path / "rel")
    assert install(home, str(archive)).returncode == 0
    again = install(home, str(archive))
    assert again.returncode == 0
    assert "already installed and up-to-date" in again.stdout
    forced = install(home, "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert (home / ".bashrc").read_text().count(MARKER) == 1


def test_upgrade_replaces_the_binary(tmp_path: Path, home: Path) -> None:
    assert install(home, str(make_release(tmp_path / "a", "0.1.0"))).returncode == 0
    assert install(home, str(make_release(tmp_path / "b", "0.2.0"))).returncode == 0
    out = subprocess.run([str(home / ".mesh" / "bin" / "meshc")], capture_output=True, text=True).stdout
    assert out == "meshc 0.2.0 (fake)\n"
    assert (home / ".bashrc").read_text().count(MARKER) == 1


def test_checksum_mismatch_installs_nothing(tmp_path: Path, home: Path) -> None:
    archive = make_release(tmp_path / "rel")
    sums = tmp_path / "rel" / "SHA256SUMS"
    sums.write_text(sums.read_text().replace(hashlib.sha256(archive.read_bytes()).hexdigest(), "f" * 64))
    proc = install(home, str(archive))
    assert proc.returncode == 1
    assert "checksum mismatch" in proc.stderr
    assert not (home / ".mesh").exists()
    assert MARKER not in (home / ".bashrc").read_text()


def test_missing_entry_in_sums_is_an_error(tmp_path: Path, home: Path) -> None:
    archive = make_release(tmp_path / "rel")
    (tmp_path / "rel" / "SHA256SUMS").write_text(f"{'0' * 64}  other-file.tar.gz\n")
    proc = install(home, str(archive))
    assert proc.returncode == 1
    assert "no entry" in proc.stderr


def test_file_url_and_explicit_sums(tmp_path: Path, home: Path) -> None:
    archive = make_release(tmp_path / "rel")
    sums = tmp_path / "elsewhere" / "SHA256SUMS"
    sums.parent.mkdir()
    (tmp_path / "rel" / "SHA256SUMS").rename(sums)
    proc = install(home, "--sha256sums", str(sums), f"file://{archive}")
    assert proc.returncode == 0, proc.stderr
    assert "checksum verified" in proc.stdout


def test_without_sums_warns_and_installs(tmp_path: Path, home: Path) -> None:
    archive = make_release(tmp_path / "rel", sums=False)
    proc = install(home, str(archive))
    assert proc.returncode == 0, proc.stderr
    assert "skipping checksum verification" in proc.stderr


def test_zsh_and_fish_profiles(tmp_path: Path, home: Path) -> None:
    (home / ".zshrc").write_text("")
    (home / ".config" / "fish").mkdir(parents=True)
    (home / ".config" / "fish" / "config.fish").write_text("")
    assert install(home, str(make_release(tmp_path / "rel")), shell="/usr/bin/zsh").returncode == 0
    assert (home / ".zshrc").read_text().count(MARKER) == 1
    assert 'fish_add_path "$HOME/.mesh/bin"' in (home / ".config" / "fish" / "config.fish").read_text()


def test_no_bashrc_uses_profile(tmp_path: Path, home: Path) -> None:
    (home / ".bashrc").unlink()
    assert install(home, str(make_release(tmp_path / "rel"))).returncode == 0
    assert MARKER in (home / ".profile").read_text()


def test_no_modify_path(tmp_path: Path, home: Path) -> None:
    assert install(home, "--no-modify-path", str(make_release(tmp_path / "rel"))).returncode == 0
    assert MARKER not in (home / ".bashrc").read_text()
    assert (home / ".mesh" / "env").is_file()


def test_uninstall_restores_profiles(tmp_path: Path, home: Path) -> None:
    original = (home / ".bashrc").read_text()
    (home / ".zshrc").write_text("setopt autocd\n")
    assert install(home, str(make_release(tmp_path / "rel"))).returncode == 0
    cache = home / ".cache" / "mesh"
    (cache / "meshc-0.1.0-abc").mkdir(parents=True)
    (cache / "ast").mkdir()
    proc = install(home, "--uninstall")
    assert proc.returncode == 0, proc.stderr
    assert not (home / ".mesh").exists()
    assert not (cache / "meshc-0.1.0-abc").exists()
    assert (cache / "ast").is_dir()  # the parse cache of a development install is left alone
    # The installer appended "\n<marker>\n<line>\n"; uninstall leaves only the blank line.
    assert (home / ".bashrc").read_text().rstrip("\n") == original.rstrip("\n")
    assert (home / ".zshrc").read_text().strip() == "setopt autocd"
    assert install(home, "--uninstall").returncode == 0  # twice is fine


@pytest.mark.parametrize("args, message", [
    ([], "give the release archive"),
    (["--bogus"], "unknown option"),
    (["notarelease.zip"], "not a release archive"),
    (["meshc-v0.1.0-sparc64-unknown-linux-gnu.tar.gz"], "archive is for sparc64"),
    ([f"/nonexistent/meshc-v0.1.0-{TRIPLE}.tar.gz"], "cannot read"),
])
def test_usage_errors(home: Path, args: list[str], message: str) -> None:
    proc = install(home, *args)
    assert proc.returncode != 0
    assert message in proc.stderr


def test_help(home: Path) -> None:
    proc = install(home, "--help")
    assert proc.returncode == 0
    assert "--uninstall" in proc.stdout
