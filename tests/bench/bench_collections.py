"""Collection benchmarks: compiled Mesh (release build) against Python and Go.

    .venv/bin/python tests/bench/bench_collections.py [--repeat N] [--only SUBSTR] [--timeout S]

Every workload is written three times (Mesh, Python, Go); each program prints a checksum that
must agree across languages. Each program runs under `/usr/bin/time -f "%U %S %M"`: the table
shows CPU time (user + system, so other jobs on a shared machine distort it much less than wall
time would) and peak RSS (maximum resident set size) of the best of `--repeat` runs. Build time
is not measured. Peers that are not installed (`go`) are skipped; a run that exceeds `--timeout`
seconds is reported as such (a quadratic workload). Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MESHC = ROOT / ".venv" / "bin" / "meshc"
LANGS = ("mesh", "python", "go")

_INT_MAP_MESH = """
fn fill(m :: Map<Int, Int>, i :: Int, n :: Int) -> Map<Int, Int> do
  if i >= n do
    m
  else
    fill(Map.put(m, i * 7919 % 1000003, i), i + 1, n)
  end
end

fn look(m :: Map<Int, Int>, i :: Int, n :: Int, acc :: Int) -> Int do
  if i >= n do
    acc
  else
    look(m, i + 1, n, acc + Map.get(m, i * 7919 % 1000003))
  end
end

fn main() do
  let m = fill(Map.new(), 0, 1000000)
  println("${Map.size(m)} ${look(m, 0, 1000000, 0)}")
end
"""

PROGRAMS: dict[str, dict[str, str]] = {
    "Map<Int,Int> 1M put + 1M get": {
        "mesh": _INT_MAP_MESH,
        "python": """
m = {}
for i in range(1000000):
    m[i * 7919 % 1000003] = i
acc = 0
for i in range(1000000):
    acc += m[i * 7919 % 1000003]
print(len(m), acc)
""",
        "go": """
package main
import "fmt"
func main() {
	m := map[int64]int64{}
	for i := int64(0); i < 1000000; i++ { m[i*7919%1000003] = i }
	acc := int64(0)
	for i := int64(0); i < 1000000; i++ { acc += m[i*7919%1000003] }
	fmt.Println(len(m), acc)
}
""",
    },
    "Map<String,Int> 200k put + get": {
        "mesh": """
fn fill(m :: Map<String, Int>, i :: Int, n :: Int) -> Map<String, Int> do
  if i >= n do
    m
  else
    fill(Map.put(m, "key${i}", i), i + 1, n)
  end
end

fn look(m :: Map<String, Int>, i :: Int, n :: Int, acc :: Int) -> Int do
  if i >= n do
    acc
  else
    look(m, i + 1, n, acc + Map.get(m, "key${i}"))
  end
end

fn main() do
  let m = fill(Map.new(), 0, 200000)
  println("${Map.size(m)} ${look(m, 0, 200000, 0)}")
end
""",
        "python": """
m = {}
for i in range(200000):
    m[f"key{i}"] = i
acc = 0
for i in range(200000):
    acc += m[f"key{i}"]
print(len(m), acc)
""",
        "go": """
package main
import ("fmt"; "strconv")
func main() {
	m := map[string]int64{}
	for i := int64(0); i < 200000; i++ { m["key"+strconv.FormatInt(i, 10)] = i }
	acc := int64(0)
	for i := int64(0); i < 200000; i++ { acc += m["key"+strconv.FormatInt(i, 10)] }
	fmt.Println(len(m), acc)
}
""",
    },
    "Map 500k put then delete all": {
        "mesh": """
fn fill(m :: Map<Int, Int>, i :: Int, n :: Int) -> Map<Int, Int> do
  if i >= n do
    m
  else
    fill(Map.put(m, i * 7919 % 1000003, i), i + 1, n)
  end
end

fn drain(m :: Map<Int, Int>, i :: Int, n :: Int) -> Map<Int, Int> do
  if i >= n do
    m
  else
    drain(Map.delete(m, i * 7919 % 1000003), i + 1, n)
  end
end

fn main() do
  let m = fill(Map.new(), 0, 500000)
  let e = drain(m, 0, 500000)
  println("${Map.size(m)} ${Map.size(e)}")
end
""",
        "python": """
m = {}
for i in range(500000):
    m[i * 7919 % 1000003] = i
