"""Parse-speed benchmark (not collected by pytest): `python tests/syntax/bench_parse.py [--memo]`.

Prints lines/second (CPU time) for a generated program of about 10k lines and, when the
reference mirror is present, for the Mesher sources read from it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

MIRROR = Path("/work/.mirror/snowdamiz+mesh-lang/repo")

UNIT = '''\
## Doc for item {i}.
pub struct Rec{i} do
  id :: Int
  name :: String
  tags :: List<String>
end deriving(Eq, Display)

type Shape{i} do
  Circle(Float)
  Rect(w :: Float, h :: Float)
end

fn area{i}(s :: Shape{i}) -> Float do
  case s do
    Circle(r) -> 3.14 * r * r
    Rect(w, h) when w > 0.0 -> w * h
    _ -> 0.0
  end
end

fn fib{i}(0) = 0
fn fib{i}(1) = 1
fn fib{i}(n) = fib{i}(n - 1) + fib{i}(n - 2)

pub fn process{i}(items :: List<Int>, name :: String) -> String!String do
  let total = items
    |> List.filter(fn x -> x > {i} end)
    |> List.map(fn x do
      let y = x * 2 + 1
      y % 7
    end)
    |> List.reduce(0, fn acc, x -> acc + x end)
  let rec = Rec{i} {{ id: total, name: name, tags: ["a", "b"] }}
  let m = %{{"total" => total, "idx" => {i}}}
  if total > 100 and String.length(name) > 0 do
    Ok("big ${{rec.name}}: ${{Map.get(m, "total")}}")
  else if total == 0 do
    Err("empty")
  else
    for x in items when x > 1 do
      println("item ${{x}}")
    end
    Ok("small")
  end
end
'''


def generated_program(units: int = 200) -> str:
    return "\n".join(UNIT.format(i=i) for i in range(units))


def mesher_sources() -> dict[str, str]:
    if not MIRROR.exists():
        return {}
    names = subprocess.run(
        ["git", "-C", str(MIRROR), "ls-tree", "-r", "--name-only", "HEAD", "mesher"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    return {
        n: subprocess.run(
            ["git", "-C", str(MIRROR), "show", f"HEAD:{n}"], check=True, capture_output=True, text=True
        ).stdout
        for n in names
        if n.endswith(".mpl")
    }


def measure(label: str, texts: dict[str, str]) -> None:
    from toolchain.syntax import parse_file

    lines = sum(t.count("\n") + 1 for t in texts.values())
    start = time.process_time()
    for path, text in texts.items():
        parse_file(path, text)
    cpu = time.process_time() - start
    print(f"{label}: {lines} lines in {cpu:.2f} s CPU = {lines / cpu:,.0f} lines/s")


def main() -> None:
    from toolchain.syntax import metamodel

    metamodel.MEMOIZATION = "--memo" in sys.argv
    metamodel.get_metamodel()
    print(f"memoization: {'on' if metamodel.MEMOIZATION else 'off'}")
    measure("generated program", {"generated.mpl": generated_program()})
    mesher = mesher_sources()
    if mesher:
        measure("mesher sources", mesher)


if __name__ == "__main__":
    main()
