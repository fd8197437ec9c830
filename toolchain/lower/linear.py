"""Linearity pass: persistent updates whose input is never seen again become in-place updates.

`Map.put(m, k, v)` in a loop path-copies the trie on every iteration, `s <> x` copies the
whole string, so building a 10 MB string one piece at a time is quadratic, and `List.append`
allocates a new list value per element. The runtime offers
*owned* variants (`mesh_map_put_owned`, `mesh_string_append_owned`, ...) that take a session
token: objects created by an owned operation carry the token, and later owned operations with
the same token update them in place; anything else (objects from outside the session) is
copied first, so the result is always right. This pass, one walk over each MIR function after
lowering, decides where the owned variants are safe and rewrites those calls.

The rule
--------
Call a *candidate* an updating runtime call (`mesh_map_put/delete`, `mesh_set_add/remove`,
`mesh_string_concat`, `mesh_list_append`: the keys of `UPDATES`) and its result a *product*.
Values are tracked by their *origins* (the instruction that made them; a copy `a = b` gives `a` the origins of `b`,
and a variable assigned on several paths, such as a loop-carried parameter, gets the union).
A set C of candidates is rewritten when every use of a variable that may hold a product of a
candidate in C is one of:
  - a copy into another variable;
  - a *read*: an argument position of `READS` (`Map.get`, `Map.size`, `String.length`, the
    second operand of `<>`, ...), functions that return nothing that shares structure with the
    argument;
  - the first argument of a candidate in C, at which point the variable and every variable
    that may hold the same value are dead (not live after the call), and no other argument of
    the call may hold it;
  - `return` (the session ends with the function).
Anything else (an argument of another function or closure, a field of a new object, a capture,
a message, a non-owned update, ...) is an escape: the candidates whose products escape are
removed from C and the check repeats until nothing changes (a greatest fixed point). Finally
only the candidates on a cycle are kept: those whose product can come back to their own input
through candidates in C, i.e. the updates of a loop-carried value (a straight-line chain such
as an interpolation gains little, and dropping a candidate whose product feeds no kept
candidate and that receives no product cannot break the rule for the others; the two steps
repeat until neither removes anything). The function then gets one token,
made in its entry block (`mesh_session_token`), and the calls in C become their owned variants.

Soundness (sketch)
------------------
An owned operation only mutates objects carrying its token, i.e. objects created by owned
operations of the same function activation (tokens are never reused; every activation makes
its own). Call such objects *session objects*; they are reachable only from products. Claim:
when a candidate in C runs, no session object reachable from its input can be observed later
except through its result. Products are never stored anywhere but in variables (escapes are
excluded), so they are reachable only from variables holding them; reads return values that
share no session object with the map or string read (keys, values, counts, fresh strings), and
those values were not stored into session objects by owned operations either, since an owned
update stores its key/value arguments, not its input. At the call, every variable that may hold
the input is dead, so after it nothing reads the old version; the input is not another argument
of the same call, so the call itself does not read it mid-update. A product leaves the function
only by `return`, after which its activation's token is never used again, so outside the
activation it is an ordinary immutable value. Values that are not products (parameters, fields,
results of other calls) hold no session object of this activation, as products never flow
into them; an owned operation on them copies before writing. Origins over-approximate the
values a variable may hold (loop iterations share origins), which only makes the dead-variable
and escape conditions stricter.
"""

from __future__ import annotations

from collections.abc import Iterable

from toolchain.lower import mir
from toolchain.lower.mir import Ty

# updating runtime function -> its owned variant (same arguments, then the token)
UPDATES: dict[str, str] = {
    "mesh_map_put": "mesh_map_put_owned",
    "mesh_map_delete": "mesh_map_delete_owned",
    "mesh_set_add": "mesh_set_add_owned",
    "mesh_set_remove": "mesh_set_remove_owned",
    "mesh_string_concat": "mesh_string_append_owned",
    "mesh_list_append": "mesh_list_append_owned",
}

# runtime function -> argument positions that only read the value there (the result shares no
# part of it)
READS: dict[str, frozenset[int]] = {
    **{fn: frozenset({0}) for fn in (
        "mesh_map_get", "mesh_map_has_key", "mesh_map_size", "mesh_map_lookup", "mesh_map_keys",
        "mesh_map_values", "mesh_map_to_list", "mesh_map_key_at", "mesh_map_value_at",
        "mesh_set_contains", "mesh_set_size", "mesh_set_to_list", "mesh_set_element_at",
        "mesh_string_length", "mesh_io_println", "mesh_io_print", "mesh_io_eprintln", "mesh_io_eprint",
        "mesh_list_length", "mesh_list_is_empty", "mesh_list_get", "mesh_list_head", "mesh_list_last",
        "mesh_list_contains")},
    **{fn: frozenset({0, 1}) for fn in (
        "mesh_string_eq", "mesh_string_compare", "mesh_string_contains", "mesh_string_starts_with",
        "mesh_string_ends_with")},
    "mesh_string_concat": frozenset({1}),
    "mesh_map_merge": frozenset({1}),
}

