"""JSON-type predicates and literal-value rules shared by the checks.

Written once (habit 10): in JSON, `true` is not a number, although Python's bool is an int.
"""
from __future__ import annotations

import re
from datetime import date

from engine.asl.substitutions import Unquoted, unclosed
from engine.asl.substitutions import has_placeholder as substitution_in

from .report import Loc, Report, expected_type

JSONATA_OPEN, JSONATA_CLOSE = "{%", "%}"


def is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_integer(v) -> bool:
    # Integer fields take JSON integers; `3.0` parses as a float and is reported.
    return isinstance(v, int) and not isinstance(v, bool)


def is_jsonata(v) -> bool:
    """A JSONata expression: the whole string is `{% … %}` (ASL spec, "JSONata expressions")."""
    return (isinstance(v, str) and v.startswith(JSONATA_OPEN) and v.endswith(JSONATA_CLOSE)
            and len(v) >= 4)


def has_placeholder(v) -> bool:
    """`${Name}` substitutions (CloudFormation/SAM/CDK DefinitionSubstitutions) are resolved
    before the definition runs, so a value holding one is not judged further; the validator
    reports each placeholder as a warning (placeholders.py). An unclosed `${` counts too (it
    is refused there); `${}` and `${ a b }` are plain text."""
    return substitution_in(v) or (isinstance(v, str) and unclosed(v))


def is_unquoted(v) -> bool:
    """A bare `${Name}` (SAM's `"Seconds": ${Wait}`): JSON text of any type goes there."""
    return isinstance(v, Unquoted)


def quoted_placeholder(report: Report, value, loc: Loc, type_name: str) -> bool:
    """True when `value` is a placeholder, reporting a quoted one in a field that must be a
    number or a boolean: `"Seconds": "${Wait}"` is the string "30" once substituted, which
    the field refuses (AWS: "Expected value of type Integer")."""
    if is_unquoted(value):
        return True
    if not has_placeholder(value):
        return False
    report.schema(f"Expected value of type {type_name}: the quoted placeholder \"{value}\" "
                  f"becomes a string when it is substituted; write it without quotes "
                  f"({value})", loc)
    return True


# "Timestamps MUST conform to RFC3339 profile of ISO 8601, with the further restrictions that
# an uppercase T must separate the date and time portions, and an uppercase Z must denote that
# a numeric time zone offset is not present" (ASL spec, Choice/Wait). Numeric offsets are allowed.
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))\Z")


def is_rfc3339(v) -> bool:
    if not isinstance(v, str):
        return False
    if has_placeholder(v):
        return True  # substituted before the definition runs
    m = _RFC3339.match(v)
    if not m:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    try:
        date(year, month, day)
    except ValueError:
        return False
    if hour > 23 or minute > 59 or second > 60:  # 60: RFC 3339 leap second
        return False
    if m.group(9) is not None and (int(m.group(9)) > 23 or int(m.group(10)) > 59):
        return False
    return True


def check_int_range(report: Report, value, loc: Loc, minimum=None, maximum=None) -> None:
    """An Integer field with AWS's bounds messages ("Minimum value is 0")."""
    if quoted_placeholder(report, value, loc, "Integer"):
        return
    if not is_integer(value):
        report.schema(expected_type("Integer"), loc)
        return
    if minimum is not None and value < minimum:
        report.schema(f"Minimum value is {minimum}", loc)
    if maximum is not None and value > maximum:
        report.schema(f"Maximum value is {maximum}", loc)


def check_number_range(report: Report, value, loc: Loc, minimum=None, maximum=None) -> None:
    if quoted_placeholder(report, value, loc, "Number"):
        return
    if not is_number(value):
        report.schema(expected_type("Number"), loc)
        return
    if minimum is not None and value < minimum:
        report.schema(f"Minimum value is {float(minimum)}", loc)
    if maximum is not None and value > maximum:
        report.schema(f"Maximum value is {float(maximum)}", loc)


def check_string(report: Report, value, loc: Loc) -> bool:
    if isinstance(value, str):  # a bare placeholder too: its value may be a JSON string
        return True
    report.schema(expected_type("String"), loc)
    return False


def check_object(report: Report, value, loc: Loc) -> bool:
    if isinstance(value, dict):
        return True
    report.schema(expected_type("Object"), loc)
    return False


def check_array(report: Report, value, loc: Loc, non_empty: bool = False) -> bool:
    if not isinstance(value, list):
        report.schema(expected_type("Array"), loc)
        return False
    if non_empty and not value:
        report.schema("Value cannot be empty", loc)
        return False
    return True
