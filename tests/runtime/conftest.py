"""Fixtures for the C runtime tests: build the runtime once (under a file lock, so pytest-xdist
workers do not race) and compile C test programs against the sanitizer build."""

from __future__ import annotations

import fcntl
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
C_DIR = Path(__file__).resolve().parent / "c"
BIN_DIR = REPO / "build" / "runtime" / "tests"

# Conservative stack scanning must see every local: no fake stacks for use-after-return.
SAN_ENV = {
    "ASAN_OPTIONS": "detect_stack_use_after_return=0:detect_leaks=1:abort_on_error=0",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
}


def _load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mesh_ffi_build", REPO / "ffi" / "build.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def rt_build() -> Iterator[ModuleType]:
    """The ffi/build.py module, after building both libraries and the cffi module."""
    mod = _load_build()
    lock_path = REPO / "build" / "runtime.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            mod.build_library(debug=False)
            mod.build_library(debug=True)
            mod.build_cffi()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    yield mod


@pytest.fixture(scope="session")
def meshrt(rt_build: ModuleType) -> ModuleType:
    """The cffi module `_meshrt` (attributes `ffi` and `lib`)."""
    sys.path.insert(0, str(rt_build.PY_OUT))
    import _meshrt  # type: ignore[import-not-found]

    return _meshrt


def compile_c_test(rt_build: ModuleType, name: str) -> Path:
    """Compile tests/runtime/c/<name>.c with ASan+UBSan against libmeshrt-debug.a."""
    BIN_DIR.mkdir(parents=True, exist_ok=True)
    src = C_DIR / f"{name}.c"
    exe = BIN_DIR / name
    lib = rt_build.OUT / "libmeshrt-debug.a"
    deps = [src, C_DIR / "check.h", lib]
    if exe.exists() and all(d.stat().st_mtime <= exe.stat().st_mtime for d in deps):
        return exe
    tmp = exe.with_suffix(f".tmp{os.getpid()}")
    cmd = [
        rt_build.cc(),
        *rt_build.WARN,
        *rt_build.DEBUG_FLAGS,
        f"-I{rt_build.INCLUDE}",
        str(src),
        str(lib),
        *rt_build.SYSTEM_LIBS,
        "-o",
        str(tmp),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, f"compiling {src.name} failed:\n{proc.stderr}"
    tmp.replace(exe)
    return exe


def run_c_test(
    exe: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **SAN_ENV, **(env or {})}
    return subprocess.run([str(exe)], capture_output=True, text=True, env=full_env, timeout=timeout)


def run_tsan_test(rt_build: ModuleType, out_dir: Path, name: str, sources: list[str]) -> str:
    """Compile tests/runtime/c/<name>.c with the runtime files `sources` (names in cruntime/src)
    under ThreadSanitizer, run it, check that no race was reported and it succeeded; its stdout."""
    exe = out_dir / name
    cmd = [
        rt_build.cc(),
        *rt_build.WARN,
        "-O1",
        "-g",
        "-fsanitize=thread",
        f"-I{rt_build.INCLUDE}",
        str(C_DIR / f"{name}.c"),
        *(str(rt_build.SRC / s) for s in sources),
        "-lpthread",
        "-o",
        str(exe),
    ]
    subprocess.run(cmd, check=True, capture_output=True)
    proc = subprocess.run([str(exe)], capture_output=True, text=True, timeout=300)
    assert "ThreadSanitizer" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout
