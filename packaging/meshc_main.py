"""Entry point of the frozen `meshc` (packaging/build_release.py compiles this file with Nuitka).

It runs the ordinary CLI (`toolchain.driver.cli.main`) with typer's rich help output off (rich is
not in the binary) and after one adjustment for a machine
without a C compiler: the code generator reads the runtime's C headers by running `cc -E` on
them (toolchain/codegen/rtdecls.py). The release build ran that preprocessing once and stored
the result in the bundle, keyed by a hash of the headers; here the preprocessing step is
answered from that file while the headers are the bundled ones, and falls back to `cc`
otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def headers_key(include_dir: Path) -> str:
    """A hash over the runtime headers' names and contents (the release build computes the same)."""
    h = hashlib.sha256()
    for header in sorted((include_dir / "mesh").glob("*.h")):
        h.update(header.name.encode() + b"\0" + header.read_bytes() + b"\0")
    return h.hexdigest()


def _install_preprocessed_headers() -> None:
    from toolchain.driver import paths, project

    manifest = paths.bundle_manifest()
    entry = (manifest or {}).get("preprocessed_headers")
    bundle = paths.bundle_dir()
    if not entry or bundle is None:
        return
    stored = bundle / entry["file"]
    original_build = project.build_project

    def build_project(*args, **kwargs):
        from toolchain.codegen import rtdecls

        original = getattr(rtdecls, "_preprocess", None)
        if original is not None and not getattr(original, "_mesh_bundled", False):

            def preprocess(inc: Path) -> tuple[str, str]:
                try:
                    if headers_key(Path(inc)) == entry["key"]:
                        data = json.loads(stored.read_text())
                        return data["code"], data["macros"]
                except (OSError, ValueError, KeyError):
                    pass
                return original(inc)

            preprocess._mesh_bundled = True  # type: ignore[attr-defined]
            rtdecls._preprocess = preprocess
        return original_build(*args, **kwargs)

    project.build_project = build_project


def main() -> None:
    # rich (typer's boxed help) is left out of the binary; typer then prints plain click help.
    os.environ.setdefault("TYPER_USE_RICH", "0")
    _install_preprocessed_headers()
    from toolchain.driver.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
