"""The e2e corpus in `tests/e2e/programs/`: which cases exist and what each expects.

Shared by tests/e2e/test_programs.py (the development toolchain, in-process) and
tests/release/test_release_corpus.py (the same programs through the release binary).

Layout:
- `name.mpl` (single file) or `name/` (a project directory with main.mpl and modules);
- `name.out`: the exact expected stdout;
- optional `name.exit` (expected exit status, default 0), `name.stdin` (fed to the program),
  `name.stderr` (lines that stderr must contain, each somewhere, in any order).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PROGRAMS = Path(__file__).parent / "programs"


def cases() -> list[Path]:
    if not PROGRAMS.is_dir():
        return []
    return sorted(p for p in PROGRAMS.iterdir()
                  if (p.suffix == ".mpl" or p.is_dir()) and p.with_suffix(".out").exists())


def _read(path: Path) -> str | None:
    return path.read_text() if path.exists() else None


@dataclass(frozen=True)
class Expected:
    stdin: str
    stdout: str
    status: int
    stderr_needle: str | None

    @classmethod
    def of(cls, case: Path) -> Expected:
        return cls(stdin=_read(case.with_suffix(".stdin")) or "",
                   stdout=case.with_suffix(".out").read_bytes().decode(errors="replace"),
                   status=int((_read(case.with_suffix(".exit")) or "0").strip()),
                   stderr_needle=_read(case.with_suffix(".stderr")))

    def check(self, result: subprocess.CompletedProcess) -> None:
        """Assert that a finished run (bytes output) printed and exited as expected."""
        err = result.stderr.decode(errors="replace")
        assert result.stdout.decode(errors="replace") == self.stdout, err
        assert result.returncode == self.status, err
        if self.stderr_needle is not None:
            for line in self.stderr_needle.strip().splitlines():
                assert line.strip() in err, f"stderr lacks {line.strip()!r}:\n{err}"


def project_dir(case: Path, into: Path) -> Path:
    """A project directory for the case: the case itself, or `into/src` holding it as main.mpl."""
    if case.is_dir():
        return case
    src = into / "src"
    src.mkdir(parents=True)
    shutil.copy(case, src / "main.mpl")
    return src


def build_source(tmp: Path, name: str, source: str) -> Path:
    """Compile a one-file program (a test's own source text) in `tmp`; returns the executable."""
    from toolchain.driver import project as proj

    src = tmp / "src"
    src.mkdir()
    (src / "main.mpl").write_text(source)
    exe = tmp / name
    proj.build_project(proj.discover(src), exe)
    return exe
