"""Build (once per process) the textX metamodel from grammar/mesh.tx."""

from __future__ import annotations

import threading
import types
from pathlib import Path
from typing import Any

GRAMMAR_PATH = Path(__file__).resolve().parents[2] / "grammar" / "mesh.tx"

# String bodies are lexical: no whitespace or comment skipping inside them (a `#` inside a string
# is text). `${ ... }` switches back to normal token mode.
_LEXICAL_RULES = {"PlainBody": True, "TripleBody": True, "InterpRest": False}

# Packrat memoization makes parsing slower here (the grammar backtracks little): measured on the
# Mesher sources, about 1000 lines/s without it and 700 lines/s with it (see tests/syntax/bench_parse.py).
MEMOIZATION = False

_lock = threading.Lock()
_metamodel: Any = None


def _set_lexical(expr: Any, lexical: bool) -> None:
    inner = expr._parse

    def _parse(self: Any, parser: Any) -> Any:
        old = parser.in_lex_rule
        parser.in_lex_rule = lexical
        try:
            return inner(parser)
        finally:
            parser.in_lex_rule = old

    expr._parse = types.MethodType(_parse, expr)


def _patch_lexical_rules(root: Any) -> None:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        name = getattr(node, "rule_name", "")
        if name in _LEXICAL_RULES and getattr(node, "root", False):
            _set_lexical(node, _LEXICAL_RULES[name])
        stack.extend(getattr(node, "nodes", []))


def get_metamodel() -> Any:
    global _metamodel
    if _metamodel is None:
        with _lock:
            if _metamodel is None:
                from textx import metamodel_from_file

                mm = metamodel_from_file(
                    str(GRAMMAR_PATH), ws=" \t", autokwd=True, memoization=MEMOIZATION
                )
                _patch_lexical_rules(mm._parser_blueprint.parser_model)
                _metamodel = mm
    return _metamodel
