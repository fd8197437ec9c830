"""Entry point of the frozen `meshc` (packaging/build_release.py compiles this file with Nuitka).

It runs the ordinary CLI (`toolchain.driver.cli.main`) with typer's rich help output off (rich is
not in the binary). Everything else a machine without a C compiler needs is found by the
toolchain itself in the unpacked bundle: the linker (toolchain/driver/link.py) and the runtime
headers already preprocessed for the code generator (toolchain/codegen/rtdecls.py).
"""

from __future__ import annotations

import os


def main() -> None:
    # rich (typer's boxed help) is left out of the binary; typer then prints plain click help.
    os.environ.setdefault("TYPER_USE_RICH", "0")
    from toolchain.driver.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
