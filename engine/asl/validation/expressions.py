"""Checks of the strings that are evaluated at run time: paths, `.$` payload keys, JSONata.

JSONPath states (ASL spec, "Payload Template"): a key ending in `.$` holds a Path, a context
path `$$…`, a variable path `$name…` or an intrinsic call; anything else is a definition error.
JSONata states (AWS, "Transforming data with JSONata"): a string of the form `{% expr %}` is an
expression and must parse; a path may start only at `$states` or a variable.
"""
from __future__ import annotations

from functools import lru_cache

import jsonata

from . import paths as syntax
from .report import (INVALID_JSONATA, NO_DOLLAR, UNSUPPORTED_JSONATA, Loc, Report,
                     expected_type)
from .values import JSONATA_CLOSE, JSONATA_OPEN, has_placeholder, is_jsonata


def check_path(report: Report, value, loc: Loc, *, reference: bool, nullable: bool = False,
               intrinsic: bool = False, roots: str = "all") -> None:
    """A Path field (InputPath, ItemsPath, SecondsPath, ResultPath, ErrorPath …).

    `roots` narrows where the path may start: "all" (`$`, `$$`, `$var`), "no_context" (AWS
    refuses `$$` in a Map's numeric `…Path` fields: only ItemsPath reads the context object),
    "data" (ResultPath writes into the state's data: neither the context nor a variable).
    """
    if value is None and nullable:
        return
    if not isinstance(value, str):
        report.schema(expected_type("String"), loc)
        return
    if has_placeholder(value):
        return
    if intrinsic and value.startswith("States."):
        if syntax.intrinsic_error(value) is not None:
            report.schema("Value must be a valid JSONPath or a valid intrinsic function call", loc)
        return
    reason = syntax.path_error(value, reference) or _root_error(value, roots)
    if reason is None:
        return
    if reference:
        # Wording observed from AWS: "Value is not a Reference Path: Reference path didn't
        # start with '$'"; the other reasons are ours, in the same shape.
        report.schema(f"Value is not a Reference Path: Reference path {reason}", loc)
    else:
        report.schema("Value must be a valid JSONPath.", loc)


def _root_error(value: str, roots: str) -> str | None:
    if roots != "all" and value.startswith("$$"):
        return "cannot read the context object here"
    if roots == "data" and len(value) > 1 and value[1] not in ".[":
        return "cannot address a variable here"
    return None


def check_payload_template(report: Report, template, loc: Loc) -> None:
    """Parameters / ResultSelector / ItemSelector / JSONPath Assign, recursively."""
    if isinstance(template, dict):
        _check_renamed_duplicates(report, template, loc)
        for key, value in template.items():
            here = loc + (key,)
            if isinstance(key, str) and key.endswith(".$"):
                if not _is_dynamic_value(value):
                    report.schema(f"The value for the field '{key}' must be a valid JSONPath or "
                                  "a valid intrinsic function call", here)
            else:
                if isinstance(value, str) and _looks_dynamic(value):
                    report.warning(NO_DOLLAR, f"The value for the field '{key}' looks like a "
                                   f"JSONPath or intrinsic function; did you mean '{key}.$'?",
                                   here)
                check_payload_template(report, value, here)
    elif isinstance(template, list):
        for i, value in enumerate(template):
            check_payload_template(report, value, loc + (i,))


def _check_renamed_duplicates(report: Report, template: dict, loc: Loc) -> None:
    """`{"x": 1, "x.$": "$.y"}`. ASL spec, "Payload Template": "A JSON object MUST NOT have
    duplicate field names after fields ending with the characters ".$" are renamed to strip
    the ".$" suffix." Refused (SCHEMA_VALIDATION_FAILED) at the `.$` key, as asl-validator does
    too (ChristopheBougere/asl-validator#92)."""
    for key in template:
        if isinstance(key, str) and key.endswith(".$") and key[:-2] in template:
            report.schema(f"The field '{key[:-2]}' is given twice: as '{key[:-2]}' and as "
                          f"'{key}', which builds the same field", loc + (key,))


def _is_dynamic_value(value) -> bool:
    if not isinstance(value, str):
        return False
    if has_placeholder(value):
        return True
    if value.startswith("States."):
        return syntax.intrinsic_error(value) is None
    return syntax.path_error(value, False) is None


