"""Where the toolchain finds its own files: the grammar and the compiled C runtime.

In a development checkout they live in the repository (`grammar/`, `build/runtime/`); in the
frozen `meshc` binary they are embedded next to the package and located through the same
functions. `MESH_RUNTIME_DIR` overrides the runtime location.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # toolchain/
REPO_DIR = PACKAGE_DIR.parent


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
