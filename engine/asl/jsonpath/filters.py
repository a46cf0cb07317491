"""Filter expressions `[?( … )]`, with the grammar and semantics of Jayway's FilterCompiler.

    or       = and { "||" and }
    and      = operand { "&&" operand }
    operand  = "(" or ")" | "!" operand | relation
    relation = value [ op value ]          (a lone path is an existence test; "!" negates it)
    op       = == != < <= > >= =~ in nin size empty     (words in any case)
    value    = @path | $path | 'str' | "str" | number | true | false | null | [json] | {json}
             | /regex/flags

Semantics (Jayway's EvaluatorFactory):
* `<`, `<=`, `>`, `>=`: numbers with numbers, strings with strings (Java compareTo, UTF-16
  units); anything else is false, not an error.
* `==` / `!=`: JSON equality, type-strict — Jayway's README: "note that 1 is not equal to
  '1'" (Jayway 2.1, the filter operator set AWS documents; later Jayway versions compare a
  number with a numeric string).
* `=~`: Java `Pattern.matcher(s).matches()` — the whole string; a number or boolean is
  matched as its text; an array matches when any item does. Flags i m s x u d U.
* `in` / `nin`: the left value is (not) equal to an item of the right array; `size`: the
  length of a string or array equals the number; `empty`: a string/array/object is empty
  (true) or not (false).
* A path that selects nothing is *undefined*: equal to nothing, so `==` is false, `!=` and
  `nin` are true (Jayway: UndefinedNode.equals is always false and `!=` is `!(==)`).
* `@` is the item being filtered, `$` the document root.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

UNDEFINED = object()

_REL_CHARS = set("<>=~!")
_WORD_OPS = {"in", "nin", "size", "empty", "subsetof", "anyof", "noneof"}
_SYMBOL_OPS = {"==", "!=", "<", "<=", ">", ">=", "=~"}
# Jayway's later operators (subsetof/anyof/noneof, 2.4+). AWS's documentation lists them as
# "not supported" ("Lexical operators, which are non-symbolic, such as subsetof"), so they are
# refused when the path is compiled.
_REFUSED_OPS = {"subsetof", "anyof", "noneof"}
_PATTERN_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE,
                  "u": 0, "U": 0, "d": 0}


class FilterSyntaxError(ValueError):
    pass


# -- values -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PathValue:
    text: str
    from_root: bool
    evaluate: Any          # (item, root) -> value | UNDEFINED
    exists: Any            # (item, root) -> bool


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Pattern:
    regex: Any


def _resolve(node, item, root):
    if isinstance(node, PathValue):
        return node.evaluate(item, root)
    if isinstance(node, Literal):
        return node.value
    return node


# -- JSON comparisons (bool is not a number) --------------------------------------------------

def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def json_equal(a, b) -> bool:
    if a is UNDEFINED or b is UNDEFINED:
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _is_number(a) and _is_number(b):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _java_key(s: str) -> bytes:
    return s.encode("utf-16-be", "surrogatepass")


def _ordered(op: Callable[[Any, Any], bool]):
    def compare(a, b) -> bool:
        if _is_number(a) and _is_number(b):
            return op(a, b)
        if isinstance(a, str) and isinstance(b, str):
            return op(_java_key(a), _java_key(b))
        return False
    return compare


def _text_of(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if _is_number(v):
        return json.dumps(v)
    return v if isinstance(v, str) else ""


def _regex(a, b) -> bool:
    pattern, value = (a, b) if isinstance(a, Pattern) else (b, a)
    if not isinstance(pattern, Pattern) or isinstance(value, Pattern):
        return False
    if isinstance(value, list):
        return any(pattern.regex.fullmatch(_text_of(v)) is not None for v in value)
    return pattern.regex.fullmatch(_text_of(value)) is not None


def _in(a, b) -> bool:
    return isinstance(b, list) and any(json_equal(a, x) for x in b)


def _size(a, b) -> bool:
    if not _is_number(b):
        return False
    if isinstance(a, (str, list)):
        return len(a) == int(b)
    return False


def _empty(a, b) -> bool:
    if not isinstance(b, bool):
        return False
    if isinstance(a, (str, list, dict)):
        return (len(a) == 0) is b
    return False


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": json_equal,
    "!=": lambda a, b: not json_equal(a, b),
    "<": _ordered(lambda a, b: a < b),
    "<=": _ordered(lambda a, b: a <= b),
    ">": _ordered(lambda a, b: a > b),
    ">=": _ordered(lambda a, b: a >= b),
    "=~": _regex,
    "in": _in,
    "nin": lambda a, b: not _in(a, b),
    "size": _size,
    "empty": _empty,
}


# -- the compiler -----------------------------------------------------------------------------

class _FilterCompiler:
    def __init__(self, text: str):
        self.s = text
        self.i = 0

    def fail(self, message: str):
        raise FilterSyntaxError(message)

    def blanks(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1

    def peek(self, text: str) -> bool:
        self.blanks()
        return self.s.startswith(text, self.i)

    def compile(self):
        node = self.logical_or()
        self.blanks()
        if self.i < len(self.s):
            self.fail(f"Expected end of filter expression instead of: {self.s[self.i:]}")
        return node

    def logical_or(self):
        ops = [self.logical_and()]
        while self.peek("||"):
            self.i += 2
            ops.append(self.logical_and())
        if len(ops) == 1:
            return ops[0]
        return lambda item, root: any(op(item, root) for op in ops)

    def logical_and(self):
        ops = [self.operand()]
        while self.peek("&&"):
            self.i += 2
            ops.append(self.operand())
        if len(ops) == 1:
            return ops[0]
        return lambda item, root: all(op(item, root) for op in ops)

    def operand(self):
        self.blanks()
        if self.peek("!"):
            save = self.i
            self.i += 1
            self.blanks()
            if self.i < len(self.s) and self.s[self.i] in "$@":
                self.i = save          # `!@.x`: a negated existence test, read by relation()
            else:
                inner = self.operand()
                return lambda item, root: not inner(item, root)
        if self.peek("("):
            self.i += 1
            inner = self.logical_or()
            if not self.peek(")"):
                self.fail("Expected character: )")
            self.i += 1
            return inner
        return self.relation()

    def relation(self):
        negated = False
        self.blanks()
        if self.peek("!"):
            self.i += 1
            self.blanks()
            negated = True
        left = self.value()
        save = self.i
        op = self.operator()
        if op is None:
            self.i = save
            if not isinstance(left, PathValue):
                self.fail(f"Expected a path or a comparison in the filter at position {save}")
            exists = left.exists
            return (lambda item, root: not exists(item, root)) if negated \
                else exists
        if negated:
            self.fail("Unexpected character: !")
        right = self.value()
        compare = _OPS[op]
        if isinstance(left, Literal) and isinstance(right, Literal):
            constant = compare(left.value, right.value)
            return lambda item, root: constant
        return lambda item, root: compare(_resolve(left, item, root), _resolve(right, item, root))

    def operator(self) -> str | None:
        self.blanks()
        start = self.i
        s = self.s
        if start < len(s) and s[start] in _REL_CHARS:
            j = start
            while j < len(s) and s[j] in _REL_CHARS:
                j += 1
            op = s[start:j]
            if op not in _SYMBOL_OPS:
                return None
            self.i = j
            return op
        j = start
        while j < len(s) and s[j].isalpha():
            j += 1
        word = s[start:j].lower()
        if word in _REFUSED_OPS:
            self.fail(f"Filter operator {s[start:j]} is not supported!")
        if word not in _WORD_OPS or (j < len(s) and s[j] not in " \t\r\n"):
            return None
        self.i = j
        return word

    def value(self):
        self.blanks()
        if self.i >= len(self.s):
            self.fail("Expected a value at the end of the filter")
        c = self.s[self.i]
        if c in "$@":
            return self.path()
        if c in "'\"":
            return self.string(c)
        if c == "/":
            return self.pattern()
        if c in "[{":
            return self.json_literal(c)
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.s.startswith(word, self.i):
                self.i += len(word)
                return Literal(value)
        return self.number()

    def path(self):
        s, start = self.s, self.i
        j = start + 1
        while j < len(s):
            c = s[j]
            if c == "[":
                j = _matching_bracket(s, j)
                if j < 0:
                    self.fail(f"Square brackets does not match in filter {s}")
                j += 1
                continue
            if c == "(":
                close = s.find(")", j)
                if close < 0:
                    self.fail(f"Unclosed function call in filter {s}")
                j = close + 1
                continue
            if c in _REL_CHARS or c in " \t\r\n)&|":
                break
            j += 1
        self.i = j
        text = s[start:j]
        from . import compile_path  # the package compiles paths; filters nest them
        try:
            compiled = compile_path(text)
        except ValueError as exc:
            self.fail(str(exc))
        from_root = text.startswith("$")

        def evaluate(item, root, compiled=compiled, from_root=from_root):
            return compiled.value_or_undefined(root if from_root else item, root, UNDEFINED)

        def exists(item, root, compiled=compiled, from_root=from_root):
            return compiled.exists(root if from_root else item, root)
        return PathValue(text, from_root, evaluate, exists)

    def string(self, quote: str):
        s, j, escaped = self.s, self.i + 1, False
        while j < len(s):
            if escaped:
                escaped = False
            elif s[j] == "\\":
                escaped = True
            elif s[j] == quote:
                raw = s[self.i + 1:j]
                self.i = j + 1
                return Literal(_unescape(raw))
            j += 1
        self.fail(f"String literal does not have matching quotes. Expected {quote} in {s}")

    def pattern(self):
        s, j, escaped = self.s, self.i + 1, False
        while j < len(s):
            if escaped:
                escaped = False
            elif s[j] == "\\":
                escaped = True
            elif s[j] == "/":
                break
            j += 1
        else:
            self.fail(f"Pattern not closed. Expected / in {s}")
        body = s[self.i + 1:j]
        k = j + 1
        flags = 0
        while k < len(s) and s[k] in _PATTERN_FLAGS:
            flags |= _PATTERN_FLAGS[s[k]]
            k += 1
        self.i = k
        try:
            return Pattern(re.compile(body, flags))
        except re.error as exc:
            self.fail(f"Invalid regular expression /{body}/: {exc}")

    def json_literal(self, opener: str):
        close = _matching_bracket(self.s, self.i, opener, "]" if opener == "[" else "}")
        if close < 0:
            self.fail(f"JSON literal not closed in {self.s}")
        text = self.s[self.i:close + 1]
        self.i = close + 1
        try:
            return Literal(json.loads(_single_to_double_quotes(text)))
        except ValueError:
            self.fail(f"Invalid JSON literal {text}")

    def number(self):
        s, start = self.s, self.i
        j = start
        while j < len(s) and (s[j].isdigit() or s[j] in "-.eE+"):
            j += 1
        text = s[start:j]
        try:
            value = int(text) if re.fullmatch(r"-?\d+", text) else float(text)
        except ValueError:
            self.fail(f"Failed to parse filter: {s}, error on position: {start}")
        self.i = j
        return Literal(value)


def _matching_bracket(s: str, start: int, opener: str = "[", closer: str = "]") -> int:
    depth, j = 0, start
    while j < len(s):
        c = s[j]
        if c in "'\"":
            quote, j, escaped = c, j + 1, False
            while j < len(s) and (escaped or s[j] != quote):
                escaped = not escaped and s[j] == "\\"
                j += 1
        elif c == opener:
            depth += 1
        elif c == closer:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


def _single_to_double_quotes(text: str) -> str:
    """Jayway parses JSON literals permissively (json-smart): 'single' quotes are strings."""
    out, j = [], 0
    while j < len(text):
        c = text[j]
        if c == "'":
            k, buf = j + 1, []
            while k < len(text) and text[k] != "'":
                if text[k] == "\\" and k + 1 < len(text):
                    buf.append(text[k:k + 2])
                    k += 2
                    continue
                buf.append('\\"' if text[k] == '"' else text[k])
                k += 1
            out.append('"' + "".join(buf) + '"')
            j = k + 1
        elif c == '"':
            k = j + 1
            while k < len(text) and text[k] != '"':
                k += 2 if text[k] == "\\" else 1
            out.append(text[j:k + 1])
            j = k + 1
        else:
            out.append(c)
            j += 1
    return "".join(out)


_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "r": "\r", "f": "\f", "t": "\t", "n": "\n",
            "b": "\b", "/": "/"}


def _unescape(raw: str) -> str:
    """Jayway's Utils.unescape for string literals in filters."""
    if "\\" not in raw:
        return raw
    out, j = [], 0
    while j < len(raw):
        c = raw[j]
        if c == "\\" and j + 1 < len(raw):
            nxt = raw[j + 1]
            if nxt == "u" and j + 6 <= len(raw):
                try:
                    out.append(chr(int(raw[j + 2:j + 6], 16)))
                    j += 6
                    continue
                except ValueError:
                    pass
            out.append(_ESCAPES.get(nxt, nxt))
            j += 2
            continue
        out.append(c)
        j += 1
    return "".join(out)


def compile_filter(text: str):
    """The predicate `(item, root) -> bool` of a filter body (the text inside `[?( … )]`)."""
    try:
        return _FilterCompiler(text).compile()
    except FilterSyntaxError as exc:
        from .compiler import JsonPathSyntaxError

        raise JsonPathSyntaxError(f"Invalid filter [?({text})]: {exc}") from None
