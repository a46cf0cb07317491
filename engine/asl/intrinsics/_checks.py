"""Argument checks shared by the intrinsic families: one place for type tests, AWS's rounding
of non-integer arguments, and the wording of States.IntrinsicFailure causes."""
from __future__ import annotations

import math
from typing import Any

from ..errors import ErrorName, StatesError
from ..paths import is_array, is_integer_value, is_number, is_object, is_string, json_type_name, to_json_str


def fail(name: str, detail: str) -> StatesError:
    # Cause wording (AWS records none for these in the corpus): "Invalid arguments in
    # States.X: <what is wrong>".
    return StatesError(ErrorName.INTRINSIC_FAILURE, f"Invalid arguments in {name}: {detail}")


def _shown(value: Any) -> str:
    return f"{json_type_name(value)} {to_json_str(value)}"


def need_string(name: str, value: Any, what: str = "argument") -> str:
    if not is_string(value):
        raise fail(name, f"the {what} must be a string, but was {_shown(value)}")
    return value


def need_array(name: str, value: Any, what: str = "argument") -> list:
    if not is_array(value):
        raise fail(name, f"the {what} must be an array, but was {_shown(value)}")
    return value


def need_object(name: str, value: Any, what: str = "argument") -> dict:
    if not is_object(value):
        raise fail(name, f"the {what} must be a JSON object, but was {_shown(value)}")
    return value


def java_round(x: float) -> int:
    """Java's Math.round: floor(x + 0.5). AWS rounds non-integer numeric arguments this way:
    corpus intrinsic__math_add_*: 1.5 -> 2, 2.5 -> 3, -0.5 -> 0, -1.5 -> -1, -1.51 -> -2."""
    return int(math.floor(x + 0.5))


def need_int(name: str, value: Any, what: str = "argument") -> int:
    """An integer argument. AWS docs (ArrayRange, ArrayPartition, MathAdd, MathRandom): "If you
    specify a non-integer value, Step Functions rounds it off to the nearest integer"."""
    if type(value) is int:  # the usual case (a bool is not of type int)
        return value
    if not is_number(value):
        raise fail(name, f"the {what} must be a number, but was {_shown(value)}")
    if is_integer_value(value):
        return int(value)
    if math.isinf(value) or math.isnan(value):
        raise fail(name, f"the {what} must be a finite number, but was {value}")
    return java_round(value)


def json_equal(a: Any, b: Any) -> bool:
    """JSON value equality: true is not 1, objects compare by keys, numbers by value."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b