e = dict(m)
for i in range(500000):
    del e[i * 7919 % 1000003]
print(len(m), len(e))
""",
        "go": """
package main
import "fmt"
func main() {
	m := map[int64]int64{}
	for i := int64(0); i < 500000; i++ { m[i*7919%1000003] = i }
	e := map[int64]int64{}
	for k, v := range m { e[k] = v }
	for i := int64(0); i < 500000; i++ { delete(e, i*7919%1000003) }
	fmt.Println(len(m), len(e))
}
""",
    },
    "Set 1M add + contains": {
        "mesh": """
fn fill(s :: Set, i :: Int, n :: Int) -> Set do
  if i >= n do
    s
  else
    fill(Set.add(s, i * 7919 % 1000003), i + 1, n)
  end
end

fn count(s :: Set, i :: Int, n :: Int, acc :: Int) -> Int do
  if i >= n do
    acc
  else
    if Set.contains(s, i) do
      count(s, i + 1, n, acc + 1)
    else
      count(s, i + 1, n, acc)
    end
  end
end

fn main() do
  let s = fill(Set.new(), 0, 1000000)
  println("${Set.size(s)} ${count(s, 0, 1000000, 0)}")
end
""",
        "python": """
s = set()
for i in range(1000000):
    s.add(i * 7919 % 1000003)
acc = 0
for i in range(1000000):
    if i in s:
        acc += 1
print(len(s), acc)
""",
        "go": """
package main
import "fmt"
func main() {
	s := map[int64]struct{}{}
	for i := int64(0); i < 1000000; i++ { s[i*7919%1000003] = struct{}{} }
	acc := 0
	for i := int64(0); i < 1000000; i++ { if _, ok := s[i]; ok { acc++ } }
	fmt.Println(len(s), acc)
}
""",
    },
    "sort 1M Ints": {
        "mesh": """
fn gen(xs :: List<Int>, i :: Int, x :: Int) -> List<Int> do
  if i == 0 do
    xs
  else
    gen(List.append(xs, x % 1000000), i - 1, (x * 1103515245 + 12345) % 2147483648)
  end
end

fn main() do
  let xs = gen([], 1000000, 42)
  let s = List.sort(xs, fn a, b -> a - b end)
  println("${List.get(s, 0)} ${List.get(s, 500000)} ${List.get(s, 999999)}")
end
""",
        "python": """
xs = []
x = 42
for _ in range(1000000):
    xs.append(x % 1000000)
    x = (x * 1103515245 + 12345) % 2147483648
s = sorted(xs)
print(s[0], s[500000], s[999999])
""",
        "go": """
package main
import ("fmt"; "sort")
func main() {
	xs := []int64{}
	x := int64(42)
	for i := 0; i < 1000000; i++ { xs = append(xs, x%1000000); x = (x*1103515245 + 12345) % 2147483648 }
	sort.Slice(xs, func(a, b int) bool { return xs[a] < xs[b] })
	fmt.Println(xs[0], xs[500000], xs[999999])
}
""",
    },
    "List.append 1M one at a time": {
        "mesh": """
fn build(xs :: List<Int>, i :: Int, n :: Int) -> List<Int> do
  if i >= n do
    xs
  else
    build(List.append(xs, i), i + 1, n)
  end
end

fn main() do
  let xs = build([], 0, 1000000)
  println("${List.length(xs)} ${List.get(xs, 999999)}")
end
""",
        "python": """
xs = []
for i in range(1000000):
    xs.append(i)
print(len(xs), xs[999999])
""",
        "go": """
package main
import "fmt"
func main() {
	xs := []int64{}
	for i := int64(0); i < 1000000; i++ { xs = append(xs, i) }
	fmt.Println(len(xs), xs[999999])
}
""",
    },
    "10 MB string: s <> piece, 1M times": {
        "mesh": """
fn grow(s :: String, i :: Int) -> String do
  if i == 0 do
    s
  else
    grow(s <> "abcdefghij", i - 1)
  end
end

fn main() do
  println("${String.length(grow("", 1000000))}")
end
""",
        "python": """
s = ""
for _ in range(1000000):
    s = s + "abcdefghij"
print(len(s))
""",
        "go": """
package main
import "fmt"
func main() {
	s := ""
	for i := 0; i < 1000000; i++ { s = s + "abcdefghij" }
	fmt.Println(len(s))
}
""",
    },
    "10 MB string: String.join of 1M": {
        "mesh": """
