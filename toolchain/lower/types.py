"""Checker types -> MIR value types and the runtime type-descriptor table."""

from __future__ import annotations

from toolchain.check.typed import CheckedProgram, TCon, TFun, TParam, TTuple, Type, subst
from toolchain.lower import mir
from toolchain.lower.mir import Kind, Ty

# Predefined runtime type ids (enum MeshTypeIds in cruntime/include/mesh/rt.h).
T_ANY = 0
T_UNIT = 1
T_INT = 2
T_FLOAT = 3
T_BOOL = 4
T_STRING = 5
T_PID = 6
T_ORDERING = 7
T_RANGE = 8
T_QUEUE = 16
FIRST_USER = 64
TFLAG_DISPLAY = 1  # enum MeshTypeFlags

_PRIM_IDS = {"Int": T_INT, "Float": T_FLOAT, "Bool": T_BOOL, "String": T_STRING, "Atom": T_STRING,
             "Pid": T_PID, "Ordering": T_ORDERING, "Range": T_RANGE, "Queue": T_QUEUE}


class LowerError(Exception):
    pass


def mty(t: Type) -> Ty:
    """The MIR value type of a (monomorphic) checker type."""
    if isinstance(t, TCon):
        if t.name == "Int" or t.name == "Pid":
            return Ty.I64
        if t.name == "Float":
            return Ty.F64
        if t.name == "Bool":
            return Ty.I1
        if t.name == "Never":
            return Ty.UNIT
        return Ty.PTR
    if isinstance(t, TTuple):
        return Ty.UNIT if not t.items else Ty.PTR
    if isinstance(t, TFun):
        return Ty.PTR
    if isinstance(t, TParam):
        raise LowerError(f"unresolved type parameter {t.name} (owner {t.owner}) reached lowering")
    raise LowerError(f"not a type: {t!r}")


def is_unit(t: Type) -> bool:
    return isinstance(t, TTuple) and not t.items


def mangle_type(t: Type) -> str:
    if isinstance(t, TCon):
        n = t.name.replace(".", "_")
        if t.args:
            return n + "_" + "_".join(mangle_type(a) for a in t.args) + "_"
        return n
    if isinstance(t, TTuple):
        return "T" + str(len(t.items)) + "_" + "_".join(mangle_type(a) for a in t.items) + "_"
    if isinstance(t, TFun):
        return "F_" + "_".join(mangle_type(a) for a in t.params) + "__" + mangle_type(t.ret) + "_"
    return t.name


class TypeTable:
    """Assigns type ids and builds `mir.TypeDesc`s for every concrete type that needs one."""

    def __init__(self, cp: CheckedProgram, display_hook: object = None) -> None:
        self.cp = cp
        self.ids: dict[Type, int] = {}
        self.descs: list[mir.TypeDesc] = []
        # called as hook(type, desc) after a user struct/sum descriptor is created, to attach
        # user Display/Eq/... overrides (set by the lowerer)
        self.hook = display_hook

    def tid(self, t: Type) -> int:
        if isinstance(t, TCon) and t.name in _PRIM_IDS:
            return _PRIM_IDS[t.name]
        if is_unit(t):
            return T_UNIT
        if isinstance(t, TParam):
            raise LowerError(f"unresolved type parameter {t.name} reached the type table")
        got = self.ids.get(t)
        if got is not None:
            return got
        if isinstance(t, TCon) and t.name in ("Never",):
            return T_UNIT
        new_id = FIRST_USER + len(self.descs)
        desc = mir.TypeDesc(new_id, "?", int(Kind.OPAQUE))
        self.ids[t] = new_id
        self.descs.append(desc)
        self._fill(t, desc)
        if self.hook is not None:
            self.hook(t, desc)  # type: ignore[operator]
        return new_id

    def _fill(self, t: Type, d: mir.TypeDesc) -> None:
        if isinstance(t, TTuple):
            d.name = "Tuple"
            d.kind = int(Kind.TUPLE)
            d.field_types = [self.tid(x) for x in t.items]
            d.fields = [""] * len(t.items)
            return
        if isinstance(t, TFun):
            d.name = "Fun"
            d.kind = int(Kind.CLOSURE)
            return
        assert isinstance(t, TCon)
        n = t.name
        if n == "List":
            d.name, d.kind, d.elems = "List", int(Kind.LIST), [self.tid(t.args[0])]
        elif n == "Set":
            d.name, d.kind, d.elems = "Set", int(Kind.SET), [self.tid(t.args[0])]
        elif n == "Map":
            d.name, d.kind, d.elems = "Map", int(Kind.MAP), [self.tid(t.args[0]), self.tid(t.args[1])]
        elif n == "Iter":
            d.name, d.kind, d.elems = "Iter", int(Kind.ITER), [self.tid(t.args[0])] if t.args else []
        elif n in self.cp.structs:
            si = self.cp.structs[n]
            m = dict(zip(si.params, t.args, strict=False))
            d.name, d.kind = si.name, int(Kind.STRUCT)
            d.flags = TFLAG_DISPLAY if "Display" in si.derives else 0
            d.fields = [f for f, _ in si.fields]
            d.field_types = [self.tid(subst(ft, m)) for _, ft in si.fields]
        elif n in self.cp.sums:
            su = self.cp.sums[n]
            m = dict(zip(su.params, t.args, strict=False))
            d.name, d.kind = su.name, int(Kind.VARIANT)
            d.flags = TFLAG_DISPLAY if "Display" in su.derives else 0
            d.variants = [mir.VariantDesc(v.name, [fn for fn, _ in v.fields],
                                          [self.tid(subst(ft, m)) for _, ft in v.fields]) for v in su.variants]
        else:
            d.name, d.kind = n, int(Kind.OPAQUE)

    def closure_type(self, capture_types: list[Type]) -> int:
        """A CLOSURE descriptor whose fields are the captured values (slots after the code
        pointer), so the collector can trace them."""
        key = TCon("$closure", tuple(capture_types))
        got = self.ids.get(key)
        if got is not None:
            return got
        new_id = FIRST_USER + len(self.descs)
        d = mir.TypeDesc(new_id, "Fun", int(Kind.CLOSURE))
        self.ids[key] = new_id
        self.descs.append(d)
        d.field_types = [self.tid(c) for c in capture_types]
        d.fields = [""] * len(capture_types)
        return new_id
