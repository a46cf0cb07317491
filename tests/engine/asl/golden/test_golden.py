"""Golden histories: our own definitions with the full expected history (types, ids,
previousEventIds and details), the interpreter's regression net.

Each `cases/*.json` holds `definition`, `input`, optional `mock_config`, and `expected`
(status, output, error, cause, events). Timestamps, map-run ARNs and task tokens vary and
are normalised away. Regenerate after an intended change with
`GOLDEN_UPDATE=1 pytest tests/engine/asl/golden` and review the diff like code.
"""
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from engine.asl import run_state_machine
from engine.asl.clock import VirtualClock

CASES = sorted((Path(__file__).parent / "cases").glob("*.json"))
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


def execute(case):
    r = run_state_machine(case["definition"], case["input"], mock_config=case.get("mock_config"),
                          state_machine_name=case.get("state_machine_name"), test_case=case.get("test_case"),
                          clock=VirtualClock(T0), execution_name="golden")
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
