"""AWS's wording for States.QueryEvaluationError causes.

The evaluator prefixes each with "An error occurred while executing the state '<name>'
(entered at the event id #<n>). "; these are the rest. Recorded examples (conformance corpus):
  The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).
  The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an unsupported result type.
  The JSONata expression 'true' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'boolean' for value: true
"""
from __future__ import annotations

from typing import Any

from .values import json_type_name, to_compact_json


def _subject(expr: str, field: str) -> str:
    return f"The JSONata expression '{expr}' specified for the field '{field}'"


def returned_nothing(expr: str, field: str) -> str:
    return f"{_subject(expr, field)} returned nothing (undefined)."


def unsupported_result(expr: str, field: str) -> str:
    return f"{_subject(expr, field)} returned an unsupported result type."


def unexpected_type(expr: str, field: str, expected: str, value: Any) -> str:
    return (f"{_subject(expr, field)} returned an unexpected result type. "
            f"Expected '{expected}', but was '{json_type_name(value)}' "
            f"for value: {to_compact_json(value)}")


def evaluation_failed(expr: str, field: str, detail: str) -> str:
    # Not recorded in the corpus (its causes are dropped there); keeps the AWS subject and
    # appends the JSONata error so users can see what went wrong.
    return f"{_subject(expr, field)} threw an error during evaluation: {detail}"


def invalid_value(expr: str, field: str, detail: str) -> str:
    # Used for typed fields (Seconds, Timestamp, MaxConcurrency...) whose value has the
    # right JSON type but an invalid content, e.g. a timestamp that is not RFC 3339.
    return f"{_subject(expr, field)} returned an invalid value. {detail}"
