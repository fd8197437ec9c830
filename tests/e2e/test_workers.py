"""The actor programs of tests/e2e/programs again with one worker and with more workers than cores.

test_programs.py runs every program with the default worker count (one per core); the scheduler
must give the same output with MESH_WORKERS=1 (no parallelism: every interleaving comes from
preemption and blocking) and MESH_WORKERS=4 (oversubscribed: workers are descheduled while they
hold locks or are about to park); and with MESH_HIBERNATE=0, so that actors give their stacks
back at every receive that blocks and restart from their start closure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from corpus import Expected, cases  # noqa: E402
from test_programs import built  # noqa: E402, F401  (the compile-once fixture)

ACTOR_CASES = [c for c in cases() if c.stem.startswith("actors_")]


@pytest.mark.parametrize("case", ACTOR_CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize("workers,hibernate", [("1", ""), ("4", ""), ("2", "0")],
                         ids=["w1", "w4", "w2-hibernate"])
def test_program_workers(case: Path, workers: str, hibernate: str, built) -> None:  # noqa: F811
    exe = built(case)
    expected = Expected.of(case)
    env = {**os.environ, "MESH_WORKERS": workers}
    if hibernate:
        # every actor that can hibernate does so at each receive that would block
        env["MESH_HIBERNATE"] = hibernate
    result = subprocess.run([str(exe)], input=expected.stdin.encode(), capture_output=True, timeout=60, env=env)
    expected.check(result)
