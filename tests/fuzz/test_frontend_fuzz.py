"""Fuzzing the compiler front and middle: mutated and truncated programs must either compile
to MIR or be rejected with diagnostics. Any other exception, or a hang, is a compiler bug.

The corpus is our own e2e programs; mutations are seeded, so a failure names a reproducible
case (seed, program, mutation) in its message.
"""

from __future__ import annotations

import random
import signal
from pathlib import Path

import pytest

from toolchain.diagnostics import CompileError
from toolchain.driver import project as proj

CORPUS = sorted((Path(__file__).resolve().parents[1] / "e2e" / "programs").glob("*.mpl"))
TOKENS = ["do", "end", "fn", "(", ")", "[", "]", "{", "}", "%{", "|>", "->", "=>", "::", "|", ",", "=",
          "case", "if", "else", "let", "for", "in", "when", "?", "..", "<>", "\"", "${", "#=", "\n",
          "x", "Some", "None", "0", "-1", "1.5", ":atom", "return", "break", "receive", "self()", ";"]
CASES_PER_PROGRAM = 12
TIME_LIMIT_S = 20


def mutate(text: str, rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["truncate", "delete", "insert", "duplicate", "swap_lines", "replace"])
    n = len(text)
    if kind == "truncate":
        cut = rng.randrange(n)
        return text[:cut], f"truncate at {cut}"
    a = rng.randrange(n)
    b = min(n, a + rng.randint(1, 40))
    if kind == "delete":
        return text[:a] + text[b:], f"delete {a}:{b}"
    if kind == "insert":
        tok = rng.choice(TOKENS)
        return text[:a] + tok + text[a:], f"insert {tok!r} at {a}"
    if kind == "duplicate":
        return text[:b] + text[a:b] + text[b:], f"duplicate {a}:{b}"
    if kind == "replace":
        tok = rng.choice(TOKENS)
        return text[:a] + tok + text[b:], f"replace {a}:{b} by {tok!r}"
    lines = text.split("\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines), f"swap lines {i + 1} and {j + 1}"


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


@pytest.mark.parametrize("program", CORPUS, ids=lambda p: p.stem)
def test_mutations_give_diagnostics_or_code(program: Path, tmp_path: Path, monkeypatch) -> None:
    from toolchain.lower import lower_program

    monkeypatch.setenv("MESH_NO_CACHE", "1")
    rng = random.Random(f"mesh-fuzz:{program.stem}")
    original = program.read_text()
    old = signal.signal(signal.SIGALRM, _alarm)
    try:
        for case in range(CASES_PER_PROGRAM):
            text, how = mutate(original, rng)
            (tmp_path / "main.mpl").write_text(text)
            project = proj.discover(tmp_path)
            signal.alarm(TIME_LIMIT_S)
            try:
                lower_program(proj.check_project(project))
            except CompileError:
                pass
            except Hang:
                pytest.fail(f"compiler hung on {program.name} case {case}: {how}")
            except Exception as exc:  # noqa: BLE001 - any other exception is the bug we look for
                pytest.fail(f"{type(exc).__name__}: {exc} on {program.name} case {case}: {how}")
            finally:
                signal.alarm(0)
    finally:
        signal.signal(signal.SIGALRM, old)
