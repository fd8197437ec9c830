"""Every runnable example in docs/ compiles, runs and prints what the page says it prints.

An example is a fenced block tagged `mesh` immediately followed (after optional blank lines)
by a fenced block tagged `output`:

    ```mesh
    fn main() do
      println("hi")
    end
    ```
    ```output
    hi
    ```

Blocks tagged `mesh` without an `output` block are only parsed and type-checked.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from toolchain.driver import project as proj

DOCS = Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(r"```mesh\n(.*?)```\s*(?:```output\n(.*?)```)?", re.S)


def _examples() -> list[tuple[str, str, str | None]]:
    out = []
    for page in sorted(DOCS.rglob("*.md")):
        if "internals" in page.parts:
            continue
        text = page.read_text()
        for i, m in enumerate(FENCE.finditer(text)):
            line = text[: m.start()].count("\n") + 1
            out.append((f"{page.relative_to(DOCS)}:{line}#{i}", m.group(1), m.group(2)))
    return out


@pytest.mark.parametrize(("where", "source", "expected"), _examples(), ids=lambda v: v if isinstance(v, str) and ":" in v else "")
def test_doc_example(where: str, source: str, expected: str | None, tmp_path: Path) -> None:
    (tmp_path / "main.mpl").write_text(source)
    project = proj.discover(tmp_path)
    if expected is None:
        proj.check_project(project)
        return
    exe = tmp_path / "example"
    proj.build_project(project, exe)
    result = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
    assert result.stdout == expected, result.stderr
