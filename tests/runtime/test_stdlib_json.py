"""JSONTestSuite through a compiled Mesh program: every `y_` document is accepted, every `n_`
document rejected, and no `i_` document crashes or hangs the program (deep nesting included).

The program reads file paths from stdin and prints one verdict per file, so the whole suite
runs through `File.read` + `JSON.parse` (+ `JSON.encode` of what was accepted) in one process.
Documents that are not valid UTF-8 are rejected by `File.read` (Mesh strings are UTF-8).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from toolchain.driver import project as proj

SUITE = Path("/work/shared/data/jsontestsuite/test_parsing")

PROGRAM = """
fn recheck(path :: String, j :: Json) do
  case JSON.parse(JSON.encode(j)) do
    Ok(_) -> println("accept ${path}")
    Err(e) -> println("reencode-failed ${path} ${e}")
  end
end

fn check(path :: String) do
  case File.read(path) do
    Ok(text) -> case JSON.parse(text) do
      Ok(j) -> recheck(path, j)
      Err(e) -> println("reject ${path} ${String.length(e)}")
    end
    Err(_) -> println("unreadable ${path}")
  end
end

fn next(line :: Result<String, String>) -> Bool do
  case line do
    Ok(path) -> check(path)
    Err(_) -> println("done")
  end
  case line do
    Ok(_) -> true
    Err(_) -> false
  end
end

fn run() do
  if next(IO.read_line()) do
    run()
  end
end

fn main() do
  run()
end
"""


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("jsonsuite") / "src"
    src.mkdir()
    (src / "main.mpl").write_text(PROGRAM)
    exe = src.parent / "jsonsuite"
    proj.build_project(proj.discover(src), exe)
    return exe


@pytest.mark.skipif(not SUITE.is_dir(), reason="JSONTestSuite not available")
@pytest.mark.parametrize("mode", ["normal", "gc-stress"])
def test_json_test_suite(checker: Path, mode: str) -> None:
    files = sorted(SUITE.glob("*.json"))
    assert len(files) > 300
    env = {"MESH_GC_STRESS": "1"} if mode == "gc-stress" else {}
    proc = subprocess.run(
        [str(checker)],
        input="".join(f"{f}\n" for f in files),
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, **env},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert lines[-1] == "done", proc.stderr[-2000:]
    verdict: dict[str, str] = {}
    for line in lines[:-1]:
        kind, path = line.split(" ", 2)[:2]
        verdict[Path(path).name] = kind
    assert len(verdict) == len(files)
    wrong = []
    for f in files:
        v = verdict[f.name]
        if f.name.startswith("y_") and v != "accept":
            wrong.append(f"{f.name}: {v}")
        elif f.name.startswith("n_") and v == "accept":
            wrong.append(f"{f.name}: accepted")
        elif v == "reencode-failed":
            wrong.append(f"{f.name}: encoded text does not parse")
    assert not wrong, "\n".join(wrong)
