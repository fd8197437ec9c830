"""The linearity pass (toolchain/lower/linear.py): which updates become owned, which stay."""

from __future__ import annotations

from pathlib import Path

from lower_util import lower_source

from toolchain.lower import linear, mir
from toolchain.lower.mir import Ty


def _calls(prog: mir.Program, fn: str) -> list[str]:
    f = prog.function(fn)
    return [ins.fn for b in f.blocks for ins in b.instrs if isinstance(ins, mir.CallRuntime)]


def test_loop_carried_map_set_and_string_become_owned(tmp_path: Path) -> None:
    src = """
fn fill(m :: Map<Int, Int>, i :: Int) -> Map<Int, Int> do
  if i == 0 do
    m
  else
    fill(Map.put(m, i, Map.get(m, i - 1) + 1), i - 1)
  end
end

fn drain(s :: Set<Int>, i :: Int) -> Set<Int> do
  if i == 0 do
    s
  else
    drain(Set.remove(Set.add(s, i + 100), i), i - 1)
  end
end

fn grow(s :: String, i :: Int) -> String do
  if i == 0 do
    s
  else
    grow(s <> "x", i - 1)
  end
end

fn main() do
  println("${Map.size(fill(Map.new(), 3))} ${Set.size(drain(Set.new(), 3))} ${grow("", 3)}")
end
"""
    prog = lower_source(src, tmp_path)
    fill = _calls(prog, "Main__fill")
    assert "mesh_map_put_owned" in fill and "mesh_map_put" not in fill
    assert fill[0] == "mesh_session_token"  # one token, made on entry
    drain = _calls(prog, "Main__drain")
    assert "mesh_set_add_owned" in drain and "mesh_set_remove_owned" in drain
    assert "mesh_string_append_owned" in _calls(prog, "Main__grow")
    # main's interpolation is a straight-line chain: left alone
    main = _calls(prog, "Main__main")
    assert "mesh_session_token" not in main and "mesh_string_append_owned" not in main


def test_versions_used_again_stay_persistent(tmp_path: Path) -> None:
    src = """
fn kept(m :: Map<Int, Int>, i :: Int, acc :: List<Map<Int, Int>>) -> List<Map<Int, Int>> do
  if i == 0 do
    acc
  else
    let m2 = Map.put(m, i, i)
    kept(m2, i - 1, List.append(acc, m2))
  end
end

fn read_after(m :: Map<Int, Int>, i :: Int, acc :: Int) -> Int do
  if i == 0 do
    acc
  else
    let m2 = Map.put(m, i, i)
    read_after(m2, i - 1, acc + Map.size(m))
  end
end

fn passed_on(m :: Map<Int, Int>, i :: Int) -> Map<Int, Int> do
  if i == 0 do
    m
  else
    passed_on(Map.put(ident(m), i, i), i - 1)
  end
end

fn ident(m :: Map<Int, Int>) -> Map<Int, Int> do
  m
end

fn twice(s :: String, i :: Int) -> String do
  if i == 0 do
    s
  else
    twice(s <> s, i - 1)
  end
end

fn main() do
  println("${kept(Map.new(), 2, [])} ${read_after(Map.new(), 2, 0)} ${passed_on(Map.new(), 2)} ${twice("a", 2)}")
end
"""
    prog = lower_source(src, tmp_path)
    for fn in ("Main__read_after", "Main__twice", "Main__passed_on"):
        calls = _calls(prog, fn)
        assert "mesh_session_token" not in calls, fn
        assert not any(c.endswith("_owned") for c in calls), fn
    # kept stores every version of the map in acc: its puts stay persistent (acc, only ever
    # appended to, is owned)
    kept = _calls(prog, "Main__kept")
    assert "mesh_map_put" in kept and "mesh_map_put_owned" not in kept


