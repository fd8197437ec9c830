"""Project discovery and the compilation pipeline.

A project is a directory with `main.mpl` at its root. Every other `.mpl` file below it is a
module named by its path in PascalCase: `math/vector.mpl` is `Math.Vector`, `http_utils.mpl`
is `HttpUtils`. A single `.mpl` file given to `meshc run` is a one-module project.

The pipeline is one-way: source -> AST (syntax) -> typed AST (check) -> MIR (lower) ->
object (codegen) -> executable (link). Each stage is imported lazily so that `meshc check
--parse-only` never pays for LLVM.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from toolchain import __version__
from toolchain.diagnostics import CompileError, Diagnostic, SourceMap
from toolchain.syntax.ast import NO_SPAN, SourceFile, Span

SKIP_DIRS = {".git", ".mesh", ".mesh-cache", "node_modules", "target", "build", "dist", ".venv"}


@dataclass
class ModuleFile:
    name: str  # "Main" for the entry point, else e.g. "Math.Vector"
    path: Path
    rel: str  # path relative to the project root, used in diagnostics
    is_main: bool


@dataclass
class Project:
    root: Path
    modules: list[ModuleFile]
    sources: SourceMap = field(default_factory=SourceMap)


class Timings:
    """Per-stage wall-clock and CPU seconds of one compilation (`meshc build --timings`). CPU time
    is the whole process's (the parser runs on a helper thread) plus its finished children's
    (the linker)."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float, float]] = []

    @contextmanager
    def stage(self, name: str):
        w0, c0 = time.perf_counter(), _cpu()
        try:
            yield
        finally:
            self.stages.append((name, time.perf_counter() - w0, _cpu() - c0))

    def render(self) -> str:
        lines = [f"  {'stage':<10} {'wall':>8} {'cpu':>8}"]
        for name, w, c in self.stages:
            lines.append(f"  {name:<10} {w:7.3f}s {c:7.3f}s")
        tw = sum(w for _, w, _ in self.stages)
        tc = sum(c for _, _, c in self.stages)
        lines.append(f"  {'total':<10} {tw:7.3f}s {tc:7.3f}s")
        return "\n".join(lines)


def _cpu() -> float:
    import resource

    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


@contextmanager
def _stage(timings: Timings | None, name: str):
    if timings is None:
        yield
    else:
        with timings.stage(name):
            yield


def pascal_case(segment: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in segment.split("_") if part)


def module_name_for(rel: Path) -> str:
    parts = list(rel.with_suffix("").parts)
    return ".".join(pascal_case(p) for p in parts)


def discover(root: Path) -> Project:
    """Find main.mpl and every module below `root` (sorted, so builds are reproducible)."""
    root = root.resolve()
    main = root / "main.mpl"
    if not main.is_file():
        raise CompileError(
            Diagnostic(
                "E0031",
                f"no main.mpl in {root}",
                Span(str(root), 0, 0),
                hints=["a Mesh project needs a main.mpl file with `fn main() do ... end` at its root"],
            )
        )
    modules = [ModuleFile("Main", main, "main.mpl", True)]
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for fname in sorted(filenames):
            if not fname.endswith(".mpl"):
                continue
            path = Path(dirpath) / fname
            if path == main:
                continue
            rel = path.relative_to(root)
            modules.append(ModuleFile(module_name_for(rel), path, rel.as_posix(), False))
    modules[1:] = sorted(modules[1:], key=lambda m: m.rel)
    return Project(root, modules)


def single_file_project(path: Path) -> Project:
    path = path.resolve()
    return Project(path.parent, [ModuleFile("Main", path, path.name, True)])


# ───────────────────────────── parse cache ─────────────────────────────


def cache_dir() -> Path:
    base = os.environ.get("MESH_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "mesh"
    )
    return Path(base)


def _grammar_fingerprint() -> str:
    from toolchain.driver.paths import grammar_path

    try:
        return hashlib.sha256(grammar_path().read_bytes()).hexdigest()[:16]
    except OSError:
        return "nogrammar"


_FINGERPRINT: str | None = None


def _cache_path(mod: ModuleFile, text: str) -> Path:
    global _FINGERPRINT
    if _FINGERPRINT is None:
        _FINGERPRINT = _grammar_fingerprint()
    key = hashlib.sha256(f"{__version__}\0{_FINGERPRINT}\0{mod.rel}\0{text}".encode()).hexdigest()
    return cache_dir() / "ast" / key[:2] / f"{key}.pickle"


def _cache_enabled(use_cache: bool) -> bool:
    return use_cache and os.environ.get("MESH_NO_CACHE") != "1"


