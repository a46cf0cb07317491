"""Small builders for interpreter tests: definitions, runs and event-type lists."""
from __future__ import annotations

from engine.asl import run_state_machine


def machine(states: dict, start: str | None = None, **top) -> dict:
    return {"StartAt": start or next(iter(states)), "States": states, **top}


def run(states_or_definition, input=None, **kw):
    d = states_or_definition
    if "States" not in d:
        d = machine(d)
    return run_state_machine(d, {} if input is None else input, **kw)


def types(result) -> list[str]:
    return [e["type"] for e in result.events]


def details(result, event_type: str) -> list[dict]:
    out = []
    for e in result.events:
        if e["type"] == event_type:
            out.append(next((v for k, v in e.items() if k.endswith("EventDetails")), {}))
    return out


def mocks(responses: dict) -> dict:
    """mock config for `{state: {attempt-key: response}}`."""
    return {
        "StateMachines": {"M": {"TestCases": {"T": {s: f"{s}R" for s in responses}}}},
        "MockedResponses": {f"{s}R": r for s, r in responses.items()},
    }


def run_mocked(definition, input, responses, **kw):
    return run(definition, input, mock_config=mocks(responses), state_machine_name="M", test_case="T", **kw)
