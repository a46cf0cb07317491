"""Path text → tokens, with the grammar of Jayway JsonPath's `PathCompiler` (which AWS uses).

    path      = ("$" | "@") { token }
    token     = "." name | "." "*" | ".." (name | "*" | bracket) | "."? bracket | "." name "(" args ")"
    bracket   = "[" quoted { "," quoted } "]"      properties (a leaf list is merged)
              | "[" int { "," int } "]"            indexes, negative from the end
              | "[" [int] ":" [int] "]"            slice
              | "[" "*" "]" | "[?(" filter ")]"

Jayway's reading, kept here: a dot may precede a bracket (`$.[0]` is `$[0]`, `$.[?(@.x)]` is
`$[?(@.x)]`); a dotted name runs to the next `.`, `[` or `(` and may hold any other
character except a space (`$.a-b`, `$.a:b`); blanks are allowed inside brackets; a path may
not end with `.` or `..`; `[1:2:3]` (a step) and empty properties are refused.

Deviations, each with its evidence:
* Bracket names (`['a']`, `["a"]`): a backslash escapes the enclosing quote only and is
  otherwise kept — AWS reads `$['Test\\""Name"']` as the key `Test\\""Name"` (corpus
  scenario__escape_sequence_parsing_escape_sequences_jsonpath), where Jayway ≥ 2.2 would
  unescape `\\"` too.
* `[(@.length-N)]` (Goessner's script index) is read as the N-th item from the end: a
  Step Functions user reports it working on AWS, where Jayway refuses it (zenn.dev,
  "Step FunctionのJSON Pathで配列の最後のアイテムを取得する", 2024).
"""
from __future__ import annotations

import re

from . import tokens as T
from .filters import compile_filter


class JsonPathSyntaxError(ValueError):
    """The text is not a JSONPath Jayway would compile."""


_WS = " \t\r\n"
_ARRAY_CHARS = set("0123456789,-: ")
_FROM_END = re.compile(r"\(\s*@\.length\s*-\s*(\d+)\s*\)\Z")


