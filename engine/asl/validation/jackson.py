"""JSON syntax errors worded the way AWS words them.

AWS parses definitions with Jackson and returns its message as an INVALID_JSON_DESCRIPTION
diagnostic, e.g. for `not a definition`:

    Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token
    'null', 'true' or 'false')
     at [Source: (String)"not a definition"; line: 1, column: 4]

The common cases are rebuilt from Python's JSONDecodeError position; anything else keeps
Python's own explanation in the same frame.
"""
from __future__ import annotations

import json


def _is_token_char(c: str) -> bool:
    # Jackson reads an unrecognized token while the characters are Java identifier parts.
    return c.isalnum() or c in "_$"


def _where(text: str, line: int, column: int) -> str:
    return f' at [Source: (String)"{text}"; line: {line}, column: {column}]'


def describe_json_error(text: str, exc: ValueError) -> str:
    if not isinstance(exc, json.JSONDecodeError):
        return str(exc)
    pos = exc.pos
    line = text.count("\n", 0, pos) + 1
    line_start = text.rfind("\n", 0, pos) + 1
    if pos >= len(text):
        return ("Unexpected end-of-input: expected close marker or value\n"
                + _where(text, line, pos - line_start + 1))
    c = text[pos]
    if _is_token_char(c):
        end = pos
        while end < len(text) and _is_token_char(text[end]):
            end += 1
        token = text[pos:end]
        return (f"Unrecognized token '{token}': was expecting (JSON String, Number, Array, "
                "Object or token 'null', 'true' or 'false')\n"
                + _where(text, line, end - line_start + 1))
    expectation = _EXPECTATIONS.get(exc.msg, exc.msg[:1].lower() + exc.msg[1:])
    return (f"Unexpected character ('{c}' (code {ord(c)})): {expectation}\n"
            + _where(text, line, pos - line_start + 2))


# Python's JSONDecodeError reasons in Jackson's words.
_EXPECTATIONS = {
    "Expecting value": "expected a value",
    "Expecting property name enclosed in double quotes":
        "was expecting double-quote to start field name",
    "Expecting ',' delimiter": "was expecting comma to separate Object entries",
    "Expecting ':' delimiter": "was expecting a colon to separate field name and value",
    "Extra data": "expected end-of-input",
}
