"""Pattern exhaustiveness and redundancy (Maranget, "Warnings for pattern matching", 2007).

Patterns are abstracted to three shapes:
  WILD                          wildcard / variable binding
  ("C", name, args)             a constructor: sum variant, true/false, tuple ("()" with args),
                                list "[]" / "::", or a literal (an infinite family, arity 0)
  ("O", alternatives)           an or-pattern
The checker supplies `sig(ty)`: the complete constructor list [(name, arg_types)] of a type, or
None when the type has infinitely many constructors (Int, String, ...) or is opaque.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

WILD: tuple = ("W",)

Pat = tuple
Sig = Callable[[Any], "list[tuple[str, list[Any]]] | None"]

MAX_WITNESSES = 8


def ctor(name: str, args: list[Pat] | tuple = ()) -> Pat:
    return ("C", name, tuple(args))


def orp(alts: list[Pat]) -> Pat:
    return ("O", tuple(alts))


def _expand_head(row: tuple[Pat, ...]) -> list[tuple[Pat, ...]]:
    head = row[0]
    if head[0] == "O":
        out: list[tuple[Pat, ...]] = []
        for alt in head[1]:
            out.extend(_expand_head((alt, *row[1:])))
        return out
    return [row]


def _specialize(rows: list[tuple[Pat, ...]], name: str, arity: int) -> list[tuple[Pat, ...]]:
    out = []
    for row in rows:
        for r in _expand_head(row):
            head = r[0]
            if head[0] == "W":
                out.append((WILD,) * arity + r[1:])
            elif head[1] == name:
                out.append(tuple(head[2]) + r[1:])
    return out


def _default(rows: list[tuple[Pat, ...]]) -> list[tuple[Pat, ...]]:
    out = []
    for row in rows:
        for r in _expand_head(row):
            if r[0][0] == "W":
                out.append(r[1:])
    return out


def _head_ctors(rows: list[tuple[Pat, ...]]) -> list[str]:
    seen: list[str] = []
    for row in rows:
        for r in _expand_head(row):
            if r[0][0] == "C" and r[0][1] not in seen:
                seen.append(r[0][1])
    return seen


def useful(rows: list[tuple[Pat, ...]], q: tuple[Pat, ...], types: list[Any], sig: Sig) -> bool:
    if not q:
        return not rows
    p = q[0]
    if p[0] == "O":
        return any(useful(rows, (alt, *q[1:]), types, sig) for alt in p[1])
    s = sig(types[0])
    if p[0] == "C":
        arg_types = _arg_types(s, p[1], len(p[2]))
        return useful(_specialize(rows, p[1], len(p[2])), tuple(p[2]) + q[1:], arg_types + types[1:], sig)
    heads = _head_ctors(rows)
    if s is not None and s and all(name in heads for name, _ in s):
        for name, arg_types in s:
            if useful(_specialize(rows, name, len(arg_types)), (WILD,) * len(arg_types) + q[1:],
                      list(arg_types) + types[1:], sig):
                return True
        return False
    return useful(_default(rows), q[1:], types[1:], sig)


def _arg_types(s: list[tuple[str, list[Any]]] | None, name: str, arity: int) -> list[Any]:
    if s is not None:
        for cname, args in s:
            if cname == name and len(args) == arity:
                return list(args)
    return [None] * arity


def _fmt(name: str, args: list[str]) -> str:
    if name == "()":
        return f"({', '.join(args)})"
    if name == "::":
        return f"{args[0]} :: {args[1]}"
    if not args:
        return name
    return f"{name}({', '.join(args)})"


def missing(rows: list[tuple[Pat, ...]], types: list[Any], sig: Sig) -> list[list[str]]:
    """Witness vectors of values not matched by `rows` (empty when exhaustive)."""
    if not types:
        return [] if rows else [[]]
    if not rows:
        return [["_"] * len(types)]
    s = sig(types[0])
    heads = _head_ctors(rows)
    out: list[list[str]] = []
    if s is not None and s and all(name in heads for name, _ in s):
        for name, arg_types in s:
            n = len(arg_types)
            for w in missing(_specialize(rows, name, n), list(arg_types) + types[1:], sig):
                out.append([_fmt(name, w[:n])] + w[n:])
                if len(out) >= MAX_WITNESSES:
                    return out
        return out
    rest = missing(_default(rows), types[1:], sig)
    if not rest:
        return []
    if s is not None and s and heads:
        firsts = [_fmt(name, ["_"] * len(args)) for name, args in s if name not in heads]
    else:
        firsts = ["_"]
    for f in firsts:
        for w in rest:
            out.append([f] + w)
            if len(out) >= MAX_WITNESSES:
                return out
    return out


def check_arms(arms: list[tuple[Pat, bool]], ty: Any, sig: Sig) -> tuple[list[str], list[int]]:
    """`arms` are (pattern, has_guard). Returns (missing patterns, indices of redundant arms).
    Guarded arms do not count towards exhaustiveness."""
    rows: list[tuple[Pat, ...]] = []
    redundant: list[int] = []
    for i, (pat, guarded) in enumerate(arms):
        if not useful(rows, (pat,), [ty], sig):
            redundant.append(i)
        if not guarded:
            rows.append((pat,))
    miss = [w[0] for w in missing(rows, [ty], sig)]
    return miss, redundant


def check_rows(rows_in: list[tuple[tuple[Pat, ...], bool]], types: list[Any], sig: Sig) -> tuple[list[str], list[int]]:
    """Multi-column version for multi-clause functions (one column per parameter)."""
    rows: list[tuple[Pat, ...]] = []
    redundant: list[int] = []
    for i, (row, guarded) in enumerate(rows_in):
        if not useful(rows, row, types, sig):
            redundant.append(i)
        if not guarded:
            rows.append(row)
    miss = [", ".join(w) if len(w) != 1 else w[0] for w in missing(rows, types, sig)]
    return miss, redundant
