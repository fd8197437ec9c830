"""The Mesh parser: grammar/mesh.tx (textX) -> toolchain.syntax.ast.

`parse_file(path, text)` is the only entry point. The textX metamodel is built once per process;
the textX model is converted into the dataclasses of `ast.py` by `builder.Builder`. Every failure
(syntax error, invalid literal, even an internal error or runaway recursion) is reported as a
`CompileError` carrying one P0001 diagnostic.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from toolchain.syntax import ast
from toolchain.syntax.metamodel import get_metamodel

# toolchain.diagnostics imports toolchain.syntax.ast, so it (and everything that uses it) is
# imported lazily here to keep `import toolchain.diagnostics` free of cycles.

__all__ = ["parse_file", "ParseFailure"]

# Parsing runs in a helper thread with a large stack so that deeply nested input is limited by
# this recursion limit (and reported as a diagnostic), never by the C stack.
_STACK_SIZE = 512 * 1024 * 1024
_RECURSION_LIMIT = 60_000
_PARSE_LOCK = threading.Lock()


class ParseFailure(Exception):
    """Raised inside the builder for semantic syntax errors (bad literal, misplaced kwarg...)."""

    def __init__(self, message: str, start: int, end: int, hints: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end
        self.hints = hints or []


def _parse_unguarded(path: str, text: str) -> ast.SourceFile:
    from textx.exceptions import TextXSyntaxError

    from toolchain.diagnostics import CompileError, Diagnostic
    from toolchain.syntax.builder import Builder
    from toolchain.syntax.errors import syntax_error_diagnostic

    mm = get_metamodel()
    try:
        model = mm.model_from_str(text)
    except TextXSyntaxError as err:
        raise CompileError(syntax_error_diagnostic(path, text, err)) from None
    try:
        return Builder(path, text).source_file(model)
    except ParseFailure as fail:
        raise CompileError(
            Diagnostic("P0001", fail.message, ast.Span(path, fail.start, fail.end), hints=fail.hints)
        ) from None


def _parse_guarded(path: str, text: str) -> ast.SourceFile:
    from toolchain.diagnostics import CompileError, Diagnostic

    try:
        return _parse_unguarded(path, text)
    except CompileError:
        raise
    except RecursionError:
        raise CompileError(
            Diagnostic(
                "P0001",
                "the program is nested too deeply to parse",
                ast.Span(path, 0, min(len(text), 1)),
                hints=["split deeply nested expressions into smaller functions or `let` bindings"],
            )
        ) from None
    except Exception as exc:  # noqa: BLE001 - bad input must never produce a traceback
        raise CompileError(
            Diagnostic(
                "P0001",
                f"could not parse this file (internal parser error: {type(exc).__name__}: {exc})",
                ast.Span(path, 0, min(len(text), 1)),
            )
        ) from None


def parse_file(path: str, text: str) -> ast.SourceFile:
    """Parse one `.mpl` file into an `ast.SourceFile`, or raise `CompileError` (P0001)."""
    get_metamodel()  # build (and cache) the metamodel in the calling thread
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["ok"] = _parse_guarded(path, text)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            result["err"] = exc

    # One parse at a time per process: the textX parser objects are shared, and the raised
    # recursion limit (interpreter-wide) is restored as soon as the parse is over.
    with _PARSE_LOCK:
        old_limit = sys.getrecursionlimit()
        old_size = threading.stack_size()
        try:
            for stack_size, limit in ((_STACK_SIZE, _RECURSION_LIMIT), (64 * 1024 * 1024, 8_000)):
                try:
                    threading.stack_size(stack_size)  # read when the OS thread starts
                    worker = threading.Thread(target=run, name="mesh-parse", daemon=True)
                    sys.setrecursionlimit(max(old_limit, limit))
                    worker.start()
                except (RuntimeError, ValueError, MemoryError):
                    sys.setrecursionlimit(old_limit)
                    continue  # no room for such a stack: try a smaller one
                finally:
                    threading.stack_size(old_size)
                worker.join()
                break
            else:
                run()  # no helper thread at all: parse here with the default limits
        finally:
            threading.stack_size(old_size)
            sys.setrecursionlimit(old_limit)
    if "err" in result:
        raise result["err"]
    return result["ok"]
