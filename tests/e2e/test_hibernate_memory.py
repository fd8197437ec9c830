"""Waiting actors do not keep their stacks: an actor blocked in the receive its function starts
with gives its stack back (hibernation, cruntime/src/proc.c) and restarts from its arguments when
a message comes.

The same program holds N actors waiting at once, with hibernation and with MESH_HIBERNATE=off; the
peak resident memory of each run (from wait4) must differ by at least most of a stack page per
actor. The output is checked too: every actor was woken once, in order, with its own state.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from corpus import build_source  # noqa: E402

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
    return build_source(tmp_path_factory.mktemp("hibernate"), "waiters", PROGRAM)


# Peak RSS must be measured from a small parent: a child forked from this (large) Python process
# starts with the parent's resident pages, and the kernel keeps that as the child's peak.
LAUNCHER = r"""
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    (void)argc;
    pid_t pid = fork();
    if (pid == 0) { execv(argv[1], argv + 1); _exit(127); }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) return 2;
    fprintf(stderr, "maxrss_kb %ld\n", ru.ru_maxrss);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
}
"""


@pytest.fixture(scope="module")
def launcher(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("launcher")
    (tmp / "launch.c").write_text(LAUNCHER)
    exe = tmp / "launch"
    subprocess.run(["cc", "-O2", "-o", str(exe), str(tmp / "launch.c")], check=True)
    return exe


def _peak_rss(launcher: Path, exe: Path, hibernate: str) -> tuple[str, int]:
    """The program's stdout and its peak RSS in bytes."""
    env = {**os.environ, "MESH_WORKERS": "1", "MESH_HIBERNATE": hibernate}
    env.pop("MESH_GC_STRESS", None)
    r = subprocess.run([str(launcher), str(exe)], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    kb = [int(line.split()[1]) for line in r.stderr.splitlines() if line.startswith("maxrss_kb ")]
    return r.stdout, kb[-1] * 1024


def test_waiting_actors_give_their_stacks_back(launcher: Path, waiters_exe: Path) -> None:
    want = f"sum {N * (N + 1) // 2 + N}, expected {N * (N + 1) // 2 + N}\n"
    out_on, rss_on = _peak_rss(launcher, waiters_exe, "0")
    out_off, rss_off = _peak_rss(launcher, waiters_exe, "off")
    assert out_on == want and out_off == want
    saved = (rss_off - rss_on) / N
    assert saved >= SAVED_PER_ACTOR, (
        f"hibernation saved {saved:.0f} B per waiting actor (peak RSS {rss_on} vs {rss_off} bytes)")
