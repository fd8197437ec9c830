"""A busy actor is preempted at loop back-edges: another actor runs before it finishes.

The runtime has one worker, so without preemption the spinner (spawned first) would run to
completion before the other actor printed anything. The spinner's loop makes no calls, so at -O2
its reduction counter lives in a register (the code generator spills it only around calls and
returns); this checks that the back-edge checks still count and yield."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lower"))
from lower_util import run_source  # noqa: E402

SRC = """
fn spin(i :: Int, acc :: Int) -> Int do
  if i == 0 do
    acc
  else
    spin(i - 1, (acc + i) % 1000003)
  end
end

actor spinner(n :: Int) do
  let r = spin(n, 0)
  println("spinner done ${r > 0}")
end

actor greeter() do
  println("greeter ran")
end

fn main() do
  spawn(spinner, 30000000)
  spawn(greeter)
  println("main done")
end
"""


@pytest.mark.parametrize("opt_level", [0, 2])
def test_busy_loop_is_preempted(tmp_path: Path, opt_level: int) -> None:
    r = run_source(SRC, tmp_path, opt_level=opt_level, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert sorted(lines) == ["greeter ran", "main done", "spinner done true"]
    assert lines.index("greeter ran") < lines.index("spinner done true")
