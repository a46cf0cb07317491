"""Collecting diagnostics, and how their locations are written.

Habit 9: validation never stops at the first problem. Every check appends to one `Report`;
`validate()` returns the whole list.

Locations are JSON pointers (RFC 6901) from the definition root, as the designer and the REST
API read them: `/States/CheckTaskStatus/Next`, `/States/P/Branches/0/States/X`; `/` is the root.
AWS writes array elements as `Field[i]` (`/States/C/Choices[0]/Next`); that rendering is in
`Diagnostic.extra["aws_location"]` for the AWS wire protocol, and `extra["path"]` holds the
location as a list of keys and indexes.
"""
from __future__ import annotations

from typing import Union

from engine.asl.errors import Diagnostic

# AWS diagnostic codes (API reference, ValidateStateMachineDefinitionDiagnostic).
SCHEMA = "SCHEMA_VALIDATION_FAILED"
INVALID_JSON = "INVALID_JSON_DESCRIPTION"
MISSING_TARGET = "MISSING_TRANSITION_TARGET"
MISSING_END = "MISSING_END_STATE"
DUPLICATE_STATE = "DUPLICATE_STATE_NAME"
INVALID_STATE_NAME = "INVALID_STATE_NAME"
DUPLICATE_LABEL = "DUPLICATE_LABEL_NAME"
INVALID_LABEL = "INVALID_LABEL_NAME"
INVALID_JSONATA = "INVALID_JSONATA_EXPRESSION"
UNSUPPORTED_JSONATA = "UNSUPPORTED_JSONATA_EXPRESSION"
RESERVED_VARIABLE = "RESERVED_VARIABLE_NAME"
INVALID_VARIABLE = "INVALID_VARIABLE_NAME"
NO_DOLLAR = "NO_DOLLAR"  # warning
PASS_RESULT_IS_STATIC = "PASS_RESULT_IS_STATIC"  # warning

Part = Union[str, int]
Loc = tuple  # tuple[Part, ...]


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def render(loc: Loc) -> str:
    """`("States", "C", "Choices", 0, "Next")` -> `/States/C/Choices/0/Next`; `()` -> `/`."""
    return "".join(f"/{_escape(str(part))}" for part in loc) or "/"


def render_aws(loc: Loc) -> str:
    """The same location as AWS prints it: `/States/C/Choices[0]/Next`."""
    return "".join(f"[{part}]" if isinstance(part, int) else f"/{_escape(part)}"
                   for part in loc) or "/"


# Message shapes AWS uses for schema failures, in one place so they stay identical.
def required(*fields: str) -> str:
    return f"These fields are required: [{', '.join(fields)}]"


def not_supported(field: str) -> str:
    return f"Field '{field}' is not supported"


def only_one_of(*fields: str) -> str:
    return f"There should only be one of the following fields: [{', '.join(fields)}]"


def exactly_one_of(*fields: str) -> str:
    # AWS's wording when none of a oneOf group is present.
    return f"This object should have only one of the following fields: [{', '.join(fields)}]"


def one_of_values(*values: str) -> str:
    return f"Value should be one of the following: [{', '.join(values)}]"


def language_message(language: str, field: str) -> str:
    other = "JSONPath" if language == "JSONata" else "JSONata"
    return (f"The QueryLanguage is set to '{language}', but field '{field}' is only supported "
            f"for the '{other}' QueryLanguage")


def expected_type(name: str) -> str:
    return f"Expected value of type {name}"


class Report:
    """The diagnostics found so far, in the order the checks ran."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def error(self, code: str, message: str, loc: Loc | None = None) -> None:
        self._add(code, message, loc, "ERROR")

    def warning(self, code: str, message: str, loc: Loc | None = None) -> None:
        self._add(code, message, loc, "WARNING")

    def schema(self, message: str, loc: Loc) -> None:
        self.error(SCHEMA, message, loc)

    def _add(self, code: str, message: str, loc: Loc | None, severity: str) -> None:
        # loc None means "no location", as AWS reports MISSING_END_STATE.
        location = "" if loc is None else render(loc)
        extra = {} if loc is None else {"path": list(loc), "aws_location": render_aws(loc)}
        self.diagnostics.append(Diagnostic(code=code, message=message, location=location,
                                           severity=severity, extra=extra))
