"""The `meshc` command line.

    meshc build <dir> [-o PATH] [--release | --opt-level N] [--emit-llvm] [--json] [--no-color]
    meshc run <file.mpl | dir> [args...]
    meshc check <dir>            type-check without generating code
    meshc check --parse-only <paths...>
    meshc --version

Errors are printed as diagnostics with a source excerpt (or one JSON object per line on stderr
with `--json`); the exit status is 1 for errors in the program and 101 for an internal compiler
error, which is reported as such and never as a bare Python traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from toolchain import __version__
from toolchain.diagnostics import CompileError, Diagnostic, SourceMap, render
from toolchain.driver import project as proj

app = typer.Typer(add_completion=False, no_args_is_help=True, help="The Mesh compiler.")

INTERNAL_ERROR_STATUS = 101


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"meshc {__version__}{_commit_suffix()}")
        raise typer.Exit()


def _commit_suffix() -> str:
    from toolchain.driver.paths import REPO_DIR

    stamp = Path(__file__).resolve().parent / "COMMIT"
    if stamp.is_file():
        return f" ({stamp.read_text().strip()})"
    try:
        out = subprocess.run(["git", "-C", str(REPO_DIR), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=5)
        if out.returncode == 0:
            return f" ({out.stdout.strip()})"
    except (OSError, subprocess.SubprocessError):
        pass
    return ""


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version_callback, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    pass


class Reporter:
    """Prints diagnostics in the chosen format."""

    def __init__(self, json_mode: bool, color: bool | None) -> None:
        self.json_mode = json_mode
        self.color = (not json_mode) and (sys.stderr.isatty() if color is None else color) \
            and not os.environ.get("NO_COLOR")

    def diagnostics(self, diags: list[Diagnostic], sources: SourceMap) -> None:
        for d in diags:
            if self.json_mode:
                obj = d.to_json(sources)
                # The reference's field names, kept for tools written against it.
                obj["file"] = d.span.file
                obj["spans"] = [{"start": d.span.start, "end": d.span.end, "label": ""}] + [
                    {"start": lb.span.start, "end": lb.span.end, "label": lb.message} for lb in d.labels
                ]
                obj["fix"] = d.hints[0] if d.hints else None
                print(json.dumps(obj), file=sys.stderr)
            else:
                print(render(d, sources, color=self.color), file=sys.stderr)
                print(file=sys.stderr)

    def failed(self, message: str) -> None:
        if self.json_mode:
            print(json.dumps({"code": "C0001", "severity": "error", "message": message, "file": "",
                              "spans": [], "fix": None}), file=sys.stderr)
        else:
            print(f"error: {message}", file=sys.stderr)


def _guard(reporter: Reporter, sources: SourceMap, fn):
    """Run a compiler action, turning diagnostics and internal errors into exit codes."""
    try:
        return fn()
    except CompileError as err:
        reporter.diagnostics(err.diagnostics, sources)
        reporter.failed("Compilation failed due to errors above.")
        raise typer.Exit(1) from None
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except RecursionError:
        reporter.failed("internal compiler error: program nested too deeply for the compiler")
        raise typer.Exit(INTERNAL_ERROR_STATUS) from None
    except Exception as exc:  # noqa: BLE001 - the one place that reports compiler bugs
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{tb[-1].filename}:{tb[-1].lineno}" if tb else "?"
        print(f"internal compiler error: {type(exc).__name__}: {exc}\n  at {where}", file=sys.stderr)
        if os.environ.get("MESH_BACKTRACE") == "1":
            traceback.print_exc()
        else:
            print("  (set MESH_BACKTRACE=1 for the full Python backtrace)", file=sys.stderr)
        raise typer.Exit(INTERNAL_ERROR_STATUS) from None


def _print_warnings(reporter: Reporter, checked, sources: SourceMap) -> None:
    warnings = getattr(checked, "warnings", None) or []
    if warnings:
        reporter.diagnostics(list(warnings), sources)


def _opt_level(release: bool, opt_level: int | None) -> int:
    if opt_level is not None:
        return max(0, min(3, opt_level))
    return 2 if release else 0


@app.command()
def build(
    directory: Annotated[Path, typer.Argument(help="Project directory containing main.mpl.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output executable path.")] = None,
    release: Annotated[bool, typer.Option("--release", help="Optimise (-O2).")] = False,
    opt_level: Annotated[int | None, typer.Option("--opt-level", help="LLVM optimisation level 0-3.")] = None,
    emit_llvm: Annotated[bool, typer.Option("--emit-llvm", help="Also write textual LLVM IR next to the output.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Diagnostics as JSON lines on stderr.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No ANSI colours.")] = False,
    debug_runtime: Annotated[bool, typer.Option("--debug-runtime", help="Link the ASan/UBSan runtime.")] = False,
    timings: Annotated[bool, typer.Option("--timings", help="Print the time spent in each compiler stage.")] = False,
) -> None:
    """Compile a project directory into a native executable."""
    reporter = Reporter(json_out, False if no_color else None)
    directory = directory.resolve()
    if not directory.is_dir():
        reporter.failed(f"'{directory}' is not a directory")
        raise typer.Exit(1)
    if not (directory / "main.mpl").is_file():
        reporter.failed(f"No 'main.mpl' found in '{directory}'. Mesh projects must have a main.mpl entry point.")
        raise typer.Exit(1)
    out = output.resolve() if output else directory / directory.name
    project = proj.discover(directory)
    ll = out.with_suffix(".ll") if emit_llvm else None
    stage_times = proj.Timings() if timings else None
    try:
        checked = _guard(reporter, project.sources, lambda: proj.build_project(
            project, out, opt_level=_opt_level(release, opt_level), emit_llvm=ll, debug_runtime=debug_runtime,
            timings=stage_times))
    finally:
        if stage_times is not None:
            print(stage_times.render(), file=sys.stderr)
    _print_warnings(reporter, checked, project.sources)
    if ll is not None:
        print(f"  LLVM IR: {ll}", file=sys.stderr)
    print(f"  Compiled: {out}", file=sys.stderr)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def run(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="A .mpl file or a project directory.")],
    release: Annotated[bool, typer.Option("--release", help="Optimise (-O2).")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Diagnostics as JSON lines on stderr.")] = False,
) -> None:
    """Build a program into the cache and run it; extra arguments go to the program."""
    reporter = Reporter(json_out, None)
    target = target.resolve()
    if target.is_dir():
        project = proj.discover(target)
    elif target.is_file():
        project = proj.single_file_project(target)
    else:
        reporter.failed(f"'{target}' does not exist")
        raise typer.Exit(1)
    key = hashlib.sha256(f"{target}\0{release}".encode()).hexdigest()[:16]
    exe = proj.cache_dir() / "run" / key / (target.stem or "main")
    checked = _guard(reporter, project.sources, lambda: proj.build_project(
        project, exe, opt_level=_opt_level(release, None)))
    _print_warnings(reporter, checked, project.sources)
    sys.stdout.flush()
    result = subprocess.run([str(exe), *ctx.args])
    raise typer.Exit(result.returncode if result.returncode >= 0 else 128 - result.returncode)


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Project directory (or files/dirs with --parse-only).")],
    parse_only: Annotated[bool, typer.Option("--parse-only", help="Only report syntax errors.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Diagnostics as JSON lines on stderr.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No ANSI colours.")] = False,
) -> None:
    """Check a project for errors without generating code."""
    reporter = Reporter(json_out, False if no_color else None)
    if parse_only:
        _parse_only(paths, reporter)
        return
    if len(paths) != 1 or not paths[0].is_dir():
        reporter.failed("`meshc check` takes one project directory (use --parse-only for files)")
        raise typer.Exit(1)
    project = proj.discover(paths[0])
    checked = _guard(reporter, project.sources, lambda: proj.check_project(project))
    _print_warnings(reporter, checked, project.sources)


def _parse_only(paths: list[Path], reporter: Reporter) -> None:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*.mpl") if not any(s.startswith(".") for s in q.parts)))
        elif p.is_file():
            files.append(p)
        else:
            reporter.failed(f"'{p}' does not exist")
            raise typer.Exit(1)
    sources = SourceMap()
    failures: list[Diagnostic] = []

    def parse_all() -> None:
        for f in files:
            text = f.read_bytes().decode("utf-8", errors="replace")
            sources.add(str(f), text)
            mod = proj.ModuleFile("Main", f, str(f), True)
            try:
                proj.parse_module(mod, text)
            except CompileError as err:
                failures.extend(err.diagnostics)

    _guard(reporter, sources, parse_all)
    if failures:
        reporter.diagnostics(failures, sources)
        reporter.failed(f"{len({d.span.file for d in failures})} of {len(files)} files have syntax errors")
        raise typer.Exit(1)
    if not reporter.json_mode:
        print(f"{len(files)} files parsed without errors", file=sys.stderr)


def _scaffold(name: str) -> None:
    from toolchain.driver.scaffold import ScaffoldError, create_project

    try:
        create_project(name)
    except ScaffoldError as err:
        print(f"error: {err}", file=sys.stderr)
        raise typer.Exit(1) from None
    print(f"Created project '{name}'")


@app.command()
def new(name: Annotated[str, typer.Argument(help="Name of the project directory to create.")]) -> None:
    """Create a new project <name>/ (mesh.toml, main.mpl, .gitignore, README.md)."""
    _scaffold(name)


@app.command()
def init(name: Annotated[str, typer.Argument(help="Name of the project directory to create.")]) -> None:
    """Same as `meshc new` (the reference's name for it)."""
    _scaffold(name)


def main() -> None:
    """Entry point. The compiler recurses over deeply nested programs, so it runs on a thread with
    a large stack and a matching recursion limit."""
    import threading

    status: list[int] = [0]

    def run_app() -> None:
        try:
            app()
        except SystemExit as exc:
            code = exc.code
            status[0] = code if isinstance(code, int) else (0 if code is None else 1)
        except BaseException as exc:  # noqa: BLE001 - outside any command's guard (e.g. an import failed)
            print(f"internal compiler error: {type(exc).__name__}: {exc}", file=sys.stderr)
            if os.environ.get("MESH_BACKTRACE") == "1":
                traceback.print_exc()
            status[0] = INTERNAL_ERROR_STATUS

    sys.setrecursionlimit(60000)
    threading.stack_size(512 * 1024 * 1024)
    worker = threading.Thread(target=run_app, name="meshc")
    worker.start()
    worker.join()
    sys.stdout.flush()
    sys.exit(status[0])


if __name__ == "__main__":
    main()
