"""Helpers for codegen tests: build MIR by hand, emit, link against the runtime and run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from toolchain import codegen
from toolchain.lower import mir

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LIB = ROOT / "build" / "runtime" / "libmeshrt.a"


def need_runtime() -> None:
    if not RUNTIME_LIB.exists():
        pytest.skip("build/runtime/libmeshrt.a not built (python ffi/build.py)")


def build_and_run(prog: mir.Program, tmp: Path, *, opt_level: int = 0, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    need_runtime()
    obj = tmp / "prog.o"
    exe = tmp / "prog"
    codegen.emit_object(prog, str(obj), opt_level=opt_level, llvm_ir_path=str(tmp / "prog.ll"))
    subprocess.run(["cc", str(obj), str(RUNTIME_LIB), "-lm", "-lpthread", "-o", str(exe)], check=True)
    return subprocess.run([str(exe)], capture_output=True, text=True, timeout=timeout)
