"""Linking an object file with the Mesh runtime into an executable.

Three linkers, chosen by `linker_mode()`:

- ``bundled``: inside the release binary. The release build ran `zig cc` once for the build
  machine's target (`x86_64-linux-gnu.2.36`, say) and kept what its link step used: zig itself
  (for `zig ld.lld`), `crt1.o`, `libc_nonshared.a`, compiler-rt and stub `libc.so.6`/`libm.so.6`
  that carry glibc's symbol versions. Linking is then one `zig ld.lld` call that needs no C
  compiler, no headers and no libc development files. The linker files travel as one archive in
  the binary and are unpacked on first use into the user cache (`~/.cache/mesh/linker/<hash>`).
- ``zig``: a development install with `MESH_LINKER=zig`: `zig cc` from the `ziglang` package.
- ``cc``: the system C compiler (`$CC`, cc, gcc or clang): the default in a development install,
  and `MESH_LINKER=cc` selects it inside the release binary too.

The produced programs depend only on the C library (libc.so.6 and libm.so.6 from glibc).
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from toolchain.diagnostics import CompileError, Diagnostic
from toolchain.driver.paths import bundle_dir, bundle_manifest, runtime_library, user_cache_dir
from toolchain.syntax.ast import NO_SPAN

SYSTEM_LIBS = ["-lm", "-lpthread", "-ldl"]
LINKER_MODES = ("bundled", "zig", "cc")


def _fail(message: str, hint: str | None = None) -> CompileError:
    return CompileError(Diagnostic("E0000", message, NO_SPAN, hints=[hint] if hint else []))


def find_cc() -> str | None:
    for name in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if name and shutil.which(name):
            return name
    return None


def linker_mode() -> str:
    """`MESH_LINKER` (zig | cc | bundled) if set; else the bundled linker when there is one, else cc."""
    choice = os.environ.get("MESH_LINKER", "").strip().lower()
    has_bundle = _bundled_spec() is not None
    if choice in ("", "auto"):
        return "bundled" if has_bundle else "cc"
    if choice in ("cc", "system"):
        return "cc"
    if choice == "zig":
        return "bundled" if has_bundle else "zig"
    if choice == "bundled":
        if not has_bundle:
            raise _fail("MESH_LINKER=bundled, but this meshc has no bundled linker",
                        "only the release binary carries one; use MESH_LINKER=zig or cc")
        return "bundled"
    raise _fail(f"unknown MESH_LINKER value {choice!r}", "use zig, cc or bundled (or leave it unset)")


def link_executable(objects: list[Path], output: Path, *, debug_runtime: bool = False) -> None:
    lib = runtime_library(debug_runtime)
    if not lib.is_file():
        raise _fail(f"the Mesh runtime library is missing ({lib})",
                    "build it with `python ffi/build.py` (README: setup)")
    mode = linker_mode()
    if debug_runtime and mode != "cc":
        raise _fail("--debug-runtime needs the system C compiler (sanitizer runtimes)",
                    "install a C compiler and set MESH_LINKER=cc")
    inputs = [*map(str, objects), str(lib)]
    if mode == "bundled":
        cmd = _bundled_command(inputs, output)
    elif mode == "zig":
        cmd = [str(_package_zig()), "cc", "-target", host_zig_target(), *inputs, *SYSTEM_LIBS,
               "-o", str(output)]
    else:
        cc = find_cc()
        if cc is None:
            raise _fail("no C compiler/linker found (cc, gcc or clang)",
                        "install one, or use the release meshc, which brings its own linker")
        cmd = [cc, *inputs, *SYSTEM_LIBS, "-o", str(output)]
        if debug_runtime:
            cmd[1:1] = ["-fsanitize=address,undefined"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as exc:
        raise _fail(f"cannot run the linker {cmd[0]}: {exc.strerror}") from exc
    if proc.returncode != 0:
        raise _fail(f"linking failed ({mode} linker)", (proc.stderr or proc.stdout).strip()[:4000])


# ───────────────────────────── zig from the ziglang package ─────────────────────────────


def host_zig_target() -> str:
    """`<arch>-linux-gnu.<glibc version>` for this machine, e.g. `x86_64-linux-gnu.2.36`."""
    arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(platform.machine().lower(), platform.machine().lower())
    libc = os.confstr("CS_GNU_LIBC_VERSION") if hasattr(os, "confstr") else None
    version = libc.split()[-1] if libc and libc.startswith("glibc") else ""
    return f"{arch}-linux-gnu" + (f".{version}" if version else "")


def _package_zig() -> Path:
    try:
        import ziglang  # type: ignore[import-not-found]
    except ImportError as exc:
        raise _fail("MESH_LINKER=zig needs the `ziglang` package", "pip install -e '.[release]'") from exc
    return Path(ziglang.__file__).resolve().parent / "zig"


# ───────────────────────────── the bundled linker ─────────────────────────────


def _bundled_spec() -> dict | None:
    manifest = bundle_manifest()
    spec = manifest.get("linker") if manifest else None
    return spec if isinstance(spec, dict) else None


def _bundled_command(inputs: list[str], output: Path) -> list[str]:
    spec = _bundled_spec()
    assert spec is not None
    root = bundled_linker_root()
    args: list[str] = []
    for arg in spec["args"]:
        if arg == "{inputs}":
            args.extend(inputs)
        elif arg == "{output}":
            args.append(str(output))
        else:
            args.append(arg.replace("{sysroot}", str(root / "sysroot")))
    return [str(root / spec.get("zig", "zig")), "ld.lld", *args]


def bundled_linker_root() -> Path:
    """Unpack the bundled linker archive once (per archive hash) and return its directory."""
    spec = _bundled_spec()
    base = bundle_dir()
    if spec is None or base is None:
        raise _fail("this meshc has no bundled linker")
    archive = base / spec["archive"]
    digest = str(spec.get("sha256") or hashlib.sha256(archive.read_bytes()).hexdigest())
    target = user_cache_dir() / "linker" / digest[:16]
    if (target / ".complete").is_file():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
    except OSError as exc:
        raise _fail(f"cannot unpack the bundled linker into {target.parent}: {exc.strerror}",
                    "set MESH_CACHE_DIR to a writable directory") from exc
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="tar")
        (tmp / ".complete").write_text(digest + "\n")
        try:
            os.rename(tmp, target)
        except OSError:
            # Another meshc unpacked it at the same time; use theirs.
            if not (target / ".complete").is_file():
                raise
    except (OSError, tarfile.TarError) as exc:
        raise _fail(f"cannot unpack the bundled linker: {exc}") from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target