Origin = object  # an instruction, or a parameter marker
Env = dict[int, frozenset[Origin]]  # Var.id -> origins


def rewrite_program(prog: mir.Program) -> None:
    for f in prog.functions:
        rewrite_function(f)


def rewrite_function(f: mir.Function) -> set[mir.CallRuntime]:
    """Rewrite the safe updates of `f` in place; returns the rewritten calls."""
    cands = [ins for b in f.blocks for ins in b.instrs
             if isinstance(ins, mir.CallRuntime) and ins.fn in UPDATES and ins.args and ins.dst is not None]
    if not cands or not f.blocks or _targets(f, f.blocks[0].label):
        return set()
    if not any(isinstance(b.term, mir.Jump) and b.term.backedge for b in f.blocks):
        return set()  # only loop-carried values gain: a straight-line chain stays as it is
    info = _Analysis(f)
    chosen: set[mir.CallRuntime] = set(cands)
    uses = info.uses_of_candidates(chosen)
    inputs = info.inputs(chosen)
    while True:
        bad = _violations(uses, chosen)
        # dropping a candidate off every cycle turns its use of a product into an escape:
        # check again until neither step removes anything
        kept = _on_cycles(inputs, chosen - bad)
        if kept == chosen:
            break
        chosen = kept
    if not chosen:
        return set()
    tok = mir.Var(max(_var_ids(f), default=0) + 1, "session", Ty.I64)
    f.blocks[0].instrs.insert(0, mir.CallRuntime(tok, "mesh_session_token", []))
    for c in chosen:
        c.fn = UPDATES[c.fn]
        c.args = [*c.args, tok]
    return chosen


# ───────────────────────────────── analysis ─────────────────────────────────


def _targets(f: mir.Function, label: str) -> bool:
    for b in f.blocks:
        t = b.term
        if isinstance(t, mir.Jump) and t.target == label:
            return True
        if isinstance(t, mir.Branch) and label in (t.then, t.else_):
            return True
        if isinstance(t, mir.Switch) and (label == t.default or any(x == label for _, x in t.cases)):
            return True
    return False


def _succs(t: mir.Terminator | None) -> list[str]:
    if isinstance(t, mir.Jump):
        return [t.target]
    if isinstance(t, mir.Branch):
        return [t.then, t.else_]
    if isinstance(t, mir.Switch):
        return [x for _, x in t.cases] + [t.default]
    return []


def _dst(ins: mir.Instr) -> mir.Var | None:
    return getattr(ins, "dst", None)


def _uses(ins: mir.Instr | mir.Terminator) -> list[mir.Var]:
    if isinstance(ins, mir.Branch):
        ops: Iterable[mir.Operand] = [ins.cond]
    elif isinstance(ins, mir.Switch):
        ops = [ins.value]
    elif isinstance(ins, mir.Return):
        ops = [ins.value] if ins.value is not None else []
    elif isinstance(ins, mir.Jump | mir.Panic | mir.Unreachable):
        ops = []
    else:
        ops = mir._operands(ins)
    return [o for o in ops if isinstance(o, mir.Var)]


def _var_ids(f: mir.Function) -> Iterable[int]:
    for p in f.params:
        yield p.id
    for b in f.blocks:
        for ins in b.instrs:
            d = _dst(ins)
            if d is not None:
                yield d.id
            for v in _uses(ins):
                yield v.id


