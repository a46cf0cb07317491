"""JSONata for JSONata-mode states: the `{% ... %}` adapter over jsonata-python.

Public contract (engine/asl/README.md): `is_expression(s)`; `evaluate(expr, bindings, field)`
returning a value or UNDEFINED; `render(template, bindings, field)`; failures raise
`StatesError(States.QueryEvaluationError, cause)` with AWS's cause naming the field.
See LIMITATIONS.md for where jsonata-python differs from the reference JSONata and what this
adapter corrects.
"""
from .engine import (
    Bindings,
    compile_expression,
    contains_expression,
    evaluate,
    evaluate_required,
    expression_text,
    is_expression,
    render,
)
from .values import UNDEFINED, json_type_name, to_compact_json
from . import causes

__all__ = [
    "Bindings", "UNDEFINED", "causes", "compile_expression", "contains_expression",
    "evaluate", "evaluate_required", "expression_text", "is_expression", "json_type_name",
    "render", "to_compact_json",
]
