"""Our own Mesh programs compiled through parse -> check -> lower -> codegen and run."""

from __future__ import annotations

from pathlib import Path

import pytest
from lower_util import lower_source, run_source

from toolchain.lower import mir

PROGRAMS = Path(__file__).parent / "programs"
NAMES = sorted(p.stem for p in PROGRAMS.glob("*.mpl"))
PANICS = {"divzero": "division by zero"}


@pytest.mark.parametrize("name", NAMES)
def test_program(name: str, tmp_path: Path) -> None:
    src = (PROGRAMS / f"{name}.mpl").read_text()
    expected = (PROGRAMS / f"{name}.out").read_text()
    r = run_source(src, tmp_path)
    assert r.stdout == expected
    if name in PANICS:
        assert r.returncode == 1
        assert PANICS[name] in r.stderr
    else:
        assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("name", ["loops", "closures", "advanced", "actors"])
def test_program_o2_gc_stress(name: str, tmp_path: Path) -> None:
    """-O2 code under a collection at every allocation prints the same."""
    src = (PROGRAMS / f"{name}.mpl").read_text()
    r = run_source(src, tmp_path, opt_level=2, gc_stress=True)
    assert r.stdout == (PROGRAMS / f"{name}.out").read_text()


def test_self_tail_call_is_a_loop(tmp_path: Path) -> None:
    src = """
fn count(n :: Int, acc :: Int) -> Int do
  if n == 0 do
    acc
  else
    count(n - 1, acc + 1)
  end
end

fn main() do
  println("${count(3, 0)}")
end
"""
    prog = lower_source(src, tmp_path)
    f = prog.function("Main__count")
    text = mir.format_function(f)
    assert "call Main__count" not in text
    assert "jump top (backedge)" in text


def test_generic_function_is_monomorphized(tmp_path: Path) -> None:
    src = """
fn identity<T>(x :: T) -> T do
  x
end

fn main() do
  println(identity("s"))
  println("${identity(1)}")
end
"""
    prog = lower_source(src, tmp_path)
    names = [f.name for f in prog.functions if f.name.startswith("Main__identity")]
    assert len(names) == 2
    rets = sorted(str(prog.function(n).ret) for n in names)
    assert rets == ["i64", "ptr"]


def test_case_on_sum_type_switches_on_tag(tmp_path: Path) -> None:
    src = """
type Shape do
  Circle(Int)
  Square(Int)
  Dot
end

fn size(s :: Shape) -> Int do
  case s do
    Circle(r) -> r
    Square(w) when w > 10 -> 10
    Square(w) -> w
    _ -> 0
  end
end

fn main() do
  println("${size(Square(3))}")
end
"""
    prog = lower_source(src, tmp_path)
    text = mir.format_function(prog.function("Main__size"))
    assert "switch %t" in text
    assert text.count(" = tag ") == 1


ACTOR_DECLS = """
#ifndef MESH_TEST_ACTOR_H
#define MESH_TEST_ACTOR_H
#include "rt.h"
MeshInt mesh_actor_spawn(MeshCtx *ctx, MeshClosure *body);
MeshInt mesh_actor_self(MeshCtx *ctx);
void mesh_actor_send(MeshCtx *ctx, MeshInt pid, MeshTypeId type_id, MeshSlot msg);
MeshBool mesh_actor_receive(MeshCtx *ctx, MeshClosure *accept, MeshInt timeout_ms);
MeshSlot mesh_actor_received(MeshCtx *ctx);
MeshSlot mesh_service_call(MeshCtx *ctx, MeshInt pid, MeshTypeId req_type, MeshSlot req);
void mesh_service_cast(MeshCtx *ctx, MeshInt pid, MeshTypeId req_type, MeshSlot req);
MeshObj *mesh_service_next(MeshCtx *ctx);
void mesh_service_reply(MeshCtx *ctx, MeshTypeId reply_type, MeshSlot reply);
MeshObj *mesh_supervisor_new(MeshCtx *ctx, MeshInt strategy, MeshInt max_restarts, MeshInt max_seconds);
void mesh_supervisor_add_child(MeshCtx *ctx, MeshObj *spec, MeshString *id, MeshClosure *start,
                               MeshInt restart, MeshInt shutdown_ms, MeshInt child_type);
MeshInt mesh_supervisor_start(MeshCtx *ctx, MeshObj *spec);
#endif
"""


def _with_requested_abi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the header parser at a copy of the headers that also declares the functions
    requested in abi.md (until the runtime provides them)."""
    import shutil

    from toolchain.codegen.rtdecls import include_dir

    inc = tmp_path / "inc"
    shutil.copytree(include_dir(), inc)
    (inc / "mesh" / "zz_actor_test.h").write_text(ACTOR_DECLS)
    umbrella = inc / "mesh" / "mesh.h"
    if umbrella.exists():
        umbrella.write_text(umbrella.read_text().replace('#include "rt.h"', '#include "rt.h"\n#include "zz_actor_test.h"', 1))
    monkeypatch.setenv("MESH_RUNTIME_INCLUDE", str(inc))


def test_actor_lowering_against_requested_abi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Actors lower to the functions requested in abi.md (IR only, nothing is linked)."""
    from toolchain import codegen

    _with_requested_abi(tmp_path, monkeypatch)
    src = """
actor counter(n :: Int) do
  receive do
    k when k > n -> counter(n + k)
    0 -> println("final ${n}")
    k -> counter(n - k)
  after 100 -> println("timeout")
  end
end

fn main() do
  let p = spawn(counter, 5)
  send(p, 10)
  send(p, 0)
end
"""
    prog = lower_source(src, tmp_path)
    body = mir.format_function(prog.function("Main__counter"))
    assert "rt mesh_actor_receive(" in body and "call Main__counter" not in body  # the loop is a jump
    main = mir.format_function(prog.function("Main__main"))
    assert "rt mesh_actor_spawn(" in main and main.count("rt mesh_actor_send(") == 2
    assert "mesh_actor_received" in codegen.emit_ir(prog)