class _Analysis:
    """Origins (forward) and liveness (backward) of a function's variables, computed once."""

    def __init__(self, f: mir.Function) -> None:
        self.f = f
        self.blocks = {b.label: b for b in f.blocks}
        self._origins()
        self._liveness()

    def _origins(self) -> None:
        f = self.f
        start: Env = {p.id: frozenset({("param", i)}) for i, p in enumerate(f.params) if p.ty is Ty.PTR}
        self.env_in: dict[str, Env] = {f.blocks[0].label: start}
        work = [f.blocks[0].label]
        while work:
            label = work.pop()
            env = dict(self.env_in[label])
            b = self.blocks[label]
            for ins in b.instrs:
                self._step(env, ins)
            for s in _succs(b.term):
                old = self.env_in.get(s)
                if old is None:
                    self.env_in[s] = dict(env)
                    work.append(s)
                    continue
                merged = dict(old)
                changed = False
                for k, v in env.items():
                    u = merged.get(k, frozenset()) | v
                    if u != merged.get(k):
                        merged[k] = u
                        changed = True
                if changed:
                    self.env_in[s] = merged
                    work.append(s)

    @staticmethod
    def _step(env: Env, ins: mir.Instr) -> None:
        d = _dst(ins)
        if d is None or d.ty is not Ty.PTR:
            return
        if isinstance(ins, mir.Assign):
            env[d.id] = env.get(ins.src.id, frozenset()) if isinstance(ins.src, mir.Var) else frozenset()
        else:
            env[d.id] = frozenset({ins})

    def _liveness(self) -> None:
        live_in: dict[str, set[int]] = {b.label: set() for b in self.f.blocks}
        changed = True
        while changed:
            changed = False
            for b in reversed(self.f.blocks):
                live = set().union(*(live_in.get(s, set()) for s in _succs(b.term)))
                live |= {v.id for v in _uses(b.term)} if b.term is not None else set()
                for ins in reversed(b.instrs):
                    d = _dst(ins)
                    if d is not None:
                        live.discard(d.id)
                    live |= {v.id for v in _uses(ins)}
                if live != live_in[b.label]:
                    live_in[b.label] = live
                    changed = True
        self.live_in = live_in

    def _walk(self) -> Iterable[tuple[mir.Instr | mir.Terminator, Env, set[int]]]:
        """Each reachable instruction and terminator with the origins before it and the
        variables live after it."""
        for b in self.f.blocks:
            if b.label not in self.env_in:
                continue
            env = dict(self.env_in[b.label])
            live_after: list[set[int]] = []
            live = set().union(*(self.live_in.get(s, set()) for s in _succs(b.term)))
            term_live = set(live)
            live |= {v.id for v in _uses(b.term)} if b.term is not None else set()
            for ins in reversed(b.instrs):
                live_after.append(set(live))
                d = _dst(ins)
                if d is not None:
                    live.discard(d.id)
                live |= {v.id for v in _uses(ins)}
            live_after.reverse()
            for ins, la in zip(b.instrs, live_after, strict=True):
                yield ins, env, la
                self._step(env, ins)
            if b.term is not None:
                yield b.term, env, term_live

    def uses_of_candidates(self, cands: set[mir.CallRuntime]) -> list[_Use]:
        """Every use of a variable that may hold a candidate's product (computed once: the
        candidate set only shrinks afterwards)."""
        out: list[_Use] = []
        for ins, env, live_after in self._walk():
            if isinstance(ins, mir.Assign | mir.Jump | mir.Panic | mir.Unreachable | mir.Return):
                continue
            args = ins.args if isinstance(ins, mir.CallRuntime) else _uses(ins)
            for pos, a in enumerate(args):
                if not isinstance(a, mir.Var):
                    continue
                origins = env.get(a.id, frozenset())
                if not origins & cands:
                    continue
                read = isinstance(ins, mir.CallRuntime) and pos in READS.get(ins.fn, frozenset())
                consumed = False
                if isinstance(ins, mir.CallRuntime) and ins in cands and pos == 0:
                    consumed = self._consumed(ins, a, env, live_after)
                out.append(_Use(ins, pos, origins, read, consumed))
        return out

    @staticmethod
    def _consumed(ins: mir.CallRuntime, a: mir.Var, env: Env, live_after: set[int]) -> bool:
        """Is the value in `a` dead after `ins` and not another argument of it?"""
        mine = env.get(a.id, frozenset())
        for other in ins.args[1:]:
            if isinstance(other, mir.Var) and (other.id == a.id or env.get(other.id, frozenset()) & mine):
                return False
        d = ins.dst.id if ins.dst is not None else None
        for v in live_after:
            if v != d and env.get(v, frozenset()) & mine:
                return False
        return True

    def inputs(self, cands: set[mir.CallRuntime]) -> dict[mir.CallRuntime, frozenset[Origin]]:
        """The origins of each candidate's first argument."""
        out: dict[mir.CallRuntime, frozenset[Origin]] = {}
        for ins, env, _ in self._walk():
            if isinstance(ins, mir.CallRuntime) and ins in cands and isinstance(ins.args[0], mir.Var):
                out[ins] = env.get(ins.args[0].id, frozenset())
        return out


class _Use:
    """A use of a variable that may hold a candidate's product: at argument `pos` of `ins`."""

    __slots__ = ("consumed", "ins", "origins", "pos", "read")

    def __init__(self, ins: mir.Instr | mir.Terminator, pos: int, origins: frozenset[Origin], read: bool,
                 consumed: bool) -> None:
        self.ins = ins
        self.pos = pos
        self.origins = origins
        self.read = read
        self.consumed = consumed


def _violations(uses: list[_Use], chosen: set[mir.CallRuntime]) -> set[mir.CallRuntime]:
    """The candidates in `chosen` whose products are used in a way the rule forbids."""
    bad: set[mir.CallRuntime] = set()
    for u in uses:
        prods = {o for o in u.origins if o in chosen}
        if not prods:
            continue
        if u.pos == 0 and u.ins in chosen:
            if not u.consumed:
                bad.add(u.ins)  # type: ignore[arg-type]
                bad |= prods
        elif not u.read:
            bad |= prods
    return bad


def _on_cycles(inputs: dict[mir.CallRuntime, frozenset[Origin]],
               chosen: set[mir.CallRuntime]) -> set[mir.CallRuntime]:
    """The chosen candidates whose product can come back to their own input (through other
    chosen candidates): the updates of a loop-carried value."""
    preds = {c: {o for o in inputs.get(c, frozenset()) if o in chosen} for c in chosen}
    keep: set[mir.CallRuntime] = set()
    for c in chosen:
        seen: set[mir.CallRuntime] = set()
        stack = list(preds[c])
        while stack:
            x = stack.pop()
            if x is c:
                keep.add(c)
                break
            if x in seen:
                continue
            seen.add(x)
            stack.extend(preds.get(x, ()))
    return keep
