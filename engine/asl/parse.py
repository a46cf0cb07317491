"""definition (dict or JSON text) → StateMachine, or InvalidDefinition with every problem.

These are the structural checks the evaluator needs to be safe (it never walks into a
missing state). The full AWS validation (schema, paths, intrinsics, field combinations) is
`validate.py`; `run_state_machine` runs both and refuses to execute on any ERROR.
"""
from __future__ import annotations

from . import substitutions as subs
from .errors import Diagnostic, InvalidDefinition
from .model import JSONATA, JSONPATH, StateMachine

STATE_TYPES = {"Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}
# Spec: "Choice, Succeed and Fail states ... Terminal states" need no Next/End.
_NO_TRANSITION = {"Choice", "Succeed", "Fail"}


UNRESOLVED = "UNRESOLVED_SUBSTITUTIONS"


def load(definition) -> dict:
    if isinstance(definition, bytes):
        definition = definition.decode("utf-8", errors="replace")
    if isinstance(definition, str):
        try:
            # Bare `${Name}` values (SAM) are read as placeholders, refused when it runs.
            definition = subs.parse_text(definition)
        except (TypeError, ValueError) as ex:
            raise InvalidDefinition([Diagnostic("INVALID_JSON_DESCRIPTION", f"Definition is not valid JSON: {ex}")])
    if not isinstance(definition, dict):
        raise InvalidDefinition([Diagnostic("SCHEMA_VALIDATION_FAILED", "Definition must be a JSON object")])
    return definition


def resolve_substitutions(definition, substitutions=None) -> dict:
    """The definition (dict or text) with `substitutions` applied; InvalidDefinition naming
    every placeholder that is left (a definition with placeholders is never run)."""
    try:
        substitutions = subs.check_map(substitutions)
        if isinstance(definition, (str, bytes)) and substitutions:
            text = definition.decode("utf-8", "replace") if isinstance(definition, bytes) else definition
            definition = subs.resolve_text(text, substitutions)
        definition = load(definition)
        if substitutions:
            definition = subs.resolve(definition, substitutions)
    except subs.SubstitutionError as ex:
        raise InvalidDefinition([Diagnostic(UNRESOLVED, str(ex))]) from None
    except ValueError as ex:  # check_map: not a map of names to strings
        raise InvalidDefinition([Diagnostic(UNRESOLVED, str(ex))]) from None
    left = subs.unresolved(definition)
    if left:
        raise InvalidDefinition([Diagnostic(UNRESOLVED, subs.unresolved_message(left))])
    return definition


def parse(definition) -> StateMachine:
    definition = load(definition)
    diags: list[Diagnostic] = []
    ql = definition.get("QueryLanguage", JSONPATH)
    if ql not in (JSONPATH, JSONATA):
        diags.append(Diagnostic("SCHEMA_VALIDATION_FAILED", f"Unknown QueryLanguage {ql!r}", "/QueryLanguage"))
    _check_body(definition, "", diags)
    if diags:
        raise InvalidDefinition(diags)
    return StateMachine(definition, ql if ql in (JSONPATH, JSONATA) else JSONPATH)


def _check_body(body, loc: str, diags: list) -> None:
    if not isinstance(body, dict):
        diags.append(Diagnostic("SCHEMA_VALIDATION_FAILED", "Expected an object", loc or "/"))
        return
    missing = [k for k in ("States", "StartAt") if k not in body]
    if missing:
        diags.append(Diagnostic("SCHEMA_VALIDATION_FAILED",
                                f"These fields are required: [{', '.join(missing)}]", loc or "/"))
        return
    states = body["States"]
    if not isinstance(states, dict) or not states:
        diags.append(Diagnostic("SCHEMA_VALIDATION_FAILED", "States must be a non-empty object", f"{loc}/States"))
        return
    if body["StartAt"] not in states:
        diags.append(Diagnostic("MISSING_TRANSITION_TARGET",
                                f"Missing 'Next' target: {body['StartAt']}", f"{loc}/StartAt"))
    for name, state in states.items():
        sloc = f"{loc}/States/{name}"
        if not isinstance(state, dict):
            diags.append(Diagnostic("SCHEMA_VALIDATION_FAILED", "A state must be an object", sloc))
            continue
        stype = state.get("Type")
        if stype not in STATE_TYPES:
            diags.append(Diagnostic("SCHEMA_VALIDATION_FAILED", f"Unknown state Type {stype!r}", f"{sloc}/Type"))
            continue
        if stype == "Choice":
            choices = state.get("Choices")
            targets = [c.get("Next") for c in choices if isinstance(c, dict)] if isinstance(choices, list) else []
            if "Default" in state:
                targets.append(state["Default"])
            if not isinstance(choices, list) or not choices:
                diags.append(Diagnostic("SCHEMA_VALIDATION_FAILED", "Choices must be a non-empty array", f"{sloc}/Choices"))
        elif stype not in _NO_TRANSITION:
            if ("Next" in state) == bool(state.get("End")):
                diags.append(Diagnostic("SCHEMA_VALIDATION_FAILED",
                                        "Exactly one of 'Next' or 'End: true' is required", sloc))
            targets = [state["Next"]] if "Next" in state else []
        else:
            targets = []
        for key in ("Retry", "Catch"):
            value = state.get(key)
            if value is not None and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
                diags.append(Diagnostic("SCHEMA_VALIDATION_FAILED", f"{key} must be an array of objects", f"{sloc}/{key}"))
        catchers = state.get("Catch")
        for c in catchers if isinstance(catchers, list) else []:
            if isinstance(c, dict):
                targets.append(c.get("Next"))
        for t in targets:
            if not isinstance(t, str) or t not in states:
                diags.append(Diagnostic("MISSING_TRANSITION_TARGET", f"Missing 'Next' target: {t}", sloc))
        if stype == "Task" and not isinstance(state.get("Resource"), str):
            diags.append(Diagnostic("SCHEMA_VALIDATION_FAILED", "The field 'Resource' is required", sloc))
        if stype == "Parallel":
            branches = state.get("Branches")
            if not isinstance(branches, list) or not branches:
                diags.append(Diagnostic("SCHEMA_VALIDATION_FAILED", "Branches must be a non-empty array", f"{sloc}/Branches"))
            else:
                for i, b in enumerate(branches):
                    _check_body(b, f"{sloc}/Branches/{i}", diags)
        if stype == "Map":
            key = "ItemProcessor" if "ItemProcessor" in state else "Iterator"
            if key not in state:
                diags.append(Diagnostic("SCHEMA_VALIDATION_FAILED", "The field 'ItemProcessor' is required", sloc))
            else:
                _check_body(state[key], f"{sloc}/{key}", diags)
