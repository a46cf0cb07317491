import random

import pytest

from engine.asl import retry

from .states.helpers import run_mocked, types

INVOKE = "arn:aws:states:::lambda:invoke"


@pytest.mark.parametrize("equals,error,expected", [
    (["States.ALL"], "Anything", True),
    (["States.ALL"], None, True),                       # a nameless task error is still an error
    (["States.ALL"], "States.Runtime", False),           # spec: never caught by States.ALL
    (["States.TaskFailed"], "Lambda.Unknown", True),
    (["States.TaskFailed"], "States.Timeout", False),   # spec: all but States.Timeout
    (["States.Timeout"], "States.HeartbeatTimeout", True),
    (["A", "B"], "B", True),
    (["A"], "a", False),                                # names are case-sensitive
])
def test_error_matching(equals, error, expected):
    assert retry.matches(equals, error) is expected


def test_delay_is_interval_times_backoff_rate_capped_by_max_delay():
    r = {"IntervalSeconds": 3, "BackoffRate": 2, "MaxDelaySeconds": 10}
    assert [retry.delay_seconds(r, n, random.Random(0)) for n in range(4)] == [3, 6, 10, 10]


def test_defaults_are_one_second_rate_two_three_attempts():
    r = {"ErrorEquals": ["E"]}
    assert retry.max_attempts(r) == 3
    assert [retry.delay_seconds(r, n, random.Random(0)) for n in range(3)] == [1, 2, 4]


def test_full_jitter_is_within_the_delay_and_reproducible():
    r = {"IntervalSeconds": 10, "JitterStrategy": "FULL"}
    a = [retry.delay_seconds(r, n, random.Random("seed")) for n in range(5)]
    b = [retry.delay_seconds(r, n, random.Random("seed")) for n in range(5)]
    assert a == b and all(0 <= d <= 10 * 2 ** n for n, d in enumerate(a))


def task(**extra):
    return {"T": {"Type": "Task", "Resource": INVOKE, "Parameters": {"FunctionName": "f"}, "End": True, **extra}}


def test_max_attempts_zero_never_retries():
    r = run_mocked(task(Retry=[{"ErrorEquals": ["E"], "MaxAttempts": 0}]), {}, {"T": {"0": {"Throw": {"Error": "E"}}}})
    assert types(r).count("TaskScheduled") == 1 and r.error == "E"


def test_retries_then_succeeds_with_attempt_numbered_mocks():
    r = run_mocked(task(Retry=[{"ErrorEquals": ["E"], "MaxAttempts": 3}]), {},
                   {"T": {"0-1": {"Throw": {"Error": "E"}}, "2": {"Return": {"ok": 1}}}})
    assert r.status == "SUCCEEDED" and types(r).count("TaskScheduled") == 3


def test_only_the_first_matching_retrier_counts_and_exhaustion_goes_to_catch():
    d = {"T": {"Type": "Task", "Resource": INVOKE, "Parameters": {"FunctionName": "f"},
               "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 1}, {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}],
               "Catch": [{"ErrorEquals": ["E"], "Next": "H"}], "End": True},
         "H": {"Type": "Pass", "End": True}}
    r = run_mocked(d, {}, {"T": {"0-9": {"Throw": {"Error": "E", "Cause": "c"}}}})
    assert types(r).count("TaskScheduled") == 2
    assert r.output == {"Error": "E", "Cause": "c"}


def test_retry_counters_are_per_retrier():
    d = task(Retry=[{"ErrorEquals": ["A"], "MaxAttempts": 1}, {"ErrorEquals": ["B"], "MaxAttempts": 1}])
    r = run_mocked(d, {}, {"T": {"0": {"Throw": {"Error": "A"}}, "1": {"Throw": {"Error": "B"}},
                                 "2": {"Return": 1}}})
    assert r.status == "SUCCEEDED" and types(r).count("TaskScheduled") == 3


def test_a_catcher_whose_result_path_cannot_apply_fails_the_execution_with_that_error():
    d = {"T": {"Type": "Task", "Resource": INVOKE, "Parameters": {"FunctionName": "f"},
               "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.a.b", "Next": "H"}], "End": True},
         "H": {"Type": "Pass", "End": True}}
    r = run_mocked(d, "text", {"T": {"0": {"Throw": {"Error": "E"}}}})
    assert (r.status, r.error) == ("FAILED", "States.ResultPathMatchFailure")