def _loop(body: list[mir.Instr], carried: mir.Var, exit_uses_result: bool = True) -> mir.Function:
    """fn(m): entry -> top: <body>; br c, top (backedge), done; done: ret m"""
    f = mir.Function("f", [carried], Ty.PTR)
    c = mir.Var(900, "c", Ty.I1)
    f.blocks = [
        mir.Block("entry", [], mir.Jump("top")),
        mir.Block("top", [*body, mir.Assign(c, mir.i1(True))], mir.Branch(c, "back", "done")),
        mir.Block("back", [], mir.Jump("top", backedge=True)),
        mir.Block("done", [], mir.Return(carried if exit_uses_result else None)),
    ]
    return f


def test_escape_into_an_object_blocks_the_rewrite() -> None:
    m = mir.Var(1, "m", Ty.PTR)
    t = mir.Var(2, "t", Ty.PTR)
    box = mir.Var(3, "box", Ty.PTR)
    put = mir.CallRuntime(t, "mesh_map_put", [m, mir.i64(1), mir.i64(2)])
    ok = _loop([put, mir.Assign(m, t)], m)
    assert linear.rewrite_function(ok) == {put}
    assert put.fn == "mesh_map_put_owned" and len(put.args) == 4

    put2 = mir.CallRuntime(t, "mesh_map_put", [m, mir.i64(1), mir.i64(2)])
    stored = _loop([put2, mir.Alloc(box, 70, int(mir.Kind.TUPLE), [t]), mir.Assign(m, t)], m)
    assert linear.rewrite_function(stored) == set()
    assert put2.fn == "mesh_map_put"


def test_copy_kept_alive_blocks_the_rewrite() -> None:
    m = mir.Var(1, "m", Ty.PTR)
    old = mir.Var(2, "old", Ty.PTR)
    t = mir.Var(3, "t", Ty.PTR)
    n = mir.Var(4, "n", Ty.I64)
    put = mir.CallRuntime(t, "mesh_map_put", [m, mir.i64(1), mir.i64(2)])
    # old = m; t = put(m); n = size(old)  -> the old version is read after the update
    f = _loop([mir.Assign(old, m), put, mir.CallRuntime(n, "mesh_map_size", [old]), mir.Assign(m, t)], m)
    assert linear.rewrite_function(f) == set()
    # reading before the update is fine
    put2 = mir.CallRuntime(t, "mesh_map_put", [m, mir.i64(1), mir.i64(2)])
    g = _loop([mir.Assign(old, m), mir.CallRuntime(n, "mesh_map_size", [old]), put2, mir.Assign(m, t)], m)
    assert linear.rewrite_function(g) == {put2}


def test_product_as_second_argument_of_its_own_update_blocks_it() -> None:
    s = mir.Var(1, "s", Ty.PTR)
    t = mir.Var(2, "t", Ty.PTR)
    cat = mir.CallRuntime(t, "mesh_string_concat", [s, s])
    f = _loop([cat, mir.Assign(s, t)], s)
    assert linear.rewrite_function(f) == set()


def test_list_appends_in_a_loop_become_owned_unless_a_version_is_kept(tmp_path: Path) -> None:
    src = """
fn build(xs :: List<Int>, i :: Int) -> List<Int> do
  if i == 0 do
    xs
  else
    build(List.append(xs, i + List.length(xs)), i - 1)
  end
end

fn snapshots(xs :: List<Int>, keep :: List<List<Int>>, i :: Int) -> List<List<Int>> do
  if i == 0 do
    keep
  else
    snapshots(List.append(xs, i), List.append(keep, xs), i - 1)
  end
end

fn main() do
  println("${List.length(build([], 3))} ${List.length(snapshots([], [], 3))}")
end
"""
    prog = lower_source(src, tmp_path)
    build = _calls(prog, "Main__build")
    assert "mesh_list_append_owned" in build and "mesh_list_append" not in build
    snaps = _calls(prog, "Main__snapshots")
    # each version of xs is stored in keep: its appends stay persistent; keep's own appends are
    # owned (keep is only ever appended to)
    assert snaps.count("mesh_list_append") == 1 and snaps.count("mesh_list_append_owned") == 1
