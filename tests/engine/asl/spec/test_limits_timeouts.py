"""AWS quotas and time-outs: 256 KiB payloads (States.DataLimitExceeded), machine-level
TimeoutSeconds (TIMED_OUT, ExecutionTimedOut)."""
from datetime import datetime, timezone

from engine.asl.clock import VirtualClock
from engine.asl.handlers import TakesTime

from .helpers import machine, run, types

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
BIG = "a" * (256 * 1024)


def test_task_result_over_256_kib_is_data_limit_exceeded_and_catchable(script):
    h = script({"x": BIG})
    d = machine({"A": h.task(Catch=[{"ErrorEquals": ["States.DataLimitExceeded"], "Next": "C"}], End=True),
                 "C": {"Type": "Pass", "Parameters": {"e.$": "$.Error"}, "End": True}})
    r = run(d, {})
    assert (r.status, r.output) == ("SUCCEEDED", {"e": "States.DataLimitExceeded"})


def test_task_result_over_limit_uncaught(script):
    h = script({"x": BIG})
    r = run(machine({"A": h.task(End=True)}), {})
    assert (r.status, r.error) == ("FAILED", "States.DataLimitExceeded")


def test_state_output_over_limit_fails_the_execution():
    r = run(machine({"A": {"Type": "Pass", "Result": {"x": BIG}, "End": True}}), {})
    assert (r.status, r.error) == ("FAILED", "States.DataLimitExceeded")
    assert types(r) == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]


def test_payload_just_under_the_limit_is_fine():
    s = "a" * (256 * 1024 - 20)
    r = run(machine({"A": {"Type": "Pass", "Result": {"x": s}, "End": True}}), {})
    assert r.status == "SUCCEEDED"


def test_limit_counts_utf8_bytes_not_characters():
    s = "é" * (256 * 1024 // 2)  # 2 bytes each in UTF-8 → over the limit
    r = run(machine({"A": {"Type": "Pass", "Result": s, "End": True}}), {})
    assert (r.status, r.error) == ("FAILED", "States.DataLimitExceeded")


def test_machine_timeout_during_wait():
    d = machine({"W": {"Type": "Wait", "Seconds": 10, "End": True}}, TimeoutSeconds=5)
    r = run(d, {}, clock=VirtualClock(T0))
    assert (r.status, r.output) == ("TIMED_OUT", None)
    assert types(r) == ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]
    assert r.events[-1]["timestamp"].startswith("2024-01-01T00:00:05")


def test_machine_timeout_during_task(script):
    h = script(TakesTime(100, {"ok": 1}))
    r = run(machine({"A": h.task(End=True)}, TimeoutSeconds=5), {}, clock=VirtualClock(T0))
    assert r.status == "TIMED_OUT"
    assert types(r)[-1] == "ExecutionTimedOut"


def test_machine_timeout_during_retry_backoff(script):
    from engine.asl import TaskFailure
    h = script(TaskFailure("E", "c"))
    d = machine({"A": h.task(Retry=[{"ErrorEquals": ["E"], "IntervalSeconds": 60}], End=True)}, TimeoutSeconds=30)
    r = run(d, {}, clock=VirtualClock(T0))
    assert r.status == "TIMED_OUT"
    assert len(h.calls) == 1


def test_execution_that_finishes_in_time_succeeds():
    d = machine({"W": {"Type": "Wait", "Seconds": 4, "End": True}}, TimeoutSeconds=5)
    assert run(d, {}, clock=VirtualClock(T0)).status == "SUCCEEDED"
