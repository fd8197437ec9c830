"""Type-checker scaling benchmark.

    .venv/bin/python tests/bench/bench_typecheck.py [--functions 2000] [--impls 200] [--repeat 1]

Generates one Mesh program with N functions and N/10 trait impls (structs deriving Eq/Display,
an interface with a default method, generic trait-bounded functions, sum types with `case`,
pipes, closures and method dot-syntax), parses it once, and type-checks it at 1x, 2x and 4x
size. Check time is the process's CPU time (robust on a shared, loaded machine); parse
time is wall time. Parsing goes through the compiler's parse cache (the first run of a size parses, later
runs load the pickled tree). Prints the best check time and the time per function; the cost per function should stay
roughly flat (linear growth). Parsing is excluded: this measures `check_program` only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from toolchain import syntax  # noqa: E402, F401  (initialise the parser package first)
from toolchain.check import check_program  # noqa: E402
from toolchain.check.typed import ParsedModule  # noqa: E402
from toolchain.driver.project import ModuleFile, parse_module  # noqa: E402

MODULE = ModuleFile("Main", Path("main.mpl"), "main.mpl", True)

PRELUDE = """
interface Area do
  fn area(self) -> Int
  fn describe(self) -> String do
    "area"
  end
end

type Tag do
  Small
  Big(Int)
  Named(String, Int)
end deriving(Eq, Display)

fn tag_weight(t :: Tag) -> Int do
  case t do
    Small -> 1
    Big(n) -> n
    Named(_, n) -> n + 1
  end
end

fn total_area<T>(xs :: List<T>) -> Int where T: Area do
  List.reduce(xs, 0, fn(acc, x) -> acc + x.area() end)
end
"""


def impl_block(i: int) -> str:
    return f"""
struct Shape{i} do
  w :: Int
  h :: Int
end deriving(Eq, Display)

impl Area for Shape{i} do
  fn area(self) -> Int do
    self.w * self.h + {i}
  end
end
"""


def function(i: int, impls: int) -> str:
    s = i % impls
    kind = i % 5
    if kind == 0:
        return f"""
fn f{i}(x :: Int) -> Int do
  let s = Shape{s} {{ w: x, h: {i} }}
  let t = Shape{s} {{ w: x, h: {i} }}
  if s == t do s.area() + total_area([s, t]) else 0 end
end
"""
    if kind == 1:
        return f"""
fn f{i}(x :: Int) -> String do
  let xs = [x, x + 1, x + {i}]
  let ys = xs |> List.map(fn(v) -> v * 2 end) |> List.filter(fn(v) -> v > {i % 7} end)
  "${{List.length(ys)}}-${{Shape{s} {{ w: x, h: 1 }}}}"
end
"""
    if kind == 2:
        return f"""
fn f{i}(n :: Int) -> Int do
  let t = if n > {i} do Big(n) else Named("k{i}", n) end
  case t do
    Small -> 0
    Big(v) -> tag_weight(t) + v
    Named(name, v) -> String.length(name) + v
  end
end
"""
    if kind == 3:
        return f"""
fn f{i}<T>(x :: T, y :: T) -> Bool where T: Eq do
  x == y
end
"""
    return f"""
fn f{i}(x :: Int) -> Option<Int> do
  let m = Map.new() |> Map.put("a", x) |> Map.put("b", {i})
  if Map.has_key(m, "a") do
    Some(Map.get(m, "b") + f{i}_helper(x))
  else
    None
  end
end

fn f{i}_helper(x :: Int) -> Int do
  x * {i}
end
"""


def program(functions: int, impls: int) -> str:
    parts = [PRELUDE]
    parts += [impl_block(i) for i in range(impls)]
    parts += [function(i, impls) for i in range(functions)]
    calls = "\n".join(f"  let _ = f{i}(1)" for i in range(0, functions, 5))
    parts.append(f"\nfn main() do\n{calls}\n  println(\"ok\")\nend\n")
    return "".join(parts)


def count_functions(src: str) -> int:
    return sum(1 for line in src.splitlines() if line.startswith("fn "))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--functions", type=int, default=2000)
    ap.add_argument("--impls", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--scales", default="1,2,4")
    args = ap.parse_args()
    print(f"{'scale':>5} {'fns':>7} {'impls':>6} {'lines':>7} {'parse s':>8} {'check s':>8} {'us/fn':>8}")
    for scale in (int(x) for x in args.scales.split(",")):
        n, k = args.functions * scale, args.impls * scale
        src = program(n, k)
        t0 = time.perf_counter()
        parse_module(MODULE, src)  # through the compiler's on-disk parse cache
        parse_s = time.perf_counter() - t0
        best = float("inf")
        for _ in range(args.repeat):
            # The checker annotates the AST in place: a fresh tree (from the cache) each time.
            fresh = parse_module(MODULE, src)
            t0 = time.process_time()
            check_program([ParsedModule("Main", "main.mpl", fresh, True)])
            best = min(best, time.process_time() - t0)
        fns = count_functions(src)
        print(f"{scale:>5} {fns:>7} {k:>6} {src.count(chr(10)):>7} {parse_s:>8.2f} {best:>8.3f} "
              f"{best / fns * 1e6:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
