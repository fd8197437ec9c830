"""Type checker: name resolution, Hindley-Milner inference, traits, exhaustiveness.

Entry point: `check_program(modules) -> CheckedProgram`; the contract is in `typed.py`.
"""

from __future__ import annotations

from toolchain.check.typed import CheckedProgram, ParsedModule


def check_program(modules: list[ParsedModule]) -> CheckedProgram:
    """Type check a whole program (all modules); raises CompileError with every error found."""
    from toolchain.check.checker import check_program as _check

    return _check(modules)


__all__ = ["CheckedProgram", "ParsedModule", "check_program"]
