"""C unit tests of the stdlib runtime files (json.c, iter.c), under ASan + UBSan, also with a
collection at every allocation."""

from __future__ import annotations

from types import ModuleType

import pytest

from .conftest import compile_c_test, run_c_test


@pytest.mark.parametrize("name", ["test_json", "test_iter"])
@pytest.mark.parametrize("stress", [False, True])
def test_stdlib_unit(rt_build: ModuleType, name: str, stress: bool) -> None:
    exe = compile_c_test(rt_build, name)
    proc = run_c_test(exe, env={"MESH_GC_STRESS": "1"} if stress else None)
    assert proc.returncode == 0, f"{name} failed (status {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    assert "runtime error" not in proc.stderr and "Sanitizer" not in proc.stderr, proc.stderr
