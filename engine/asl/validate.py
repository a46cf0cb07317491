"""`validate(definition)`: what AWS ValidateStateMachineDefinition would say about a definition.

Never raises. Returns every finding as a `Diagnostic` (code, severity, message, location), in
AWS's codes and wording where known; an empty list, or only WARNINGs, means AWS would accept
the definition (CreateStateMachine would not answer InvalidDefinition).

The checks live in `engine.asl.validation` (one module per concern); this module turns the
input into a JSON object first.
"""
from __future__ import annotations

import sys
import types

from engine.asl.errors import Diagnostic
from engine.asl.substitutions import parse_text
from engine.asl.validation.jackson import describe_json_error
from engine.asl.validation.machine import check_definition
from engine.asl.validation.placeholders import check_placeholders
from engine.asl.validation.report import INVALID_JSON, Report

STANDARD, EXPRESS = "STANDARD", "EXPRESS"
INTERNAL = "INTERNAL_VALIDATOR_ERROR"


class _Object(dict):
    """A JSON object that remembers keys it saw twice (JSON allows it; ASL state names may not
    repeat, which AWS reports as DUPLICATE_STATE_NAME)."""

    duplicate_keys: tuple = ()


def _object_pairs(pairs):
    obj = _Object()
    dupes = []
    for key, value in pairs:
        if key in obj:
            dupes.append(key)
        obj[key] = value
    if dupes:
        obj.duplicate_keys = tuple(dict.fromkeys(dupes))
    return obj


def _reject_constant(name: str):
    # Python's json accepts NaN/Infinity; JSON (and AWS's parser) does not.
    raise ValueError(f"Non-standard token '{name}'")


def _load(definition, report: Report):
    if isinstance(definition, (bytes, bytearray)):
        definition = definition.decode("utf-8", errors="replace")
    if isinstance(definition, str):
        if not definition.strip():
            report.schema("Definition must be a valid JSON object", ())
            return None
        try:
            # Bare `${Name}` values (SAM's definition files) are read as placeholders.
            definition = parse_text(definition, object_pairs_hook=_object_pairs,
                                    parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            report.error(INVALID_JSON, describe_json_error(definition, exc), None)
            return None
    if not isinstance(definition, dict):
        report.schema("Definition must be a valid JSON object", ())
        return None
    return definition


def validate(definition, state_machine_type: str = STANDARD, *,
             placeholders: bool = True) -> list[Diagnostic]:
    """Diagnostics for `definition` (a dict, or JSON text), as a STANDARD or EXPRESS machine.
    `placeholders=False` skips the `${Name}` pass, for a caller that has just resolved them
    (engine.asl.check_definition)."""
    report = Report()
    try:
        doc = _load(definition, report)
        if doc is not None:
            check_definition(doc, report, EXPRESS if state_machine_type == EXPRESS else STANDARD)
            if placeholders:
                check_placeholders(report, doc)
    except RecursionError:
        # AWS: TOO_DEEPLY_NESTED, "The states are too deeply nested."
        report.error("TOO_DEEPLY_NESTED", "The definition is too deeply nested", None)
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises"
        # A bug in a check must not hide the other findings or crash the caller (API, CLI);
        # the property tests assert this code never appears.
        report.error(INTERNAL, f"The validator failed: {type(exc).__name__}: {exc}", None)
    return report.diagnostics


def is_valid(diagnostics: list[Diagnostic]) -> bool:
    """AWS's `result`: OK when no diagnostic is an ERROR."""
    return not any(d.severity == "ERROR" for d in diagnostics)


class _CallableModule(types.ModuleType):
    """`engine.asl` exports a function `validate` and has this submodule of the same name.
    Importing the submodule rebinds the package attribute `engine.asl.validate` to the module,
    so `engine.asl.validate(d)` would work once and then raise "'module' object is not
    callable". Calling the module calls the function, so both spellings keep working."""

    def __call__(self, definition, state_machine_type: str = STANDARD, *,
                 placeholders: bool = True) -> list[Diagnostic]:
        return validate(definition, state_machine_type, placeholders=placeholders)


sys.modules[__name__].__class__ = _CallableModule

