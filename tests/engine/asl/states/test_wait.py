from datetime import datetime, timezone
import time

from engine.asl.clock import VirtualClock

from .helpers import run, types

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def _span(r) -> float:
    first = datetime.fromisoformat(r.events[0]["timestamp"].replace("Z", "+00:00"))
    last = datetime.fromisoformat(r.events[-1]["timestamp"].replace("Z", "+00:00"))
    return (last - first).total_seconds()


def test_wait_seconds_advances_the_virtual_clock_without_sleeping():
    started = time.monotonic()
    r = run({"W": {"Type": "Wait", "Seconds": 3600, "End": True}}, {"a": 1}, clock=VirtualClock(T0))
    assert time.monotonic() - started < 2
    assert r.status == "SUCCEEDED" and r.output == {"a": 1}
    assert _span(r) == 3600
    assert types(r) == ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"]


def test_seconds_path_reads_the_input():
    r = run({"W": {"Type": "Wait", "SecondsPath": "$.s", "End": True}}, {"s": 10}, clock=VirtualClock(T0))
    assert _span(r) == 10


def test_timestamp_waits_until_that_time_and_past_timestamps_do_not_wait():
    r = run({"W": {"Type": "Wait", "Timestamp": "2024-01-01T00:01:00Z", "End": True}}, clock=VirtualClock(T0))
    assert _span(r) == 60
    r = run({"W": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z", "End": True}}, clock=VirtualClock(T0))
    assert r.status == "SUCCEEDED" and _span(r) == 0


def test_timestamp_path_accepts_nanoseconds_and_offsets():
    r = run({"W": {"Type": "Wait", "TimestampPath": "$.t", "End": True}}, {"t": "2024-01-01T01:00:00.123456789+01:00"},
            clock=VirtualClock(T0))
    # 01:00:00.123+01:00 is 00:00:00.123Z: the wait lasts 123 ms (history has ms precision).
    assert r.status == "SUCCEEDED" and _span(r) == 0.123


def test_seconds_path_causes_are_awss():
    base = "An error occurred while executing the state 'W' (entered at the event id #2). "
    cases = {
        -1: "The SecondsPath parameter references a negative value: $.s == -1",
        1.5: "The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5",
    }
    for value, cause in cases.items():
        r = run({"W": {"Type": "Wait", "SecondsPath": "$.s", "End": True}}, {"s": value})
        assert (r.status, r.error, r.cause) == ("FAILED", "States.Runtime", base + cause)
        assert types(r) == ["ExecutionStarted", "WaitStateEntered", "ExecutionFailed"]
    r = run({"W": {"Type": "Wait", "SecondsPath": "$.s", "End": True}}, {})
    assert r.cause == base + "The SecondsPath parameter does not reference an input value: $.s"


def test_timestamp_path_must_be_rfc3339_with_t_and_zone():
    for bad in ("2016-12-05 21:29:29Z", "2016-12-05T21:29:29", "2016-13-05T21:29:29Z", "05-12-2016T21:29:29Z"):
        r = run({"W": {"Type": "Wait", "TimestampPath": "$.t", "End": True}}, {"t": bad})
        assert (r.status, r.error) == ("FAILED", "States.Runtime"), bad


def test_machine_timeout_on_the_virtual_clock_times_the_execution_out():
    d = {"StartAt": "W", "TimeoutSeconds": 5,
         "States": {"W": {"Type": "Wait", "Seconds": 60, "Next": "P"}, "P": {"Type": "Pass", "End": True}}}
    r = run(d, clock=VirtualClock(T0))
    assert r.status == "TIMED_OUT" and r.output is None
    assert types(r)[-1] == "ExecutionTimedOut"
    assert _span(r) == 5
