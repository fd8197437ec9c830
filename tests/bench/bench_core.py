"""Core-language benchmarks: compile time of meshc, and run time of compiled Mesh against C.

    .venv/bin/python tests/bench/bench_core.py [--repeat N] [--only NAME]

Prints one table; nothing here asserts a timing. Each run-time benchmark is the same algorithm
written in Mesh (built with `meshc build --release`) and in C (`gcc -O2`), run `--repeat`
times each; the best wall time and the best user+system CPU time are reported with the ratios
Mesh/C (on a busy machine compare the CPU columns). `--instructions` also counts the executed
instructions of one run of each under `valgrind --tool=callgrind` (slow, but independent of the
machine's load). Compile times are printed as wall and CPU seconds (the CPU of meshc and the
linker it starts).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MESHC = [sys.executable, "-m", "toolchain.driver.cli"]

PROGRAMS: dict[str, tuple[str, str, str]] = {
    # name: (mesh source, C source, expected output)
    "fib(32)": (
        """
fn fib(n :: Int) -> Int do
  if n < 2 do
    n
  else
    fib(n - 1) + fib(n - 2)
  end
end

fn main() do
  println("${fib(32)}")
end
""",
        """
#include <stdio.h>
long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(void) { printf("%ld\\n", fib(32)); return 0; }
""",
        "2178309\n",
    ),
    "loop 10^8": (
        """
fn run(i :: Int, n :: Int, acc :: Int) -> Int do
  if i >= n do
    acc
  else
    run(i + 1, n, (acc + i * i) % 1000000007)
  end
end

fn main() do
  println("${run(0, 100000000, 0)}")
end
""",
        """
#include <stdio.h>
int main(void) {
  volatile long n = 100000000; long acc = 0;
  for (long i = 0; i < n; i++) acc = (acc + i * i) % 1000000007;
  printf("%ld\\n", acc); return 0;
}
""",
        None,
    ),
    "tail rec 10^7": (
        """
fn count(0, acc) = acc
fn count(n, acc) = count(n - 1, acc + n % 3)

fn main() do
  println("${count(10000000, 0)}")
end
""",
        """
#include <stdio.h>
static long count(long n, long acc) { return n == 0 ? acc : count(n - 1, acc + n % 3); }
int main(void) { volatile long n = 10000000; printf("%ld\\n", count(n, 0)); return 0; }
""",
        "10000000\n",
    ),
}


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(cmd: list[str], **kw) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Run `cmd`; (wall seconds, CPU seconds of it and its children, result)."""
    c0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return time.perf_counter() - t0, _children_cpu() - c0, proc


def best_of(cmd: list[str], repeat: int, env: dict | None = None) -> tuple[float, float, str]:
    best, best_cpu = float("inf"), float("inf")
    out = ""
    for _ in range(repeat):
        elapsed, cpu, proc = timed(cmd, env=env)
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
        best, best_cpu = min(best, elapsed), min(best_cpu, cpu)
        out = proc.stdout
    return best, best_cpu, out


