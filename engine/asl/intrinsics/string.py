"""String intrinsics: States.Format, States.StringSplit."""
from __future__ import annotations

import math as _math
from decimal import Decimal

from ..paths import is_number, is_string
from . import register
from ._checks import fail, need_string
from .parser import StringLiteral


def java_double_str(x: float) -> str:
    """Java's Double.toString, which AWS uses when a number is rendered into text:
    1.0 -> "1.0", 1.1 -> "1.1", 1e-7 -> "1.0E-7", 1e21 -> "1.0E21" (shortest round-trip digits,
    plain notation for 1e-3 <= |x| < 1e7, scientific otherwise)."""
    if _math.isnan(x):
        return "NaN"
    if _math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if _math.copysign(1.0, x) < 0 else "0.0"
    sign, digits, exp = Decimal(repr(x)).as_tuple()
    digits = "".join(map(str, digits))
    point = len(digits) + exp  # position of the decimal point relative to the digits
    digits = digits.rstrip("0") or "0"
    text = "-" if sign else ""
    if 1e-3 <= abs(x) < 1e7:
        if point <= 0:
            return text + "0." + "0" * -point + digits
        if point >= len(digits):
            return text + digits + "0" * (point - len(digits)) + ".0"
        return text + digits[:point] + "." + digits[point:]
    return text + digits[0] + "." + (digits[1:] or "0") + "E" + str(point - 1)


def format_value(value) -> str:
    """How States.Format renders an argument: strings as-is, null as "null", numbers as Java
    prints them; AWS deviation from JSON: objects and arrays are printed with Java's
    Map/List toString, e.g. {Arg1=1, Arg2=[]} (corpus intrinsic__format_2_exec_hist_resp_7)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return java_double_str(value) if isinstance(value, float) else str(value)
    if is_string(value):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{k}={format_value(v)}" for k, v in value.items()) + "}"


def _template_of(value, node) -> tuple:
    if isinstance(node, StringLiteral):
        return node.template  # escaped \{ \} already resolved to literal braces
    pieces = value.split("{}")
    out: list = []
    for i, piece in enumerate(pieces):
        if i:
            out.append(None)
        out.append(piece)
    return tuple(out)


@register("States.Format", 1, None)
def format_(args, nodes):
    # Spec: "States.Format … The first argument is a string … with {} placeholders; the
    # remaining arguments fill the placeholders in order". Escaped \{ \} are literal braces.
    name = "States.Format"
    template = _template_of(need_string(name, args[0], "format string"), nodes[0])
    values = args[1:]
    holes = sum(1 for p in template if p is None)
    if holes != len(values):
        raise fail(name, f"the format string has {holes} placeholder(s) but {len(values)} "
                         f"value(s) were given")
    it = iter(values)
    return "".join(format_value(next(it)) if p is None else p for p in template)


@register("States.StringSplit", 2)
def string_split(args, _nodes):
    # AWS: the second argument is a set of delimiter characters and empty tokens are dropped
    # (Java StringTokenizer), e.g. StringSplit("This.is+a,test=string", ".+,=") gives 5 words
    # and ",,,," gives [] (corpus intrinsic__string_split_*).
    name = "States.StringSplit"
    text = need_string(name, args[0], "first argument")
    delimiters = need_string(name, args[1], "delimiter")
    if not delimiters:
        return [text] if text else []
    out, piece = [], []
    for ch in text:
        if ch in delimiters:
            if piece:
                out.append("".join(piece))
                piece = []
        else:
            piece.append(ch)
    if piece:
        out.append("".join(piece))
    return out
