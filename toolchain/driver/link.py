"""Linking an object file with the Mesh runtime into an executable."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from toolchain.diagnostics import CompileError, Diagnostic
from toolchain.driver.paths import runtime_library
from toolchain.syntax.ast import NO_SPAN

SYSTEM_LIBS = ["-lm", "-lpthread", "-ldl"]


def find_cc() -> str | None:
    for name in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if name and shutil.which(name):
            return name
    return None


def link_executable(objects: list[Path], output: Path, *, debug_runtime: bool = False) -> None:
    lib = runtime_library(debug_runtime)
    if not lib.is_file():
        raise CompileError(
            Diagnostic(
                "E0000",
                f"the Mesh runtime library is missing ({lib})",
                NO_SPAN,
                hints=["build it with `python ffi/build.py` (README: setup)"],
            )
        )
    cc = find_cc()
    if cc is None:
        raise CompileError(Diagnostic("E0000", "no C compiler/linker found (cc, gcc or clang)", NO_SPAN))
    cmd = [cc, *map(str, objects), str(lib), *SYSTEM_LIBS, "-o", str(output)]
    if debug_runtime:
        cmd[1:1] = ["-fsanitize=address,undefined"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise CompileError(
            Diagnostic("E0000", "linking failed", NO_SPAN, hints=[(proc.stderr or proc.stdout).strip()[:4000]])
        )
