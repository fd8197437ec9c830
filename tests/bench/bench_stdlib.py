"""Standard-library benchmarks: compiled Mesh against Python and (when `go` is installed) Go.

    .venv/bin/python tests/bench/bench_stdlib.py [--repeat N] [--only NAME]

Prints one table, best wall-clock time of `--repeat` runs per program (process start included);
nothing here asserts a timing. Every program prints a checksum that must agree across
languages. Peers that are not installed are skipped.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MESHC = [sys.executable, "-m", "toolchain.driver.cli"]
N = 1_000_000

# name -> {language: source}. The JSON programs read the document named by their first argument
# (Mesh: the file `doc.json` in the working directory).
PROGRAMS: dict[str, dict[str, str]] = {
    "map 1M inserts + lookups": {
        "mesh": """
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
""",
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
    "append 1M to a list": {
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
    "JSON parse + encode 10 MB": {
        "mesh": """
fn main() do
  case File.read("doc.json") do
    Ok(text) -> case JSON.parse(text) do
      Ok(j) -> println(Json.get(JSON.encode(j), "count"))
      Err(e) -> println(e)
    end
    Err(e) -> println(e)
  end
end
""",
        "python": """
import json
text = open("doc.json").read()
print(json.loads(json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False))["count"])
""",
        "go": """
package main
import ("encoding/json"; "fmt"; "os")
func main() {
	text, _ := os.ReadFile("doc.json")
	var v interface{}
	if err := json.Unmarshal(text, &v); err != nil { panic(err) }
	out, _ := json.Marshal(v)
	var w map[string]interface{}
	if err := json.Unmarshal(out, &w); err != nil { panic(err) }
	fmt.Println(w["count"])
}
""",
    },
    "10 MB string (join of 1M pieces)": {
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
    "string <> in a loop, 10k pieces (100 KB)": {
        "mesh": """
fn grow(s :: String, i :: Int) -> String do
  if i == 0 do
    s
  else
    grow(s <> "abcdefghij", i - 1)
  end
end

fn main() do
  println("${String.length(grow("", 10000))}")
end
""",
        "python": """
s = ""
for _ in range(10000):
    s = s + "abcdefghij"
print(len(s))
""",
        "go": """
package main
import "fmt"
func main() {
	s := ""
	for i := 0; i < 10000; i++ { s = s + "abcdefghij" }
	fmt.Println(len(s))
}
""",
    },
    "string <> in a loop, 20k pieces (200 KB)": {
        "mesh": """
fn grow(s :: String, i :: Int) -> String do
  if i == 0 do
    s
  else
    grow(s <> "abcdefghij", i - 1)
  end
end

fn main() do
  println("${String.length(grow("", 20000))}")
end
""",
        "python": """
s = ""
for _ in range(20000):
    s = s + "abcdefghij"
print(len(s))
""",
        "go": """
package main
import "fmt"
func main() {
	s := ""
	for i := 0; i < 20000; i++ { s = s + "abcdefghij" }
	fmt.Println(len(s))
}
""",
    },
}


def make_doc(path: Path, target: int = 10_000_000) -> None:
    items = []
    size = 0
    i = 0
    while size < target:
        item = {"id": i, "name": f"item number {i}", "price": i * 0.25 + 0.5, "ok": i % 3 == 0,
                "tags": ["alpha", "beta", f"t{i % 97}"], "nested": {"x": i, "y": [i, -i, None]}}
        size += len(json.dumps(item, separators=(",", ":")))
        items.append(item)
        i += 1
    path.write_text(json.dumps({"items": items, "count": len(items)}, indent=1))


def build(lang: str, src: str, work: Path) -> list[str] | None:
    if lang == "python":
        f = work / "prog.py"
        f.write_text(src)
        return [sys.executable, str(f)]
    if lang == "go":
        go = shutil.which("go")
        if go is None:
            return None
        f = work / "main.go"
        f.write_text(src)
        subprocess.run([go, "build", "-o", str(work / "prog_go"), str(f)], check=True, cwd=work,
                       env={**__import__("os").environ, "GOCACHE": str(work / ".gocache"), "GO111MODULE": "off"})
        return [str(work / "prog_go")]
    proj = work / "meshprog"
    proj.mkdir()
    (proj / "main.mpl").write_text(src)
    subprocess.run([*MESHC, "build", "--release", str(proj)], check=True, cwd=ROOT, capture_output=True)
    return [str(proj / "meshprog")]


def run(cmd: list[str], cwd: Path, repeat: int) -> tuple[float, str]:
    best = float("inf")
    out = ""
    for _ in range(repeat):
        t = time.perf_counter()
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
        best = min(best, time.perf_counter() - t)
        if p.returncode != 0:
            raise RuntimeError(f"{cmd} failed: {p.stderr[-500:]}")
        out = p.stdout.strip()
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default=None)
    args = ap.parse_args()
    langs = ["mesh", "python", "go"]
    print(f"{'benchmark':42} " + " ".join(f"{lang:>10}" for lang in langs) + "   mesh/go  mesh/py   output")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        make_doc(base / "doc.json")
        for name, srcs in PROGRAMS.items():
            if args.only and args.only not in name:
                continue
            times: dict[str, float] = {}
            outs: set[str] = set()
            for lang in langs:
                work = base / f"{abs(hash(name))}_{lang}"
                work.mkdir()
                shutil.copy(base / "doc.json", work / "doc.json")
                cmd = build(lang, srcs[lang], work)
                if cmd is None:
                    continue
                times[lang], out = run(cmd, work, args.repeat)
                outs.add(out.replace(" ", "/"))
            cells = " ".join(f"{times[lang]:>9.3f}s" if lang in times else f"{'-':>10}" for lang in langs)
            rg = f"{times['mesh'] / times['go']:>8.2f}x" if "go" in times else f"{'-':>9}"
            rp = f"{times['mesh'] / times['python']:>7.2f}x"
            agree = next(iter(outs)) if len(outs) == 1 else f"MISMATCH {sorted(outs)}"
            print(f"{name:42} {cells} {rg} {rp}   {agree}", flush=True)


if __name__ == "__main__":
    main()
