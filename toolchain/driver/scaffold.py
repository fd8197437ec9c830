"""`meshc new <name>` / `meshc init <name>`: create a project directory that builds as generated.

The layout follows the reference's `meshc init`: `<cwd>/<name>/` with a `mesh.toml` manifest
(`[package]` name and version, an empty `[dependencies]` table) and a `main.mpl`. The reference
scaffolds `IO.puts(...)`, which its own checker rejects; ours prints with `println`. We also write
a `.gitignore` (the executable and build leftovers) and a README saying how to build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_VERSION = "0.1.0"

# A project name becomes a directory, the executable's name and the manifest's package name.
_NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


class ScaffoldError(Exception):
    """A user error (bad name, existing directory): reported as `error: <message>`, exit 1."""


@dataclass(frozen=True)
class Scaffold:
    root: Path
    files: tuple[Path, ...]


def validate_name(name: str) -> str:
    if not name:
        raise ScaffoldError("the project name is empty")
    if "/" in name or "\\" in name:
        raise ScaffoldError(f"'{name}' is not a valid project name: it must not contain a path separator")
    if name in (".", "..") or not _NAME_RE.fullmatch(name):
        raise ScaffoldError(
            f"'{name}' is not a valid project name: use letters, digits, '_', '-' and '.', "
            "not starting with '.' or '-'"
        )
    return name


def manifest_text(name: str) -> str:
    return f'[package]\nname = "{name}"\nversion = "{DEFAULT_VERSION}"\n\n[dependencies]\n'


def main_text() -> str:
    return 'fn main() do\n  println("Hello from Mesh!")\nend\n'


def gitignore_text(name: str) -> str:
    return f"# The executable `meshc build` writes, and build leftovers.\n/{name}\n*.o\n*.ll\n.mesh-cache/\n"


def readme_text(name: str) -> str:
    return (
        f"# {name}\n\n"
        f"Build and run (from the directory that contains `{name}/`):\n\n"
        f"```sh\nmeshc build {name}\n./{name}/{name}\n```\n\n"
        f"or `meshc run {name}` to do both.\n"
    )


def create_project(name: str, parent: Path | None = None) -> Scaffold:
    """Create `<parent>/<name>/` with its files; `parent` defaults to the current directory."""
    validate_name(name)
    parent = (parent or Path.cwd())
    root = parent / name
    if root.exists():
        raise ScaffoldError(f"Directory '{name}' already exists")
    files = {
        "mesh.toml": manifest_text(name),
        "main.mpl": main_text(),
        ".gitignore": gitignore_text(name),
        "README.md": readme_text(name),
    }
    try:
        root.mkdir(parents=False)
    except FileExistsError as exc:
        raise ScaffoldError(f"Directory '{name}' already exists") from exc
    except OSError as exc:
        raise ScaffoldError(f"cannot create directory '{root}': {exc.strerror}") from exc
    written = []
    for rel, text in files.items():
        path = root / rel
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return Scaffold(root, tuple(written))
