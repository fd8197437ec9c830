"""C unit tests of the runtime, compiled with AddressSanitizer + UndefinedBehaviorSanitizer."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import C_DIR, compile_c_test, run_c_test, run_tsan_test

UNITS = [
    "test_string",
    "test_list",
    "test_map",
    "test_value",
    "test_gc",
    "test_gc_roots",
    "test_actor",
    "test_msg",
    "test_proc",
    "test_stack",
    "test_sched",
    "test_granule",
    "test_pagepool",
    "test_heap",
]


@pytest.mark.parametrize("name", UNITS)
def test_unit(rt_build: ModuleType, name: str) -> None:
    exe = compile_c_test(rt_build, name)
    proc = run_c_test(exe)
    assert proc.returncode == 0, f"{name} failed (status {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    assert "runtime error" not in proc.stderr and "Sanitizer" not in proc.stderr, proc.stderr


# test_list and test_map run million-element loops, quadratic under stress; test_gc covers them.
@pytest.mark.parametrize(
    "name", ["test_gc", "test_gc_roots", "test_actor", "test_msg", "test_value", "test_string", "test_heap"]
)
def test_unit_gc_stress(rt_build: ModuleType, name: str) -> None:
    """The same programs with a collection at every allocation."""
    exe = compile_c_test(rt_build, name)
    proc = run_c_test(exe, env={"MESH_GC_STRESS": "1"})
    assert proc.returncode == 0, f"{name} under MESH_GC_STRESS failed:\n{proc.stdout}\n{proc.stderr}"


@pytest.mark.parametrize("workers", ["1", "2", "4"])
@pytest.mark.parametrize("name", ["test_sched", "test_actor", "test_msg"])
def test_unit_workers(rt_build: ModuleType, name: str, workers: str) -> None:
    """Scheduler and actor tests with one worker, one per core, and more workers than cores."""
    exe = compile_c_test(rt_build, name)
    proc = run_c_test(exe, env={"MESH_WORKERS": workers})
    assert proc.returncode == 0, f"{name} with {workers} workers failed:\n{proc.stdout}\n{proc.stderr}"
    assert "Sanitizer" not in proc.stderr and "runtime error" not in proc.stderr, proc.stderr


def test_output_order_and_flush(rt_build: ModuleType) -> None:
    proc = run_c_test(compile_c_test(rt_build, "test_proc"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "first line\nno newline, second line\nlast line\n"
    assert proc.stderr == "to stderr\n"


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("panic", "Mesh panic: something bad\n"),
        ("divzero", "Mesh panic: division by zero\n"),
        ("head", "Mesh panic: List.head: empty list\n"),
        ("panic_at", "Mesh panic at main.mpl:12: no match\n"),
        ("panic_str", "Mesh panic: custom\n"),
        ("overflow", "Mesh panic: stack overflow\n"),
    ],
)
def test_panic_in_main_exits_1(rt_build: ModuleType, mode: str, message: str) -> None:
    proc = run_c_test(compile_c_test(rt_build, "test_proc"), env={"MESH_TEST_MODE": mode})
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == message
    # output printed before the panic is flushed, nothing after it runs
    assert proc.stdout.startswith("first line\nno newline, second line\n")
    assert "last line" not in proc.stdout


def test_release_build_runs_actor_and_gc_tests(rt_build: ModuleType, tmp_path: Path) -> None:
    """The -O2 library (what programs link) keeps pointers held only in callee-saved registers."""
    for name in ("test_actor", "test_gc_roots", "test_gc"):
        exe = tmp_path / name
        cmd = [
            rt_build.cc(),
            *rt_build.WARN,
            "-O2",
            f"-I{rt_build.INCLUDE}",
            str(C_DIR / f"{name}.c"),
            str(rt_build.OUT / "libmeshrt.a"),
            *rt_build.SYSTEM_LIBS,
            "-o",
            str(exe),
        ]
        subprocess.run(cmd, check=True, capture_output=True)
        for stress in ("0", "1"):
            proc = subprocess.run(
                [str(exe)],
                capture_output=True,
                text=True,
                timeout=300,
                env={**os.environ, "MESH_GC_STRESS": stress},
            )
            assert proc.returncode == 0, f"{name} (stress={stress}):\n{proc.stdout}\n{proc.stderr}"


def test_queues_under_thread_sanitizer(rt_build: ModuleType, tmp_path: Path) -> None:
    """The deque, injector and timer heap compiled with -fsanitize=thread: no data race reported."""
    out = run_tsan_test(rt_build, tmp_path, "tsan_queues", ["deque.c", "timer.c"])
    assert out == "bad 0 fired 1500 left 0\n"


@pytest.mark.parametrize("workers", ["1", "4"])
def test_page_pools_workers(rt_build: ModuleType, workers: str) -> None:
    """Blocks freed on one worker and taken on another, with one worker and more workers than cores."""
    proc = run_c_test(compile_c_test(rt_build, "test_pagepool"), env={"MESH_WORKERS": workers})
    assert proc.returncode == 0, f"test_pagepool with {workers} workers failed:\n{proc.stdout}\n{proc.stderr}"
    assert "Sanitizer" not in proc.stderr and "runtime error" not in proc.stderr, proc.stderr


def test_page_pools_under_thread_sanitizer(rt_build: ModuleType, tmp_path: Path) -> None:
    """Threads with their own caches share a page pool that gives blocks back meanwhile: no race, no block
    handed to two threads, every block accounted for."""
    out = run_tsan_test(rt_build, tmp_path, "tsan_pages", ["pagepool.c"])
    assert out == "bad 0 accounted 1\n"
