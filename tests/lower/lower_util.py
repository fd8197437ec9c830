"""Compile Mesh source through parse -> check -> lower -> codegen, link against the runtime, run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from toolchain import codegen
from toolchain.lower import lower_program, mir

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LIB = ROOT / "build" / "runtime" / "libmeshrt.a"


def lower_source(src: str, tmp: Path) -> mir.Program:
    try:
        from toolchain.check import ParsedModule, check_program
        from toolchain.syntax import parse_file
    except ImportError as err:  # parser or checker not in this tree yet
        pytest.skip(f"front end not available: {err}")

    path = tmp / "main.mpl"
    path.write_text(src)
    tree = parse_file(str(path), src)
    checked = check_program([ParsedModule("Main", str(path), tree, True)])
    return lower_program(checked)


def run_source(src: str, tmp: Path, *, opt_level: int = 0, timeout: float = 60,
               gc_stress: bool = False) -> subprocess.CompletedProcess[str]:
    if not RUNTIME_LIB.exists():
        pytest.skip("build/runtime/libmeshrt.a not built (python ffi/build.py)")
    prog = lower_source(src, tmp)
    obj = tmp / "main.o"
    exe = tmp / "main"
    codegen.emit_object(prog, str(obj), opt_level=opt_level, llvm_ir_path=str(tmp / "main.ll"))
    subprocess.run(["cc", str(obj), str(RUNTIME_LIB), "-lm", "-lpthread", "-ldl", "-o", str(exe)], check=True)
    env = dict(os.environ, MESH_GC_STRESS="1" if gc_stress else "0")
    return subprocess.run([str(exe)], capture_output=True, text=True, timeout=timeout, env=env)
