"""Actor benchmarks: Mesh side by side with Erlang/OTP and Go, in one run.

Writes the Mesh, Erlang and Go programs itself into a temporary directory,
builds them (meshc --release, erlc, go build), runs each once under
/usr/bin/time and prints a table of wall time and peak RSS. Missing peers
(erl/erlc, go) are skipped. Never asserts timings.

    .venv/bin/python tests/bench/bench_actors.py [--n-scale 1.0] [--only skynet,...] [--workers 1,2]

Mesh runs once per worker count (MESH_WORKERS; rows "mesh w1", "mesh w2").
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

MESH: dict[str, str] = {
    "spawn_exit": """
actor nop(x :: Int) do
  x
end

fn spawn_n(n :: Int) -> Int do
  if n <= 0 do
    0
  else
    spawn(nop, n)
    spawn_n(n - 1)
  end
end

fn main() do
  spawn_n(N)
  println("ok")
end
""",
    "idle": """
actor idle(x :: Int) do
  receive do
    m -> m + x
  end
end

fn spawn_n(n :: Int) -> Int do
  if n <= 0 do
    0
  else
    spawn(idle, n)
    spawn_n(n - 1)
  end
end

fn main() do
  spawn_n(N)
  Timer.sleep(100)
  println("ok")
end
""",
    "skynet": """
fn spawn_kids(me :: Pid<Int>, num :: Int, sub :: Int, i :: Int) -> Int do
  if i >= 10 do
    0
  else
    spawn(sky, me, num + i * sub, sub, 0, -1)
    spawn_kids(me, num, sub, i + 1)
  end
end

actor sky(parent :: Pid<Int>, num :: Int, size :: Int, acc :: Int, left :: Int) do
  if left < 0 do
    if size == 1 do
      send(parent, num)
    else
      sky(parent, num, size, spawn_kids(self(), num, size / 10, 0), 10)
    end
  else
    receive do
      n when left == 1 -> send(parent, acc + n)
      n -> sky(parent, num, size, acc + n, left - 1)
    end
  end
end

actor root(x :: Int) do
  spawn(sky, self(), 0, N, 0, -1)
  receive do
    total -> println("${total}")
  end
end

fn main() do
  spawn(root, 0)
end
""",
    "pingpong": """
fn reply(to :: Pid<Int>, n :: Int) -> Int do
  send(to, n)
  0
end

actor ponger(x :: Int) do
  receive do
    (from, n) -> ponger(reply(from, n))
  end
end

actor pinger(p :: Pid<(Pid<Int>, Int)>, i :: Int, n :: Int) do
  if i < n do
    send(p, (self(), i))
    receive do
      k -> pinger(p, i + 1, n)
    end
  else
    println("${i}")
  end
end

fn main() do
  let p = spawn(ponger, 0)
  spawn(pinger, p, 0, N)
end
""",
    "ring": """
type Msg do
  SetNext(Pid<Msg>)
  Token(Int)
end

fn fwd(next :: Pid<Msg>, k :: Int) -> Int do
  send(next, Token(k - 1))
  0
end

actor node(next :: Pid<Msg>, has_next :: Bool) do
  receive do
    SetNext(p) -> node(p, true)
    Token(k) when k <= 0 -> println("done")
    Token(k) -> node(next, fwd(next, k) == 0)
  end
end

fn build(next :: Pid<Msg>, i :: Int) -> Pid<Msg> do
  if i <= 0 do
    next
  else
    build(spawn(node, next, true), i - 1)
  end
end

actor starter(x :: Int) do
  let last = spawn(node, self(), false)
  let head = build(last, RING - 1)
  send(last, SetNext(head))
  send(head, Token(N))
end

fn main() do
  spawn(starter, 0)
end
""",
    "bintrees": """
type Tree do
  Leaf
  Node(Tree, Tree)
end

fn make(d :: Int) -> Tree do
  if d == 0 do
    Node(Leaf, Leaf)
  else
    Node(make(d - 1), make(d - 1))
  end
end

fn check(t :: Tree) -> Int do
  case t do
    Leaf -> 0
    Node(l, r) -> 1 + check(l) + check(r)
  end
end

fn loop(i :: Int, acc :: Int) -> Int do
  if i <= 0 do
    acc
  else
    loop(i - 1, acc + check(make(DEPTH)))
  end
end

actor worker(parent :: Pid<Int>) do
  send(parent, loop(ITERS, 0))
end

fn spawn_w(me :: Pid<Int>, i :: Int) -> Int do
  if i <= 0 do
    0
  else
    spawn(worker, me)
    spawn_w(me, i - 1)
  end
end

actor collect(acc :: Int, left :: Int) do
  receive do
    n when left == 1 -> println("${acc + n}")
    n -> collect(acc + n, left - 1)
  end
end

actor root(x :: Int) do
  spawn_w(self(), 100)
  collect(0, 100)
end

fn main() do
  spawn(root, 0)
end
""",
}

ERLANG = r"""
-module(b).
-export([main/1]).

main([Name, NS]) ->
    N = list_to_integer(NS),
    run(list_to_atom(Name), N),
    init:stop().

