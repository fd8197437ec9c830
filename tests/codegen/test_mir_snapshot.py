"""The MIR text dump of a hand-built program, pinned in a snapshot file.

Regenerate after an intended change to the printer: MESH_UPDATE_SNAPSHOTS=1 pytest tests/codegen
"""

from __future__ import annotations

import os
from pathlib import Path

from test_codegen_basic import program

from toolchain.lower import mir

SNAP = Path(__file__).parent / "snapshots" / "basic.mir"


def test_mir_dump_snapshot() -> None:
    text = mir.format_program(program())
    if os.environ.get("MESH_UPDATE_SNAPSHOTS") or not SNAP.exists():
        SNAP.write_text(text)
    assert text == SNAP.read_text()


def test_verifier_rejects_bad_jump() -> None:
    p = program()
    f = p.function("Main__sum")
    f.blocks[0].term = mir.Jump("nowhere")
    try:
        mir.verify(p)
    except mir.MirError as err:
        assert "nowhere" in str(err)
    else:
        raise AssertionError("verify accepted a jump to an unknown block")
