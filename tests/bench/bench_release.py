"""Release binary benchmark: prints numbers, asserts nothing.

    .venv/bin/python tests/bench/bench_release.py [--runs N] [--meshc dist/meshc]

Measures, each as the median of N runs (min and max beside it):
- `meshc --version` cold (empty cache: the one-file binary unpacks itself) and warm (unpacked);
- `meshc build hello`: the first one on a machine (unpacks the bundled linker too), then with
  a cold and a warm parse cache, through dist/meshc and through the development install;
- the size of dist/meshc, of the release archive and of the hello executable.
Needs dist/meshc (packaging/build_release.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HELLO = 'fn main() do\n  println("Hello from Mesh!")\nend\n'


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return dt


def report(label: str, samples: list[float]) -> None:
    med = statistics.median(samples)
    print(f"  {label:<52} {med * 1000:8.0f} ms   (min {min(samples) * 1000:.0f}, "
          f"max {max(samples) * 1000:.0f}, n={len(samples)})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--meshc", type=Path, default=ROOT / "dist" / "meshc")
    ap.add_argument("--dev-meshc", type=Path, default=ROOT / ".venv" / "bin" / "meshc")
    opts = ap.parse_args()
    release = opts.meshc.resolve()
    if not release.is_file():
        sys.exit(f"{release} is missing: run packaging/build_release.py first")
    n = opts.runs
    base_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    with tempfile.TemporaryDirectory(prefix="mesh-bench-") as td:
        tmp = Path(td)
        proj = tmp / "hello"
        proj.mkdir()
        (proj / "main.mpl").write_text(HELLO)

        def fresh_home(tag: str) -> dict[str, str]:
            home = tmp / f"home-{tag}"
            shutil.rmtree(home, ignore_errors=True)
            home.mkdir()
            return {**base_env, "HOME": str(home)}

        print(f"release binary: {release}")
        out = subprocess.run([str(release), "--version"], capture_output=True, text=True).stdout.strip()
        print(f"  {out}")
        print("startup")
        cold = [timed([str(release), "--version"], fresh_home(f"v{i}"), tmp) for i in range(n)]
        report("meshc --version, cold (unpacks into the cache)", cold)
        env = fresh_home("warm")
        timed([str(release), "--version"], env, tmp)
        report("meshc --version, warm", [timed([str(release), "--version"], env, tmp) for _ in range(n)])

        print("meshc build hello")
        first = []
        for i in range(max(1, n // 2)):
            e = fresh_home(f"first{i}")
            timed([str(release), "--version"], e, tmp)  # binary unpacked, linker and caches not yet
            first.append(timed([str(release), "build", str(proj)], e, tmp))
        report("dist/meshc, first build on a machine (linker unpack)", first)
        env = fresh_home("build")
        timed([str(release), "build", str(proj)], env, tmp)
        cold_parse = []
        for i in range(n):
            e = {**env, "MESH_CACHE_DIR": str(tmp / f"pc{i}")}
            shutil.copytree(Path(env["HOME"]) / ".cache" / "mesh" / "linker", tmp / f"pc{i}" / "linker")
            cold_parse.append(timed([str(release), "build", str(proj)], e, tmp))
        report("dist/meshc, cold parse cache", cold_parse)
        report("dist/meshc, warm", [timed([str(release), "build", str(proj)], env, tmp) for _ in range(n)])
        if opts.dev_meshc.is_file() and shutil.which("cc"):
            denv = {**os.environ, "MESH_CACHE_DIR": str(tmp / "devcache")}
            timed([str(opts.dev_meshc), "build", str(proj)], denv, tmp)
            dcold = []
            for i in range(n):
                dcold.append(timed([str(opts.dev_meshc), "build", str(proj)],
                                   {**denv, "MESH_CACHE_DIR": str(tmp / f"dc{i}")}, tmp))
            report("development install (cc), cold parse cache", dcold)
            report("development install (cc), warm",
                   [timed([str(opts.dev_meshc), "build", str(proj)], denv, tmp) for _ in range(n)])
        else:
            print("  (no development install or no cc: skipped the comparison)")

        print("sizes")
        print(f"  {'dist/meshc':<52} {release.stat().st_size / 1e6:8.1f} MB")
        for archive in sorted((ROOT / "dist").glob("meshc-v*.tar.gz")):
            print(f"  {archive.name:<52} {archive.stat().st_size / 1e6:8.1f} MB")
        exe = proj / "hello"
        timed([str(release), "build", str(proj)], env, tmp)
        print(f"  {'hello executable (bundled linker)':<52} {exe.stat().st_size / 1e3:8.1f} KB")
        if opts.dev_meshc.is_file() and shutil.which("cc"):
            timed([str(opts.dev_meshc), "build", str(proj), "-o", str(tmp / "hello-cc")], denv, tmp)
            print(f"  {'hello executable (system cc)':<52} {(tmp / 'hello-cc').stat().st_size / 1e3:8.1f} KB")
        unpacked = [p for p in (Path(env["HOME"]) / ".cache" / "mesh").glob("meshc-*") if p.is_dir()]
        for d in unpacked:
            total = sum(f.stat().st_size for f in d.rglob("*") if f.is_file())
            print(f"  {'unpacked binary ' + d.name:<52} {total / 1e6:8.1f} MB")
        linker = Path(env["HOME"]) / ".cache" / "mesh" / "linker"
        if linker.is_dir():
            total = sum(f.stat().st_size for f in linker.rglob("*") if f.is_file())
            print(f"  {'unpacked linker':<52} {total / 1e6:8.1f} MB")


if __name__ == "__main__":
    main()
