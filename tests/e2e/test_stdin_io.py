"""IO.read_line blocks only the process that calls it: with one worker (and with more workers than
cores), an actor keeps printing while main waits for standard input (the read runs on the
blocking thread pool, cruntime/src/pool.c).

The test reads several ticks from the running program BEFORE it writes the input line; if the read
blocked the worker, no tick would come and the test fails at its deadline instead of hanging.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from corpus import build_source  # noqa: E402

PROGRAM = """\
actor ticker(n :: Int) do
  Timer.sleep(10)
  println("tick ${n}")
  receive do
    "stop" -> println("ticker stopped")
  after 0 -> ticker(n + 1)
  end
end

fn main() do
  let t = spawn(ticker, 1)
  case IO.read_line() do
    Ok(line) -> println("read: ${line}")
    Err(e) -> println("error: ${e}")
  end
  send(t, "stop")
end
"""

DEADLINE_S = 60.0


@pytest.fixture(scope="module")
def ticker_exe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_source(tmp_path_factory.mktemp("stdin_io"), "ticker", PROGRAM)


def _read_lines_until(proc: subprocess.Popen[bytes], want: int, deadline: float) -> list[str]:
    """Lines of the program's stdout until `want` of them arrived (or the deadline passed)."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    buf = b""
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while buf.count(b"\n") < want and time.monotonic() < deadline:
            if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            buf += chunk
    return buf.decode().splitlines()


@pytest.mark.parametrize("workers", ["1", "4"])
def test_actor_runs_while_main_waits_for_stdin(ticker_exe: Path, workers: str) -> None:
    env = {**os.environ, "MESH_WORKERS": workers}
    proc = subprocess.Popen([str(ticker_exe)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        before = _read_lines_until(proc, 3, time.monotonic() + DEADLINE_S)
        assert before[:3] == ["tick 1", "tick 2", "tick 3"], f"no ticks while main waits for input: {before}"
        rest, err = proc.communicate(input=b"hello\n", timeout=DEADLINE_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = before + rest.decode().splitlines()
    assert proc.returncode == 0, err.decode()
    assert lines.count("read: hello") == 1, lines
    assert lines[-1] == "ticker stopped", lines
    ticks = [line for line in lines if line.startswith("tick ")]
    assert ticks == [f"tick {i}" for i in range(1, len(ticks) + 1)], lines
    # every tick line came before the input line or after it, nothing else was printed
    assert len(ticks) + 2 == len(lines), lines