def cached_tree(mod: ModuleFile, text: str, use_cache: bool = True) -> SourceFile | None:
    """The cached parse of this exact text, if there is one."""
    if not _cache_enabled(use_cache):
        return None
    try:
        with open(_cache_path(mod, text), "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        return None


def parse_module(mod: ModuleFile, text: str, use_cache: bool = True) -> SourceFile:
    """Parse one file, reusing the on-disk cache keyed by content, path, grammar and version."""
    tree = cached_tree(mod, text, use_cache)
    if tree is not None:
        return tree
    from toolchain.syntax import parse_file

    tree = parse_file(mod.rel, text)
    if _cache_enabled(use_cache):
        path = _cache_path(mod, text)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(tree, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except (OSError, pickle.PickleError, RecursionError):
            pass
    return tree


# Below this much source text to parse, forking workers costs more than it saves.
PARALLEL_PARSE_MIN_CHARS = 30_000


def _parse_in_worker(mod: ModuleFile, text: str) -> tuple[str, object]:
    """Runs in a forked worker: ("ok", tree) or ("err", diagnostics)."""
    try:
        return "ok", parse_module(mod, text)
    except CompileError as err:
        return "err", err.diagnostics


def _parse_parallel(jobs: list[tuple[int, ModuleFile, str]]) -> dict[int, tuple[str, object]] | None:
    """Parse modules in forked worker processes (one per core); None when that is not possible,
    and the caller parses them here instead."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:
        return None
    from toolchain.syntax.metamodel import get_metamodel

    get_metamodel()  # built once here, inherited by the workers
    workers = min(len(jobs), os.cpu_count() or 1)
    jobs = sorted(jobs, key=lambda j: -len(j[2]))  # biggest first: better balance
    try:
        with ProcessPoolExecutor(workers, mp_context=ctx) as ex:
            futs = {i: ex.submit(_parse_in_worker, mod, text) for i, mod, text in jobs}
            return {i: f.result() for i, f in futs.items()}
    except (OSError, RuntimeError, pickle.PickleError, RecursionError):
        return None  # includes BrokenProcessPool (a RuntimeError)


def read_sources(project: Project) -> list[tuple[ModuleFile, str]]:
    out = []
    for mod in project.modules:
        try:
            raw = mod.path.read_bytes()
        except OSError as exc:
            raise CompileError(Diagnostic("E0031", f"cannot read {mod.rel}: {exc.strerror}", NO_SPAN)) from exc
        text = raw.decode("utf-8", errors="replace")
        project.sources.add(mod.rel, text)
        out.append((mod, text))
    return out


def parse_project(project: Project) -> list[tuple[ModuleFile, SourceFile]]:
    """Parse every module; collect the syntax errors of all files before failing. Modules not in
    the parse cache are parsed in parallel worker processes when there are several and enough
    text (`MESH_PARALLEL_PARSE=0` turns that off)."""
    errors: list[Diagnostic] = []
    sources = read_sources(project)
    trees: dict[int, SourceFile] = {}
    misses = []
    for i, (mod, text) in enumerate(sources):
        tree = cached_tree(mod, text)
        if tree is not None:
            trees[i] = tree
        else:
            misses.append((i, mod, text))
    done: dict[int, tuple[str, object]] | None = None
    if len(misses) >= 2 and (os.cpu_count() or 1) >= 2 and os.environ.get("MESH_PARALLEL_PARSE") != "0" \
            and sum(len(t) for _, _, t in misses) >= PARALLEL_PARSE_MIN_CHARS:
        done = _parse_parallel(misses)
    for i, mod, text in misses:
        if done is not None:
            kind, payload = done[i]
            if kind == "ok":
                trees[i] = payload  # type: ignore[assignment]
            else:
                errors.extend(payload)  # type: ignore[arg-type]
            continue
        try:
            trees[i] = parse_module(mod, text)
        except CompileError as err:
            errors.extend(err.diagnostics)
    parsed = [(mod, trees[i]) for i, (mod, _) in enumerate(sources) if i in trees]
    if errors:
        raise CompileError(errors)
    return parsed


def check_project(project: Project, timings: Timings | None = None):
    """Parse and type-check; returns the checker's CheckedProgram."""
    with _stage(timings, "parse"):
        parsed = parse_project(project)
    with _stage(timings, "check"):
        from toolchain.check import check_program
        from toolchain.check.typed import ParsedModule

        modules = [ParsedModule(name=m.name, path=m.rel, ast=tree, is_main=m.is_main) for m, tree in parsed]
        return check_program(modules)


def build_project(project: Project, output: Path, *, opt_level: int = 0, emit_llvm: Path | None = None,
                  debug_runtime: bool = False, timings: Timings | None = None):
    """Compile and link `project` into the executable `output`; returns the CheckedProgram.
    With `timings`, each stage's wall and CPU time is recorded there."""
    checked = check_project(project, timings)
    with _stage(timings, "lower"):
        from toolchain.lower import lower_program

        program = lower_program(checked, project.sources)
    with _stage(timings, "codegen"):
        from toolchain.codegen import emit_ir

        ir_text = emit_ir(program, opt_level)
    output.parent.mkdir(parents=True, exist_ok=True)
    obj = output.with_name(output.name + ".o")
    with _stage(timings, "llvm"):
        from toolchain.codegen import emit_object_from_ir

        emit_object_from_ir(ir_text, str(obj), opt_level=opt_level,
                            llvm_ir_path=str(emit_llvm) if emit_llvm else None)
    try:
        with _stage(timings, "link"):
            from toolchain.driver.link import link_executable

            link_executable([obj], output, debug_runtime=debug_runtime)
    finally:
        try:
            obj.unlink()
        except OSError:
            pass
    return checked
