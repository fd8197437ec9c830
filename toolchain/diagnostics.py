"""The one diagnostic type shared by every compiler stage, and its renderers.

A stage reports problems by raising `CompileError` (one or more diagnostics; compilation of the
unit stops) or by appending to a `DiagnosticSink` (collect several, stop at the end of the stage).
The driver renders them as a source excerpt with carets, or as JSON with `--json`.

Codes follow the reference: P0001 for syntax errors, E0001.. for semantic errors, W0001.. for
warnings. The full table with one-line descriptions lives in `CODES`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from toolchain.syntax.ast import Span

CODES: dict[str, str] = {
    "P0001": "syntax error",
    "E0001": "type mismatch",
    "E0002": "infinite type",
    "E0003": "wrong number of arguments",
    "E0004": "unbound variable",
    "E0005": "not a function",
    "E0006": "trait bound not satisfied",
    "E0007": "missing trait method",
    "E0008": "trait method signature mismatch",
    "E0009": "missing, unknown or no such field",
    "E0010": "unknown variant",
    "E0011": "or-pattern binding mismatch",
    "E0012": "non-exhaustive match",
    "E0013": "invalid guard expression",
    "E0014": "send type mismatch",
    "E0015": "self() outside actor",
    "E0016": "spawn of a non-function",
    "E0017": "receive outside actor",
    "E0018": "invalid supervisor child start",
    "E0019": "invalid supervisor strategy",
    "E0020": "invalid child restart type",
    "E0021": "invalid child shutdown value",
    "E0022": "catch-all clause not last",
    "E0023": "non-consecutive function clauses",
    "E0024": "clause arity mismatch",
    "E0025": "guard type mismatch",
    "E0026": "duplicate impl",
    "E0027": "ambiguous method",
    "E0028": "cannot derive",
    "E0029": "Ord derived without Eq",
    "E0030": "no such method",
    "E0031": "unknown module",
    "E0032": "break outside loop",
    "E0033": "continue outside loop",
    "E0034": "unknown imported name",
    "E0035": "private item",
    "E0036": "`?` in a function that does not return Result or Option",
    "E0037": "`?` on a value that is not Result or Option",
    "E0038": "field is not JSON-serializable",
    "E0039": "field cannot be mapped from a database row",
    "E0040": "missing associated type",
    "E0041": "unexpected associated type",
    "E0042": "unresolved associated type",
    "E0043": "unknown type",
    "E0044": "duplicate type definition",
    "E0045": "circular module dependency or self-import",
    "W0001": "unreachable pattern",
    "W0002": "annotation on a non-first clause",
}


@dataclass
class Label:
    span: Span
    message: str


@dataclass
class Diagnostic:
    code: str
    message: str
    span: Span
    labels: list[Label] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    # None: derived from the code (W.... are warnings). Set to "warning" for the few E-codes
    # the reference also reports as warnings (a non-exhaustive multi-clause function).
    level: str | None = None

    @property
    def severity(self) -> str:
        if self.level is not None:
            return self.level
        return "warning" if self.code.startswith("W") else "error"

    def to_json(self, sources: SourceMap | None = None) -> dict:
        def loc(span: Span) -> dict:
            out = {"file": span.file, "start": span.start, "end": span.end}
            if sources is not None and span.file in sources.texts:
                line, col = sources.line_col(span.file, span.start)
                out.update(line=line, column=col)
            return out

        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "span": loc(self.span),
            "labels": [{"message": lb.message, "span": loc(lb.span)} for lb in self.labels],
            "hints": list(self.hints),
        }


class CompileError(Exception):
    """Raised by a stage to stop compilation with one or more diagnostics."""

    def __init__(self, diagnostics: Diagnostic | list[Diagnostic]):
        self.diagnostics = diagnostics if isinstance(diagnostics, list) else [diagnostics]
        super().__init__("; ".join(f"{d.code}: {d.message}" for d in self.diagnostics))


class DiagnosticSink:
    """Collects diagnostics during a stage; `check()` raises if any error was reported."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def report(self, diag: Diagnostic) -> None:
        self.items.append(diag)

    def error(self, code: str, message: str, span: Span, **kw) -> Diagnostic:
        diag = Diagnostic(code, message, span, **kw)
        self.items.append(diag)
        return diag

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def check(self) -> None:
        if self.errors:
            raise CompileError(self.errors)


class SourceMap:
    """The text of every file in a compilation, for excerpts and line/column numbers."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self._line_starts: dict[str, list[int]] = {}

    def add(self, path: str, text: str) -> None:
        self.texts[path] = text
        starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                starts.append(i + 1)
        self._line_starts[path] = starts

    def line_col(self, path: str, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a character offset."""
        import bisect

        starts = self._line_starts[path]
        idx = bisect.bisect_right(starts, offset) - 1
        return idx + 1, offset - starts[idx] + 1

    def line_text(self, path: str, line: int) -> str:
        starts = self._line_starts[path]
        text = self.texts[path]
        begin = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(text)
        return text[begin:end].rstrip("\r")


def render(diag: Diagnostic, sources: SourceMap, color: bool = False) -> str:
    """Human-readable rendering in the style of rustc/ariadne:

        error[E0001]: expected Int, found String
          --> main.mpl:3:11
           |
         3 |   let x = "a" + 1
           |           ^^^ this is a String
           = hint: ...

    A label on the primary span becomes the primary caret's message; labels on a line already
    shown are drawn under it without repeating the source line.
    """
    red, blue, bold, reset = ("\x1b[31m", "\x1b[34m", "\x1b[1m", "\x1b[0m") if color else ("",) * 4
    sev_color = red if diag.severity == "error" else ""
    out = [f"{bold}{sev_color}{diag.severity}[{diag.code}]{reset}{bold}: {diag.message}{reset}"]
    labels = list(diag.labels)
    primary_msg = ""
    for lb in labels:
        if lb.span == diag.span:
            primary_msg = lb.message
            labels.remove(lb)
            break
    spans = [(diag.span, primary_msg, True)] + [(lb.span, lb.message, False) for lb in labels]
    shown_line: tuple[str, int] | None = None
    for index, (span, message, primary) in enumerate(spans):
        if span.file not in sources.texts:
            if index == 0:
                out.append(f"  --> {span.file}")
            continue
        line, col = sources.line_col(span.file, span.start)
        end_line, end_col = sources.line_col(span.file, max(span.start, span.end - 1))
        text = sources.line_text(span.file, line)
        gutter = " " * len(str(line))
        if index == 0:
            out.append(f"{gutter}{blue}-->{reset} {span.file}:{line}:{col}")
        elif span.file != diag.span.file:
            out.append(f"{gutter}{blue}-->{reset} {span.file}:{line}:{col}")
        if shown_line != (span.file, line):
            out.append(f"{gutter} {blue}|{reset}")
            out.append(f"{blue}{line} |{reset} {text}")
            shown_line = (span.file, line)
        width = (end_col - col + 1) if end_line == line else max(1, len(text) - col + 1)
        marker = ("^" if primary else "-") * max(1, width)
        suffix = f" {message}" if message else ""
        out.append(f"{gutter} {blue}|{reset} {' ' * (col - 1)}{red if primary else blue}{marker}{reset}{suffix}")
    for hint in diag.hints:
        out.append(f"  = hint: {hint}")
    return "\n".join(out)


def render_json(diags: list[Diagnostic], sources: SourceMap | None = None) -> str:
    """One JSON object per line (the reference's `--json` mode)."""
    return "\n".join(json.dumps(d.to_json(sources)) for d in diags)
