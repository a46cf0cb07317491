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

from typing import Any

from . import intrinsics
from .errors import ErrorName, StatesError
from .paths import PathNotFound, read_path


def render(template: Any, data: Any, context: Any = None, variables: dict | None = None,
           field: str = "Parameters") -> Any:
    """Evaluate a payload template. `field` names the template's field (Parameters,
    ResultSelector, ItemSelector, Assign…) for causes that concern the template itself.

    Raises StatesError(States.Runtime) when a path matches nothing, with AWS's cause:
    "The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '{…}'"
    (the input is the compact JSON of what the path was applied to: the state input, or the
    context object for `$$` paths), and StatesError(States.IntrinsicFailure) from intrinsics.
    """
    if isinstance(template, dict):
        out = {}
        for key, value in template.items():
            if isinstance(key, str) and key.endswith(".$") and isinstance(value, str):
                out[key[:-2]] = evaluate_value(value, data, context, variables, key)
            else:
                out[key] = render(value, data, context, variables, field)
        return out
    if isinstance(template, list):
        return [render(item, data, context, variables, field) for item in template]
    return template


def evaluate_value(expr: str, data: Any, context: Any, variables: dict | None,
                   key: str) -> Any:
    """The value of one `"key.$": expr` field."""
    if intrinsics.is_intrinsic(expr):
        return intrinsics.evaluate(expr, data, context, variables, field=key)
    if expr.startswith("$"):
        try:
            return read_path(expr, data, context, variables)
        except PathNotFound as exc:
            raise intrinsics.path_not_found(exc, key) from None
    # The validator rejects these ("is not a JSONPath or intrinsic function expression");
    # a definition that bypassed it fails at run time rather than passing the text through.
    raise StatesError(ErrorName.RUNTIME,
                      f"The value of the field '{key}' must be a JSONPath or an intrinsic "
                      f"function expression, but was '{expr}'")
