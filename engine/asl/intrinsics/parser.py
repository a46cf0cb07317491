"""Intrinsic function call grammar (JSONPath mode).

Spec ("Intrinsic Functions"): "States.Format('Welcome to {} {}\\'s playlist.', $.firstName,
$.lastName)". Arguments are, per AWS:
  * string literals in single quotes; inside them the reserved characters are escaped with a
    backslash: \\' (quote), \\{ and \\} (literal braces in a States.Format template), \\\\;
  * numbers (JSON syntax, optionally negative), true, false, null;
  * paths: `$…` (input), `$$…` (context object), `$name…` (a workflow variable);
  * nested intrinsic calls.
Whitespace around arguments is ignored. The parse tree is cached per expression string.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from ..errors import ErrorName, StatesError


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class StringLiteral:
    value: str          # escapes resolved
    template: tuple     # for States.Format: str pieces, with None for each `{}` placeholder


@dataclass(frozen=True)
class PathArg:
    path: str


@dataclass(frozen=True)
class Call:
    name: str           # e.g. "States.Format"
    args: tuple


class IntrinsicSyntaxError(ValueError):
    pass


_NAME_RE = re.compile(r"States\.[A-Za-z0-9]+")
_NUMBER_RE = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_KEYWORDS = {"true": True, "false": False, "null": None}


def looks_like_call(s: Any) -> bool:
    """Cheap test used by is_intrinsic: `States.Name(` … `)`."""
    if not isinstance(s, str):
        return False
    t = s.strip()
    m = _NAME_RE.match(t)
    return bool(m) and t[m.end():m.end() + 1] == "(" and t.endswith(")")


class _Parser:
    def __init__(self, text: str):
        self.s = text
        self.i = 0

    def error(self, msg: str) -> IntrinsicSyntaxError:
        return IntrinsicSyntaxError(f"{msg} at position {self.i} in {self.s!r}")

    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def call(self) -> Call:
        m = _NAME_RE.match(self.s, self.i)
        if not m:
            raise self.error("expected an intrinsic function name")
        self.i = m.end()
        self.ws()
        if self.s[self.i:self.i + 1] != "(":
            raise self.error("expected '('")
        self.i += 1
        args = []
        self.ws()
        if self.s[self.i:self.i + 1] == ")":
            self.i += 1
            return Call(m.group(0), ())
        while True:
            self.ws()
            args.append(self.arg())
            self.ws()
            ch = self.s[self.i:self.i + 1]
            self.i += 1
            if ch == ")":
                return Call(m.group(0), tuple(args))
            if ch != ",":
                self.i -= 1
                raise self.error("expected ',' or ')'")

    def arg(self):
        ch = self.s[self.i:self.i + 1]
        if ch == "'":
            return self.string()
        if ch == "$":
            return self.path()
        if self.s.startswith("States.", self.i):
            return self.call()
        m = _NUMBER_RE.match(self.s, self.i)
        if m:
            self.i = m.end()
            return Literal(json.loads(m.group(0)))
        for word, value in _KEYWORDS.items():
            if self.s.startswith(word, self.i):
                self.i += len(word)
                return Literal(value)
        raise self.error("expected an argument")

    def string(self) -> StringLiteral:
        self.i += 1  # opening quote
        value, template, piece = [], [], []
        while True:
            if self.i >= len(self.s):
                raise self.error("unterminated string literal")
            ch = self.s[self.i]
            if ch == "\\" and self.i + 1 < len(self.s):
                # An escaped character is always literal (\' \{ \} \\ …).
                nxt = self.s[self.i + 1]
                value.append(nxt)
                piece.append(nxt)
                self.i += 2
                continue
            if ch == "'":
                self.i += 1
                break
            if ch == "{" and self.s[self.i + 1:self.i + 2] == "}":
                value.append("{}")
                template.append("".join(piece))
                template.append(None)
                piece = []
                self.i += 2
                continue
            value.append(ch)
            piece.append(ch)
            self.i += 1
        template.append("".join(piece))
        return StringLiteral("".join(value), tuple(template))

    def path(self) -> PathArg:
        # A path runs to the next ',' or ')' outside brackets, parentheses and quotes
        # (filters such as $.a[?(@.b == 'x,y')] contain all three).
        start, depth, quote = self.i, 0, None
        while self.i < len(self.s):
            ch = self.s[self.i]
            if quote:
                if ch == "\\":
                    self.i += 1
                elif ch == quote:
                    quote = None
            elif ch in "'\"":
                quote = ch
            elif ch in "[(":
                depth += 1
            elif ch in "])":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0:
                break
            self.i += 1
        path = self.s[start:self.i].rstrip()
        return PathArg(path)


@functools.lru_cache(maxsize=2048)
def parse(expr: str) -> Call:
    """Parse one intrinsic call; raises IntrinsicSyntaxError."""
    if not isinstance(expr, str):
        raise IntrinsicSyntaxError("an intrinsic function must be a string")
    p = _Parser(expr.strip())
    call = p.call()
    p.ws()
    if p.i != len(p.s):
        raise p.error("unexpected text after the call")
    return call


def parse_or_fail(expr: str) -> Call:
    try:
        return parse(expr)
    except IntrinsicSyntaxError as exc:
        # The validator rejects these definitions; at run time they are intrinsic failures.
        raise StatesError(ErrorName.INTRINSIC_FAILURE, str(exc)) from None
