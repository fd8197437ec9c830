"""Inference variables, unification with occurs check, levels, zonking and generalisation.

Internal types are the `typed.Type` dataclasses whose leaves may also be `TVar`s. A TVar is a
union-find cell: `ref` points at what it was bound to. `level` implements level-based
generalisation (a variable created at a deeper let-level than the binding being generalised
is quantified).
"""

from __future__ import annotations

import itertools

from toolchain.check.typed import TCon, TFun, TParam, TTuple, Type, display_type_name

_ids = itertools.count()


class TVar:
    __slots__ = ("id", "level", "ref", "param")

    def __init__(self, level: int) -> None:
        self.id = next(_ids)
        self.level = level
        self.ref: object | None = None  # bound type (internal type)
        self.param: TParam | None = None  # set when generalised

    def __repr__(self) -> str:
        return f"?{self.id}"


ITy = object  # an internal type: Type whose leaves may be TVar


class UnifyError(Exception):
    def __init__(self, kind: str, left: ITy, right: ITy) -> None:
        super().__init__(kind)
        self.kind = kind  # "mismatch" | "occurs" | "arity"
        self.left = left
        self.right = right


def prune(t: ITy) -> ITy:
    while isinstance(t, TVar) and t.ref is not None:
        nxt = t.ref
        if isinstance(nxt, TVar) and nxt.ref is not None:
            t.ref = nxt.ref  # path compression
        t = nxt
    return t


def occurs_adjust(v: TVar, t: ITy) -> bool:
    """True if `v` occurs in `t`; also lowers levels of variables in `t` to v's level."""
    t = prune(t)
    if isinstance(t, TVar):
        if t is v:
            return True
        if t.level > v.level:
            t.level = v.level
        return False
    if isinstance(t, TCon):
        return any(occurs_adjust(v, a) for a in t.args)
    if isinstance(t, TTuple):
        return any(occurs_adjust(v, a) for a in t.items)
    if isinstance(t, TFun):
        return any(occurs_adjust(v, a) for a in t.params) or occurs_adjust(v, t.ret)
    return False


def unify(a: ITy, b: ITy) -> None:
    a = prune(a)
    b = prune(b)
    if a is b:
        return
    if isinstance(a, TVar):
        _bind(a, b)
        return
    if isinstance(b, TVar):
        _bind(b, a)
        return
    if isinstance(a, TCon) and isinstance(b, TCon):
        if a.name != b.name:
            raise UnifyError("mismatch", a, b)
        if len(a.args) != len(b.args):
            if a.name == "Pid" and (not a.args or not b.args):
                return  # untyped Pid escape hatch
            raise UnifyError("mismatch", a, b)
        for x, y in zip(a.args, b.args, strict=True):
            unify(x, y)
        return
    if isinstance(a, TTuple) and isinstance(b, TTuple):
        if len(a.items) != len(b.items):
            raise UnifyError("mismatch", a, b)
        for x, y in zip(a.items, b.items, strict=True):
            unify(x, y)
        return
    if isinstance(a, TFun) and isinstance(b, TFun):
        if len(a.params) != len(b.params):
            raise UnifyError("mismatch", a, b)
        for x, y in zip(a.params, b.params, strict=True):
            unify(x, y)
        unify(a.ret, b.ret)
        return
    if isinstance(a, TParam) and isinstance(b, TParam) and a == b:
        return
    raise UnifyError("mismatch", a, b)


def _bind(v: TVar, t: ITy) -> None:
    if occurs_adjust(v, t):
        raise UnifyError("occurs", v, t)
    v.ref = t


def resolve(t: ITy) -> ITy:
    """Deep-prune: every bound variable replaced (unbound ones stay)."""
    t = prune(t)
    if isinstance(t, TCon):
        return TCon(t.name, tuple(resolve(a) for a in t.args)) if t.args else t
    if isinstance(t, TTuple):
        return TTuple(tuple(resolve(a) for a in t.items))
    if isinstance(t, TFun):
        return TFun(tuple(resolve(a) for a in t.params), resolve(t.ret))
    return t


