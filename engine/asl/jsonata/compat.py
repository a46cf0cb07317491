"""Standard JSONata functions whose jsonata-python versions differ from the reference (2.0.6).

Bound per evaluation like the Step Functions functions (a workflow variable of the same name
still shadows them). Each override names the reference behaviour it restores.
"""
from __future__ import annotations

import decimal
import math
import re
from typing import Any

from jsonata import Jsonata
from jsonata.functions import Functions
from jsonata.jexception import JException

from .values import NULL

# Reference $number: decimal strings must match this, else hex/octal/binary literals, else D3030.
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?")
_PREFIXED = re.compile(r"0([xX][0-9A-Fa-f]+|[oO][0-7]+|[bB][01]+)")


def number(arg: Any = None) -> Any:
    """jsonata-python parses strings with Python's float(), accepting "  12 ", "1_0", "nan",
    "inf" and only upper-case 0B/0O prefixes; the reference accepts exactly JSON-like decimals
    and 0x/0o/0b literals, and raises D3030 otherwise."""
    if arg is None:
        return None
    if arg is NULL:
        raise JException("T0410", -1)
    if isinstance(arg, bool):
        return 1 if arg else 0
    if isinstance(arg, (int, float)):
        return arg
    if isinstance(arg, str):
        if _DECIMAL.fullmatch(arg):
            value = float(arg)
            if math.isfinite(value):
                return int(value) if value.is_integer() and abs(value) < 2 ** 53 else value
        elif _PREFIXED.fullmatch(arg):
            return int(arg, 0)
    raise JException("D3030", -1, arg)


def _fraction_digits(picture: str, negative: bool) -> int | None:
    """Digits after the decimal separator in the sub-picture used, or None when we cannot
    tell simply (exponent pictures)."""
    parts = picture.split(";")
    sub = parts[1] if negative and len(parts) > 1 else parts[0]
    if "e" in sub:
        return None
    if "." not in sub:
        return 0
    return sum(1 for ch in sub.split(".", 1)[1] if ch.isdigit() or ch == "#")


def format_number(value: Any, picture: Any, options: Any = None) -> Any:
    """jsonata-python rounds the exact binary value half-up (2.675 -> "2.67"); the reference
    rounds the shortest decimal form half-to-even, like $round (2.675 -> "2.68",
    34.555 -> "34.56"). We hand it a Decimal already rounded that way."""
    if value is None:
        return None
    if isinstance(value, float) and math.isfinite(value) and isinstance(picture, str) \
            and options in (None, NULL):
        exact = decimal.Decimal(repr(value))
        if "%" in picture:
            scaled, scale = exact * 100, decimal.Decimal(100)
        elif "\u2030" in picture:
            scaled, scale = exact * 1000, decimal.Decimal(1000)
        else:
            scaled, scale = exact, decimal.Decimal(1)
        digits = _fraction_digits(picture, value < 0)
        if digits is not None:
            rounded = scaled.quantize(decimal.Decimal(1).scaleb(-digits), rounding=decimal.ROUND_HALF_EVEN)
            value = rounded / scale
        else:
            value = exact
    return Functions.format_number(value, picture, None if options is NULL else options)


class _Native(Jsonata.JFunctionCallable):
    def __init__(self, fn):
        self.fn = fn

    def call(self, input, args):
        return self.fn(*(args or []))


# Same signatures as jsonata-python registers for the originals.
OVERRIDES: dict[str, Jsonata.JFunction] = {
    "number": Jsonata.JFunction(_Native(number), "<(nsb)-:n>"),
    "formatNumber": Jsonata.JFunction(_Native(format_number), "<n-so?:s>"),
}
