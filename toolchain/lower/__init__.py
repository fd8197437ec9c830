"""Typed AST -> MIR: monomorphization, pattern matching, closure conversion, loops.

Entry point: `lower_program(checked) -> mir.Program`. Modules:
- `mir.py`: the MIR (types, instructions, printer, verifier);
- `lowering.py`: the program worklist (one instance per function and type arguments) and the
  per-function expression/pattern lowering, closures, actors, receive, `?`, loops;
- `types.py`: checker types -> MIR value types, the runtime type-descriptor table;
- `builtins.py`: stdlib calls (a table, inline cases, and `Module.fn` -> `mesh_<module>_<fn>`
  when the runtime headers declare it);
- `services.py`: services on the runtime's service primitives;
- `derive.py`: functions generated from type definitions (deriving(Row)).
Unsupported constructs and missing runtime functions become E0000 diagnostics.
"""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolchain.check.typed import CheckedProgram
    from toolchain.diagnostics import SourceMap
    from toolchain.lower import mir

# Lowering recurses over the expression tree; deeply nested programs run in a helper thread with
# a large stack so that they are limited by this recursion limit, never by the C stack.
_STACK_SIZE = 512 * 1024 * 1024
_RECURSION_LIMIT = 60_000


def lower_program(checked: CheckedProgram, sources: SourceMap | None = None) -> mir.Program:
    """With `sources` (the compilation's texts), runtime calls and checks carry their source
    location for panic messages."""
    from toolchain.diagnostics import CompileError, Diagnostic
    from toolchain.lower.lowering import Lowerer
    from toolchain.lower.types import LowerError

    result: dict[str, Any] = {}

    def run() -> None:
        lw = Lowerer(checked, sources)
        try:
            result["ok"] = lw.run()
        except LowerError as exc:
            # a construct this compiler cannot lower yet (or a runtime function it lacks): an
            # ordinary diagnostic at the expression being lowered, not an internal error
            result["err"] = CompileError(Diagnostic("E0000", f"cannot compile this yet: {exc}", lw.cur_span))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            result["err"] = exc

    if sys.getrecursionlimit() < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)
    old_size = threading.stack_size()
    try:
        threading.stack_size(_STACK_SIZE)
        worker = threading.Thread(target=run, name="mesh-lower", daemon=True)
    finally:
        threading.stack_size(old_size)
    worker.start()
    worker.join()
    if "err" in result:
        raise result["err"]
    return result["ok"]


__all__ = ["lower_program"]