fn pieces(xs :: List<String>, i :: Int) -> List<String> do
  if i == 0 do
    xs
  else
    pieces(List.append(xs, "abcdefghij"), i - 1)
  end
end

fn main() do
  let s = String.join(pieces([], 1000000), "")
  println("${String.length(s)}")
end
""",
        "python": """
xs = []
for _ in range(1000000):
    xs.append("abcdefghij")
print(len("".join(xs)))
""",
        "go": """
package main
import ("fmt"; "strings")
func main() {
	var b strings.Builder
	for i := 0; i < 1000000; i++ { b.WriteString("abcdefghij") }
	fmt.Println(len(b.String()))
}
""",
    },
}


def build(lang: str, src: str, work: Path) -> list[str] | None:
    work.mkdir(parents=True, exist_ok=True)
    if lang == "python":
        (work / "prog.py").write_text(src)
        return [sys.executable, str(work / "prog.py")]
    if lang == "go":
        go = shutil.which("go")
        if go is None:
            return None
        (work / "main.go").write_text(src)
        env = {**os.environ, "GOCACHE": str(work.parent / ".gocache"), "GO111MODULE": "off"}
        subprocess.run([go, "build", "-o", str(work / "prog_go"), "main.go"], check=True, cwd=work, env=env)
        return [str(work / "prog_go")]
    proj = work / "meshprog"
    proj.mkdir(exist_ok=True)
    (proj / "main.mpl").write_text(src)
    p = subprocess.run([str(MESHC), "build", str(proj), "--release"], cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"meshc build failed:\n{p.stdout}\n{p.stderr}")
    return [str(proj / "meshprog")]


def run(cmd: list[str], cwd: Path, repeat: int, timeout: float) -> tuple[float, int, str] | None:
    """Best (cpu seconds, peak RSS KiB, stdout) of `repeat` runs; None on timeout."""
    best: tuple[float, int, str] | None = None
    for _ in range(repeat):
        tf = cwd / "time.txt"
        try:
            p = subprocess.run(["/usr/bin/time", "-o", str(tf), "-f", "%U %S %M", *cmd], cwd=cwd,
                               capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        if p.returncode != 0:
            raise RuntimeError(f"{cmd} failed ({p.returncode}): {p.stderr[-500:]}")
        user, system, rss = tf.read_text().split()[-3:]
        cpu = float(user) + float(system)
        if best is None or cpu < best[0]:
            best = (cpu, int(rss), p.stdout.strip())
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default=None, help="run the workloads whose name contains this")
    ap.add_argument("--timeout", type=float, default=60.0)
    args = ap.parse_args()
    print(f"CPU seconds (user+sys, best of {args.repeat}) and peak RSS (MiB); ratio = mesh / peer CPU")
    head = f"{'workload':38} " + " ".join(f"{lang:>15}" for lang in LANGS)
    print(head + "  mesh/go mesh/py  checksum")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for idx, (name, srcs) in enumerate(PROGRAMS.items()):
            if args.only and args.only not in name:
                continue
            res: dict[str, tuple[float, int, str] | None] = {}
            for lang in LANGS:
                work = base / f"w{idx}_{lang}"
                cmd = build(lang, srcs[lang], work)
                if cmd is None:
                    continue
                res[lang] = run(cmd, work, args.repeat, args.timeout)
            cells = []
            for lang in LANGS:
                if lang not in res:
                    cells.append(f"{'-':>15}")
                elif res[lang] is None:
                    cells.append(f"{f'>{args.timeout:g}s':>15}")
                else:
                    cpu, rss, _ = res[lang]  # type: ignore[misc]
                    cells.append(f"{cpu:>7.2f}s {rss / 1024:>5.0f}M")

            def ratio(peer: str, res: dict[str, tuple[float, int, str] | None] = res) -> str:
                a, b = res.get("mesh"), res.get(peer)
                if a is None or b is None:
                    return f"{'-':>7}"
                return f"{a[0] / max(b[0], 0.005):>6.2f}x"

            outs = {r[2].replace(" ", "/") for r in res.values() if r is not None}
            agree = next(iter(outs)) if len(outs) == 1 else f"MISMATCH {sorted(outs)}"
            print(f"{name:38} {' '.join(cells)}  {ratio('go')} {ratio('python')}  {agree}", flush=True)


if __name__ == "__main__":
    main()
