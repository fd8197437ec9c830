from __future__ import annotations

import pytest
from syntax_helpers import parse_error


def test_missing_end_points_back_at_do() -> None:
    src = "fn main() do\n  let x = 1\n  x\n"
    d = parse_error(src)
    assert d.message == "expected `end` to close the `do` block, found end of file"
    assert d.span.start == len(src)
    assert len(d.labels) == 1
    assert src[d.labels[0].span.start : d.labels[0].span.end] == "do"
    assert d.labels[0].span.start == src.index("do")


def test_missing_end_of_inner_block() -> None:
    src = "fn main() do\n  if x do\n    1\n  else\n    2\n\nfn other() = 1\n"
    d = parse_error(src)
    assert "`end`" in d.message
    assert d.labels and src[d.labels[0].span.start : d.labels[0].span.end] == "do"


def test_unclosed_closure() -> None:
    src = "fn main() do\n  let f = fn x -> x + 1\nend\n"
    d = parse_error(src)
    assert "`end`" in d.message
    assert d.labels and src[d.labels[0].span.start : d.labels[0].span.end] in ("fn", "do")


def test_unclosed_paren() -> None:
    src = "fn main() do\n  foo(1, 2\nend\n"
    d = parse_error(src)
    assert d.message.startswith("expected `)` to close `(`")
    assert src[d.span.start : d.span.end] == "end"
    assert d.labels[0].span.start == src.index("(1")


def test_bad_token() -> None:
    src = "fn main() do\n  let x = @\nend\n"
    d = parse_error(src)
    assert d.message.endswith("found `@`")
    assert "expected" in d.message
    assert (d.span.start, d.span.end) == (src.index("@"), src.index("@") + 1)
    assert d.span.file == "t.mpl"


def test_unterminated_string() -> None:
    src = 'fn main() do\n  let s = "abc\n  s\nend\n'
    d = parse_error(src)
    assert d.message == "unterminated string literal"
    assert d.span.start == src.index('"')
    assert d.span.end == src.index("\n", d.span.start)


def test_unterminated_interpolation_string() -> None:
    src = 'fn main() do\n  let s = "a ${x + "b}"\nend\n'
    d = parse_error(src)
    assert "unterminated" in d.message or "expected" in d.message


def test_unterminated_block_comment() -> None:
    d = parse_error("#= never closed\nfn main() = 1\n")
    assert d.message == "unterminated block comment"
    assert (d.span.start, d.span.end) == (0, 2)


def test_glob_import_is_rejected() -> None:
    src = "from Math.Vector import *\n"
    d = parse_error(src)
    assert d.message == "glob imports are not allowed; import names explicitly"
    assert src[d.span.start : d.span.end] == "*"
    assert d.hints


def test_assignment_without_let() -> None:
    d = parse_error("fn main() do\n  x = 1\nend\n")
    assert "found `=`" in d.message
    assert any("let" in h for h in d.hints)


def test_top_level_expression_is_rejected() -> None:
    d = parse_error("println(1)\n")
    assert d.code == "P0001"


def test_positional_after_keyword_argument() -> None:
    src = "fn main() do\n  f(a: 1, 2)\nend\n"
    d = parse_error(src)
    assert d.message == "positional argument after keyword arguments"
    assert src[d.span.start : d.span.end] == "2"


def test_two_terminate_clauses() -> None:
    src = "actor a() do\n  terminate do\n    1\n  end\n  terminate do\n    2\n  end\nend\n"
    d = parse_error(src)
    assert "terminate" in d.message


def test_interpolation_in_pattern_is_rejected() -> None:
    d = parse_error('fn main() do\n  case x do\n    "a${b}" -> 1\n  end\nend\n')
    assert "interpolation" in d.message


def test_deep_nesting_is_a_diagnostic_not_a_crash() -> None:
    depth = 3000
    src = "fn main() = " + "(" * depth + "1" + ")" * depth + "\n"
    # either it parses or it reports P0001; it must not raise anything else
    try:
        from syntax_helpers import parse

        parse(src)
    except Exception as exc:  # noqa: BLE001
        from toolchain.diagnostics import CompileError

        assert isinstance(exc, CompileError) and exc.diagnostics[0].code == "P0001"


def test_very_deep_nesting_reports_p0001() -> None:
    depth = 100_000
    d = parse_error("fn main() = " + "[" * depth + "\n")
    assert d.code == "P0001"


# Error recovery must stay linear in the nesting depth: each of these failed in exponential
# time in an earlier version of the grammar (a depth of 12 then took minutes).
PATHOLOGICAL = {
    "else_if_chain": lambda n: "if a do\n  1\n" + "".join(f"else if b{i} do\n  {i}\n" for i in range(n)) + "else\n  @\nend",
    "pipe_closures": lambda n: "x" + " |> f(fn y -> y" * n + " @" + " end)" * n,
    "map_keys": lambda n: "%{" * n + "@" + " => 1}" * n,
    "calls": lambda n: "f(" * n + "@" + ")" * n,
    "closures": lambda n: "fn x do\n" * n + "@" + "\nend" * n,
    "kwargs": lambda n: "f(a: " * n + "@" + ")" * n,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_errors_in_deep_nesting_are_reported_quickly(name: str) -> None:
    src = "fn main() do\n" + PATHOLOGICAL[name](12) + "\nend\n"
    d = parse_error(src)
    assert src[d.span.start : d.span.end] in ("@", "")


def test_missing_do() -> None:
    src = "fn main() do\n  if x\n    1\n  end\nend\n"
    d = parse_error(src)
    assert "`do`" in d.message and d.message.endswith("found a newline")
    assert d.span.start == src.index("\n", src.index("if x"))


def test_stray_closers() -> None:
    src = "fn main() do\n  foo(1))\nend\n"
    d = parse_error(src)
    assert d.message == "unexpected `)`: there is no open `(` to close"
    assert d.span.start == src.index("))") + 1
    d2 = parse_error("fn main() do\n  1\nend\nend\n")
    assert d2.message == "unexpected `end`: there is no open block to close"
    src3 = "fn main() do\n  [1, 2)\nend\n"
    d3 = parse_error(src3)
    assert d3.message == "expected `]` to close `[`, found `)`"
    assert d3.labels[0].span.start == src3.index("[")


def test_incomplete_forms() -> None:
    for src in [
        "fn main() do\n  %{x}\nend\n",
        "from M import\n",
        "fn main() do\n  if a do 1 else\nend\n",
        "interface I do\n  fn m(self) do\nend\n",
    ]:
        d = parse_error(src)
        assert 0 <= d.span.start <= d.span.end <= len(src)
        assert "internal" not in d.message


def test_hints_for_habits_from_other_languages() -> None:
    src = "fn f(x: Int) = x\n"
    d = parse_error(src)
    assert d.message == "expected `::` before the type, found `:`"
    assert d.span.start == src.index(":") and d.hints
    d = parse_error("fn main() do\n  let x: Int = 1\nend\n")
    assert d.message == "expected `::` before the type, found `:`"
    d = parse_error("fn f(x) {\n  x\n}\n")
    assert d.message.endswith("found `{`") and any("do ... end" in h for h in d.hints)
    d = parse_error("fn main() do\n  let s = 'a'\nend\n")
    assert d.message == "unexpected `'`" and any("double quotes" in h for h in d.hints)
