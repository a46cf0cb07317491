"""Spec "Errors", "Retrying after error", "Fallback states" and the AWS guide "Handling errors":
MaxAttempts 0, IntervalSeconds × BackoffRate, MaxDelaySeconds, JitterStrategy, several
retriers (first match wins, each with its own counter), States.ALL, States.TaskFailed vs
States.Timeout, States.Runtime never retried nor caught, counters reset on re-entry; Catch
ResultPath, catcher order. Task TimeoutSeconds / HeartbeatSeconds via `TakesTime`."""
from datetime import datetime, timezone

import pytest

from engine.asl import InvalidDefinition, TaskFailure
from engine.asl.clock import VirtualClock
from engine.asl.handlers import TakesTime

from .helpers import machine, run, types

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def E(name, cause="c"):
    return TaskFailure(name, cause)


def scheduled_offsets(r):
    """Seconds from the start at which each attempt was scheduled."""
    parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
    return [(parse(e["timestamp"]) - T0).total_seconds() for e in r.events
            if e["type"] in ("LambdaFunctionScheduled", "TaskScheduled")]


def go(d, inp=None):
    return run(d, {} if inp is None else inp, clock=VirtualClock(T0))


# -- Retry ---------------------------------------------------------------------------------------
def test_retry_then_succeed_with_backoff(script):
    h = script(E("E1"), E("E1"), {"ok": 1})
    r = go(machine({"A": h.task(Retry=[{"ErrorEquals": ["E1"], "IntervalSeconds": 2, "BackoffRate": 3,
                                        "MaxAttempts": 3}], End=True)}))
    assert (r.status, r.output) == ("SUCCEEDED", {"ok": 1})
    assert scheduled_offsets(r) == [0, 2, 8]  # 2, then 2×3
    assert types(r) == ["ExecutionStarted", "TaskStateEntered",
                        "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
                        "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
                        "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded",
                        "TaskStateExited", "ExecutionSucceeded"]


def test_retry_defaults_interval_1_backoff_2_attempts_3(script):
    h = script(E("E1"))
    r = go(machine({"A": h.task(Retry=[{"ErrorEquals": ["E1"]}], End=True)}))
    assert (r.status, r.error, r.cause) == ("FAILED", "E1", "c")
    assert scheduled_offsets(r) == [0, 1, 3, 7]
    assert len(h.calls) == 4


def test_max_attempts_zero_never_retries(script):
    h = script(E("E1"))
    r = go(machine({"A": h.task(Retry=[{"ErrorEquals": ["E1"], "MaxAttempts": 0},
                                       {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}], End=True)}))
    assert (r.status, r.error) == ("FAILED", "E1")
    assert len(h.calls) == 1  # the first matching retrier decides, even with MaxAttempts 0


def test_max_delay_seconds_caps_the_backoff(script):
    h = script(E("E1"))
    r = go(machine({"A": h.task(Retry=[{"ErrorEquals": ["E1"], "IntervalSeconds": 5, "BackoffRate": 10,
                                        "MaxAttempts": 3, "MaxDelaySeconds": 20}], End=True)}))
    assert scheduled_offsets(r) == [0, 5, 25, 45]


def test_backoff_rate_one_is_constant(script):
    h = script(E("E1"))
    r = go(machine({"A": h.task(Retry=[{"ErrorEquals": ["E1"], "IntervalSeconds": 4, "BackoffRate": 1,
                                        "MaxAttempts": 2}], End=True)}))
    assert scheduled_offsets(r) == [0, 4, 8]


def test_full_jitter_waits_at_most_the_backoff(script):
    h = script(E("E1"))
    r = go(machine({"A": h.task(Retry=[{"ErrorEquals": ["E1"], "IntervalSeconds": 10, "MaxAttempts": 3,
                                        "JitterStrategy": "FULL"}], End=True)}))
    offs = scheduled_offsets(r)
    gaps = [b - a for a, b in zip(offs, offs[1:])]
    assert len(gaps) == 3
    for gap, cap in zip(gaps, (10, 20, 40)):
        assert 0 <= gap <= cap


def test_each_retrier_counts_its_own_attempts(script):
    h = script(E("E1"), E("E2"), E("E1"), E("E2"), {"ok": 1})
    r = go(machine({"A": h.task(Retry=[{"ErrorEquals": ["E1"], "MaxAttempts": 2, "IntervalSeconds": 1},
                                       {"ErrorEquals": ["E2"], "MaxAttempts": 2, "IntervalSeconds": 10}],
                                End=True)}))
    assert r.status == "SUCCEEDED"
    assert scheduled_offsets(r) == [0, 1, 11, 13, 33]  # E1: 1, E2: 10, E1: 2, E2: 20


