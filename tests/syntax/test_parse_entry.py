"""parse_file's helper-thread machinery: fallbacks and state restoration."""

from __future__ import annotations

import sys
import threading

import pytest

import toolchain.syntax as syntax
from toolchain.syntax import ast, parse_file


def test_recursion_limit_and_stack_size_are_restored() -> None:
    limit, size = sys.getrecursionlimit(), threading.stack_size()
    parse_file("t.mpl", "fn main() = 1\n")
    assert (sys.getrecursionlimit(), threading.stack_size()) == (limit, size)


def test_falls_back_to_a_smaller_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(syntax, "_STACK_SIZE", 1)  # rejected by threading.stack_size
    sf = parse_file("t.mpl", "fn main() = 1\n")
    assert isinstance(sf.items[0], ast.FnDef)


def test_parses_inline_when_no_thread_can_start(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    sf = parse_file("t.mpl", "fn main() = 1\n")
    assert isinstance(sf.items[0], ast.FnDef)
