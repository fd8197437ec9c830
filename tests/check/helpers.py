"""Helpers for checker tests: parse Mesh source text, check it, find nodes by source text."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from toolchain import syntax as _syntax  # noqa: F401  (initialise the parser package first)
from toolchain.check import check_program
from toolchain.check.typed import CheckedProgram, ParsedModule, show_type
from toolchain.diagnostics import CompileError, Diagnostic
from toolchain.syntax import ast as A

parse_file = getattr(pytest.importorskip("toolchain.syntax"), "parse_file", None)
if parse_file is None:
    pytest.skip("the parser (toolchain.syntax.parse_file) is not available yet", allow_module_level=True)


class Checked:
    def __init__(self, program: CheckedProgram, sources: dict[str, str], trees: dict[str, A.SourceFile]):
        self.program = program
        self.sources = sources
        self.trees = trees

    def nodes(self, path: str = "main.mpl"):
        yield from walk(self.trees[path])

    def find(self, text: str, kind: type = A.Expr, path: str = "main.mpl", nth: int = 0) -> Any:
        """The nth node of `kind` whose source text is exactly `text`."""
        src = self.sources[path]
        found = [n for n in self.nodes(path) if isinstance(n, kind) and n.span.file == path
                 and src[n.span.start:n.span.end] == text]
        assert len(found) > nth, f"no {kind.__name__} with text {text!r}"
        return found[nth]

    def type_of(self, text: str, **kw: Any) -> str:
        node = self.find(text, **kw)
        assert node.ty is not None, f"{text!r} has no type"
        return show_type(node.ty)


def walk(node: Any):
    if isinstance(node, A.Node):
        yield node
        for f in dataclasses.fields(node):
            if f.name in ("span", "info", "ty"):
                continue
            yield from walk(getattr(node, f.name))
    elif isinstance(node, (list, tuple)):
        for x in node:
            yield from walk(x)


def _modules(main: str, files: dict[str, str] | None) -> tuple[list[ParsedModule], dict, dict]:
    sources = {"main.mpl": main, **(files or {})}
    mods, trees = [], {}
    for path, text in sources.items():
        tree = parse_file(path, text)
        trees[path] = tree
        if path == "main.mpl":
            name = "Main"
        else:
            name = ".".join("".join(p[:1].upper() + p[1:] for p in seg.split("_"))
                            for seg in path[:-4].split("/"))
        mods.append(ParsedModule(name, path, tree, path == "main.mpl"))
    return mods, sources, trees


def check_ok(main: str, files: dict[str, str] | None = None) -> Checked:
    mods, sources, trees = _modules(main, files)
    try:
        prog = check_program(mods)
    except CompileError as err:
        raise AssertionError("unexpected errors: " + "; ".join(f"{d.code} {d.message}" for d in err.diagnostics)) from None
    return Checked(prog, sources, trees)


def check_err(main: str, files: dict[str, str] | None = None) -> tuple[list[Diagnostic], dict[str, str]]:
    mods, sources, trees = _modules(main, files)
    with pytest.raises(CompileError) as info:
        check_program(mods)
    return info.value.diagnostics, sources


def span_text(diag: Diagnostic, sources: dict[str, str]) -> str:
    return sources[diag.span.file][diag.span.start:diag.span.end]
