"""Mutated and truncated programs must produce an AST or a P0001 CompileError, nothing else."""

from __future__ import annotations

import random
import time

import pytest

from toolchain.diagnostics import CompileError
from toolchain.syntax import ast, parse_file

CORPUS = [
    """\
## Shapes.
type Shape do
  Circle(Float)
  Rect(w :: Float, h :: Float)
end deriving(Eq)

pub fn area(s :: Shape) -> Float do
  case s do
    Circle(r) -> 3.14 * r * r
    Rect(w, h) when w > 0.0 -> w * h
    _ -> 0.0
  end
end
""",
    """\
fn main() do
  let xs = [1, 2, 3]
    |> List.map(fn x -> x * 2 end)
    |> List.filter(fn x do
      x > 2
    end)
  for {k, v} in %{"a" => 1, "b" => 2} when v > 0 do
    println("${k} = ${v + 1}")
  end
  let p = %{point | x: 1}
  if List.length(xs) > 1 do println("many") else println("few") end
end
""",
    """\
actor counter(n :: Int) do
  receive do
    (from, 1) -> counter(n + 1)
    _ -> counter(n)
    after 100 -> 0
  end
  terminate do
    println("bye #{n}")
  end
end

service Store do
  fn init() -> Int do
    0
  end
  call Get() :: Int do |s|
    (s, s)
  end
  cast Put(v :: Int) do |_s|
    v
  end
end
""",
    """\
struct User do
  table "users"
  id :: String
  belongs_to :org, Org
end deriving(Schema, Json)

interface Greeter<T> do
  type Out
  fn greet(self) -> Self.Out
end

impl Greeter<Int> for User do
  type Out = String
  fn greet(self) -> String = "hi " <> self.id
end

supervisor Sup do
  strategy: one_for_one
  child w do
    start: fn -> spawn(counter, 0) end
    restart: permanent
  end
end
""",
    '''\
from Math.Vector import add, scale
import String
#= block #= nested =# =#
fn f(0) = 1
fn f(n) when n > 0 = n * f(n - 1)
fn g(h :: t) = """multi
line ${h}"""
fn k(x) = fn 0 -> :zero | n -> -n end
fn q() = 0x_ff + 0b1010 + 1_000 + 2.5e-3 + f(2)?.field[0]
''',
]

MUTATIONS = list("()[]{}\"'#$,.:;|=<>-+*/%!?\n\t ") + [
    "do", "end", "fn", "let", "if", "else", "case", "->", "=>", "::", "|>", "${", "#=", "=#", '"""',
]


def _mutate(rng: random.Random, src: str) -> str:
    choice = rng.randrange(5)
    pos = rng.randrange(len(src) + 1)
    if choice == 0:
        return src[:pos]
    if choice == 1:
        end = min(len(src), pos + rng.randrange(1, 12))
        return src[:pos] + src[end:]
    if choice == 2:
        return src[:pos] + rng.choice(MUTATIONS) + src[pos:]
    if choice == 3:
        end = min(len(src), pos + 1)
        return src[:pos] + rng.choice(MUTATIONS) + src[end:]
    a, b = sorted(rng.randrange(len(src) + 1) for _ in range(2))
    return src[:a] + src[b:] + src[a:b]


def _check(src: str) -> None:
    try:
        result = parse_file("fuzz.mpl", src)
    except CompileError as err:
        assert err.diagnostics and all(d.code == "P0001" for d in err.diagnostics)
        for d in err.diagnostics:
            assert 0 <= d.span.start <= d.span.end <= len(src), (d, src)
            assert d.message
            # an "internal parser error" diagnostic means the builder crashed: a parser bug
            assert "internal parser error" not in d.message, (d.message, src)
        return
    assert isinstance(result, ast.SourceFile)


def test_corpus_parses() -> None:
    for src in CORPUS:
        sf = parse_file("corpus.mpl", src)
        assert sf.items


@pytest.mark.parametrize("seed", range(4))
def test_fuzz_mutations(seed: int) -> None:
    rng = random.Random(1000 + seed)
    deadline = time.monotonic() + 60
    for _ in range(90):
        if time.monotonic() > deadline:
            break
        src = rng.choice(CORPUS)
        for _ in range(rng.randrange(1, 4)):
            src = _mutate(rng, src)
        _check(src)


def test_fuzz_every_truncation_of_one_program() -> None:
    src = CORPUS[1]
    for cut in range(0, len(src), 7):
        _check(src[:cut])


def test_random_text() -> None:
    rng = random.Random(7)
    alphabet = "abcXYZ019_ \t\n\r\"'#=$%{}()[]<>|&!?:;,.-+*/\\\x00\u00e9\u2713\ufeff"
    for _ in range(60):
        _check("".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 120))))