spawn_n(0, _F) -> ok;
spawn_n(K, F) -> spawn(F), spawn_n(K - 1, F).

run(spawn_exit, N) -> spawn_n(N, fun() -> ok end), io:format("ok~n");
run(idle, N) ->
    spawn_n(N, fun() -> receive _ -> ok end end),
    timer:sleep(100), io:format("ok~n");
run(skynet, N) ->
    Self = self(),
    spawn(fun() -> sky(Self, 0, N) end),
    receive T -> io:format("~p~n", [T]) end;
run(pingpong, N) ->
    P = spawn(fun pong/0),
    ping(P, 0, N), io:format("~p~n", [N]);
run(ring, N) ->
    Self = self(),
    Last = spawn(fun() -> node(undefined, Self) end),
    Head = build(Last, RINGSIZE - 1, Self),
    Last ! {next, Head},
    Head ! {token, N},
    receive done -> io:format("done~n") end;
run(bintrees, _N) ->
    Self = self(),
    [spawn(fun() -> Self ! loop(ITERS, 0) end) || _ <- lists:seq(1, 100)],
    io:format("~p~n", [collect(100, 0)]).

sky(Parent, Num, 1) -> Parent ! Num;
sky(Parent, Num, Size) ->
    Sub = Size div 10, Self = self(),
    [spawn(fun() -> sky(Self, Num + I * Sub, Sub) end) || I <- lists:seq(0, 9)],
    Parent ! sum(10, 0).
sum(0, Acc) -> Acc;
sum(K, Acc) -> receive X -> sum(K - 1, Acc + X) end.

pong() -> receive {From, I} -> From ! I, pong() end.
ping(_P, N, N) -> ok;
ping(P, I, N) -> P ! {self(), I}, receive _ -> ping(P, I + 1, N) end.

build(Next, 0, _Main) -> Next;
build(Next, K, Main) -> build(spawn(fun() -> node(Next, Main) end), K - 1, Main).
node(Next, Main) ->
    receive
        {next, P} -> node(P, Main);
        {token, K} when K =< 0 -> Main ! done;
        {token, K} -> Next ! {token, K - 1}, node(Next, Main)
    end.

make(0) -> {leaf, leaf};
make(D) -> {make(D - 1), make(D - 1)}.
check(leaf) -> 0;
check({L, R}) -> 1 + check(L) + check(R).
loop(0, Acc) -> Acc;
loop(I, Acc) -> loop(I - 1, Acc + check(make(DEPTH))).
collect(0, Acc) -> Acc;
collect(K, Acc) -> receive X -> collect(K - 1, Acc + X) end.
"""

GO = r"""
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func sky(parent chan<- int, num, size int) {
	if size == 1 {
		parent <- num
		return
	}
	c := make(chan int, 10)
	sub := size / 10
	for i := 0; i < 10; i++ {
		go sky(c, num+i*sub, sub)
	}
	s := 0
	for i := 0; i < 10; i++ {
		s += <-c
	}
	parent <- s
}

type tree struct{ l, r *tree }

func mk(d int) *tree {
	if d == 0 {
		return &tree{&tree{}, &tree{}}
	}
	return &tree{mk(d - 1), mk(d - 1)}
}
func check(t *tree) int {
	if t.l == nil {
		return 0
	}
	return 1 + check(t.l) + check(t.r)
}

