"""Snapshot tests of rendered diagnostics: the exact text a user sees for a representative set
of errors (excerpt, carets, labels, hints), and the `--json` form of the same diagnostics.

Each case below is a small program (or a project: several files); its rendering is compared
byte for byte with `tests/check/snapshots/<name>.txt`. To regenerate after a deliberate change:

    MESH_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/check/test_snapshots.py

and review the diff of the snapshot files before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import _modules, check_program

from toolchain import syntax as _syntax  # noqa: F401  (initialise the parser package first)
from toolchain.diagnostics import CompileError, SourceMap, render, render_json

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("MESH_UPDATE_SNAPSHOTS") == "1"

CASES: dict[str, dict[str, str]] = {
    "type_mismatch_annotation": {"main.mpl": """fn main() do
  let count :: Int = "three"
  println("${count}")
end
"""},
    "if_branch_mismatch": {"main.mpl": """fn pick(flag :: Bool) -> Int do
  if flag do
    1
  else
    "one"
  end
end

fn main() do
  println("${pick(true)}")
end
"""},
    "arity_mismatch": {"main.mpl": """fn area(w :: Int, h :: Int) -> Int = w * h

fn main() do
  println("${area(3)}")
end
"""},
    "unbound_variable_suggestion": {"main.mpl": """fn main() do
  let total = 10
  println("${totl + 1}")
end
"""},
    "unknown_field": {"main.mpl": """struct User do
  name :: String
  age :: Int
end

fn main() do
  let u = User { name: "Ann", age: 30 }
  println(u.email)
end
"""},
    "missing_field": {"main.mpl": """struct User do
  name :: String
  age :: Int
end

fn main() do
  let u = User { name: "Ann" }
  println(u.name)
end
"""},
    "non_exhaustive_case": {"main.mpl": """type Shape do
  Circle(Float)
  Square(Float)
  Triangle(Float, Float)
end

fn area(s :: Shape) -> Float do
  case s do
    Circle(r) -> 3.14 * r * r
    Square(a) -> a * a
  end
end

fn main() do
  println("${area(Circle(1.0))}")
end
"""},
    "trait_bound_not_satisfied": {"main.mpl": """interface Describe do
  fn describe(self) -> String
end

fn show_all<T>(xs :: List<T>) -> String where T: Describe do
  xs |> List.map(fn(x) -> x.describe() end) |> String.join(", ")
end

fn main() do
  println(show_all([1, 2, 3]))
end
"""},
    "missing_trait_method": {"main.mpl": """interface Shape do
  fn area(self) -> Float
  fn perimeter(self) -> Float
end

struct Sq do
  side :: Float
end

impl Shape for Sq do
  fn area(self) -> Float do
    self.side * self.side
  end
end

fn main() do
  println("${Sq { side: 2.0 }.area()}")
end
"""},
    "ambiguous_method": {"main.mpl": """interface Loud do
  fn speak(self) -> String
end

interface Quiet do
  fn speak(self) -> String
end

struct Dog do
  name :: String
end

impl Loud for Dog do
  fn speak(self) -> String = "WOOF"
end

impl Quiet for Dog do
  fn speak(self) -> String = "woof"
end

fn main() do
  println(Dog { name: "Rex" }.speak())
end
"""},
    "no_such_method": {"main.mpl": """struct Point do
  x :: Int
end

fn main() do
  let p = Point { x: 1 }
  println(p.length())
end
"""},
    "missing_assoc_type": {"main.mpl": """struct Money do
  cents :: Int
end

impl Add for Money do
  fn add(self, other :: Money) -> Money do
    Money { cents: self.cents + other.cents }
  end
end

fn main() do
  println("ok")
end
"""},
    "cannot_derive": {"main.mpl": """struct Config do
  path :: String
end deriving(Eq, Clone)

fn main() do
  println("ok")
end
"""},
    "json_field_not_serializable": {"main.mpl": """struct Job do
  id :: Int
  worker :: Pid
end deriving(Json)

fn main() do
  println("ok")
end
"""},
    "try_in_non_result_fn": {"main.mpl": """fn parse(s :: String) -> Result<Int, String> do
  Ok(String.length(s))
end

fn double(s :: String) -> Int do
  let n = parse(s)?
  n * 2
end

fn main() do
  println("${double("ab")}")
end
"""},
    "redundant_arm_warning_and_error": {"main.mpl": """fn main() do
  let x = 3
  case x do
    _ -> println("any")
    1 -> println("one")
  end
  let y :: String = x