def test_first_matching_retrier_wins_and_exhaustion_is_final(script):
    h = script(E("E1"))
    r = go(machine({"A": h.task(Retry=[{"ErrorEquals": ["E1"], "MaxAttempts": 1},
                                       {"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}], End=True)}))
    assert (r.status, r.error) == ("FAILED", "E1")
    assert len(h.calls) == 2


def test_states_all_must_be_alone_and_last():
    bad = {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": True}
    for retry in ([{"ErrorEquals": ["States.ALL", "E1"]}],
                  [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["E1"]}]):
        with pytest.raises(InvalidDefinition):
            go(machine({"A": dict(bad, Retry=retry)}))


def test_retry_counters_reset_when_the_state_is_entered_again(script):
    h = script(E("E1"), {"v": 1}, E("E1"), {"v": 2})
    d = machine({
        "A": h.task(Retry=[{"ErrorEquals": ["E1"], "MaxAttempts": 1, "IntervalSeconds": 1}], ResultPath="$.r", Next="C"),
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.r.v", "NumericEquals": 1, "Next": "A"}], "Default": "D"},
        "D": {"Type": "Succeed"}})
    r = go(d)
    assert (r.status, r.output) == ("SUCCEEDED", {"r": {"v": 2}})
    assert len(h.calls) == 4


def test_states_runtime_is_neither_retried_nor_caught(script):
    h = script({"ok": 1})
    d = machine({"A": h.task(InputPath="$.missing", Retry=[{"ErrorEquals": ["States.ALL"]}],
                             Catch=[{"ErrorEquals": ["States.ALL"], "Next": "X"}], End=True),
                 "X": {"Type": "Pass", "End": True}})
    r = go(d)
    assert (r.status, r.error) == ("FAILED", "States.Runtime")
    assert h.calls == []
    assert types(r) == ["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]


def test_task_failed_matches_any_error_but_timeout(script):
    h = script(E("Custom.Error"))
    d = machine({"A": h.task(Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "X"}], End=True),
                 "X": {"Type": "Pass", "End": True}})
    r = go(d, {"in": 1})
    assert (r.status, r.output) == ("SUCCEEDED", {"Error": "Custom.Error", "Cause": "c"})


# -- Catch ---------------------------------------------------------------------------------------
def test_catch_default_result_path_replaces_input_with_error_output(script):
    h = script(E("E1", "why"))
    d = machine({"A": h.task(Catch=[{"ErrorEquals": ["E1"], "Next": "X"}], End=True),
                 "X": {"Type": "Pass", "End": True}})
    r = go(d, {"in": 1})
    assert r.output == {"Error": "E1", "Cause": "why"}
    assert types(r) == ["ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                        "LambdaFunctionStarted", "LambdaFunctionFailed", "TaskStateExited",
                        "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]


def test_catch_result_path_adds_error_to_input(script):
    h = script(E("E1", "why"))
    d = machine({"A": h.task(Catch=[{"ErrorEquals": ["E1"], "ResultPath": "$.err", "Next": "X"}], End=True),
                 "X": {"Type": "Pass", "End": True}})
    assert go(d, {"in": 1}).output == {"in": 1, "err": {"Error": "E1", "Cause": "why"}}


def test_catch_result_path_null_keeps_input(script):
    h = script(E("E1"))
    d = machine({"A": h.task(Catch=[{"ErrorEquals": ["E1"], "ResultPath": None, "Next": "X"}], End=True),
                 "X": {"Type": "Pass", "End": True}})
    assert go(d, {"in": 1}).output == {"in": 1}


def test_catch_result_path_on_the_raw_input_not_the_effective_input(script):
    h = script(E("E1"))
    d = machine({"A": h.task(InputPath="$.sub", Catch=[{"ErrorEquals": ["E1"], "ResultPath": "$.err", "Next": "X"}],
                             End=True), "X": {"Type": "Pass", "End": True}})
    assert go(d, {"sub": {"a": 1}, "k": 2}).output == {"sub": {"a": 1}, "k": 2, "err": {"Error": "E1", "Cause": "c"}}


def test_catchers_are_tried_in_order(script):
    h = script(E("E1"))
    d = machine({"A": h.task(Catch=[{"ErrorEquals": ["E2"], "Next": "Two"},
                                    {"ErrorEquals": ["E1", "E3"], "Next": "One"},
                                    {"ErrorEquals": ["States.ALL"], "Next": "All"}], End=True),
                 "One": {"Type": "Pass", "Result": "one", "End": True},
                 "Two": {"Type": "Pass", "Result": "two", "End": True},
                 "All": {"Type": "Pass", "Result": "all", "End": True}})
    assert go(d).output == "one"


def test_retry_before_catch(script):
    h = script(E("E1"), E("E1"), E("E1"))
    d = machine({"A": h.task(Retry=[{"ErrorEquals": ["E1"], "MaxAttempts": 2}],
                             Catch=[{"ErrorEquals": ["E1"], "Next": "X"}], End=True),
                 "X": {"Type": "Pass", "End": True}})
    r = go(d)
    assert r.status == "SUCCEEDED" and len(h.calls) == 3


def test_uncaught_error_fails_execution_with_error_and_cause(script):
    h = script(E("E1", "the cause"))
    r = go(machine({"A": h.task(Catch=[{"ErrorEquals": ["E2"], "Next": "X"}], End=True),
                    "X": {"Type": "Pass", "End": True}}))
    assert (r.status, r.error, r.cause) == ("FAILED", "E1", "the cause")
    failed = r.events[-1]
    assert failed["type"] == "ExecutionFailed"
    assert failed["executionFailedEventDetails"] == {"error": "E1", "cause": "the cause"}


def test_handler_exception_is_a_task_failure_named_after_its_class(script):
    h = script(ValueError("boom"))
    r = go(machine({"A": h.task(Catch=[{"ErrorEquals": ["ValueError"], "Next": "X"}], End=True),
                    "X": {"Type": "Pass", "End": True}}))
    assert r.status == "SUCCEEDED" and r.output["Error"] == "ValueError"


# -- Task TimeoutSeconds / HeartbeatSeconds -------------------------------------------------------
def test_task_timeout_is_states_timeout_not_task_failed(script):
    h = script(TakesTime(10, {"ok": 1}))
    d = machine({"A": h.task(TimeoutSeconds=5, Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "TF"},
                                                      {"ErrorEquals": ["States.Timeout"], "Next": "TO"}], End=True),
                 "TF": {"Type": "Pass", "Result": "taskfailed", "End": True},
                 "TO": {"Type": "Pass", "Parameters": {"e.$": "$.Error"}, "End": True}})
    r = go(d)
    assert r.output == {"e": "States.Timeout"}
    assert "LambdaFunctionTimedOut" in types(r)
    assert scheduled_offsets(r) == [0]
    timed_out = next(e for e in r.events if e["type"] == "LambdaFunctionTimedOut")
    assert timed_out["timestamp"].startswith("2024-01-01T00:00:05")


def test_task_within_timeout_succeeds(script):
    h = script(TakesTime(3, {"ok": 1}))
    r = go(machine({"A": h.task(TimeoutSeconds=5, End=True)}))
    assert (r.status, r.output) == ("SUCCEEDED", {"ok": 1})


def test_timeout_seconds_path(script):
    h = script(TakesTime(10, {"ok": 1}))
    r = go(machine({"A": h.task(TimeoutSecondsPath="$.t", End=True)}), {"t": 2})
    assert (r.status, r.error) == ("FAILED", "States.Timeout")


def test_timeout_seconds_path_invalid_value_is_runtime(script):
    h = script({"ok": 1})
    r = go(machine({"A": h.task(TimeoutSecondsPath="$.t", End=True)}), {"t": "x"})
    assert (r.status, r.error) == ("FAILED", "States.Runtime")
    assert h.calls == []


def test_heartbeat_timeout(script):
    h = script(TakesTime(10, {"ok": 1}))
    r = go(machine({"A": h.task(TimeoutSeconds=100, HeartbeatSeconds=3, End=True)}))
    assert (r.status, r.error) == ("FAILED", "States.HeartbeatTimeout")


def test_heartbeats_keep_the_task_alive(script):
    h = script(TakesTime(10, {"ok": 1}, heartbeat_every=2))
    r = go(machine({"A": h.task(TimeoutSeconds=100, HeartbeatSeconds=3, End=True)}))
    assert (r.status, r.output) == ("SUCCEEDED", {"ok": 1})


def test_timeout_is_retried_by_a_timeout_retrier(script):
    h = script(TakesTime(10, {"slow": 1}), TakesTime(1, {"fast": 1}))
    r = go(machine({"A": h.task(TimeoutSeconds=5, Retry=[{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1}],
                                End=True)}))
    assert (r.status, r.output) == ("SUCCEEDED", {"fast": 1})
    assert scheduled_offsets(r) == [0, 6]
