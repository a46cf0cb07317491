"""Static syntax of JSONPath paths, Reference Paths and intrinsic function calls.

The runtime modules (`engine.asl.paths`, `engine.asl.intrinsics`) own evaluation; this module
only answers "would AWS accept this string at definition time?", with the reason in AWS's
words. ASL spec, "Paths": a Path is a JSONPath starting with `$`; a Reference Path is a Path
"whose syntax is limited in such a way that it can only identify a single node" (no `*`, `..`,
slices, unions or filters). Step Functions extends both: `$$` reads the context object and
`$name` a workflow variable (AWS, "Variables").
"""
from __future__ import annotations

import re
from functools import lru_cache

# A name step after `.`: AWS accepts hyphens and most punctuation (`$.sub-values`), but not the
# characters that start another step or a bracket.
_DOT_NAME = re.compile(r"[^.\[\]()'\"\s,]+")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INDEX = re.compile(r"-?\d+")
_SLICE = re.compile(r"(-?\d+)?:(-?\d+)?(:(-?\d+)?)?")
_UNION = re.compile(r"-?\d+(\s*,\s*-?\d+)+")


def _quoted_end(s: str, i: int) -> int:
    """Index just after the quoted name starting at s[i] (a quote), or -1 when unterminated."""
    quote, i = s[i], i + 1
    while i < len(s):
        if s[i] == "\\":
            i += 2
            continue
        if s[i] == quote:
            return i + 1
        i += 1
    return -1


def _balanced_end(s: str, i: int) -> int:
    """Index just after the `(...)` group starting at s[i] == '(' (quotes respected), or -1."""
    depth = 0
    while i < len(s):
        c = s[i]
        if c in "'\"":
            i = _quoted_end(s, i)
            if i < 0:
                return -1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


@lru_cache(maxsize=4096)
def path_error(s: str, reference: bool) -> str | None:
    """None when `s` is a valid (Reference) Path, else why not."""
    if not isinstance(s, str) or not s.startswith("$"):
        return "didn't start with '$'"
    i = 1
    if s.startswith("$$"):
        i = 2
    else:
        m = _VARIABLE.match(s, 1)
        if m:
            i = m.end()
    while i < len(s):
        c = s[i]
        if c == ".":
            if s.startswith("..", i):
                if reference:
                    return "contains a deep scan '..'"
                i += 1
            i += 1
            if i < len(s) and s[i] == "*":
                if reference:
                    return "contains a wildcard '*'"
                i += 1
                continue
            m = _DOT_NAME.match(s, i)
            if not m:
                return f"has an empty or invalid name at position {i}"
            i = m.end()
        elif c == "[":
            close = _bracket_end(s, i)
            if close < 0:
                return f"has an unterminated '[' at position {i}"
            inner = s[i + 1:close - 1].strip()
            kind = _bracket_kind(inner)
            if kind is None:
                return f"has an invalid subscript '[{inner}]'"
            if reference and kind not in ("index", "name"):
                return f"contains '[{inner}]', which can match more than one node"
            i = close
        else:
            return f"has an unexpected character '{c}' at position {i}"
    return None


def _bracket_end(s: str, i: int) -> int:
    j = i + 1
    while j < len(s):
        c = s[j]
        if c in "'\"":
            j = _quoted_end(s, j)
            if j < 0:
                return -1
            continue
        if c == "(":
            j = _balanced_end(s, j)
            if j < 0:
                return -1
            continue
        if c == "]":
            return j + 1
        j += 1
    return -1


def _bracket_kind(inner: str) -> str | None:
    if _INDEX.fullmatch(inner):
        return "index"
    if inner and inner[0] in "'\"" and _quoted_end(inner, 0) == len(inner):
        return "name"
    if inner == "*":
        return "wildcard"
    if _SLICE.fullmatch(inner) and ":" in inner:
        return "slice"
    if _UNION.fullmatch(inner):
        return "union"
    if inner.startswith("?(") and inner.endswith(")") and _balanced_end(inner, 1) == len(inner):
        return "filter"
    if inner.startswith("(") and _balanced_end(inner, 0) == len(inner):
        return "script"
    return None


def is_valid_path(s) -> bool:
    return isinstance(s, str) and path_error(s, False) is None


def is_valid_reference_path(s) -> bool:
    return isinstance(s, str) and path_error(s, True) is None


# --- intrinsic functions ---------------------------------------------------------------------
# AWS, "Intrinsic functions for JSONPath states": the functions and their argument grammar
# (string literals in single quotes with `\` escapes, numbers, true/false/null, paths, nested
# calls). Arity and argument types are checked at run time, not here.
INTRINSIC_NAMES = frozenset({
    "Format", "StringToJson", "JsonToString", "Array", "ArrayPartition", "ArrayContains",
    "ArrayRange", "ArrayGetItem", "ArrayLength", "ArrayUnique", "Base64Encode", "Base64Decode",
    "Hash", "JsonMerge", "MathRandom", "MathAdd", "StringSplit", "UUID",
})
_CALL_HEAD = re.compile(r"States\.([A-Za-z0-9]+)\(")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_LITERAL = re.compile(r"true|false|null")


class _Bad(Exception):
    pass


def _parse_call(s: str, i: int) -> int:
    m = _CALL_HEAD.match(s, i)
    if not m:
        raise _Bad("expected an intrinsic function call 'States.<Name>(...)'")
    if m.group(1) not in INTRINSIC_NAMES:
        raise _Bad(f"unknown intrinsic function 'States.{m.group(1)}'")
    i = _skip_ws(s, m.end())
    if i < len(s) and s[i] == ")":
        return i + 1
    while True:
        i = _parse_arg(s, _skip_ws(s, i))
        i = _skip_ws(s, i)
        if i >= len(s):
            raise _Bad("missing ')'")
        if s[i] == ")":
            return i + 1
        if s[i] != ",":
            raise _Bad(f"unexpected character '{s[i]}' at position {i}")
        i += 1


def _skip_ws(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \t\n\r":
        i += 1
    return i


def _parse_arg(s: str, i: int) -> int:
    if i >= len(s):
        raise _Bad("missing argument")
    c = s[i]
    if c == "'":
        end = _quoted_end(s, i)
        if end < 0:
            raise _Bad("unterminated string literal")
        return end
    if s.startswith("States.", i):
        return _parse_call(s, i)
    if c == "$":
        j = i
        while j < len(s) and s[j] not in ",)":
            if s[j] == "[":
                j = _bracket_end(s, j)
                if j < 0:
                    raise _Bad("unterminated '['")
                continue
            j += 1
        reason = path_error(s[i:j].rstrip(), False)
        if reason:
            raise _Bad(f"the path argument '{s[i:j].strip()}' {reason}")
        return j
    for pattern in (_NUMBER, _LITERAL):
        m = pattern.match(s, i)
        if m:
            return m.end()
    raise _Bad(f"unexpected character '{c}' at position {i}")


@lru_cache(maxsize=4096)
def intrinsic_error(s: str) -> str | None:
    """None when `s` is one well-formed intrinsic function call, else why not."""
    try:
        end = _parse_call(s, 0)
    except _Bad as exc:
        return str(exc)
    if s[end:].strip():
        return f"unexpected text after the call at position {end}"
    return None


def is_intrinsic(s) -> bool:
    return isinstance(s, str) and s.startswith("States.") and intrinsic_error(s) is None
