"""Golden cases: our own definitions (and public samples' definitions) as data files, the
interpreter's and the validator's regression net.

* `cases/*.json` — runs: `definition`, `input`, optional `mock_config`, `handlers`,
  `definition_substitutions`, and `expected` (status, output, error, cause, events).
  Timestamps, map-run ARNs and task tokens vary and are normalised away.
* `definitions/*.json` — validation: `definition` (an object, or `definition_text` when the
  file is not JSON, e.g. SAM's bare `${Name}`), optional `state_machine_type`, and
  `expected_diagnostics` ([severity, code, location] each, in order).

`handlers` describes Task handlers as data, by registry name (a Lambda function's name):
`{"returns": V}`, `{"fails": {"error": E, "cause": C}}`, and for `.waitForTaskToken` tasks
`{"send_task_success": V}` / `{"send_task_failure": {...}}`, which answer the task's own token
as a Lambda calling SendTaskSuccess would (`returns` is then what the function returns, which
must not become the result).

Regenerate after an intended change with `GOLDEN_UPDATE=1 pytest tests/engine/asl/golden` and
review the diff like code.
"""
import contextlib
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from engine.asl import run_state_machine
from engine.asl.clock import VirtualClock
from engine.asl.handlers import (TaskFailure, send_task_failure, send_task_success, task_handler,
                                 unregister)
from engine.asl.validate import validate

HERE = Path(__file__).parent
CASES = sorted((HERE / "cases").glob("*.json"))
DEFINITIONS = sorted((HERE / "definitions").glob("*.json"))
T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
_VOLATILE = [(re.compile(r"mapRun:[^\"\\]+"), "mapRun:<id>"), (re.compile(r"\b[0-9a-f]{64}\b"), "<token>")]


def normalise(events):
    out = []
    for e in events:
        e = {k: v for k, v in e.items() if k != "timestamp"}
        text = json.dumps(e, sort_keys=True)
        for rx, repl in _VOLATILE:
            text = rx.sub(repl, text)
        out.append(json.loads(text))
    return out


def _handler(spec: dict):
    def handle(payload, request):
        token = request.get("task_token")
        if "send_task_success" in spec:
            send_task_success(token, json.dumps(spec["send_task_success"]))
        if "send_task_failure" in spec:
            failure = spec["send_task_failure"]
            send_task_failure(token, failure.get("error"), failure.get("cause"))
        if "fails" in spec:
            raise TaskFailure(spec["fails"].get("error"), spec["fails"].get("cause"))
        return spec.get("returns")
    return handle


@contextlib.contextmanager
def registered(handlers: dict | None):
    for name, spec in (handlers or {}).items():
        task_handler(name)(_handler(spec))
    try:
        yield
    finally:
        for name in handlers or {}:
            unregister(name)


def execute(case):
    with registered(case.get("handlers")):
        r = run_state_machine(case["definition"], case["input"], mock_config=case.get("mock_config"),
                              state_machine_name=case.get("state_machine_name"),
                              test_case=case.get("test_case"), clock=VirtualClock(T0),
                              execution_name="golden",
                              definition_substitutions=case.get("definition_substitutions"))
    return {"status": r.status, "output": r.output, "error": r.error, "cause": r.cause,
            "events": normalise(r.events)}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_history(path):
    case = json.loads(path.read_text())
    got = execute(case)
    if os.environ.get("GOLDEN_UPDATE"):
        case["expected"] = got
        path.write_text(json.dumps(case, indent=1) + "\n")
        return
    exp = case["expected"]
    assert [e["type"] for e in got["events"]] == [e["type"] for e in exp["events"]]
    assert got == exp


def diagnose(case) -> list:
    definition = case.get("definition_text", case.get("definition"))
    return [[d.severity, d.code, d.location]
            for d in validate(definition, case.get("state_machine_type", "STANDARD"))]


@pytest.mark.parametrize("path", DEFINITIONS, ids=[p.stem for p in DEFINITIONS])
def test_golden_diagnostics(path):
    case = json.loads(path.read_text())
    got = diagnose(case)
    if os.environ.get("GOLDEN_UPDATE"):
        case["expected_diagnostics"] = got
        path.write_text(json.dumps(case, indent=1) + "\n")
        return
    assert got == case["expected_diagnostics"]
