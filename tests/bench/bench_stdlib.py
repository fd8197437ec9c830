"""Standard-library benchmarks: compiled Mesh (release build) side by side with Go and Python.

    .venv/bin/python tests/bench/bench_stdlib.py [--repeat N] [--only SUBSTR] [--timeout S]
                                                 [--meshc PATH]

Every workload is written three times (Mesh, Go, Python) and each program prints a checksum that
must agree across languages (the last column; MISMATCH otherwise). Each program runs under
`/usr/bin/time`: the table shows CPU time (user + system; a shared machine distorts it much less
than wall time) and peak RSS of the best of `--repeat` runs. Build time is not measured. Peers
that are not installed (`go`) are skipped; a run that exceeds `--timeout` seconds is reported as
such (a quadratic workload would be). Nothing here asserts a timing. `--meshc` selects another
compiler (e.g. an older checkout's `python -m toolchain.driver.cli` wrapper) for comparisons.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MESHC = str(ROOT / ".venv" / "bin" / "meshc")
LANGS = ("mesh", "go", "python")

# name -> {language: source}. The JSON programs read `doc.json` from their working directory.
PROGRAMS: dict[str, dict[str, str]] = {
    "Map<Int,Int> 1M inserts then lookups": {
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
    "Map<String,Int> 1M inserts then lookups": {
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
  let m = fill(Map.new(), 0, 1000000)
  println("${Map.size(m)} ${look(m, 0, 1000000, 0)}")
end
""",
        "python": """
m = {}
for i in range(1000000):
    m[f"key{i}"] = i
acc = 0
for i in range(1000000):
    acc += m[f"key{i}"]
print(len(m), acc)
""",
        "go": """
package main
import ("fmt"; "strconv")
func main() {
	m := map[string]int64{}
	for i := int64(0); i < 1000000; i++ { m["key"+strconv.FormatInt(i, 10)] = i }
	acc := int64(0)
	for i := int64(0); i < 1000000; i++ { acc += m["key"+strconv.FormatInt(i, 10)] }
	fmt.Println(len(m), acc)
}
""",
    },
    # lookups in an order unrelated to insertion (a map's order vector is not read sequentially)
    "Map<Int,Int> 1M inserts then random-order lookups": {
        "mesh": """
fn fill(m :: Map<Int, Int>, i :: Int, n :: Int) -> Map<Int, Int> do
  if i >= n do
    m
  else
    fill(Map.put(m, i * 7919 % 1000003, i), i + 1, n)
  end
end

fn look(m :: Map<Int, Int>, i :: Int, x :: Int, acc :: Int) -> Int do
  if i == 0 do
    acc
  else
    look(m, i - 1, (x * 1103515245 + 12345) % 2147483648, acc + Map.get(m, x % 1000000 * 7919 % 1000003))
  end
end

fn main() do
  let m = fill(Map.new(), 0, 1000000)
  println("${Map.size(m)} ${look(m, 1000000, 42, 0)}")
end
""",
        "python": """
m = {}
for i in range(1000000):
    m[i * 7919 % 1000003] = i
acc = 0
x = 42
for _ in range(1000000):
    acc += m[x % 1000000 * 7919 % 1000003]
    x = (x * 1103515245 + 12345) % 2147483648
print(len(m), acc)
""",
        "go": """
package main
import "fmt"
func main() {
	m := map[int64]int64{}
	for i := int64(0); i < 1000000; i++ { m[i*7919%1000003] = i }
	acc := int64(0)
	x := int64(42)
	for i := 0; i < 1000000; i++ {
		acc += m[x%1000000*7919%1000003]
		x = (x*1103515245 + 12345) % 2147483648
	}
	fmt.Println(len(m), acc)
}
""",
    },
    # the fill phase of the two workloads above alone (their lookup phase = the difference)
    "Map<Int,Int> 1M inserts only": {
        "mesh": """
fn fill(m :: Map<Int, Int>, i :: Int, n :: Int) -> Map<Int, Int> do
  if i >= n do
    m
  else
    fill(Map.put(m, i * 7919 % 1000003, i), i + 1, n)
  end
end

fn main() do
  let m = fill(Map.new(), 0, 1000000)
  println("${Map.size(m)} ${Map.get(m, 7919)}")
end
""",
        "python": """
m = {}
for i in range(1000000):
    m[i * 7919 % 1000003] = i
print(len(m), m[7919])
""",
        "go": """
package main
import "fmt"
func main() {
	m := map[int64]int64{}
	for i := int64(0); i < 1000000; i++ { m[i*7919%1000003] = i }
	fmt.Println(len(m), m[7919])
}
""",
    },
    "Set 1M adds then contains": {
        "mesh": """
fn fill(s :: Set<Int>, i :: Int, n :: Int) -> Set<Int> do
  if i >= n do
    s
  else
    fill(Set.add(s, i * 7919 % 1000003), i + 1, n)
  end
end

fn count(s :: Set<Int>, i :: Int, n :: Int, acc :: Int) -> Int do
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
    "Set 1M adds only": {
        "mesh": """
fn fill(s :: Set<Int>, i :: Int, n :: Int) -> Set<Int> do
  if i >= n do
    s
  else
    fill(Set.add(s, i * 7919 % 1000003), i + 1, n)
  end
end

fn main() do
  let s = fill(Set.new(), 0, 1000000)
  println("${Set.size(s)} ${Set.contains(s, 7919)}")
end
""",
        "python": """
s = set()
for i in range(1000000):
    s.add(i * 7919 % 1000003)
print(len(s), "true" if 7919 in s else "false")
""",
        "go": """
package main
import "fmt"
func main() {
	s := map[int64]struct{}{}
	for i := int64(0); i < 1000000; i++ { s[i*7919%1000003] = struct{}{} }
	_, ok := s[7919]
	fmt.Println(len(s), ok)
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
    "build a 1M list by appending": {
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
    # each language's idiomatic way to build a string piece by piece (Go's s + x would be quadratic)
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
  let s = grow("", 1000000)
  println("${String.length(s)} ${String.slice(s, 4999995, 5000005)}")
end
""",
        "python": """
def main():
    s = ""
    for _ in range(1000000):
        s += "abcdefghij"  # in place (CPython resizes a string nobody else references)
    print(len(s), s[4999995:5000005])
main()
""",
        "go": """
package main
import ("fmt"; "strings")
func main() {
	var b strings.Builder
	for i := 0; i < 1000000; i++ { b.WriteString("abcdefghij") }
	s := b.String()
	fmt.Println(len(s), s[4999995:5000005])
}
""",
    },
    "JSON parse + encode + parse 10 MB": {
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


# ───────────────────────────────── peer runner ─────────────────────────────────


def build(lang: str, src: str, work: Path, meshc: list[str]) -> list[str] | None:
    """Write and compile one program in `work`; the command that runs it (None: peer missing)."""
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
    p = subprocess.run([*meshc, "build", str(proj), "--release"], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"meshc build failed:\n{p.stdout}\n{p.stderr}")
    return [str(proj / "meshprog")]


def run(cmd: list[str], cwd: Path, repeat: int, timeout: float) -> tuple[float, int, str] | None:
    """Best (CPU seconds, peak RSS KiB, stdout) of `repeat` runs; None on timeout."""
    best: tuple[float, int, str] | None = None
    for _ in range(repeat):
        tf = cwd / "time.txt"
        # its own session, so that a timeout kills the program too, not only /usr/bin/time
        p = subprocess.Popen(["/usr/bin/time", "-o", str(tf), "-f", "%U %S %M", *cmd], cwd=cwd,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            return None
        if p.returncode != 0:
            raise RuntimeError(f"{cmd} failed ({p.returncode}): {err[-500:]}")
        user, system, rss = tf.read_text().split()[-3:]
        cpu = float(user) + float(system)
        if best is None or cpu < best[0]:
            best = (cpu, int(rss), out.strip())
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default=None, help="run the workloads whose name contains this")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--meshc", default=MESHC, help="compiler command (split like a shell word list)")
    args = ap.parse_args()
    meshc = shlex.split(args.meshc)
    print(f"CPU seconds (user+sys, best of {args.repeat}) and peak RSS (MiB); ratio = mesh CPU / peer CPU")
    head = f"{'workload':40} " + " ".join(f"{lang:>15}" for lang in LANGS)
    print(head + "  mesh/go mesh/py  checksum", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        make_doc(base / "doc.json")
        for idx, (name, srcs) in enumerate(PROGRAMS.items()):
            if args.only and args.only not in name:
                continue
            res: dict[str, tuple[float, int, str] | None] = {}
            for lang in LANGS:
                work = base / f"w{idx}_{lang}"
                cmd = build(lang, srcs[lang], work, meshc)
                if cmd is None:
                    continue
                shutil.copy(base / "doc.json", work / "doc.json")
                res[lang] = run(cmd, work, args.repeat, args.timeout)
            cells = []
            for lang in LANGS:
                r = res.get(lang, "absent")
                if r == "absent":
                    cells.append(f"{'-':>15}")
                elif r is None:
                    cells.append(f"{f'>{args.timeout:g}s':>15}")
                else:
                    cpu, rss, _ = r  # type: ignore[misc]
                    cells.append(f"{cpu:>7.2f}s {rss / 1024:>5.0f}M")

            def ratio(peer: str, res: dict[str, tuple[float, int, str] | None] = res) -> str:
                a, b = res.get("mesh"), res.get(peer)
                if a is None or b is None:
                    return f"{'-':>7}"
                return f"{a[0] / max(b[0], 0.005):>6.2f}x"

            outs = {r[2].replace(" ", "/") for r in res.values() if r is not None}
            agree = next(iter(outs)) if len(outs) == 1 else f"MISMATCH {sorted(outs)}"
            print(f"{name:40} {' '.join(cells)}  {ratio('go')} {ratio('python')}  {agree}", flush=True)


if __name__ == "__main__":
    main()
