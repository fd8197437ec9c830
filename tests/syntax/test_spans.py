"""Every node's span must cover exactly the source text it came from."""

from __future__ import annotations

import dataclasses

from syntax_helpers import parse

from toolchain.syntax import ast

SRC = """\
## Doc.
pub fn area(shape :: Shape, scale) -> Float do
  let factor :: Float = scale * 2.0
  case shape do
    Circle(r) -> 3.14 * r * r * factor
    Rect(w, h) when w > 0.0 -> w * h
    _ -> -1.0
  end
end

struct Point do
  x :: Int
end deriving(Eq)

fn main() do
  let p = Point { x: 1 }
  let xs = [1, 2, 3] |> List.map(fn x -> x + p.x end)
  println("sum ${List.sum(xs)}")
  for {k, v} in %{"a" => 1} do
    k
  end
end
"""


def walk(node: object):
    if isinstance(node, ast.Node):
        yield node
        for f in dataclasses.fields(node):
            if f.name in ("span", "info", "ty"):
                continue
            yield from walk(getattr(node, f.name))
    elif isinstance(node, list | tuple):
        for x in node:
            yield from walk(x)


def text_of(node: ast.Node) -> str:
    return SRC[node.span.start : node.span.end]


def test_every_node_has_a_real_span_inside_its_parent() -> None:
    sf = parse(SRC, path="spans.mpl")

    def check(node: ast.Node, parent: ast.Node | None) -> None:
        assert node.span.file == "spans.mpl", node
        assert 0 <= node.span.start <= node.span.end <= len(SRC), node
        if parent is not None and not isinstance(node, ast.Block):
            assert parent.span.start <= node.span.start and node.span.end <= parent.span.end, (node, parent)
        for f in dataclasses.fields(node):
            if f.name in ("span", "info", "ty"):
                continue
            for child in walk(getattr(node, f.name)):
                if child is not node:
                    check(child, node)
                    break

    for item in sf.items:
        check(item, sf)


def test_specific_spans() -> None:
    sf = parse(SRC, path="spans.mpl")
    area, point, main = sf.items
    assert text_of(area).startswith("pub fn area(") and text_of(area).endswith("end")
    assert isinstance(area, ast.FnDef)
    assert text_of(area.params[0]) == "shape :: Shape"
    assert text_of(area.params[0].type) == "Shape"  # type: ignore[arg-type]
    let = area.body.stmts[0]  # type: ignore[union-attr]
    assert text_of(let) == "let factor :: Float = scale * 2.0"
    assert text_of(let.value) == "scale * 2.0"  # type: ignore[union-attr]
    case = area.body.stmts[1]  # type: ignore[union-attr]
    assert isinstance(case, ast.Case)
    assert text_of(case.arms[0]) == "Circle(r) -> 3.14 * r * r * factor"
    assert text_of(case.arms[0].pattern) == "Circle(r)"
    assert text_of(case.arms[1].guard) == "w > 0.0"  # type: ignore[arg-type]
    neg = case.arms[2].body
    assert isinstance(neg, ast.UnaryOp) and text_of(neg) == "-1.0"
    assert text_of(point) == "struct Point do\n  x :: Int\nend deriving(Eq)"
    assert isinstance(main, ast.FnDef) and isinstance(main.body, ast.Block)
    let_p, let_xs, call, loop = main.body.stmts
    assert text_of(let_p.value) == "Point { x: 1 }"  # type: ignore[union-attr]
    pipe = let_xs.value  # type: ignore[union-attr]
    assert isinstance(pipe, ast.Pipe)
    assert text_of(pipe) == "[1, 2, 3] |> List.map(fn x -> x + p.x end)"
    assert text_of(pipe.right) == "List.map(fn x -> x + p.x end)"
    closure = pipe.right.args[0]  # type: ignore[attr-defined]
    assert text_of(closure) == "fn x -> x + p.x end"
    assert text_of(closure.clauses[0].body) == "x + p.x"
    assert isinstance(call, ast.Call)
    s = call.args[0]
    assert isinstance(s, ast.StringLit) and text_of(s) == '"sum ${List.sum(xs)}"'
    assert text_of(s.parts[1]) == "List.sum(xs)"  # type: ignore[arg-type]
    assert isinstance(loop, ast.For) and text_of(loop.pattern) == "{k, v}"
    assert text_of(loop.iterable) == '%{"a" => 1}'


def test_offsets_are_characters_not_bytes() -> None:
    src = 'fn main() do\n  let s = "héllo ✓"\n  s\nend\n'
    sf = parse(src)
    fn = sf.items[0]
    assert isinstance(fn, ast.FnDef) and isinstance(fn.body, ast.Block)
    last = fn.body.stmts[1]
    assert src[last.span.start : last.span.end] == "s"