func main() {
	n, _ := strconv.Atoi(os.Args[2])
	switch os.Args[1] {
	case "spawn_exit":
		done := make(chan struct{})
		for i := 0; i < n; i++ {
			go func() {}()
		}
		close(done)
		fmt.Println("ok")
	case "idle":
		chs := make([]chan int, n)
		for i := 0; i < n; i++ {
			c := make(chan int)
			chs[i] = c
			go func() { <-c }()
		}
		time.Sleep(100 * time.Millisecond)
		fmt.Println("ok")
	case "skynet":
		c := make(chan int, 1)
		go sky(c, 0, n)
		fmt.Println(<-c)
	case "pingpong":
		req, rep := make(chan int), make(chan int)
		go func() {
			for x := range req {
				rep <- x
			}
		}()
		for i := 0; i < n; i++ {
			req <- i
			<-rep
		}
		fmt.Println(n)
	case "ring":
		const size = RINGSIZE
		chs := make([]chan int, size)
		for i := range chs {
			chs[i] = make(chan int, 1)
		}
		done := make(chan struct{})
		for i := 0; i < size; i++ {
			in, out := chs[i], chs[(i+1)%size]
			go func() {
				for k := range in {
					if k <= 0 {
						close(done)
						return
					}
					out <- k - 1
				}
			}()
		}
		chs[0] <- n
		<-done
		fmt.Println("done")
	case "bintrees":
		c := make(chan int, 100)
		for w := 0; w < 100; w++ {
			go func() {
				acc := 0
				for i := 0; i < ITERS; i++ {
					acc += check(mk(DEPTH))
				}
				c <- acc
			}()
		}
		s := 0
		for w := 0; w < 100; w++ {
			s += <-c
		}
		fmt.Println(s)
	}
}
"""

RING = 10_000
DEPTH = 12
ITERS = 20


def sizes(scale: float) -> dict[str, int]:
    m = int(1_000_000 * scale)
    return {"spawn_exit": m, "idle": m, "skynet": 10 ** max(1, len(str(m)) - 1), "pingpong": m,
            "ring": m, "bintrees": 0}


def subst(src: str, n: int) -> str:
    return (src.replace("RINGSIZE", str(RING)).replace("RING", str(RING)).replace("DEPTH", str(DEPTH))
            .replace("ITERS", str(ITERS)).replace("N)", f"{n})").replace("N, ", f"{n}, "))


def subst_peer(src: str) -> str:
    return src.replace("RINGSIZE", str(RING)).replace("DEPTH", str(DEPTH)).replace("ITERS", str(ITERS))


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int, str] | str:
    """Wall seconds, CPU seconds (user + system), peak RSS in KiB and stdout of one run."""
    try:
        r = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", *cmd], cwd=cwd, capture_output=True,
                           text=True, timeout=600, env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        return "timeout"
    last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
    parts = last.split()
    if r.returncode != 0 or len(parts) != 4:
        return f"failed ({r.returncode}): {r.stderr.strip()[-200:]}"
    return float(parts[0]), float(parts[1]) + float(parts[2]), int(parts[3]), r.stdout.strip()


def build_all(tmp: Path, names: list[str], n: dict[str, int]) -> dict[str, dict[str, list[str] | str]]:
    cmds: dict[str, dict[str, list[str] | str]] = {name: {} for name in names}
    for name in names:
        d = tmp / "mesh" / name
        d.mkdir(parents=True)
        (d / "main.mpl").write_text(subst(MESH[name], n[name]))
        r = subprocess.run([str(MESHC), "build", "--release", ".", "-o", str(d / "prog")], cwd=d,
                           capture_output=True, text=True)
        cmds[name]["mesh"] = [str(d / "prog")] if r.returncode == 0 else f"build failed: {r.stderr[-300:]}"
    if shutil.which("erlc") and shutil.which("erl"):
        e = tmp / "erl"
        e.mkdir()
        (e / "b.erl").write_text(subst_peer(ERLANG))
        r = subprocess.run(["erlc", "b.erl"], cwd=e, capture_output=True, text=True)
        for name in names:
            cmds[name]["erlang"] = (["erl", "+P", "4000000", "-noshell", "-pa", str(e), "-run", "b", "main",
                                     name, str(n[name])] if r.returncode == 0 else f"erlc failed: {r.stdout[-300:]}")
    if shutil.which("go"):
        g = tmp / "go"
        g.mkdir()
        (g / "main.go").write_text(subst_peer(GO))
        env = dict(os.environ, GOCACHE=str(tmp / "gocache"), GO111MODULE="off")
        r = subprocess.run(["go", "build", "-o", "b", "main.go"], cwd=g, capture_output=True, text=True, env=env)
        for name in names:
            cmds[name]["go"] = [str(g / "b"), name, str(n[name])] if r.returncode == 0 else f"go failed: {r.stderr[-300:]}"
    return cmds


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-scale", type=float, default=1.0)
    ap.add_argument("--only", default="")
    ap.add_argument("--workers", default="1,2", help="MESH_WORKERS values to run Mesh with")
    args = ap.parse_args()
    workers = [w for w in args.workers.split(",") if w]
    names = [x for x in MESH if not args.only or x in args.only.split(",")]
    n = sizes(args.n_scale)
    with tempfile.TemporaryDirectory(prefix="bench-actors-") as t:
        tmp = Path(t)
        cmds = build_all(tmp, names, n)
        print(f"{'benchmark':<12} {'n':>9} {'impl':<7} {'time s':>8} {'cpu s':>7} {'peak MB':>9}  note")
        runs = [(f"mesh w{w}", "mesh", {"MESH_WORKERS": w}) for w in workers]
        runs += [("erlang", "erlang", {}), ("go", "go", {})]
        for name in names:
            for impl, key, env in runs:
                cmd = cmds[name].get(key)
                if cmd is None:
                    print(f"{name:<12} {n[name]:>9} {impl:<7} {'-':>8} {'-':>7} {'-':>9}  skipped (not installed)")
                    continue
                res = cmd if isinstance(cmd, str) else timed(cmd, tmp, env)
                if isinstance(res, str):
                    print(f"{name:<12} {n[name]:>9} {impl:<7} {'-':>8} {'-':>7} {'-':>9}  "
                          f"{res.splitlines()[0][:80] if res else ''}")
                    continue
                secs, cpu, kb, out = res
                note = out.splitlines()[-1][:30] if out else ""
                if name == "idle" and n[name]:
                    note += f"  {kb * 1024 / n[name]:.0f} B/actor"
                if name == "pingpong" and n[name]:
                    note += f"  {secs * 1e9 / n[name]:.0f} ns/round trip"
                print(f"{name:<12} {n[name]:>9} {impl:<7} {secs:>8.2f} {cpu:>7.2f} {kb / 1024:>9.1f}  {note}")
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
