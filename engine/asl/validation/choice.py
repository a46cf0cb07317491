"""Choice rules (ASL spec, "Choice Rules"; AWS, "Choice workflow state").

JSONPath: a top-level rule has a `Next` and exactly one of And / Or / Not / a `Variable` with
exactly one comparison operator; nested rules have no `Next`. JSONata: a rule is a
`Condition` (boolean or `{% %}` expression) and a `Next`.
"""
from __future__ import annotations

from .expressions import check_jsonata_expression, check_jsonata_template, check_path
from .report import Loc, Report, expected_type, language_message, not_supported, required
from .values import (check_array, check_object, check_string, has_placeholder, is_jsonata,
                     is_number, is_rfc3339, quoted_placeholder)
from .variables import check_assign

_COMPARISONS = {
    **{f"{kind}{op}": kind
       for kind in ("String", "Numeric", "Timestamp")
       for op in ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")},
    "BooleanEquals": "Boolean", "StringMatches": "String",
}
OPERATORS = frozenset(
    set(_COMPARISONS) | {f"{k}Path" for k in _COMPARISONS if k != "StringMatches"}
    | {"IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"})
_COMBINATORS = ("And", "Or", "Not")
_SELECTORS = ("And", "Or", "Not", "Variable", "Condition")


def check_choices(report: Report, state: dict, loc: Loc, language: str) -> None:
    choices = state["Choices"]
    if not check_array(report, choices, loc + ("Choices",), non_empty=True):
        return
    for i, rule in enumerate(choices):
        here = loc + ("Choices", i)
        if not check_object(report, rule, here):
            continue
        if "Next" not in rule:
            report.schema(required("Next"), here)
        else:
            check_string(report, rule["Next"], here + ("Next",))
        if "Assign" in rule:
            check_assign(report, rule["Assign"], here + ("Assign",), language)
        if language == "JSONata":
            _check_jsonata_rule(report, rule, here)
        else:
            if "Output" in rule:
                report.schema(language_message(language, "Output"), here)
            _check_rule(report, rule, here, top=True)
    if "Default" in state:
        check_string(report, state["Default"], loc + ("Default",))


def _check_jsonata_rule(report: Report, rule: dict, loc: Loc) -> None:
    for key in rule:
        if key in ("Variable",) + _COMBINATORS or key in OPERATORS:
            report.schema(language_message("JSONata", key), loc)
        elif key not in ("Condition", "Next", "Assign", "Output", "Comment"):
            report.schema(not_supported(key), loc)
    if "Condition" not in rule:
        report.schema(required("Condition"), loc)
        return
    condition = rule["Condition"]
    if is_jsonata(condition):
        check_jsonata_expression(report, condition, loc + ("Condition",))
    elif not isinstance(condition, bool):
        report.schema(expected_type("Boolean"), loc + ("Condition",))
    if "Output" in rule:
        check_jsonata_template(report, rule["Output"], loc + ("Output",))


def _check_rule(report: Report, rule: dict, loc: Loc, top: bool) -> None:
    selectors = [k for k in ("And", "Or", "Not", "Variable") if k in rule]
    if "Condition" in rule:
        report.schema(language_message("JSONPath", "Condition"), loc)
    elif len(selectors) != 1:
        report.schema("The object must have only one of the following fields, "
                      "[And, Or, Not, Variable, Condition]", loc)
    allowed = set(_SELECTORS) | OPERATORS | {"Comment"} | ({"Next", "Assign"} if top else set())
    for key in rule:
        if key not in allowed:
            report.schema(not_supported(key), loc)
    for key in ("And", "Or"):
        if key in rule and check_array(report, rule[key], loc + (key,), non_empty=True):
            for i, sub in enumerate(rule[key]):
                if check_object(report, sub, loc + (key, i)):
                    _check_rule(report, sub, loc + (key, i), top=False)
    if "Not" in rule and check_object(report, rule["Not"], loc + ("Not",)):
        _check_rule(report, rule["Not"], loc + ("Not",), top=False)
    operators = [k for k in rule if k in OPERATORS]
    if "Variable" in rule:
        check_path(report, rule["Variable"], loc + ("Variable",), reference=True)
        if len(operators) != 1:
            report.schema("There should only be one of the following fields: "
                          f"[{', '.join(operators) or 'comparison operator'}]", loc)
    elif operators:
        report.schema(required("Variable"), loc)
    for op in operators:
        _check_operand(report, op, rule[op], loc + (op,))


def _check_operand(report: Report, op: str, value, loc: Loc) -> None:
    kind = "Boolean" if op.startswith("Is") else _COMPARISONS.get(op)
    if kind in ("Numeric", "Boolean") and not op.endswith("Path"):
        # `"NumericEquals": "${Limit}"` is a string once substituted; `${Limit}` bare is not.
        if quoted_placeholder(report, value, loc, "Number" if kind == "Numeric" else "Boolean"):
            return
    elif has_placeholder(value):
        return  # "${Status}": a string, whatever is substituted
    if op.endswith("Path"):
        check_path(report, value, loc, reference=True)
    elif op.startswith("Is"):
        if not isinstance(value, bool):
            report.schema(expected_type("Boolean"), loc)
    else:
        if kind == "Numeric" and not is_number(value):
            report.schema(expected_type("Number"), loc)
        elif kind == "Boolean" and not isinstance(value, bool):
            report.schema(expected_type("Boolean"), loc)
        elif kind in ("String", "Timestamp") and not isinstance(value, str):
            report.schema(expected_type("String"), loc)
        elif kind == "Timestamp" and not is_rfc3339(value):
            report.schema("String does not match RFC3339 timestamp", loc)
