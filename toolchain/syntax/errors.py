"""Turn a textX syntax error into a readable P0001 diagnostic.

textX reports the furthest position it reached and the rules it tried there. That is accurate but
terse, so this module adds context with a small scan of the text up to the error (strings,
comments, brackets and `do`/`fn` ... `end` blocks): an unterminated string or block comment is
reported at its start, and a missing `end` or closing bracket points back at what opened it.
The scan only runs after a failed parse; the grammar alone decides what is valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from toolchain.diagnostics import Diagnostic, Label
from toolchain.syntax.ast import Span

# Human names for the grammar's token rules.
_RULE_NAMES = {
    "ID": "an identifier",
    "ParamVar": "a parameter name",
    "FieldName": "a field name",
    "NL": "a newline",
    "SEP": "a newline",
    "INT": "a number",
    "FLOAT": "a number",
    "ATOM": "an atom",
    "BinOp": "an operator",
    "PrefixOp": "an expression",
    "PIPE": "`|>`",
    "PIPE_AHEAD": "`|>`",
    "STMT_END": "a newline",
    "BAR": "`|`",
    "EQ": "`=`",
    "DOT": "`.`",
    "COLON": "`:`",
    "HandlerKw": "`call` or `cast`",
    "SchemaKey": "a field or schema declaration",
    "BoolLit": "an expression",
    "PLAIN_TEXT": "string text",
    "TRIPLE_TEXT": "string text",
    "EOF": "end of file",
}
# Tokens that can start an expression: listed together they read as "an expression".
_EXPRESSION_HINTS = {
    "`(`", "`[`", "`fn`", "`if`", "`case`", "`match`", "`while`", "`for`", "`receive`",
    "`return`", "`break`", "`continue`", "`self`", "`nil`", "`%{`", "`\"`", "`\"\"\"`",
    "a number", "an atom", "an expression", "`-`", "`!`", "`not`",
}

_OPERATORS = [
    "|>", "||", "&&", "==", "!=", "<=", ">=", "<>", "++", "..", "->", "=>", "::", "%{", "${",
]
_WORD_RE = re.compile(r"[^\W\d]\w*")
_ITEM_START_RE = re.compile(
    r"\n((?:pub[ \t]+)?(?:fn|def)[ \t]+[^\W\d]\w*[ \t]*[(<]"
    r"|(?:pub[ \t]+)?(?:struct|interface|impl|actor|service|supervisor|module|import)\b"
    r"|(?:pub[ \t]+)?type[ \t]+[A-Z]|from[ \t]+[A-Z])"
)
_NUM_RE = re.compile(r"[0-9][\w.]*")
_KEYWORDS = set(
    "actor after alias and call case cast cond def do else end false fn for if impl import interface "
    "in let link match module monitor nil not or pub receive return self send service spawn struct "
    "supervisor terminate trait trap true type when where while with break continue".split()
)


@dataclass
class _Opener:
    kind: str  # "do", "fn", "(", "[", "{"
    start: int
    end: int
    state: str = ""  # for "fn": "" (params), "arrow" (after ->)


@dataclass
class _ScanResult:
    openers: list[_Opener]
    unterminated_string: int | None = None
    unterminated_comment: int | None = None


_CLOSERS = {"(": ")", "[": "]", "{": "}"}


class _Scanner:
    """Scan the whole text; remember the open blocks/brackets as they were at `limit`."""

    def __init__(self, text: str, limit: int):
        self.text = text
        self.limit = limit
        self.openers: list[_Opener] = []
        self.snapshot: list[_Opener] | None = None
        self.result = _ScanResult([])

    def run(self) -> _ScanResult:
        try:
            self.tokens(0, in_interp=False)
        except _Unterminated:
            pass
        if self.snapshot is None:
            self.snapshot = list(self.openers)
        self.result.openers = self.snapshot
        return self.result

    def mark(self, i: int) -> None:
        if self.snapshot is None and i >= self.limit:
            self.snapshot = [_Opener(o.kind, o.start, o.end, o.state) for o in self.openers]

    def tokens(self, i: int, in_interp: bool) -> int:
        """Scan tokens from `i`; inside `${...}` stop after the closing `}` (returns its end)."""
        text = self.text
        n = len(text)
        depth = 0
        prev_word = ""
        while i < n:
            self.mark(i)
            c = text[i]
            if c in " \t\r\n;,":
                i += 1
                continue
            if c == "#":
                i = self.comment(i)
                continue
            if c == '"':
                i = self.string(i)
                prev_word = '"'
                continue
            if in_interp and c == "}" and depth == 0:
                return i + 1
            m = _WORD_RE.match(text, i)
            if m:
                word = m.group()
                if prev_word != "." and word in _KEYWORDS:
                    _keyword(self.openers, word, m.start(), m.end(), text)
                prev_word = word
                i = m.end()
                continue
            prev_word = c
            if c in "([{":
                depth += 1
                self.openers.append(_Opener(c, i, i + 1))
            elif c in ")]}":
                depth -= 1
                for k in range(len(self.openers) - 1, -1, -1):
                    if self.openers[k].kind in _CLOSERS:
                        if _CLOSERS[self.openers[k].kind] == c:
                            del self.openers[k:]
                        break
            elif text.startswith("->", i):
                top = self.openers[-1] if self.openers else None
                if top is not None and top.kind == "fn" and top.state == "":
                    top.state = "arrow"
                i += 2
                continue
            i += 1
        return i

    def comment(self, i: int) -> int:
        text = self.text
        n = len(text)
        if not text.startswith("#=", i):
            while i < n and text[i] not in "\r\n":
                i += 1
            return i
        depth, j = 1, i + 2
        while j < n and depth:
            if text.startswith("#=", j):
                depth, j = depth + 1, j + 2
            elif text.startswith("=#", j):
                depth, j = depth - 1, j + 2
            else:
                j += 1
        if depth:
            self.result.unterminated_comment = i
            raise _Unterminated
        return j

    def string(self, i: int) -> int:
        text = self.text
        n = len(text)
        triple = text.startswith('"""', i)
        j = i + (3 if triple else 1)
        while j < n:
            c = text[j]
            if c == "\\":
                j += 2
                continue
            if c == "$" and text.startswith("${", j):
                j = self.tokens(j + 2, in_interp=True)
                continue
            if c == '"':
                if not triple:
                    return j + 1
                if text.startswith('"""', j):
                    return j + 3
            j += 1
        self.result.unterminated_string = i
        raise _Unterminated


