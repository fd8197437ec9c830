"""Build the Mesh C runtime.

Outputs (under build/runtime/ of the repository):

* ``libmeshrt.a``        -O2, position independent: linked into compiled programs and the cffi module;
* ``libmeshrt-debug.a``  -O0 -g with AddressSanitizer + UndefinedBehaviorSanitizer (link with
  ``-fsanitize=address,undefined``);
* ``py/_meshrt*.so``     a cffi out-of-line API module binding every function of
  ``cruntime/include/mesh/mesh.h`` and ``mesh/embed.h`` (for tests and the REPL).

Usage: ``python ffi/build.py [--force] [--no-cffi]``. Rebuilds only what is older than its sources.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CRUNTIME = REPO / "cruntime"
INCLUDE = CRUNTIME / "include"
SRC = CRUNTIME / "src"
OUT = REPO / "build" / "runtime"
PY_OUT = OUT / "py"
MODULE = "_meshrt"

WARN = ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror"]
RELEASE_FLAGS = ["-O2", "-fPIC", "-g"]
DEBUG_FLAGS = [
    "-O0",
    "-g",
    "-fPIC",
    "-fsanitize=address,undefined",
    "-fno-omit-frame-pointer",
    "-fno-sanitize-recover=undefined",
]
SYSTEM_LIBS = ["-lm", "-lpthread"]


def cc() -> str:
    return os.environ.get("CC") or "cc"


def sources() -> list[Path]:
    return sorted(SRC.glob("*.c")) + sorted(SRC.glob("*.S"))


def _inputs() -> list[Path]:
    return sources() + sorted(SRC.glob("*.h")) + sorted(INCLUDE.glob("mesh/*.h")) + [Path(__file__)]


def _stale(target: Path, inputs: list[Path]) -> bool:
    if not target.exists():
        return True
    t = target.stat().st_mtime
    return any(p.stat().st_mtime > t for p in inputs)


def _compile(src: Path, obj: Path, flags: list[str]) -> None:
    cmd = [cc(), *WARN, *flags, f"-I{INCLUDE}", "-c", str(src), "-o", str(obj)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"compiling {src.name} failed:\n{' '.join(cmd)}\n{proc.stderr}")


def build_library(debug: bool, force: bool = False) -> Path:
    lib = OUT / ("libmeshrt-debug.a" if debug else "libmeshrt.a")
    if not force and not _stale(lib, _inputs()):
        return lib
    OUT.mkdir(parents=True, exist_ok=True)
    flags = DEBUG_FLAGS if debug else RELEASE_FLAGS
    with tempfile.TemporaryDirectory(prefix="meshrt-") as tmp:
        objs = [Path(tmp) / (s.stem + ("_S" if s.suffix == ".S" else "") + ".o") for s in sources()]
        with ThreadPoolExecutor(max_workers=2) as pool:
            for f in [pool.submit(_compile, s, o, flags) for s, o in zip(sources(), objs, strict=True)]:
                f.result()
        tmp_lib = Path(tmp) / lib.name
        subprocess.run(["ar", "rcs", str(tmp_lib), *map(str, objs)], check=True)
        shutil.move(str(tmp_lib), lib)
    return lib


def header_declarations() -> str:
    """The ABI headers preprocessed for cffi's cdef (no system headers, see mesh/base.h)."""
    src = '#include "mesh/mesh.h"\n#include "mesh/embed.h"\n'
    proc = subprocess.run(
        [cc(), "-E", "-P", "-DMESH_ABI_PARSE", f"-I{INCLUDE}", "-x", "c", "-"],
        input=src,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def build_cffi(force: bool = False) -> Path:
    lib = build_library(debug=False, force=force)
    PY_OUT.mkdir(parents=True, exist_ok=True)
    existing = sorted(PY_OUT.glob(f"{MODULE}*.so"))
    if existing and not force and not _stale(existing[0], _inputs() + [lib]):
        return existing[0]
    import cffi

    ffibuilder = cffi.FFI()
    ffibuilder.cdef(header_declarations())
    ffibuilder.set_source(
        MODULE,
        '#include "mesh/mesh.h"\n#include "mesh/embed.h"\n',
        include_dirs=[str(INCLUDE)],
        extra_objects=[str(lib)],
        extra_compile_args=["-std=c11", "-D_GNU_SOURCE"],
        libraries=["m", "pthread"],
    )
    for old in existing:
        old.unlink()
    built = ffibuilder.compile(tmpdir=str(PY_OUT), verbose=False)
    return Path(built)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--force", action="store_true", help="rebuild everything")
    ap.add_argument("--no-cffi", action="store_true", help="only the static libraries")
    args = ap.parse_args(argv)
    try:
        print(build_library(debug=False, force=args.force))
        print(build_library(debug=True, force=args.force))
        if not args.no_cffi:
            print(build_cffi(force=args.force))
    except RuntimeError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
