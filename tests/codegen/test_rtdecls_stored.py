"""The runtime headers' preprocessed form stored next to them (what a release bundle carries, so
that the code generator never runs `cc -E` on a machine without a C compiler)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolchain.codegen import rtdecls


@pytest.fixture
def headers(tmp_path: Path) -> Path:
    inc = tmp_path / "include"
    shutil.copytree(rtdecls.include_dir() / "mesh", inc / "mesh")
    return inc


def test_stored_form_is_used_without_a_compiler(headers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rtdecls.store_preprocessed(headers)
    expected = rtdecls._run_cc_preprocessor(headers)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert rtdecls._preprocess(headers) == expected


def test_stale_stored_form_is_ignored(headers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rtdecls.store_preprocessed(headers)
    with open(headers / "mesh" / "base.h", "a") as fh:
        fh.write("\n#define MESH_TEST_ONLY_MACRO 7\n")
    code, macros = rtdecls._preprocess(headers)
    assert "MESH_TEST_ONLY_MACRO" in macros
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(FileNotFoundError):
        rtdecls._preprocess(headers)