class _Unterminated(Exception):
    pass


def _keyword(openers: list[_Opener], word: str, start: int, end: int, text: str) -> None:
    if word == "do":
        top = openers[-1] if openers else None
        if top is not None and top.kind == "fn" and top.state == "":
            top.state = "do"  # `fn x do ... end`: one `end` closes both
            return
        openers.append(_Opener("do", start, end))
    elif word == "fn":
        rest = text[end : end + 80].lstrip(" \t")
        named = _WORD_RE.match(rest)
        if named and rest[named.end() : named.end() + 1] in ("(", "<"):
            return  # `fn name(...)`: a named definition; its `do` (if any) opens the block
        openers.append(_Opener("fn", start, end))
    elif word == "end":
        for k in range(len(openers) - 1, -1, -1):
            if openers[k].kind in ("do", "fn"):
                del openers[k:]
                break


def _describe_found(text: str, pos: int) -> tuple[str, int, int]:
    n = len(text)
    while pos < n and text[pos] in " \t":
        pos += 1
    if pos >= n:
        return "end of file", n, n
    c = text[pos]
    if c in "\r\n":
        return "a newline", pos, pos + 1
    if c == '"':
        return "a string", pos, pos + 1
    m = _WORD_RE.match(text, pos)
    if m:
        word = m.group()
        if word in _KEYWORDS:
            return f"`{word}`", pos, m.end()
        return f"`{word}`", pos, m.end()
    m = _NUM_RE.match(text, pos)
    if m:
        return f"`{m.group()}`", pos, m.end()
    for op in _OPERATORS:
        if text.startswith(op, pos):
            return f"`{op}`", pos, pos + len(op)
    return f"`{c}`", pos, pos + 1


def _rule_name(rule: Any) -> str | None:
    name = getattr(rule, "rule_name", "") or ""
    if name in _RULE_NAMES:
        return _RULE_NAMES[name]
    if type(rule).__name__ == "EndOfFile":
        return "end of file"
    to_match = getattr(rule, "to_match", None)
    if isinstance(to_match, str):
        if re.fullmatch(r"[^\W\d]\w*", to_match):
            return f"`{to_match}`"  # a keyword (autokwd regex)
        m = re.fullmatch(r"\\b\(?(\w+)\)?\\b|(\w+)\\b", to_match)
        if m:
            return f"`{m.group(1) or m.group(2)}`"
        if type(rule).__name__ == "StrMatch":
            return f"`{to_match}`"
        if not name or name == "sep":
            # an inline regex in the grammar: show the literal text it stands for when simple
            simple = re.sub(r"\(\?[!=<][^)]*\)", "", to_match).replace("\\", "")
            if re.fullmatch(r"[^\w\s()?!*+\[\]]{1,3}", simple):
                return f"`{simple}`"
            return None
    return None


def _expected(err: Any) -> list[str]:
    names: list[str] = []
    for rule in getattr(err, "expected_rules", None) or []:
        name = _rule_name(rule)
        if name and name not in names:
            names.append(name)
    return names


