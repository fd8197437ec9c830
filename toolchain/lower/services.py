"""Services (`service S do init / call / cast end`) on the runtime's service primitives.

Protocol (runtime functions requested in docs/internals/abi.md):
- a request is a variant object of a synthetic sum type with one variant per handler (its
  arguments as fields), sent with `mesh_service_call` (waits for the reply, returns its slot) or
  `mesh_service_cast`;
- the server process runs `S$loop(state)`: `mesh_service_next` returns the next request, the
  handler body runs inline, a call answers with `mesh_service_reply`, and the loop continues with
  the new state (a back-edge, so the loop runs in constant stack);
- `S.start(args)` spawns a closure that evaluates `init` and enters the loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolchain.check.typed import TTuple, Type
from toolchain.lower import mir
from toolchain.lower.mir import FunctionBuilder, Kind, Ty, i64
from toolchain.lower.types import FIRST_USER, LowerError, mty
from toolchain.syntax import ast as A

if TYPE_CHECKING:
    from toolchain.lower.lowering import FnLowerer, Lowerer


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0 and not name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


class ServiceInfo:
    def __init__(self, lw: Lowerer, key: str, sdef: A.ServiceDef) -> None:
        self.lw = lw
        self.key = key
        self.sdef = sdef
        self.handlers = {_snake(h.name): (i, h) for i, h in enumerate(sdef.handlers)}
        self.state_t: Type = self._state_type()
        self.req_tid = self._request_type()
        self.loop_name = f"{key}$loop"
        self.loop_built = False

    def _state_type(self) -> Type:
        for h in self.sdef.handlers:
            if h.state.ty is not None:
                return h.state.ty
        if self.sdef.init is not None and self.sdef.init.body is not None and self.sdef.init.body.ty is not None:
            return self.sdef.init.body.ty
        return TTuple(())

    def param_types(self, h: A.ServiceHandler) -> list[Type]:
        return [p.pattern.ty for p in h.params]

    def reply_type(self, h: A.ServiceHandler) -> Type:
        bt = h.body.ty
        if h.kind == "call" and isinstance(bt, TTuple) and len(bt.items) == 2:
            return bt.items[1]
        return TTuple(())

    def _request_type(self) -> int:
        tt = self.lw.types
        new_id = FIRST_USER + len(tt.descs)
        d = mir.TypeDesc(new_id, f"{self.sdef.name}$request", int(Kind.VARIANT))
        tt.descs.append(d)
        d.variants = [mir.VariantDesc(h.name, [None] * len(h.params), [tt.tid(t) for t in self.param_types(h)])
                      for h in self.sdef.handlers]
        return new_id

    def build_loop(self) -> None:
        if self.loop_built:
            return
        self.loop_built = True
        from toolchain.lower.lowering import FnCtx, FnLowerer

        fb = FunctionBuilder(self.loop_name, [("state", mty(self.state_t))], Ty.UNIT)
        ctx = FnCtx(fb, TTuple(()))
        fl = FnLowerer(self.lw, ctx, {}, 0)
        caller_span, self.lw.cur_span = self.lw.cur_span, self.sdef.span  # built from a start call
        state = fb.params[0]
        top = fb.new_block("top")
        fb.jump(top)
        fb.set_block(top)
        req = fb.var("req", Ty.PTR)
        fb.emit(mir.CallRuntime(req, "mesh_service_next", []))
        tag = fb.tmp(Ty.I64)
        fb.emit(mir.GetTag(tag, req))
        blocks = [fb.new_block("handler") for _ in self.sdef.handlers]
        bad = fb.new_block("bad_request")
        fb.term(mir.Switch(tag, [(i, b.label) for i, b in enumerate(blocks)], bad.label))
        fb.set_block(bad)
        fb.term(mir.Panic("service received an unknown request"))
        for i, (h, blk) in enumerate(zip(self.sdef.handlers, blocks, strict=True)):
            fb.set_block(blk)
            fail = fb.new_block("handler_nomatch")
            for j, (p, pt) in enumerate(zip(h.params, self.param_types(h), strict=True)):
                fv = fb.var("arg", mty(pt))
                if fv.ty is not Ty.UNIT:
                    fb.emit(mir.GetField(fv, req, j))
                fl.match_pat(p.pattern, fv, pt, fail)
            fl.match_pat(h.state, state, self.state_t, fail)
            v = fl.expr(h.body)
            if not fb.terminated:
                if h.kind == "call":
                    new_state = fb.var("new_state", mty(self.state_t))
                    rt = self.reply_type(h)
                    reply = fb.var("reply", mty(rt))
                    if new_state.ty is not Ty.UNIT:
                        fb.emit(mir.GetField(new_state, v, 0))
                    if reply.ty is not Ty.UNIT:
                        fb.emit(mir.GetField(reply, v, 1))
                    fb.emit(mir.CallRuntime(None, "mesh_service_reply", [i64(fl.tid(rt)), reply]))
                    if state.ty is not Ty.UNIT:
                        fb.emit(mir.Assign(state, new_state))
                elif state.ty is not Ty.UNIT:
                    fb.emit(mir.Assign(state, v))
            fb.jump(top, backedge=True)
            fb.set_block(fail)
            fb.term(mir.Panic(f"service handler {h.name}: argument pattern did not match"))
            del i
        self.lw.add_function(fb.fn)
        self.lw.cur_span = caller_span

    def start(self, fl: FnLowerer, args: list[mir.Operand], arg_types: list[Type]) -> mir.Operand:
        from toolchain.lower.lowering import FnCtx, FnLowerer

        fl.need_rt("mesh_actor_spawn")
        self.build_loop()
        self.lw.lambda_n += 1
        name = f"{self.key}$start{self.lw.lambda_n}"
        fb = FunctionBuilder(name, [("self", Ty.PTR)], Ty.UNIT, abi="closure")
        ctx = FnCtx(fb, self.state_t)
        sub = FnLowerer(self.lw, ctx, {}, 0)
        init = self.sdef.init
        vals = []
        for i, t in enumerate(arg_types):
            v = fb.var("a", mty(t))
            if v.ty is not Ty.UNIT:
                fb.emit(mir.GetField(v, fb.params[0], 1 + i))
            vals.append(v)
        if init is not None and init.body is not None:
            fail = fb.new_block("init_nomatch")
            for p, v, t in zip(init.params, vals, arg_types, strict=True):
                sub.match_pat(p.pattern, v, t, fail)
            state = sub.expr(init.body)
            ok = fb.new_block("init_ok")
            fb.jump(ok)
            fb.set_block(fail)
            fb.term(mir.Panic("service init: argument pattern did not match"))
            fb.set_block(ok)
        else:
            state = mir.unit()
        fb.emit(mir.Call(None, self.loop_name, [state]))
        fb.ret()
        self.lw.add_function(fb.fn)
        clo = fl.fb.tmp(Ty.PTR)
        fl.fb.emit(mir.MakeClosure(clo, name, args, self.lw.types.closure_type(arg_types)))
        return fl.rt("mesh_actor_spawn", [clo], Ty.I64)

    def request(self, fl: FnLowerer, name: str, args: list[mir.Operand], ret: Type) -> mir.Operand:
        """A call, a cast, or `try_<call>` (the call returning Result<reply, String> instead of
        panicking the caller when it fails)."""
        try_form = name not in self.handlers and name.startswith("try_") and name[4:] in self.handlers
        if try_form:
            name = name[4:]
        if name not in self.handlers:
            raise LowerError(f"service {self.sdef.name} has no handler {name}")
        idx, h = self.handlers[name]
        self.build_loop()
        req = fl.fb.tmp(Ty.PTR)
        fl.fb.emit(mir.Alloc(req, self.req_tid, int(Kind.VARIANT), list(args[1:]), idx))
        if try_form:
            fl.need_rt("mesh_service_try_call")
            return fl.rt("mesh_service_try_call", [args[0], i64(self.req_tid), req, i64(fl.tid(ret))], Ty.PTR)
        if h.kind == "call":
            fl.need_rt("mesh_service_call")
            return fl.rt("mesh_service_call", [args[0], i64(self.req_tid), req], mty(ret))
        fl.need_rt("mesh_service_cast")
        fl.rt("mesh_service_cast", [args[0], i64(self.req_tid), req], Ty.UNIT)
        return mir.unit()


def service_builtin(fl: FnLowerer, name: str, args: list[mir.Operand], arg_types: list[Type], ret: Type
                    ) -> mir.Operand:
    """BuiltinRef `service:<Key>.<fn>`."""
    key, _, fn = name[len("service:"):].rpartition(".")
    lw = fl.lw
    svc = lw.service(key)
    if fn == "start":
        return svc.start(fl, args, arg_types)
    return svc.request(fl, fn, args, ret)
