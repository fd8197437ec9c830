"""File.write / File.append / File.read / File.exists / File.delete round trips of arbitrary
text (any Unicode, control characters and NUL included), compared with what Python wrote.
The texts travel to the program inside JSON lines, and come back as JSON strings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from prop_harness import MODES, Checker, check_property, program

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | st.text(
    alphabet="a\x00\n\r\t\u00e9\U0001f600", max_size=10)


@pytest.mark.parametrize("mode", MODES)
def test_file_round_trip(build_checker: Any, mode: str, tmp_path: Path) -> None:
    checker: Checker = build_checker("files", program("file_ops.mpl"))

    def check(batch: list[tuple[str, str]]) -> None:
        paths = [tmp_path / f"f{i}.txt" for i in range(len(batch))]
        lines = [json.dumps({"path": str(p), "a": a, "b": b}) for p, (a, b) in zip(paths, batch, strict=True)]
        got = checker.run(lines, mode)
        want = [f"ok ok true ok false {json.dumps(a + b, ensure_ascii=False)} {len(a + b)}" for a, b in batch]
        # the JSON strings may use different (equally valid) escapes: compare them decoded
        for g, w in zip(got, want, strict=False):
            head_g, _, rest_g = g.partition(" false ")
            head_w, _, rest_w = w.partition(" false ")
            text_g, _, len_g = rest_g.rpartition(" ")
            text_w, _, len_w = rest_w.rpartition(" ")
            assert (head_g, json.loads(text_g), len_g) == (head_w, json.loads(text_w), len_w), g
        assert len(got) == len(batch), got
        assert not any(p.exists() for p in paths)

    check_property(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=10), check, mode)
