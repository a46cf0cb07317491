"""TestState: run one state on an input and report its output and next state.

AWS's TestState takes a single state's definition. We run it as a one-state machine on the
local driver (engine.asl.run_state_machine): the state's `Next` becomes `End` so the run
stops after it, and the original `Next` is reported as `nextState`.
"""
from __future__ import annotations

import json

from .. import errors
from ..dispatch import action

_NOT_TESTABLE = ("Map", "Parallel")  # AWS: TestState does not run Map and Parallel states


@action("TestState")
def test_state(caller, params):
    state = _load_json(params["definition"], "InvalidDefinition", "definition")
    if not isinstance(state, dict) or "Type" not in state:
        raise errors.AwsError("InvalidDefinition",
                              "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: "
                              "The field \"Type\" is required at /'")
    if state.get("Type") in _NOT_TESTABLE:
        raise errors.validation(f"TestState does not support {state['Type']} states")
    data = _load_json(params.get("input") or "{}", "InvalidExecutionInput", "input")
    name = params.get("stateName") or "TestState"

    next_state = state.get("Next")
    single = dict(state)
    if state.get("Type") not in ("Choice", "Succeed", "Fail"):
        single.pop("Next", None)
        single["End"] = True
    definition = {"StartAt": name, "States": {name: single}}
    if state.get("Type") == "Choice":
        # A Choice must point at states that exist; stand-ins that succeed with their input.
        for target in _choice_targets(state):
            definition["States"].setdefault(target, {"Type": "Succeed"})

    from engine.asl import run_state_machine  # the interpreter, framework-free

    try:
        result = run_state_machine(definition, data, state_machine_name="TestState")
    except Exception as error:  # noqa: BLE001 — the interpreter's refusal of the definition
        diagnostics = getattr(error, "diagnostics", None)
        if diagnostics:
            from engine.api.machines import invalid_definition_message
            raise errors.AwsError("InvalidDefinition",
                                  invalid_definition_message(diagnostics)) from None
        raise

    out = {"status": "SUCCEEDED" if result.status == "SUCCEEDED" else "FAILED"}
    if result.status == "SUCCEEDED":
        out["output"] = json.dumps(result.output, ensure_ascii=False)
        if state.get("Type") == "Choice":
            next_state = _chosen(result.events)
        if next_state:
            out["nextState"] = next_state
    else:
        if result.error:
            out["error"] = result.error
        if result.cause:
            out["cause"] = result.cause
    return out


def _load_json(text: str, code: str, field: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        if code == "InvalidExecutionInput":
            raise errors.AwsError(code, f"Invalid State Machine Execution Input: "
                                        f"'{field} is not valid JSON'") from None
        raise errors.AwsError(code, f"Invalid State Machine Definition: "
                                    f"'INVALID_JSON_DESCRIPTION: {field} is not valid JSON'") from None


def _choice_targets(state: dict) -> set[str]:
    targets = {c.get("Next") for c in state.get("Choices", []) if isinstance(c, dict)}
    targets.add(state.get("Default"))
    return {t for t in targets if isinstance(t, str)}


def _chosen(events: list[dict]) -> str | None:
    # The state the Choice went to is the one entered after it.
    entered = [e for e in events if str(e.get("type", "")).endswith("StateEntered")]
    if len(entered) >= 2:
        return entered[1].get("stateEnteredEventDetails", {}).get("name")
    return None
