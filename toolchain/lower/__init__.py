"""Typed AST -> MIR: monomorphization, pattern matching, closure conversion, loops.

Entry point: `lower_program(checked) -> mir.Program`. The MIR itself is in `mir.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolchain.check.typed import CheckedProgram
    from toolchain.lower import mir


def lower_program(checked: CheckedProgram) -> mir.Program:
    from toolchain.lower.lowering import Lowerer

    return Lowerer(checked).run()


__all__ = ["lower_program"]
