"""The epoll poller and the blocking thread pool (cruntime/src/poll.c, pool.c): the C program
tests/runtime/c/test_io.c under AddressSanitizer + UndefinedBehaviorSanitizer with one worker, one
per core and more workers than cores, and tsan_io.c (poll.c and pool.c driven by plain threads)
under ThreadSanitizer."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import C_DIR, compile_c_test, run_c_test


@pytest.mark.parametrize("workers", ["1", "2", "4"])
def test_poller_and_pool_in_the_runtime(rt_build: ModuleType, workers: str) -> None:
    exe = compile_c_test(rt_build, "test_io")
    proc = run_c_test(exe, env={"MESH_WORKERS": workers}, timeout=240)
    assert proc.returncode == 0, f"test_io with {workers} workers failed:\n{proc.stdout}\n{proc.stderr}"
    assert "Sanitizer" not in proc.stderr and "runtime error" not in proc.stderr, proc.stderr
    assert proc.stdout == "io done\n"


def test_poller_and_pool_under_thread_sanitizer(rt_build: ModuleType, tmp_path: Path) -> None:
    exe = tmp_path / "tsan_io"
    src = rt_build.SRC
    cmd = [
        rt_build.cc(),
        *rt_build.WARN,
        "-O1",
        "-g",
        "-fsanitize=thread",
        f"-I{rt_build.INCLUDE}",
        str(C_DIR / "tsan_io.c"),
        str(src / "poll.c"),
        str(src / "pool.c"),
        str(src / "deque.c"),
        "-lpthread",
        "-o",
        str(exe),
    ]
    subprocess.run(cmd, check=True, capture_output=True)
    proc = subprocess.run([str(exe)], capture_output=True, text=True, timeout=300)
    assert "ThreadSanitizer" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "reads 64 jobs 16 timeouts 8 pending 0\n"
