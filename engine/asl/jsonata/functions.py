"""The JSONata functions Step Functions adds to the standard library, and the one it removes.

AWS docs ("Transforming data with JSONata", section "JSONata functions provided by Step
Functions"): `$partition`, `$range`, `$hash`, `$random` (with an optional seed), `$uuid` and
`$parse`; `$eval` is not available ("use $parse instead"). They mirror the JSONPath
intrinsics States.ArrayPartition, States.ArrayRange, States.Hash, States.MathRandom,
States.UUID and States.StringToJson.

Arguments arrive in jsonata-python's value model (JSON null is `NULL`); results go back in
it. A failing function raises JException-like errors that the adapter maps to
States.QueryEvaluationError.
"""
from __future__ import annotations

import hashlib
import json
import random
import uuid
from typing import Any

from jsonata import Jsonata
from jsonata.utils import Utils

from .values import NULL, to_jsonata

# States.ArrayRange caps the result at 1000 items; $range is its JSONata twin.
MAX_RANGE_ITEMS = 1000

HASH_ALGORITHMS = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}


class FunctionError(Exception):
    """A Step Functions JSONata function was called with arguments it rejects."""


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _as_integer(name: str, v: Any, what: str) -> int:
    if not _is_number(v) or float(v) != int(v):
        raise FunctionError(f"The {what} argument of ${name} must be an integer, got {v!r}")
    return int(v)


def partition(array: Any, size: Any) -> Any:
    if not isinstance(array, list):
        raise FunctionError("The first argument of $partition must be an array")
    chunk = _as_integer("partition", size, "second")
    if chunk <= 0:
        raise FunctionError("The chunk size of $partition must be a positive integer")
    items = list(array)
    # A plain list (not a JSONata sequence): [[0]] must not collapse to [0].
    return [items[i:i + chunk] for i in range(0, len(items), chunk)]


def range_(start: Any, end: Any, step: Any) -> Any:
    first = _as_integer("range", start, "first")
    last = _as_integer("range", end, "second")
    stride = _as_integer("range", step, "third")
    if stride == 0:
        raise FunctionError("The step of $range must not be 0")
    values = list(range(first, last + (1 if stride > 0 else -1), stride))
    if len(values) > MAX_RANGE_ITEMS:
        raise FunctionError(f"$range can produce at most {MAX_RANGE_ITEMS} items")
    # AWS returns a JSONata sequence: a one-item result collapses to the item
    # (recorded: $range(1, 9, 9) gives 1, not [1]).
    return Utils.create_sequence_from_iter(values)


def hash_(data: Any, algorithm: Any) -> Any:
    if algorithm not in HASH_ALGORITHMS:
        raise FunctionError(
            f"The hashing algorithm '{algorithm}' is not supported; "
            f"use one of {', '.join(HASH_ALGORITHMS)}")
    if not isinstance(data, str):
        raise FunctionError("The first argument of $hash must be a string")
    return HASH_ALGORITHMS[algorithm](data.encode("utf-8")).hexdigest()


def random_(seed: Any = None) -> Any:
    if seed is None or seed is NULL:
        return random.random()
    # A seed makes the value reproducible, as AWS documents for $random(seed).
    return random.Random(_as_integer("random", seed, "seed")).random()


def uuid_() -> Any:
    return str(uuid.uuid4())


def parse(text: Any) -> Any:
    if not isinstance(text, str):
        raise FunctionError("The argument of $parse must be a string")
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise FunctionError(f"$parse could not parse the string as JSON: {exc}") from None
    return to_jsonata(value)


class _Native(Jsonata.JFunctionCallable):
    """Adapts a Python function to jsonata-python's function-call protocol."""

    def __init__(self, fn):
        self.fn = fn

    def call(self, input, args):
        return self.fn(*(args or []))


def _fn(impl, signature: str) -> Jsonata.JFunction:
    return Jsonata.JFunction(_Native(impl), signature)


def _disabled(*_args):
    raise FunctionError("The function $eval is not available in Step Functions; use $parse")


# Signatures use JSONata's notation; '-' lets the context value stand in for an argument.
SFN_FUNCTIONS: dict[str, Jsonata.JFunction] = {
    "partition": _fn(partition, "<an:a>"),
    "range": _fn(range_, "<nnn:a>"),
    "hash": _fn(hash_, "<s-s:s>"),
    "random": _fn(random_, "<n?:n>"),
    "uuid": _fn(uuid_, "<:s>"),
    "parse": _fn(parse, "<s-:x>"),
    "eval": _fn(_disabled, "<x-x?:x>"),
}
