"""Programs that must be rejected with a specific diagnostic.

Each `tests/compile_fail/*.mpl` starts with header comments:

    # expect-error: E0012 at 7:3
    # expect-message: non-exhaustive

`at LINE:COL` is the start of the primary span (1-based, in characters); `expect-message` is a
substring of the message. Several `expect-error` lines mean several diagnostics, in order.

A multi-module case is a directory `tests/compile_fail/<name>/` holding `main.mpl` (with the
headers) and its modules; `at LINE:COL in path/to/file.mpl` names the file of the primary span
(default `main.mpl`). `# expect-warning: W0001 at 5:5` expects a warning instead: when a case
expects only warnings, it must compile, and its warnings are compared the same way.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from toolchain.diagnostics import CompileError
from toolchain.driver import project as proj

HERE = Path(__file__).parent
HEADER = re.compile(r"#\s*expect-(error|warning|message):\s*(.+)")
ERROR = re.compile(r"([EPW]\d{4})(?:\s+at\s+(\d+):(\d+)(?:\s+in\s+(\S+))?)?")

Expect = tuple[str, int | None, int | None, str]


def _cases() -> list[Path]:
    return sorted([*HERE.glob("*.mpl"), *(d for d in HERE.iterdir() if (d / "main.mpl").is_file())])


def _expectations(path: Path) -> tuple[list[Expect], list[Expect], list[str]]:
    errors: list[Expect] = []
    warnings: list[Expect] = []
    messages: list[str] = []
    for line in path.read_text().splitlines():
        m = HEADER.match(line.strip())
        if not m:
            continue
        if m.group(1) == "message":
            messages.append(m.group(2).strip())
            continue
        e = ERROR.match(m.group(2).strip())
        assert e, f"bad expect-{m.group(1)} header in {path.name}: {line}"
        entry = (e.group(1), int(e.group(2)) if e.group(2) else None, int(e.group(3)) if e.group(3) else None,
                 e.group(4) or "main.mpl")
        (errors if m.group(1) == "error" else warnings).append(entry)
    return errors, warnings, messages


def _compare(expected: list[Expect], diags: list, project) -> None:
    got = [d.code for d in diags]
    assert got[: len(expected)] == [e[0] for e in expected], [f"{d.code}: {d.message}" for d in diags]
    for (code, line, col, file), diag in zip(expected, diags, strict=False):
        if line is not None:
            where = (diag.span.file, *project.sources.line_col(diag.span.file, diag.span.start))
            assert where == (file, line, col), (code, diag.message)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.stem)
def test_rejected(case: Path, tmp_path: Path) -> None:
    if case.is_dir():
        root = tmp_path / case.name
        shutil.copytree(case, root)
        errors, warnings, messages = _expectations(case / "main.mpl")
    else:
        root = tmp_path
        shutil.copy(case, tmp_path / "main.mpl")
        errors, warnings, messages = _expectations(case)
    assert errors or warnings, f"{case.name} has no expect-error or expect-warning header"
    project = proj.discover(root)
    if not errors:
        program = proj.check_project(project)
        _compare(warnings, list(program.warnings), project)
        text = "\n".join(" ".join([d.message, *d.hints, *(lb.message for lb in d.labels)]) for d in program.warnings)
        for needle in messages:
            assert needle in text
        return
    with pytest.raises(CompileError) as info:
        proj.check_project(project)
    diags = [d for d in info.value.diagnostics if d.severity == "error"]
    _compare(errors, diags, project)
    text = "\n".join(" ".join([d.message, *d.hints, *(lb.message for lb in d.labels)]) for d in diags)
    for needle in messages:
        assert needle in text