def test_service_lowering_against_requested_abi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolchain import codegen

    _with_requested_abi(tmp_path, monkeypatch)
    src = """
service Acc do
  fn init(start :: Int) -> Int do
    start
  end

  call Add(n :: Int) :: Int do |state|
    (state + n, state + n)
  end

  cast Reset() do |_state|
    0
  end
end

fn main() do
  let pid = Acc.start(1)
  println("${Acc.add(pid, 2)}")
  Acc.reset(pid)
end
"""
    prog = lower_source(src, tmp_path)
    loop = mir.format_function(prog.function("Main__Acc$loop"))
    assert "rt mesh_service_next()" in loop and "rt mesh_service_reply(" in loop
    assert "jump top (backedge)" in loop
    main = mir.format_function(prog.function("Main__main"))
    assert "rt mesh_service_call(" in main and "rt mesh_service_cast(" in main
    codegen.emit_ir(prog)


def test_supervisor_lowering_against_requested_abi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolchain import codegen

    _with_requested_abi(tmp_path, monkeypatch)
    src = """
actor worker() do
  receive do
    msg -> println("got")
  end
end

supervisor Sup do
  strategy: one_for_all
  max_restarts: 2
  max_seconds: 10

  child w1 do
    start: fn -> spawn(worker) end
    restart: transient
    shutdown: 100
  end
end

fn main() do
  let s = spawn(Sup)
  println("started")
end
"""
    prog = lower_source(src, tmp_path)
    main = mir.format_function(prog.function("Main__main"))
    assert "rt mesh_supervisor_new(1, 2, 10)" in main
    assert 'rt mesh_supervisor_add_child(%sup' in main and 'str "w1"' in main and ", 1, 100, 0)" in main
    assert "rt mesh_supervisor_start(" in main
    codegen.emit_ir(prog)


def test_scalar_module_constants_are_folded(tmp_path: Path) -> None:
    """A module constant of literal arithmetic is used as a literal (no call per use); heap
    constants keep their initialiser function; truncating division matches the runtime's."""
    src = """
let limit = 10 * 1000 + 7
let name = "mesh"
let ratio = 1.5 * 2.0
let neg = -7 / 2
let negrem = -7 % 2
let big = limit > 10000
let xs = [1, 2, 3]

fn main() do
  println("${limit} ${name} ${ratio} ${neg} ${negrem} ${big} ${List.length(xs)}")
end
"""
    prog = lower_source(src, tmp_path)
    names = {f.name for f in prog.functions}
    assert not any(n.endswith("$const") and "xs" not in n for n in names), names
    assert any(n.endswith("xs$const") for n in names)
    r = run_source(src, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "10007 mesh 3 -3 -1 true 3\n"


def test_constant_division_by_zero_still_panics(tmp_path: Path) -> None:
    src = """
let zero = 0
let bad = 10 / zero

fn main() do
  println("before")
  println("${bad}")
end
"""
    r = run_source(src, tmp_path)
    assert r.stdout == "before\n"
    assert r.returncode == 1
    assert "division by zero" in r.stderr


def test_decision_tree_switches_on_nested_patterns_and_later_columns(tmp_path: Path) -> None:
    src = (PROGRAMS / "decision_trees.mpl").read_text()
    prog = lower_source(src, tmp_path)
    nested = mir.format_function(prog.function("Main__nested"))
    assert nested.count("switch ") == 2, nested  # Option tag, then the inner Option's tag
    pick = mir.format_function(prog.function("Main__pick"))
    assert "switch %p1" in pick, pick  # the second parameter's literals 0 and 1
    pairs = mir.format_function(prog.function("Main__pair_opts"))
    assert pairs.count("switch ") >= 3, pairs  # first tuple item, then the second in each case


def test_known_closure_calls_become_direct_at_o2(tmp_path: Path) -> None:
    """The closure code-pointer load is invariant, so at -O2 a call of a lambda whose object was
    made in view (here after inlining apply_n) is direct and inlined: no indirect call remains."""
    src = """
fn apply_n(f :: Fun(Int) -> Int, n :: Int, acc :: Int) -> Int do
  if n == 0 do
    acc
  else
    apply_n(f, n - 1, f(acc))
  end
end

fn main() do
  let k = 3
  let add = fn x -> (x + k) % 1000 end
  println("${apply_n(add, 1001, 0)}")
  println("${add(5)}")
end
"""
    r = run_source(src, tmp_path, opt_level=2)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "3\n8\n"
    ir_text = (tmp_path / "main.ll").read_text()
    main = ir_text[ir_text.index("define void @mesh_main"):]
    main = main[:main.index("\n}")]
    assert "call i64 %" not in main, main
