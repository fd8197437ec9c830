"""The session fixture that compiles each property checker program once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from prop_harness import Checker

from toolchain.driver import project as proj


@pytest.fixture(scope="session")
def build_checker(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Checker]:
    """`build_checker(name, source)` compiles `source` once per session under `name`."""
    cache: dict[str, Checker] = {}

    def get(name: str, source: str) -> Checker:
        if name not in cache:
            root = tmp_path_factory.mktemp(name)
            src = root / "src"
            src.mkdir()
            (src / "main.mpl").write_text(source)
            exe = root / name
            proj.build_project(proj.discover(src), exe)
            cache[name] = Checker(exe)
        return cache[name]

    return get


