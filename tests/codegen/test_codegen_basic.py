"""Hand-built MIR programs: IR generation always; build, link and run when the runtime exists."""

from __future__ import annotations

from pathlib import Path

from cg_util import build_and_run

from toolchain import codegen
from toolchain.lower import mir
from toolchain.lower.mir import FunctionBuilder, Ty, i64


def println(fb: FunctionBuilder, s: mir.Operand) -> None:
    fb.rt("mesh_io_println", [s], Ty.UNIT)


def print_int(fb: FunctionBuilder, v: mir.Operand) -> None:
    println(fb, fb.rt("mesh_int_to_string", [v], Ty.PTR))


def sum_loop() -> mir.Function:
    fb = FunctionBuilder("Main__sum", [("n", Ty.I64)], Ty.I64)
    n = fb.params[0]
    acc = fb.var("acc", Ty.I64)
    i = fb.var("i", Ty.I64)
    fb.emit(mir.Assign(acc, i64(0)))
    fb.emit(mir.Assign(i, i64(0)))
    head, body, done = fb.new_block("head"), fb.new_block("body"), fb.new_block("done")
    fb.jump(head)
    fb.set_block(head)
    fb.branch(fb.binop("lt", i, n, Ty.I1), body, done)
    fb.set_block(body)
    fb.emit(mir.BinOp(acc, "add", acc, i))
    fb.emit(mir.BinOp(i, "add", i, i64(1)))
    fb.jump(head, backedge=True)
    fb.set_block(done)
    fb.ret(acc)
    return fb.fn


def tail_countdown() -> mir.Function:
    """fn count(n, acc) = if n == 0 then acc else count(n - 1, acc + 1), as a self-tail-call loop."""
    fb = FunctionBuilder("Main__count", [("n", Ty.I64), ("acc", Ty.I64)], Ty.I64)
    n, acc = fb.params
    top = fb.new_block("top")
    fb.jump(top)
    fb.set_block(top)
    z, rec = fb.new_block("zero"), fb.new_block("rec")
    fb.branch(fb.binop("eq", n, i64(0), Ty.I1), z, rec)
    fb.set_block(z)
    fb.ret(acc)
    fb.set_block(rec)
    a = fb.binop("sub", n, i64(1), Ty.I64)
    b = fb.binop("add", acc, i64(1), Ty.I64)
    fb.emit(mir.Assign(n, a))
    fb.emit(mir.Assign(acc, b))
    fb.jump(top, backedge=True)
    return fb.fn


def closure_prog() -> list[mir.Function]:
    # lambda x -> x + k  (k captured)
    lam = FunctionBuilder("Main__lambda1", [("self", Ty.PTR), ("x", Ty.I64)], Ty.I64, abi="closure")
    selfv, x = lam.params
    k = lam.var("k", Ty.I64)
    lam.emit(mir.GetField(k, selfv, 1))
    lam.ret(lam.binop("add", x, k, Ty.I64))
    # named function used as a value
    dbl = FunctionBuilder("Main__double", [("x", Ty.F64)], Ty.F64)
    dbl.ret(dbl.binop("mul", dbl.params[0], mir.f64(2.0), Ty.F64))
    return [lam.fn, dbl.fn]


def main_fn() -> mir.Function:
    m = FunctionBuilder("Main__main", [], Ty.UNIT)
    println(m, mir.StrConst("hello, world"))
    print_int(m, m.call("Main__sum", [i64(1000)], Ty.I64))
    print_int(m, m.call("Main__count", [i64(10_000_000), i64(0)], Ty.I64))
    c = m.var("c", Ty.PTR)
    m.emit(mir.MakeClosure(c, "Main__lambda1", [i64(40)], 0))
    r = m.var("r", Ty.I64)
    m.emit(mir.CallClosure(r, c, [i64(2)]))
    print_int(m, r)
    d = m.var("d", Ty.F64)
    m.emit(mir.CallClosure(d, mir.FnRef("Main__double"), [mir.f64(1.25)]))
    println(m, m.rt("mesh_float_to_string", [d], Ty.PTR))
    t = m.var("t", Ty.PTR)
    m.emit(mir.Alloc(t, 18, mir.Kind.TUPLE, [i64(7), mir.i1(True)]))
    tag = m.var("flag", Ty.I1)
    m.emit(mir.GetField(tag, t, 1))
    yes, no, join = m.new_block("yes"), m.new_block("no"), m.new_block("join")
    m.branch(tag, yes, no)
    m.set_block(yes)
    println(m, mir.StrConst("flag set"))
    m.jump(join)
    m.set_block(no)
    println(m, mir.StrConst("flag clear"))
    m.jump(join)
    m.set_block(join)
    q = m.binop("rem", i64(-7), i64(3), Ty.I64)
    print_int(m, q)
    q2 = m.binop("div", i64(7), i64(0), Ty.I64)
    print_int(m, q2)
    m.ret()
    return m.fn


def program() -> mir.Program:
    return mir.Program([sum_loop(), tail_countdown(), *closure_prog(), main_fn()], [], "Main__main")


EXPECTED = "hello, world\n499500\n10000000\n42\n2.5\nflag set\n-1\n"


def test_mir_prints() -> None:
    text = mir.format_program(program())
    assert "fn Main__count(%n.1: i64, %acc.2: i64) -> i64 {" in text
    assert "jump top (backedge)" in text
    assert "call_closure &Main__double(2.5)" not in text
    assert "%c.1 = closure Main__lambda1 [40]" in text or "closure Main__lambda1 [40]" in text


def test_ir_generation() -> None:
    ir_text = codegen.emit_ir(program())
    assert "define i32 @\"main\"" in ir_text or "define i32 @main" in ir_text
    assert "mesh_rt_main" in ir_text
    assert "mesh_yield" in ir_text and "mesh_alloc_slow" in ir_text


def test_run_o0(tmp_path: Path) -> None:
    r = build_and_run(program(), tmp_path)
    assert r.stdout == EXPECTED
    assert r.returncode == 1
    assert "division by zero" in r.stderr


def test_run_o2(tmp_path: Path) -> None:
    r = build_and_run(program(), tmp_path, opt_level=2)
    assert r.stdout == EXPECTED
    assert r.returncode == 1
