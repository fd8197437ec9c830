"""Where the toolchain finds its own files: the grammar, the C runtime and the bundled linker.

In a development checkout they live in the repository (`grammar/`, `cruntime/include/`,
`build/runtime/`). The frozen `meshc` binary (packaging/build_release.py) unpacks itself into a
per-version cache directory that mirrors the same layout, so the same relative paths work there:

    <bundle>/toolchain/...            the compiled toolchain (this file's package)
    <bundle>/grammar/mesh.tx
    <bundle>/cruntime/include/mesh/*.h
    <bundle>/build/runtime/libmeshrt.a
    <bundle>/linker/linker.tar        zig (its ld.lld) plus the crt objects and libc stubs
    <bundle>/meshc-bundle.json        what the release build recorded (version, triple, link line)

`MESH_RUNTIME_DIR` overrides the runtime library location, `MESH_RUNTIME_INCLUDE` the headers.
"""

from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # toolchain/
REPO_DIR = PACKAGE_DIR.parent  # the checkout, or the frozen binary's unpack directory
BUNDLE_MANIFEST = "meshc-bundle.json"


def is_frozen() -> bool:
    """True inside the Nuitka-built `meshc` (every compiled module has `__compiled__`)."""
    return "__compiled__" in globals() or bool(getattr(sys, "frozen", False))


@lru_cache(maxsize=1)
def bundle_manifest() -> dict[str, Any] | None:
    """The release build's manifest when running from a release bundle, else None."""
    path = REPO_DIR / BUNDLE_MANIFEST
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def bundle_dir() -> Path | None:
    """The directory the frozen binary unpacked itself into (None in a development install)."""
    return REPO_DIR if bundle_manifest() is not None else None


def grammar_path() -> Path:
    for candidate in (REPO_DIR / "grammar" / "mesh.tx", PACKAGE_DIR / "grammar" / "mesh.tx"):
        if candidate.is_file():
            return candidate
    return REPO_DIR / "grammar" / "mesh.tx"


def runtime_dir() -> Path:
    env = os.environ.get("MESH_RUNTIME_DIR")
    if env:
        return Path(env)
    for candidate in (REPO_DIR / "build" / "runtime", PACKAGE_DIR / "runtime"):
        if candidate.is_dir():
            return candidate
    return REPO_DIR / "build" / "runtime"


def runtime_library(debug: bool = False) -> Path:
    return runtime_dir() / ("libmeshrt-debug.a" if debug else "libmeshrt.a")


def runtime_include_dir() -> Path:
    """The runtime's C headers (`<dir>/mesh/*.h`)."""
    env = os.environ.get("MESH_RUNTIME_INCLUDE")
    if env:
        return Path(env)
    return REPO_DIR / "cruntime" / "include"


def user_cache_dir() -> Path:
    """`$MESH_CACHE_DIR`, else `$XDG_CACHE_HOME/mesh`, else `~/.cache/mesh`."""
    base = os.environ.get("MESH_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "mesh"
    )
    return Path(base)