def _join(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def syntax_error_diagnostic(path: str, text: str, err: Any) -> Diagnostic:
    cause = err.__cause__
    pos = getattr(cause, "position", None)
    if pos is None:
        pos = _pos_from_line_col(text, getattr(err, "line", 1), getattr(err, "col", 1))
    scan = _Scanner(text, pos).run()
    if scan.unterminated_string is not None and scan.unterminated_string <= pos:
        s = scan.unterminated_string
        eol = text.find("\n", s)
        end = len(text) if eol < 0 else eol
        return Diagnostic(
            "P0001",
            "unterminated string literal",
            Span(path, s, max(end, s + 1)),
            labels=[Label(Span(path, s, s + 1), "the string starts here and is never closed")],
            hints=['close the string with `"` (or `"""` for a triple-quoted string)'],
        )
    if scan.unterminated_comment is not None and scan.unterminated_comment <= pos:
        s = scan.unterminated_comment
        return Diagnostic(
            "P0001",
            "unterminated block comment",
            Span(path, s, s + 2),
            hints=["close the comment with `=#` (block comments nest)"],
        )

    found, fstart, fend = _describe_found(text, pos)
    span = Span(path, fstart, fend)
    expected = _expected(err)
    at_eof = fstart >= len(text)
    top = scan.openers[-1] if scan.openers else None

    # Habits from other languages.
    if found == "`:`" and "`::`" in expected:
        return Diagnostic(
            "P0001",
            "expected `::` before the type, found `:`",
            span,
            hints=["type annotations use a double colon: `name :: Type`"],
        )
    if found == "`{`" and not text.startswith("%{", fstart - 1):
        return Diagnostic(
            "P0001",
            f"expected {_summarise(expected)}, found `{{`" if expected else "unexpected `{`",
            span,
            hints=["blocks are written `do ... end`, not with braces"],
        )
    if found == "`'`":
        return Diagnostic(
            "P0001",
            "unexpected `'`",
            span,
            hints=['strings are written with double quotes: "text"'],
        )

    # A closer with nothing open to close.
    closer = text[fstart:fend]
    brackets = [o for o in scan.openers if o.kind in _CLOSERS]
    if closer in (")", "]", "}") and (not brackets or _CLOSERS[brackets[-1].kind] != closer):
        if brackets:
            b = brackets[-1]
            return Diagnostic(
                "P0001",
                f"expected `{_CLOSERS[b.kind]}` to close `{b.kind}`, found `{closer}`",
                span,
                labels=[Label(Span(path, b.start, b.end), f"`{b.kind}` opened here")],
            )
        opener = {v: k for k, v in _CLOSERS.items()}[closer]
        return Diagnostic("P0001", f"unexpected `{closer}`: there is no open `{opener}` to close", span)
    if closer == "end" and not any(o.kind in ("do", "fn") for o in scan.openers):
        return Diagnostic("P0001", "unexpected `end`: there is no open block to close", span)

    # An item keyword at the start of a line inside an unclosed block almost always means the
    # block is missing its `end`: report that rather than the confusing error further on.
    blocks = [o for o in scan.openers if o.kind in ("do", "fn")]
    if blocks and not at_eof:
        m = _ITEM_START_RE.search(text, blocks[-1].end, pos + 80)
        if m is not None and m.start(1) <= pos:
            top = blocks[-1]
            kstart = m.start(1)
            found, fstart, fend = _describe_found(text, kstart)
            span = Span(path, fstart, fend)
            expected = ["`end`"]
    if top is not None and top.kind in ("do", "fn") and ("`end`" in expected or at_eof):
        what = "`do` block" if top.kind == "do" or top.state == "do" else "closure"
        opener = "do" if top.kind == "do" else "fn"
        return Diagnostic(
            "P0001",
            f"expected `end` to close the {what}, found {found}",
            span,
            labels=[Label(Span(path, top.start, top.end), f"the `{opener}` here is never closed")],
        )
    if top is not None and top.kind in _CLOSERS:
        closer = f"`{_CLOSERS[top.kind]}`"
        if closer in expected or at_eof:
            return Diagnostic(
                "P0001",
                f"expected {closer} to close `{top.kind}`, found {found}",
                span,
                labels=[Label(Span(path, top.start, top.end), f"`{top.kind}` opened here")],
                hints=_extra_hints(expected, closer),
            )
    if expected:
        shown = _summarise(expected)
        message = f"expected {shown}, found {found}"
    else:
        message = f"unexpected {found}"
    hints = []
    before = text[:fstart].rstrip(" \t")
    if re.search(r"(^|[^\w])let$", before):
        message = f"expected a pattern after `let`, found {found}"
    if found == "`=`" and "pattern" not in message:
        hints.append("a binding is written `let name = value`")
    return Diagnostic("P0001", message, span, hints=hints)


def _summarise(expected: list[str]) -> str:
    if any(e in _EXPRESSION_HINTS for e in expected):
        core = [e for e in expected if e not in _EXPRESSION_HINTS and e != "an identifier"]
        expected = core + ["an expression"]
    return _join(expected[:7])


def _extra_hints(expected: list[str], main: str) -> list[str]:
    others = [e for e in expected if e != main]
    if not others:
        return []
    return [f"the parser also accepts {_summarise(others)} here"]


def _pos_from_line_col(text: str, line: int, col: int) -> int:
    pos = 0
    for _ in range(max(line, 1) - 1):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
    return min(len(text), pos + max(col, 1) - 1)
