"""Waiting actors do not keep their stacks: an actor blocked in the receive its function starts
with gives its stack back (hibernation, cruntime/src/proc.c) and restarts from its arguments when
a message comes.

The same program holds N actors waiting at once, with hibernation and with MESH_HIBERNATE=off; the
peak resident memory of each run (from wait4) must differ by at least most of a stack page per
actor. The output is checked too: every actor was woken once, in order, with its own state.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolchain.driver import project as proj

N = 20_000
SAVED_PER_ACTOR = 3_000  # bytes: a hibernated actor frees at least its stack's one touched page (4 KiB)

PROGRAM = """\
actor waiter(prev :: Pid<Int>, i :: Int, salt :: List<Int>) do
  receive do
    m -> send(prev, m + i + List.length(salt))
  end
end

fn spawn_chain(prev :: Pid<Int>, i :: Int, n :: Int) -> Pid<Int> do
  if i > n do
    prev
  else
    spawn_chain(spawn(waiter, prev, i, [i]), i + 1, n)
  end
end

actor driver(n :: Int) do
  let last = spawn_chain(self(), 1, n)
  Timer.sleep(50)
  send(last, 0)
  receive do
    total -> println("sum ${total}, expected ${n * (n + 1) / 2 + n}")
  end
end

fn main() do
  spawn(driver, N)
end
""".replace("N)", f"{N})")


@pytest.fixture(scope="module")
def waiters_exe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hibernate")
    src = tmp / "src"
    src.mkdir()
    (src / "main.mpl").write_text(PROGRAM)
    exe = tmp / "waiters"
    proj.build_project(proj.discover(src), exe)
    return exe


def _peak_rss(exe: Path, hibernate: str) -> tuple[str, int]:
    """The program's stdout and its peak RSS in bytes (wait4 reports it for exactly this child)."""
    env = {**os.environ, "MESH_WORKERS": "1", "MESH_HIBERNATE": hibernate}
    env.pop("MESH_GC_STRESS", None)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        os.dup2(w, 1)
        os.close(r)
        os.execve(str(exe), [str(exe)], env)
    os.close(w)
    with os.fdopen(r) as fh:
        out = fh.read()
    _, status, usage = os.wait4(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, out
    return out, usage.ru_maxrss * 1024


def test_waiting_actors_give_their_stacks_back(waiters_exe: Path) -> None:
    want = f"sum {N * (N + 1) // 2 + N}, expected {N * (N + 1) // 2 + N}\n"
    out_on, rss_on = _peak_rss(waiters_exe, "0")
    out_off, rss_off = _peak_rss(waiters_exe, "off")
    assert out_on == want and out_off == want
    saved = (rss_off - rss_on) / N
    assert saved >= SAVED_PER_ACTOR, (
        f"hibernation saved {saved:.0f} B per waiting actor (peak RSS {rss_on} vs {rss_off} bytes)")
