"""Shared machinery for the property tests: each Mesh checker program in `programs/` is
compiled once per session (the fixture is in conftest.py), then fed many generated cases
through stdin (one operation per line) in one run, and its output compared with a Python model.

Every property runs twice: normally and with the collector forced at every allocation
(MESH_GC_STRESS=1), the latter with fewer examples because each run is much slower.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PROGRAMS = Path(__file__).parent / "programs"

# examples per property in each mode; one example is one program run over a batch of cases
EXAMPLES = {"normal": 40, "gc-stress": 8}
MODES = list(EXAMPLES)


class Checker:
    """A compiled checker program."""

    def __init__(self, exe: Path) -> None:
        self.exe = exe

    def run(self, lines: list[str], mode: str, extra_env: dict[str, str] | None = None) -> list[str]:
        """Feed `lines` and return the printed lines; the program must end cleanly with `done`."""
        env = {**os.environ, **({"MESH_GC_STRESS": "1"} if mode == "gc-stress" else {}), **(extra_env or {})}
        text = "".join(line + "\n" for line in lines)
        proc = subprocess.run([str(self.exe)], input=text.encode(), capture_output=True, timeout=120, env=env)
        err = proc.stderr.decode(errors="replace")[-2000:]
        assert proc.returncode == 0, f"exit {proc.returncode}: {err}"
        out = proc.stdout.decode().split("\n")
        assert len(out) >= 2 and out[-1] == "" and out[-2] == "done", f"no `done` line: {out[-3:]} {err}"
        return out[:-2]


def program(name: str) -> str:
    return (PROGRAMS / name).read_text()


def check_property(strategy: st.SearchStrategy[Any], check: Callable[[Any], None], mode: str,
                   examples: int | None = None) -> None:
    """Run `check` on examples drawn from `strategy` (as many as the mode allows, or `examples`)."""

    @settings(max_examples=examples or EXAMPLES[mode], deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(strategy)
    def prop(case: Any) -> None:
        check(case)

    prop()


def with_snapshots(ops: list[tuple[Any, ...]], every: int = 10) -> list[tuple[Any, ...]]:
    """ops with a ("snap",) after every `every`-th one: those versions are kept alive and
    printed again at the end, so an update that leaked into an old version shows."""
    out: list[tuple[Any, ...]] = []
    for i, o in enumerate(ops):
        out.append(o)
        if i % every == every - 1:
            out.append(("snap",))
    return out


def assert_lines(got: list[str], want: list[str]) -> None:
    """Compare outputs line by line so a failure names the first differing line."""
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        assert g == w, f"line {i}:\n mesh:  {g!r}\n model: {w!r}"
    assert len(got) == len(want), f"mesh printed {len(got)} lines, model {len(want)}"
