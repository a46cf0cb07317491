"""Parity: "one evaluator, two drivers". The durable runtime (a real worker) and the in-process
driver (`engine.asl.run_state_machine`) run the same definitions with the same real handlers
and must agree on status, output, error, cause and the history, timestamps aside.

Sequential runs compare the event lists exactly (type, id, previousEventId, details). A
concurrent fan-out interleaves its children differently in each driver, so it is compared as
the conformance runner does: the (type, details) multiset, first and last event fixed.

JSON texts in details (`input`, `output`, …) are compared as text, so object key order
counts: AWS keeps the order the data was written in, and so must the durable runtime, which
reads its data back from the database between steps (hence `json`, not `jsonb`, columns:
engine/fields.py). The job poller's handlers return keys out of sorted order on purpose.
"""
from __future__ import annotations

import collections
import json
import re

import pytest

from engine import samples, services
from engine.asl import run_state_machine

from .conftest import assert_history_contiguous, lambda_arn, wait_for_execution

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

SAMPLES = samples.definitions()

PASS_CHOICE = {
    "StartAt": "Init",
    "States": {
        "Init": {"Type": "Pass", "Parameters": {"n.$": "$.n", "seen": []}, "Next": "Check"},
        "Check": {"Type": "Choice",
                  "Choices": [{"Variable": "$.n", "NumericGreaterThan": 2, "Next": "Big"},
                              {"Variable": "$.n", "NumericEquals": 2, "Next": "Two"}],
                  "Default": "Small"},
        "Big": {"Type": "Pass", "Result": "big", "ResultPath": "$.size", "Next": "Done"},
        "Two": {"Type": "Pass", "Result": "two", "ResultPath": "$.size", "Next": "Done"},
        "Small": {"Type": "Fail", "Error": "TooSmall", "Cause": "n is below 2"},
        "Done": {"Type": "Succeed"},
    },
}

PARALLEL_2 = {
    "StartAt": "Both",
    "States": {"Both": {
        "Type": "Parallel",
        "Branches": [
            {"StartAt": "Greet", "States": {
                "Greet": {"Type": "Task", "Resource": lambda_arn("greet"), "Next": "Tag"},
                "Tag": {"Type": "Pass", "Parameters": {"g.$": "$.greeting"}, "End": True}}},
            {"StartAt": "Echo", "States": {
                "Echo": {"Type": "Pass", "Parameters": {"echo.$": "$.name"}, "End": True}}},
        ],
        "End": True}},
}

MAP_SEQUENTIAL = {
    "StartAt": "Each",
    "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Square",
                          "States": {"Square": {"Type": "Task", "Resource": lambda_arn("square"),
                                                "Next": "Wrap"},
                                     "Wrap": {"Type": "Pass", "Parameters": {"sq.$": "$"},
                                              "End": True}}},
        "ResultPath": "$.out", "Next": "After"},
        "After": {"Type": "Pass", "End": True}},
}

RETRY_THEN_CATCH = {
    "StartAt": "Charge",
    "States": {
        "Charge": {"Type": "Task", "Resource": lambda_arn("charge-card"),
                   "Parameters": {"amount.$": "$.amount", "card.$": "$.card",
                                  "attempt.$": "$$.State.RetryCount"},
                   "Retry": [{"ErrorEquals": ["PaymentDeclined"], "IntervalSeconds": 1,
                              "MaxAttempts": 1}],
                   "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error",
                              "Next": "Declined"}],
                   "Next": "Paid"},
        "Paid": {"Type": "Succeed"},
        "Declined": {"Type": "Pass", "Parameters": {"why.$": "$.error.Error"}, "End": True},
    },
}

# (id, definition, input, sequential?) — the samples with inputs that need no real time
# (waitSeconds 0; the job handlers are deterministic: progress travels in the state data).
# callback-approval is left out: it waits for a SendTaskSuccess from outside.
CASES = [
    ("job-poller", SAMPLES["job-poller"], {"waitSeconds": 0, "checksNeeded": 2}, True),
    ("job-poller-flaky", SAMPLES["job-poller"],
     {"waitSeconds": 0, "checksNeeded": 1, "flaky": True}, True),
    ("job-poller-fails", SAMPLES["job-poller"], {"waitSeconds": 0, "fail": True, "checksNeeded": 1},
     True),
    ("parallel-greetings", SAMPLES["parallel-greetings"], {"name": "Ada"}, False),
    ("map-squares", SAMPLES["map-squares"], {"numbers": [1, 2, 3, 4, 5, 6]}, False),
    ("retry-catch-paid", SAMPLES["retry-catch"], {"amount": 42, "card": "4240"}, True),
    ("retry-catch-declined", SAMPLES["retry-catch"], {"amount": 420, "card": "4242"}, True),
    ("pass-choice", PASS_CHOICE, {"n": 3}, True),
    ("pass-choice-fails", PASS_CHOICE, {"n": 1}, True),
    ("parallel-2", PARALLEL_2, {"name": "Bo"}, False),
    ("map-sequential", MAP_SEQUENTIAL, {"items": [2, 3, 4]}, True),
    ("retry-then-catch", RETRY_THEN_CATCH, {"amount": 500, "card": "1"}, True),
]


REQUEST_ID = re.compile(r'"requestId": "[^"]*"')


def same_request_ids(text):
    """A Lambda error's cause names its invocation (`requestId`, a new UUID each time, as in
    AWS): the same in both drivers for the comparison."""
    return REQUEST_ID.sub('"requestId": "<request id>"', text) if isinstance(text, str) else text


def comparable(events) -> list[dict]:
    """AWS-shaped events without their timestamps (and the role ARN: the runtime's names
    the owner's account, the local driver's a fixed one; and Lambda request ids)."""
    out = []
    for e in events:
        e = {k: v for k, v in e.items() if k != "timestamp"}
        started = e.get("executionStartedEventDetails")
        if started:
            started.pop("roleArn", None)
        for key, details in e.items():
            if key.endswith("EventDetails") and isinstance(details, dict) and "cause" in details:
                e[key] = dict(details, cause=same_request_ids(details["cause"]))
        out.append(e)
    return out


def _key(e: dict) -> str:
    return json.dumps({k: v for k, v in e.items() if k not in ("id", "previousEventId")},
                      sort_keys=True)


@pytest.mark.parametrize("definition,value,sequential",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_runtime_matches_the_local_driver(runtime, make_machine, definition, value, sequential):
    name = "parity"
    machine = make_machine(definition, name=name)
    ex = wait_for_execution(services.start_execution(machine, value, name="run-1"), 60)
    local = run_state_machine(definition, value, state_machine_name=name, execution_name="run-1")

    assert (ex.status, ex.error or None, same_request_ids(ex.cause) or None) == \
        (local.status, local.error or None, same_request_ids(local.cause) or None)
    # As text: the same keys in the same order.
    assert json.dumps(ex.output) == json.dumps(local.output)
    assert_history_contiguous(ex)
    durable = comparable(e.to_aws() for e in ex.events.order_by("seq"))
    expected = comparable(local.events)
    if sequential:
        assert durable == expected
    else:
        assert [e["id"] for e in durable] == [e["id"] for e in expected]
        assert collections.Counter(map(_key, durable)) == collections.Counter(map(_key, expected))
        assert durable[0] == expected[0] and durable[-1] == expected[-1]
