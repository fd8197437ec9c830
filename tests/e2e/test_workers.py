"""The actor programs of tests/e2e/programs again with one worker and with more workers than cores.

test_programs.py runs every program with the default worker count (one per core); the scheduler
must give the same output with MESH_WORKERS=1 (no parallelism: every interleaving comes from
preemption and blocking) and MESH_WORKERS=4 (oversubscribed: workers are descheduled while they
hold locks or are about to park).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_programs import HERE, _cases, _read, _run, built  # noqa: F401  (the fixture)

ACTOR_CASES = [c for c in _cases() if c.stem.startswith("actors_")]


@pytest.mark.parametrize("case", ACTOR_CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize("workers", ["1", "4"])
def test_program_workers(case: Path, workers: str, built) -> None:  # noqa: F811  (the fixture)
    exe = built(case)
    result = _run(exe, case, {"MESH_WORKERS": workers})
    expected = case.with_suffix(".out").read_bytes()
    status = int(_read(case.with_suffix(".exit"), "0").strip())
    assert result.stdout.decode(errors="replace") == expected.decode(errors="replace"), result.stderr.decode(
        errors="replace"
    )
    assert result.returncode == status, result.stderr.decode(errors="replace")
    assert HERE.is_dir()