def free_vars(t: ITy, out: list[TVar] | None = None) -> list[TVar]:
    out = [] if out is None else out
    t = prune(t)
    if isinstance(t, TVar):
        if t not in out:
            out.append(t)
    elif isinstance(t, TCon):
        for a in t.args:
            free_vars(a, out)
    elif isinstance(t, TTuple):
        for a in t.items:
            free_vars(a, out)
    elif isinstance(t, TFun):
        for a in t.params:
            free_vars(a, out)
        free_vars(t.ret, out)
    return out


def zonk(t: ITy, unresolved: list[TVar] | None = None) -> Type:
    """Convert to a final `Type`: generalised variables become their TParam; an unbound,
    ungeneralised variable is appended to `unresolved` and replaced by `Unit` placeholder
    (the caller reports an error for it)."""
    t = prune(t)
    if isinstance(t, TVar):
        if t.param is not None:
            return t.param
        if unresolved is not None and t not in unresolved:
            unresolved.append(t)
        return TTuple(())
    if isinstance(t, TCon):
        return TCon(t.name, tuple(zonk(a, unresolved) for a in t.args)) if t.args else t
    if isinstance(t, TTuple):
        return TTuple(tuple(zonk(a, unresolved) for a in t.items))
    if isinstance(t, TFun):
        return TFun(tuple(zonk(a, unresolved) for a in t.params), zonk(t.ret, unresolved))
    return t  # TParam


def is_resolved(t: ITy) -> bool:
    return not free_vars(t)


def instantiate(t: ITy, params: list[TParam], level: int) -> tuple[ITy, tuple[TVar, ...]]:
    """Replace `params` by fresh variables; returns the type and the fresh variables."""
    if not params:
        return t, ()
    fresh = tuple(TVar(level) for _ in params)
    mapping = dict(zip(params, fresh, strict=True))
    return subst_i(t, mapping), fresh


def subst_i(t: ITy, mapping: dict) -> ITy:
    t = prune(t)
    if isinstance(t, TVar):
        return mapping.get(t.param, t) if t.param is not None else t
    if isinstance(t, TParam):
        return mapping.get(t, t)
    if isinstance(t, TCon):
        return TCon(t.name, tuple(subst_i(a, mapping) for a in t.args)) if t.args else t
    if isinstance(t, TTuple):
        return TTuple(tuple(subst_i(a, mapping) for a in t.items))
    if isinstance(t, TFun):
        return TFun(tuple(subst_i(a, mapping) for a in t.params), subst_i(t.ret, mapping))
    return t


def generalize(t: ITy, level: int, owner: str, start: int = 0) -> list[TParam]:
    """Quantify the unbound variables of `t` whose level is deeper than `level`; they get a
    TParam (named t<start>, t<start+1>, ...) and keep it forever."""
    params: list[TParam] = []
    for v in free_vars(t):
        if v.level > level and v.param is None:
            v.param = TParam(f"t{start + len(params)}", owner)
            params.append(v.param)
        elif v.param is not None and v.param.owner == owner and v.param not in params:
            params.append(v.param)
    return params


def show(t: ITy) -> str:
    """Diagnostic rendering of an internal type (unbound variables as `?N`)."""
    t = prune(t)
    if isinstance(t, TVar):
        return t.param.name if t.param is not None else f"?{t.id}"
    if isinstance(t, TCon):
        name = display_type_name(t.name)
        if not t.args:
            return name
        return f"{name}<{', '.join(show(a) for a in t.args)}>"
    if isinstance(t, TTuple):
        return "()" if not t.items else f"({', '.join(show(a) for a in t.items)})"
    if isinstance(t, TFun):
        return f"Fun({', '.join(show(a) for a in t.params)}) -> {show(t.ret)}"
    if isinstance(t, TParam):
        return t.name
    return str(t)
