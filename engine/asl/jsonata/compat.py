"""Standard JSONata functions whose jsonata-python versions differ from the reference (2.0.6).

Bound per evaluation like the Step Functions functions (a workflow variable of the same name
still shadows them). Each override names the reference behaviour it restores.
"""
from __future__ import annotations

import decimal
import json.encoder as json_encoder
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


def js_number(value: float | int) -> str:
    """ECMAScript Number::toString: shortest round-trip digits, plain notation for decimal
    exponents in [-6, 21), otherwise "1e+21" / "1.5e-7" style."""
    if isinstance(value, int) and abs(value) < 10 ** 21:
        return str(value)
    if value == 0:
        return "0"  # also -0
    sign = "-" if value < 0 else ""
    dec = decimal.Decimal(repr(abs(float(value)))).normalize()
    _, digit_tuple, exponent = dec.as_tuple()
    digits = "".join(map(str, digit_tuple))
    k = len(digits)
    n = k + exponent  # value = 0.digits x 10^n
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        body = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + body


def _precision15(value: float | int) -> float | int:
    # The reference's $string replacer: Number(val.toPrecision(15)).
    if isinstance(value, int) and abs(value) < 10 ** 15:
        return value
    rounded = float(f"{float(value):.15g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2 ** 53 else rounded


def _plain(value: Any) -> Any:
    """JSON.stringify's view of a jsonata-python value (functions become "")."""
    if value is NULL:
        return None
    if isinstance(value, bool) or isinstance(value, str) or value is None:
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None  # JSON.stringify writes null for NaN/Infinity nested in containers
        return _Number(_precision15(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [None if v is None else _plain(v) for v in value]
    return ""  # functions and other non-JSON values


class _Number(float):
    """A float that carries its JavaScript text (see `_js_floatstr`)."""

    def __new__(cls, value):
        obj = super().__new__(cls, value)
        obj.js = js_number(value)
        return obj

    def __repr__(self):
        return self.js


def _stringify(value: Any, indent: int | None) -> str:
    """JSON.stringify text: no ASCII escaping, JavaScript number text for `_Number`s.

    The stdlib's pure-Python encoder loop is reused with a float formatter of our own (the C
    encoder cannot be told how to print floats)."""
    indent_text = " " * indent if indent else None
    iterencode = json_encoder._make_iterencode(
        {}, _not_json, json_encoder.py_encode_basestring, indent_text, _js_floatstr,
        ": " if indent else ":", ",", False, False, True)
    return "".join(iterencode(value, 0))


def _not_json(value: Any) -> Any:
    raise TypeError(f"not JSON: {type(value).__name__}")


def _js_floatstr(value: float) -> str:
    return value.js if isinstance(value, _Number) else js_number(value)


def string(arg: Any = None, prettify: Any = None) -> Any:
    """jsonata-python's $string escapes non-ASCII in objects ("é" -> "\\u00e9"), skips the
    15-significant-digit rounding for nested numbers and prints exponents Python's way
    ("1e-07", "1e+20"); the reference is JSON.stringify with Number(v.toPrecision(15))."""
    if arg is None:
        return None
    if isinstance(arg, list) and getattr(arg, "outer_wrapper", False):
        arg = arg[0]
    if isinstance(arg, str):
        return arg
    if isinstance(arg, (int, float)) and not isinstance(arg, bool):
        if isinstance(arg, float) and not math.isfinite(arg):
            raise JException("D3001", -1, arg)
        return js_number(_precision15(arg))
    if arg is NULL:
        return "null"
    if not isinstance(arg, (bool, dict, list)):
        return ""  # a function
    return _stringify(_plain(arg), 2 if prettify is True else None)


class _Native(Jsonata.JFunctionCallable):
    def __init__(self, fn):
        self.fn = fn

    def call(self, input, args):
        return self.fn(*(args or []))


# Same signatures as jsonata-python registers for the originals.
OVERRIDES: dict[str, Jsonata.JFunction] = {
    "number": Jsonata.JFunction(_Native(number), "<(nsb)-:n>"),
    "formatNumber": Jsonata.JFunction(_Native(format_number), "<n-so?:s>"),
    "string": Jsonata.JFunction(_Native(string), "<x-b?:s>"),
}
