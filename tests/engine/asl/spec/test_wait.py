"""Spec "Wait State": Seconds, SecondsPath, Timestamp, TimestampPath; past timestamps; invalid
values reached through paths (States.Runtime). Time is virtual: the delay shows in event
timestamps only."""
from datetime import datetime, timedelta, timezone

import pytest

from engine.asl import InvalidDefinition
from engine.asl.clock import VirtualClock

from .helpers import machine, run, types

T0 = datetime(2024, 1, 1, 12, 0, 0, tzinfo=timezone.utc)


def wait(field, value, input_value=None):
    d = machine({"W": {"Type": "Wait", field: value, "Next": "P"}, "P": {"Type": "Pass", "End": True}})
    return run(d, input_value, clock=VirtualClock(T0))


def waited(r) -> timedelta:
    entered = next(e for e in r.events if e["type"] == "WaitStateEntered")
    exited = next(e for e in r.events if e["type"] == "WaitStateExited")
    parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
    return parse(exited["timestamp"]) - parse(entered["timestamp"])


@pytest.mark.parametrize("field, value, input_value, seconds", [
    ("Seconds", 10, {}, 10),
    ("Seconds", 0, {}, 0),
    ("SecondsPath", "$.s", {"s": 5}, 5),
    ("SecondsPath", "$.s", {"s": 0}, 0),
    ("Timestamp", "2024-01-01T12:01:00Z", {}, 60),
    ("Timestamp", "2024-01-01T13:00:30+01:00", {}, 30),
    ("TimestampPath", "$.t", {"t": "2024-01-01T12:00:02.500Z"}, 2.5),
    # a timestamp in the past means no wait
    ("Timestamp", "2000-01-01T00:00:00Z", {}, 0),
    ("TimestampPath", "$.t", {"t": "2000-01-01T00:00:00Z"}, 0),
])
def test_wait_modes(field, value, input_value, seconds):
    r = wait(field, value, input_value)
    assert r.status == "SUCCEEDED"
    assert r.output == input_value  # Wait passes its input through
    assert waited(r) == timedelta(seconds=seconds)
    assert types(r) == ["ExecutionStarted", "WaitStateEntered", "WaitStateExited",
                        "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]


@pytest.mark.parametrize("field, input_value", [
    ("SecondsPath", {"s": -1}),          # negative
    ("SecondsPath", {"s": 1.5}),         # not an integer
    ("SecondsPath", {"s": "5"}),         # not a number
    ("SecondsPath", {"s": None}),
    ("SecondsPath", {}),                 # path selects nothing
    ("TimestampPath", {"t": "2024-01-01"}),
    ("TimestampPath", {"t": "2024-01-01 12:00:00Z"}),
    ("TimestampPath", {"t": 5}),
    ("TimestampPath", {}),
])
def test_invalid_values_through_paths_are_runtime_errors(field, input_value):
    path = "$.s" if field == "SecondsPath" else "$.t"
    r = wait(field, path, input_value)
    assert (r.status, r.error) == ("FAILED", "States.Runtime")
    assert r.cause.startswith("An error occurred while executing the state 'W' (entered at the event id #2).")
    assert types(r) == ["ExecutionStarted", "WaitStateEntered", "ExecutionFailed"]


def test_runtime_error_in_wait_cannot_be_caught_by_an_outer_parallel():
    d = machine({"P": {"Type": "Parallel", "Branches": [
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": True}}}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": True},
        "C": {"Type": "Pass", "End": True}})
    r = run(d, {"s": -1})
    assert (r.status, r.error) == ("FAILED", "States.Runtime")


@pytest.mark.parametrize("field, value", [
    ("Seconds", -1), ("Seconds", 1.5), ("Seconds", "5"),
    ("Timestamp", "2016-03-14T01:59:00"), ("Timestamp", "not a time"),
    ("SecondsPath", "nope"),
])
def test_invalid_literals_are_definition_errors(field, value):
    with pytest.raises(InvalidDefinition):
        wait(field, value, {})


def test_wait_needs_exactly_one_mode():
    d = machine({"W": {"Type": "Wait", "Seconds": 1, "Timestamp": "2024-01-01T00:00:00Z", "End": True}})
    with pytest.raises(InvalidDefinition):
        run(d, {})
