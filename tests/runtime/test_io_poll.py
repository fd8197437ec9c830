"""The epoll poller and the blocking thread pool (cruntime/src/poll.c, pool.c): the C program
tests/runtime/c/test_io.c under AddressSanitizer + UndefinedBehaviorSanitizer with one worker, one
per core and more workers than cores, and tsan_io.c (poll.c and pool.c driven by plain threads)
under ThreadSanitizer."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from .conftest import compile_c_test, run_c_test, run_tsan_test


@pytest.mark.parametrize("workers", ["1", "2", "4"])
def test_poller_and_pool_in_the_runtime(rt_build: ModuleType, workers: str) -> None:
    exe = compile_c_test(rt_build, "test_io")
    proc = run_c_test(exe, env={"MESH_WORKERS": workers}, timeout=240)
    assert proc.returncode == 0, f"test_io with {workers} workers failed:\n{proc.stdout}\n{proc.stderr}"
    assert "Sanitizer" not in proc.stderr and "runtime error" not in proc.stderr, proc.stderr
    assert proc.stdout == "io done\n"


def test_poller_and_pool_under_thread_sanitizer(rt_build: ModuleType, tmp_path: Path) -> None:
    out = run_tsan_test(rt_build, tmp_path, "tsan_io", ["poll.c", "pool.c", "deque.c"])
    assert out == "reads 64 jobs 16 timeouts 8 pending 0\n"
