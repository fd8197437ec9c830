"""Core-language benchmarks: compile time of meshc, and run time of compiled Mesh against C.

    .venv/bin/python tests/bench/bench_core.py [--repeat N] [--only NAME]

Prints one table; nothing here asserts a timing. Each run-time benchmark is the same algorithm
written in Mesh (built with `meshc build --release`) and in C (`gcc -O2`), run `--repeat`
times each; the best time is reported with the ratio Mesh/C.
"""

from __future__ import annotations

import argparse
import os
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


def best_of(cmd: list[str], repeat: int, env: dict | None = None) -> tuple[float, str]:
    best = float("inf")
    out = ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
        best = min(best, elapsed)
        out = proc.stdout
    return best, out


def meshc_build(src_dir: Path, exe: Path, release: bool, env: dict | None = None) -> float:
    args = [*MESHC, "build", str(src_dir), "-o", str(exe)] + (["--release"] if release else [])
    t0 = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"meshc build failed: {proc.stderr[-3000:]}")
    return time.perf_counter() - t0


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
        cold = meshc_build(d, d / "out", release=False, env=cold_env)
        warm = min(meshc_build(d, d / "out", release=False, env=cold_env) for _ in range(repeat))
        print(f"  {name:<22} {nlines:>6} lines   cold {cold:7.2f} s ({nlines / cold:8.0f} lines/s)"
              f"   warm {warm:7.2f} s ({nlines / warm:8.0f} lines/s)")


def bench_run(tmp: Path, repeat: int, only: str | None) -> None:
    cc = shutil.which("gcc") or shutil.which("cc")
    print(f"run time (best of {repeat}; Mesh built with --release, C with {Path(cc).name} -O2)")
    print(f"  {'benchmark':<16} {'Mesh':>9} {'C':>9} {'Mesh/C':>7}")
    for name, (mesh_src, c_src, expected) in PROGRAMS.items():
        if only and only not in name:
            continue
        d = tmp / name.replace(" ", "_").replace("(", "").replace(")", "").replace("^", "")
        d.mkdir()
        (d / "main.mpl").write_text(mesh_src)
        (d / "prog.c").write_text(c_src)
        meshc_build(d, d / "mesh.exe", release=True)
        subprocess.run([cc, "-O2", "-o", str(d / "c.exe"), str(d / "prog.c")], check=True)
        t_mesh, out_mesh = best_of([str(d / "mesh.exe")], repeat)
        t_c, out_c = best_of([str(d / "c.exe")], repeat)
        note = ""
        if out_mesh != out_c or (expected is not None and out_mesh != expected):
            note = f"  OUTPUT DIFFERS: mesh={out_mesh!r} c={out_c!r}"
        print(f"  {name:<16} {t_mesh:8.3f}s {t_c:8.3f}s {t_mesh / t_c:6.2f}x{note}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", help="run only benchmarks whose name contains this")
    ap.add_argument("--skip-compile", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mesh-bench-") as t:
        tmp = Path(t)
        if not args.skip_compile and not args.only:
            bench_compile(tmp, args.repeat)
        bench_run(tmp, args.repeat, args.only)


if __name__ == "__main__":
    main()
