"""Conversions between the engine's JSON values and jsonata-python's value model.

The reference JSONata (JavaScript) keeps two "empty" values apart: JSON `null` is a value,
`undefined` means "nothing matched". jsonata-python folds both into Python `None` unless the
input carries its `Utils.NULL_VALUE` marker, so `$x = null` would be false for a null
variable and `{% $states.input.a %}` would report "returned nothing" for `{"a": null}`.
We therefore hand jsonata-python inputs with every JSON null replaced by NULL_VALUE, and
read results back with NULL_VALUE -> None and Python None -> UNDEFINED.
"""
from __future__ import annotations

import json
import math
from typing import Any

from jsonata.utils import Utils

NULL = Utils.NULL_VALUE


class _Undefined:
    """JSONata's `undefined`: the expression produced nothing (distinct from JSON null)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __reduce__(self):  # keep the singleton identity through copy/pickle
        return (_Undefined, ())


UNDEFINED = _Undefined()


class UnsupportedResult(Exception):
    """The result holds something JSON cannot represent (a function, a regex, NaN...)."""


def to_jsonata(value: Any) -> Any:
    """A deep copy of a JSON value in which every null is jsonata-python's NULL marker."""
    if value is None:
        return NULL
    if isinstance(value, dict):
        return {k: to_jsonata(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonata(v) for v in value]
    return value


def _is_integral_float(value: float) -> bool:
    return value.is_integer() and abs(value) < 2 ** 53


def from_jsonata(value: Any) -> Any:
    """A plain JSON value (fresh containers) from a jsonata-python result.

    Python None at the top means `undefined` and becomes UNDEFINED. Inside containers we
    follow JSON.stringify, which AWS applies to the JavaScript result: an undefined object
    member is left out, an undefined array item becomes null.
    """
    if value is None:
        return UNDEFINED
    return _convert(value)


def _convert(value: Any) -> Any:
    if value is NULL or value is None:
        return None
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise UnsupportedResult(value)
        # JavaScript has one number type: 2.0 prints as 2.
        return int(value) if _is_integral_float(value) else value
    if isinstance(value, dict):
        return {str(k): _convert(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):  # JList, RangeList and plain lists
        return [_convert(v) for v in value]
    raise UnsupportedResult(value)


def json_type_name(value: Any) -> str:
    """JSONata's `$type` names for a plain JSON value (bool is not a number)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "undefined" if value is UNDEFINED else type(value).__name__


def to_compact_json(value: Any) -> str:
    """JSON the way AWS embeds values in causes and history details: no spaces."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