def instructions(cmd: list[str]) -> int | None:
    """Instructions executed by `cmd` (all threads), counted by callgrind; None without valgrind."""
    vg = shutil.which("valgrind")
    if vg is None:
        return None
    proc = subprocess.run([vg, "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                          capture_output=True, text=True)
    m = re.search(r"refs:\s*([\d,]+)", proc.stderr)
    return int(m.group(1).replace(",", "")) if m else None


def meshc_build(src_dir: Path, exe: Path, release: bool, env: dict | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one `meshc build`."""
    args = [*MESHC, "build", str(src_dir), "-o", str(exe)] + (["--release"] if release else [])
    elapsed, cpu, proc = timed(args, cwd=ROOT, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"meshc build failed: {proc.stderr[-3000:]}")
    return elapsed, cpu


def generated_program(lines: int) -> str:
    """A program of about `lines` lines: many small functions calling each other."""
    out = []
    n = max(1, lines // 8)
    for i in range(n):
        out.append(f"fn f{i}(x :: Int) -> Int do\n  let y = x * {i % 7 + 1}\n  let z = y + {i}\n"
                   f"  if z > 1000 do\n    z - 1000\n  else\n    z\n  end\nend\n")
    out.append("fn main() do\n  let a = 1\n")
    for i in range(0, n, max(1, n // 50)):
        out.append(f"  let a = f{i}(a)\n")
    out.append('  println("${a}")\nend\n')
    return "".join(out)


def bench_compile(tmp: Path, repeat: int) -> None:
    print("compile time (meshc build, -O0)")
    cases = {"hello": 'fn main() do\n  println("hello")\nend\n', "generated 10k lines": generated_program(10_000)}
    for name, src in cases.items():
        d = tmp / name.replace(" ", "_")
        d.mkdir()
        (d / "main.mpl").write_text(src)
        nlines = src.count("\n")
        cold_env = {**os.environ, "MESH_CACHE_DIR": str(tmp / f"cache-{d.name}")}
        cold, cold_cpu = meshc_build(d, d / "out", release=False, env=cold_env)
        runs = [meshc_build(d, d / "out", release=False, env=cold_env) for _ in range(repeat)]
        warm, warm_cpu = min(w for w, _ in runs), min(c for _, c in runs)
        print(f"  {name:<22} {nlines:>6} lines   cold {cold:7.2f} s wall {cold_cpu:7.2f} s cpu"
              f" ({nlines / cold_cpu:7.0f} lines/cpu-s)   warm {warm:7.2f} s wall {warm_cpu:7.2f} s cpu")


def bench_run(tmp: Path, repeat: int, only: str | None, count_instructions: bool = False) -> None:
    cc = shutil.which("gcc") or shutil.which("cc")
    print(f"run time (best of {repeat}; Mesh built with --release, C with {Path(cc).name} -O2)")
    head = f"  {'benchmark':<16} {'Mesh wall':>10} {'C wall':>9} {'ratio':>6} {'Mesh cpu':>9} {'C cpu':>8} {'ratio':>6}"
    if count_instructions:
        head += f" {'Mesh instrs':>14} {'C instrs':>14} {'ratio':>6}"
    print(head)
    for name, (mesh_src, c_src, expected) in PROGRAMS.items():
        if only and only not in name:
            continue
        d = tmp / name.replace(" ", "_").replace("(", "").replace(")", "").replace("^", "")
        d.mkdir()
        (d / "main.mpl").write_text(mesh_src)
        (d / "prog.c").write_text(c_src)
        meshc_build(d, d / "mesh.exe", release=True)
        subprocess.run([cc, "-O2", "-o", str(d / "c.exe"), str(d / "prog.c")], check=True)
        t_mesh, cpu_mesh, out_mesh = best_of([str(d / "mesh.exe")], repeat)
        t_c, cpu_c, out_c = best_of([str(d / "c.exe")], repeat)
        note = ""
        if out_mesh != out_c or (expected is not None and out_mesh != expected):
            note = f"  OUTPUT DIFFERS: mesh={out_mesh!r} c={out_c!r}"
        line = (f"  {name:<16} {t_mesh:9.3f}s {t_c:8.3f}s {t_mesh / t_c:5.2f}x"
                f" {cpu_mesh:8.3f}s {cpu_c:7.3f}s {cpu_mesh / max(cpu_c, 1e-3):5.2f}x")
        if count_instructions:
            i_mesh, i_c = instructions([str(d / "mesh.exe")]), instructions([str(d / "c.exe")])
            if i_mesh and i_c:
                line += f" {i_mesh:14,d} {i_c:14,d} {i_mesh / i_c:5.2f}x"
        print(line + note)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", help="run only benchmarks whose name contains this")
    ap.add_argument("--skip-compile", action="store_true")
    ap.add_argument("--instructions", action="store_true",
                    help="also count executed instructions under valgrind (callgrind)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mesh-bench-") as t:
        tmp = Path(t)
        if not args.skip_compile and not args.only:
            bench_compile(tmp, args.repeat)
        bench_run(tmp, args.repeat, args.only, args.instructions)


if __name__ == "__main__":
    main()