class _Compiler:
    def __init__(self, text: str):
        self.s = text
        self.i = 0
        self.out: list = []

    def fail(self, message: str):
        raise JsonPathSyntaxError(message)

    # -- helpers ------------------------------------------------------------------------
    def at(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def next_significant(self, j: int) -> tuple[int, str]:
        """(index, char) of the first non-blank character after position j."""
        j += 1
        while j < len(self.s) and self.s[j] == " ":
            j += 1
        return (j, self.s[j]) if j < len(self.s) else (-1, "")

    # -- grammar ------------------------------------------------------------------------
    def compile(self) -> tuple:
        s = self.s
        if not s or s[0] not in "$@":
            self.fail("Path must start with '$' or '@'")
        if s.endswith("."):
            self.fail("Path must not end with a '.' or '..'")
        self.i = 1
        if self.i < len(s):
            if s[self.i] not in ".[":
                self.fail(f"Illegal character at position {self.i} expected '.' or '['")
            while self.i < len(s):
                self.token()
        return tuple(self.out)

    def token(self) -> None:
        c = self.at()
        if c == "[":
            self.bracket()
        elif c == ".":
            self.dot()
        elif c == "*":
            self.i += 1
            self.out.append(T.Wildcard())
        else:
            self.name_or_function()

    def dot(self) -> None:
        if self.at(1) == ".":
            self.out.append(T.Scan())
            self.i += 2
        else:
            self.i += 1
        if self.i >= len(self.s):
            self.fail("Path must not end with a '.'")
        if self.at() == ".":
            self.fail(f"Character '.' on position {self.i} is not valid.")
        self.token()

    def name_or_function(self) -> None:
        s, start = self.s, self.i
        if self.at() in ("", " "):
            self.fail(f"Could not parse token starting at position {start}")
        j = start
        while j < len(s) and s[j] not in ".[(":
            if s[j] == " ":
                self.fail("Use bracket notion ['my prop'] if your property contains blank "
                          f"characters. position: {j}")
            j += 1
        name = s[start:j]
        if j < len(s) and s[j] == "(":
            depth, k = 0, j
            while k < len(s):
                if s[k] == "(":
                    depth += 1
                elif s[k] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                k += 1
            if depth != 0:
                self.fail(f"Arguments to function: '{name}' are not closed properly.")
            self.out.append(T.Function(name, s[j + 1:k].strip()))
            self.i = k + 1
            return
        self.out.append(T.Property((name,)))
        self.i = j

    def bracket(self) -> None:
        _, nxt = self.next_significant(self.i)
        if nxt in ("'", '"'):
            self.bracket_names(nxt)
        elif nxt.isdigit() or nxt in "-:":
            self.array()
        elif nxt == "*":
            self.wildcard()
        elif nxt == "?":
            self.filter()
        elif nxt == "(":
            self.from_end()
        else:
            self.fail(f"Could not parse token starting at position {self.i}. Expected ?, ', 0-9, * ")

    def bracket_names(self, quote: str) -> None:
        s, j = self.s, self.i + 1
        names: list[str] = []
        in_name, escaped, last_comma, start, end = False, False, False, 0, -1
        while j < len(s):
            c = s[j]
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == "]" and not in_name:
                if last_comma:
                    self.fail(f"Found empty property at index {j}")
                break
            elif c == quote:
                if in_name:
                    k, after = self.next_significant(j)
                    if after not in ("]", ","):
                        self.fail("Property must be separated by comma or Property must be "
                                  f"terminated close square bracket at index {j}")
                    names.append(s[start:j].replace("\\" + quote, quote))
                    in_name, end = False, j
                else:
                    start, in_name, last_comma = j + 1, True, False
            elif c == "," and not in_name:
                if last_comma:
                    self.fail(f"Found empty property at index {j}")
                last_comma = True
            elif not in_name and c != " ":
                self.fail(f"Unexpected character '{c}' in a bracketed property at index {j}")
            j += 1
        if in_name:
            self.fail(f"Property has not been closed - missing closing {quote}")
        close, ch = self.next_significant(end)
        if ch != "]" or not names:
            self.fail("Property has not been closed - missing closing ]")
        self.out.append(T.Property(tuple(names)))
        self.i = close + 1

    def array(self) -> None:
        close = self.s.find("]", self.i + 1)
        if close < 0:
            self.fail(f"Could not parse token starting at position {self.i}")
        body = self.s[self.i + 1:close].strip()
        if not body or any(c not in _ARRAY_CHARS for c in body):
            self.fail(f"Could not parse token starting at position {self.i}. Expected ?, ', 0-9, * ")
        if ":" in body:
            parts = body.replace(" ", "").split(":")
            if len(parts) > 2:
                self.fail(f"Failed to parse SliceOperation: {body}")
            start, stop = (self._int(p, body) for p in parts)
            if start is None and stop is None:
                self.fail(f"Failed to parse SliceOperation: {body}")
            self.out.append(T.Slice(start, stop))
        else:
            indexes = tuple(self._int(p.strip(), body, required=True) for p in body.split(","))
            self.out.append(T.Index(indexes))
        self.i = close + 1

    def _int(self, text: str, body: str, required: bool = False):
        if text == "" and not required:
            return None
        try:
            return int(text)
        except ValueError:
            self.fail(f"Failed to parse token in ArrayIndexOperation: {body}")

    def wildcard(self) -> None:
        star, _ = self.next_significant(self.i)
        close, ch = self.next_significant(star)
        if ch != "]":
            self.fail(f"Expected wildcard token to end with ']' on position {star + 1}")
        self.out.append(T.Wildcard())
        self.i = close + 1

    def filter(self) -> None:
        q, _ = self.next_significant(self.i)
        paren, ch = self.next_significant(q)
        if ch != "(":
            self.fail(f"Could not parse token starting at position {self.i}. Expected ?, ', 0-9, * ")
        close = _matching_paren(self.s, paren)
        if close < 0:
            self.fail(f"Could not parse token starting at position {self.i}")
        end, ch = self.next_significant(close)
        if ch != "]":
            self.fail(f"Could not parse token starting at position {self.i}")
        text = self.s[self.i:end + 1]
        self.out.append(T.Filter(compile_filter(self.s[paren + 1:close]), text))
        self.i = end + 1

    def from_end(self) -> None:
        close = self.s.find("]", self.i + 1)
        m = _FROM_END.match(self.s[self.i + 1:close].strip()) if close > 0 else None
        if not m:
            self.fail(f"Could not parse token starting at position {self.i}. Expected ?, ', 0-9, * ")
        self.out.append(T.FromEnd(int(m.group(1))))
        self.i = close + 1


def _matching_paren(s: str, open_at: int) -> int:
    """Index of the `)` closing the `(` at open_at, skipping quoted strings and /regex/
    literals (Jayway's indexOfClosingBracket); -1 if there is none."""
    depth, j = 0, open_at
    while j < len(s):
        c = s[j]
        if c in "'\"/":
            j = _end_of_quoted(s, j)
            if j < 0:
                return -1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


def _end_of_quoted(s: str, start: int) -> int:
    quote, j, escaped = s[start], start + 1, False
    while j < len(s):
        if escaped:
            escaped = False
        elif s[j] == "\\":
            escaped = True
        elif s[j] == quote:
            return j
        j += 1
    return -1


def compile_tokens(text: str) -> tuple:
    """Tokens of a path starting at `$` (or `@` inside a filter); JsonPathSyntaxError if
    Jayway would refuse it. Leading and trailing blanks are ignored, as Jayway trims."""
    if not isinstance(text, str):
        raise JsonPathSyntaxError("a path is a string")
    return _Compiler(text.strip(" ")).compile()