end
"""},
    "syntax_error": {"main.mpl": """fn main() do
  let xs = [1, 2, 3
  println("${xs}")
end
"""},
    "try_error_without_from": {"main.mpl": """struct DbError do
  code :: Int
end

struct AppError do
  text :: String
end

fn query() -> Result<Int, DbError> = Err(DbError { code: 7 })

fn handler() -> Result<Int, AppError> do
  let rows = query()?
  Ok(rows)
end

fn main() do
  println("ok")
end
"""},
    "method_on_unbounded_type_param": {"main.mpl": """interface Sized do
  fn size(self) -> Int
end

fn biggest<T>(a :: T, b :: T) -> Int do
  if a.size() > b.size() do a.size() else b.size() end
end

fn main() do
  println("ok")
end
"""},
    "into_ambiguous": {"main.mpl": """struct Meters do
  v :: Float
end

struct Feet do
  v :: Float
end

struct Miles do
  v :: Float
end

impl From<Meters> for Feet do
  fn from(m :: Meters) -> Feet = Feet { v: m.v * 3.28 }
end

impl From<Meters> for Miles do
  fn from(m :: Meters) -> Miles = Miles { v: m.v / 1609.0 }
end

fn main() do
  let x = Meters { v: 100.0 }.into()
  println("ok")
end
"""},
    "private_function_from_module": {
        "main.mpl": """import Billing

fn main() do
  println("${Billing.tax(100)}")
end
""",
        "billing.mpl": """fn tax(amount :: Int) -> Int = amount / 5

pub fn total(amount :: Int) -> Int = amount + tax(amount)
""",
    },
    "import_cycle": {
        "main.mpl": """import Orders

fn main() do
  println(Orders.describe())
end
""",
        "orders.mpl": """import Customers

pub fn describe() -> String = "orders of " <> Customers.name()
""",
        "customers.mpl": """import Orders

pub fn name() -> String = "customers"
""",
    },
    "unknown_module_suggestion": {
        "main.mpl": """import Geometry

fn main() do
  println("${Geometri.area(2)}")
end
""",
        "geometry.mpl": """pub fn area(s :: Int) -> Int = s * s
""",
    },
    "error_in_other_module": {
        "main.mpl": """import Text

fn main() do
  println(Text.shout("hi"))
end
""",
        "text.mpl": """pub fn shout(s :: String) -> String do
  s <> 1
end
""",
    },
}


def _diagnostics(files: dict[str, str]) -> tuple[list, SourceMap]:
    main = files["main.mpl"]
    others = {k: v for k, v in files.items() if k != "main.mpl"}
    sources = SourceMap()
    for path, text in files.items():
        sources.add(path, text)
    try:
        mods, _, _ = _modules(main, others)
    except CompileError as err:  # syntax errors
        return err.diagnostics, sources
    try:
        program = check_program(mods)
    except CompileError as err:
        return err.diagnostics, sources
    return list(program.warnings), sources


def _snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if UPDATE or not path.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text)
        if not UPDATE:
            pytest.fail(f"snapshot {path.name} was missing and has been written; review and commit it")
    assert text == path.read_text(), f"rendering of {name} changed (MESH_UPDATE_SNAPSHOTS=1 to accept)"


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendering(name: str) -> None:
    diags, sources = _diagnostics(CASES[name])
    assert diags, f"{name} produced no diagnostics"
    text = "\n\n".join(render(d, sources) for d in diags) + "\n"
    _snapshot(name, text)


@pytest.mark.parametrize("name", ["type_mismatch_annotation", "import_cycle", "non_exhaustive_case"])
def test_json_matches_rendering(name: str) -> None:
    """`--json` carries the same code, message, primary span, labels and hints as the text."""
    diags, sources = _diagnostics(CASES[name])
    lines = render_json(diags, sources).splitlines()
    assert len(lines) == len(diags)
    for line, d in zip(lines, diags, strict=True):
        obj = json.loads(line)
        assert obj["code"] == d.code and obj["message"] == d.message
        assert (obj["span"]["file"], obj["span"]["start"], obj["span"]["end"]) == (d.span.file, d.span.start, d.span.end)
        assert (obj["span"]["line"], obj["span"]["column"]) == sources.line_col(d.span.file, d.span.start)
        assert [lb["message"] for lb in obj["labels"]] == [lb.message for lb in d.labels]
        assert obj["hints"] == d.hints
        assert obj["severity"] == d.severity