def _looks_dynamic(value: str) -> bool:
    return (value.startswith("$.") or value.startswith("$$.")
            or (value.startswith("States.") and syntax.intrinsic_error(value) is None))


# --- JSONata ---------------------------------------------------------------------------------

def check_jsonata_template(report: Report, template, loc: Loc) -> None:
    """Every `{% … %}` string inside Arguments / Output / Assign / Items …, recursively."""
    if isinstance(template, str):
        if is_jsonata(template):
            check_jsonata_expression(report, template, loc)
        elif partial_jsonata(template):
            report.error(INVALID_JSONATA, "A JSONata expression is the whole string, from "
                         "'{%' at its start to '%}' at its end: the delimiters of "
                         f"{template!r} do not enclose it", loc)
    elif isinstance(template, dict):
        for key, value in template.items():
            check_jsonata_template(report, value, loc + (key,))
    elif isinstance(template, list):
        for i, value in enumerate(template):
            check_jsonata_template(report, value, loc + (i,))


def partial_jsonata(text: str) -> bool:
    """`"{% 10 %"`, `"10 %}"`: a string that opens an expression and never closes it, or
    closes one it never opened.

    AWS reads a string as JSONata only when the whole string is `{% … %}` ("JSONata syntax:
    "{% <JSONata expression> %}"", developer guide, "Transforming data with JSONata");
    anything else is a constant: `" {% states.input %} "` (padded with blanks) ran on AWS as
    the literal text (corpus arguments__base_cases_base_lambda_literals,
    output__base_cases_base_literals), so padded and embedded delimiters stay accepted.
    A string that starts with `{%` but does not end with `%}` (or the reverse) is a broken
    expression rather than text; it is refused, as asl-validator's
    invalid-jsonata-surround-syntax-no-close/no-open cases do."""
    return text.startswith(JSONATA_OPEN) != text.endswith(JSONATA_CLOSE) or text in ("{%", "%}", "{%}")


def check_jsonata_expression(report: Report, text: str, loc: Loc) -> None:
    if has_placeholder(text):
        return  # judged once substituted
    for code, message in jsonata_problems(text[2:-2]):
        report.error(code, message, loc)


@lru_cache(maxsize=2048)
def jsonata_problems(expression: str) -> tuple:
    """((code, message), …) for one expression body; cached, definitions repeat expressions."""
    try:
        ast = jsonata.Jsonata(expression).ast
    except Exception as exc:  # the library raises JException; any failure is a parse failure
        # AWS reports the parser's message without the JSONata code (S0202: …).
        message = getattr(exc, "message", None) or str(exc)
        return ((INVALID_JSONATA, str(message)),)
    names = []
    _top_level_names(ast, names)
    return tuple((UNSUPPORTED_JSONATA, f"Reference to '{n}' at the top level is not supported.")
                 for n in dict.fromkeys(names))


def _top_level_names(node, out: list) -> None:
    """Names read from the (absent) context item: AWS evaluates JSONata with no input, so a
    path that starts with a bare field name is refused at definition time. Only positions that
    are evaluated against the top-level context are walked; predicates, later path steps and
    lambda bodies have a context of their own and are skipped."""
    if node is None:
        return
    kind = getattr(node, "type", None)
    if kind == "path":
        steps = getattr(node, "steps", None) or []
        if steps:
            first = steps[0]
            if getattr(first, "type", None) == "name":
                out.append(first.value)
            else:
                _top_level_names(first, out)
    elif kind == "name":
        out.append(node.value)
    elif kind in ("binary", "apply"):
        _top_level_names(getattr(node, "lhs", None), out)
        _top_level_names(getattr(node, "rhs", None), out)
    elif kind == "bind":
        _top_level_names(getattr(node, "rhs", None), out)
    elif kind in ("function", "partial"):
        for arg in getattr(node, "arguments", None) or []:
            _top_level_names(arg, out)
    elif kind == "condition":
        for attr in ("condition", "then", "_else"):
            _top_level_names(getattr(node, attr, None), out)
    elif kind == "block":
        for expr in getattr(node, "expressions", None) or []:
            _top_level_names(expr, out)
    elif kind == "unary":
        if node.value == "[":
            for expr in getattr(node, "expressions", None) or []:
                _top_level_names(expr, out)
        elif node.value == "{":
            for pair in getattr(node, "lhs_object", None) or []:
                for part in pair:
                    _top_level_names(part, out)
        else:
            _top_level_names(getattr(node, "expression", None), out)
