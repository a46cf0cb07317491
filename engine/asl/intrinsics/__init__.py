"""Intrinsic functions (JSONPath mode): `States.Format(...)` and friends.

Spec: "Intrinsic functions … allow you to perform basic data processing operations without
using a Task state." They appear as values of `"key.$"` fields (Parameters, ResultSelector,
ItemSelector, Assign, Fail's ErrorPath/CausePath, …).

Public API:
    is_intrinsic(s) -> bool
    evaluate(expr, data, context=None, variables=None, *, field=None) -> value
    validate_expression(s) -> str | None     (for the validator: None when well-formed)

Failures are StatesError("States.IntrinsicFailure", cause) for bad arguments and
StatesError("States.Runtime", cause) when a path argument resolves to nothing.
The registry maps each function name to its module-level implementation; one module per
family (array, string, math, json, hash, encoding, uuid) registers with `@register`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import ErrorName, StatesError
from ..paths import PathNotFound, reader as paths_reader, to_json_str
from .parser import Call, IntrinsicSyntaxError, Literal, StringLiteral, looks_like_call, parse


@dataclass(frozen=True)
class Function:
    name: str
    impl: Callable[[list, tuple], Any]   # (argument values, argument nodes) -> value
    min_args: int
    max_args: int | None


REGISTRY: dict[str, Function] = {}


def register(name: str, min_args: int, max_args: int | None = -1):
    """Register an implementation; max_args=-1 means exactly min_args, None means unbounded."""
    def deco(fn):
        REGISTRY[name] = Function(name, fn, min_args, min_args if max_args == -1 else max_args)
        compiled.cache_clear()  # compiled calls resolved their function from the registry
        return fn
    return deco


def is_intrinsic(s: Any) -> bool:
    """True for strings shaped like an intrinsic call: `States.Name(…)`."""
    return looks_like_call(s)


def validate_expression(s: Any) -> str | None:
    """A message describing why `s` is not a usable intrinsic call, or None when it is
    (syntax, known function names, argument counts — recursively)."""
    try:
        call = parse(s)
    except IntrinsicSyntaxError as exc:
        return str(exc)

    def check(c: Call) -> str | None:
        fn = REGISTRY.get(c.name)
        if fn is None:
            return f"Unsupported intrinsic function: {c.name}"
        msg = _count_message(fn, len(c.args))
        if msg:
            return msg
        for a in c.args:
            if isinstance(a, Call):
                sub = check(a)
                if sub:
                    return sub
        return None

    return check(call)


def _count_message(fn: Function, n: int) -> str | None:
    if n < fn.min_args or (fn.max_args is not None and n > fn.max_args):
        if fn.max_args == fn.min_args:
            expected = f"{fn.min_args}"
        elif fn.max_args is None:
            expected = f"at least {fn.min_args}"
        else:
            expected = f"{fn.min_args} to {fn.max_args}"
        return (f"Invalid number of arguments for {fn.name}: expected {expected} "
                f"but got {n}")
    return None


def evaluate(expr: str, data: Any, context: Any = None, variables: dict | None = None, *,
             field: str | None = None) -> Any:
    """Evaluate an intrinsic call against the state's input `data`, the context object and
    the workflow variables. `field` (e.g. "Name.$") only shapes the cause of a path that
    matches nothing: AWS reports it as States.Runtime naming the field."""
    return compiled(expr, field)(data, context, variables)


@functools.lru_cache(maxsize=2048)
def compiled(expr: str, field: str | None = None) -> Callable:
    """`evaluate` for one expression (and field), as a function `(data, context, variables)`.

    Parsed and resolved (function lookup, argument count, path readers) once per expression
    text instead of on every evaluation. A call that cannot succeed (syntax, unknown
    function, wrong argument count) compiles to a function raising the same fresh error each
    time it is evaluated, as before: nothing fails at compile time."""
    try:
        call = parse(expr)
    except IntrinsicSyntaxError as exc:
        # The validator rejects these definitions; at run time they are intrinsic failures.
        return _raising(ErrorName.INTRINSIC_FAILURE, str(exc))
    return _compile_call(call, field)


def _raising(name: ErrorName, cause: str) -> Callable:
    def fail(data, context=None, variables=None):
        raise StatesError(name, cause)
    return fail


def _compile_call(call: Call, field: str | None) -> Callable:
    fn = REGISTRY.get(call.name)
    if fn is None:
        return _raising(ErrorName.INTRINSIC_FAILURE, f"Unsupported intrinsic function: {call.name}")
    msg = _count_message(fn, len(call.args))
    if msg:
        return _raising(ErrorName.INTRINSIC_FAILURE, msg)
    impl, nodes = fn.impl, call.args
    args = tuple(_compile_arg(a, field) for a in nodes)

    def run(data, context=None, variables=None):
        try:
            values = [a(data, context, variables) for a in args]
        except PathNotFound as exc:
            # Only a path argument of this call raises PathNotFound (a nested call reports
            # its own). `field` (e.g. "Name.$") shapes the cause: AWS names the field.
            raise path_not_found(exc, field) from None
        return impl(values, nodes)
    return run


def _compile_arg(node, field: str | None) -> Callable:
    if isinstance(node, (Literal, StringLiteral)):
        value = node.value  # JSON scalars and str: immutable, safe to hand out each time
        return lambda data, context, variables: value
    if isinstance(node, Call):
        return _compile_call(node, field)  # its path misses name the same field
    return paths_reader(node.path)


def path_not_found(exc: PathNotFound, field: str | None) -> StatesError:
    """AWS's States.Runtime cause for a `.$` path (or a path argument) that matches nothing."""
    where = f" specified for the field '{field}'" if field else ""
    return StatesError(ErrorName.RUNTIME,
                       f"The JSONPath '{exc.path}'{where} could not be found in the input "
                       f"'{to_json_str(exc.data)}'")


# Family modules register themselves on import (kept last: they import `register` from here).
from . import array, encoding, hash, json, math, string, uuid  # noqa: E402,F401
