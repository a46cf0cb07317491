"""Payload templates (JSONPath mode): Parameters, ItemSelector, ResultSelector, Assign.

Spec ("Payload Template"): "A Payload Template … is a JSON object; fields whose names end in
'.$' are evaluated: their value must be a Path (or an Intrinsic Function), which is applied to
the input, and the result replaces the field, whose name loses the '.$' suffix."
The template is walked recursively, through nested objects and arrays; nothing in it is
mutated, every object and array is copied.

Value forms of a `"key.$"` field:
  * `$…`  a path over the state input (`data`);
  * `$$…` a path over the context object;
  * `$name…` a workflow variable (JSONPath-mode Variables);
  * `States.X(…)` an intrinsic function call.
"""
from __future__ import annotations

from typing import Any, Callable

from . import intrinsics
from .errors import ErrorName, StatesError
from .paths import PathNotFound, reader


def render(template: Any, data: Any, context: Any = None, variables: dict | None = None,
           field: str = "Parameters") -> Any:
    """Evaluate a payload template. `field` names the template's field (Parameters,
    ResultSelector, ItemSelector, Assign…) for causes that concern the template itself.

    Raises StatesError(States.Runtime) when a path matches nothing, with AWS's cause:
    "The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '{…}'"
    (the input is the compact JSON of what the path was applied to: the state input, or the
    context object for `$$` paths), and StatesError(States.IntrinsicFailure) from intrinsics.

    Compiles the template on every call; the evaluator keeps `compile_template`'s function
    per state instead (dataflow/jsonpath.py), so a template is walked once per machine.
    """
    return compile_template(template)(data, context, variables)


def compile_template(template: Any) -> Callable[[Any, Any, Any], Any]:
    """`render` for one template, as a function `(data, context, variables) -> value`.

    The walk over the template (which keys end in `.$`, what each value is) happens here,
    once; the function only evaluates. It builds new objects and arrays on every call, as
    `render` always did, so no two results share a mutable part with each other or with the
    definition. Nothing fails at compile time: a bad value fails when it is evaluated."""
    if isinstance(template, dict):
        fields = []
        for key, value in template.items():
            if isinstance(key, str) and key.endswith(".$") and isinstance(value, str):
                fields.append((key[:-2], compile_value(value, key)))
            else:
                fields.append((key, compile_template(value)))
        # Later duplicates of a key (`"a"` and `"a.$"`) overwrite earlier ones in place, as
        # successive assignments did.
        return lambda data, context=None, variables=None: {
            key: fn(data, context, variables) for key, fn in fields}
    if isinstance(template, list):
        items = [compile_template(item) for item in template]
        return lambda data, context=None, variables=None: [
            fn(data, context, variables) for fn in items]
    return lambda data, context=None, variables=None: template  # a JSON scalar


def compile_value(expr: str, key: str) -> Callable[[Any, Any, Any], Any]:
    """The value of one `"key.$": expr` field, as a function `(data, context, variables)`."""
    if intrinsics.is_intrinsic(expr):
        return intrinsics.compiled(expr, key)
    if expr.startswith("$"):
        read = reader(expr)

        def read_value(data, context=None, variables=None):
            try:
                return read(data, context, variables)
            except PathNotFound as exc:
                raise intrinsics.path_not_found(exc, key) from None
        return read_value

    def invalid(data, context=None, variables=None):
        # The validator rejects these ("is not a JSONPath or intrinsic function expression");
        # a definition that bypassed it fails at run time rather than passing the text through.
        raise StatesError(ErrorName.RUNTIME,
                          f"The value of the field '{key}' must be a JSONPath or an intrinsic "
                          f"function expression, but was '{expr}'")
    return invalid


def evaluate_value(expr: str, data: Any, context: Any, variables: dict | None,
                   key: str) -> Any:
    """The value of one `"key.$": expr` field."""
    return compile_value(expr, key)(data, context, variables)
