"""Programs that must be rejected with a specific diagnostic.

Each `tests/compile_fail/*.mpl` starts with header comments:

    # expect-error: E0012 at 7:3
    # expect-message: non-exhaustive

`at LINE:COL` is the start of the primary span (1-based, in characters); `expect-message` is a
substring of the message. Several `expect-error` lines mean several diagnostics, in order.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from toolchain.diagnostics import CompileError
from toolchain.driver import project as proj

HERE = Path(__file__).parent
HEADER = re.compile(r"#\s*expect-(error|message):\s*(.+)")
ERROR = re.compile(r"([EPW]\d{4})(?:\s+at\s+(\d+):(\d+))?")


def _cases() -> list[Path]:
    return sorted(HERE.glob("*.mpl"))


def _expectations(path: Path) -> tuple[list[tuple[str, int | None, int | None]], list[str]]:
    errors, messages = [], []
    for line in path.read_text().splitlines():
        m = HEADER.match(line.strip())
        if not m:
            continue
        if m.group(1) == "error":
            e = ERROR.match(m.group(2).strip())
            assert e, f"bad expect-error header in {path.name}: {line}"
            errors.append((e.group(1), int(e.group(2)) if e.group(2) else None, int(e.group(3)) if e.group(3) else None))
        else:
            messages.append(m.group(2).strip())
    return errors, messages


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.stem)
def test_rejected(case: Path, tmp_path: Path) -> None:
    errors, messages = _expectations(case)
    assert errors, f"{case.name} has no expect-error header"
    shutil.copy(case, tmp_path / "main.mpl")
    project = proj.discover(tmp_path)
    with pytest.raises(CompileError) as info:
        proj.check_project(project)
    diags = [d for d in info.value.diagnostics if d.severity == "error"]
    got = [d.code for d in diags]
    assert got[: len(errors)] == [e[0] for e in errors], [f"{d.code}: {d.message}" for d in diags]
    for (code, line, col), diag in zip(errors, diags, strict=False):
        if line is not None:
            assert project.sources.line_col(diag.span.file, diag.span.start) == (line, col), (code, diag.message)
    text = "\n".join(" ".join([d.message, *d.hints, *(lb.message for lb in d.labels)]) for d in diags)
    for needle in messages:
        assert needle in text
