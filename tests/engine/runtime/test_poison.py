"""No poison execution (PostgreSQL, a real worker).

A NUL character in a handler's failure (or value) is stored as JSON writes it, \\u0000
(PostgreSQL's text and jsonb cannot hold U+0000), and shown; a step that fails at every
attempt for a reason no retry can fix fails its execution with States.Runtime after
STEPSTUDIO_STEP_ATTEMPTS attempts instead of looping while the sweeper re-sends it.
"""
from __future__ import annotations

import json
import uuid

import pytest
import redis

from engine import services

from .conftest import assert_history_contiguous, lambda_arn, wait_for_execution

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

ESCAPED = "\\u0000"  # six characters


def one_task(make_machine, handler: str, key: str):
    return make_machine({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": lambda_arn(handler), "Parameters": {"key": key},
        "End": True}}})


def test_a_nul_in_a_failure_is_stored_and_shown(runtime, make_machine):
    machine = one_task(make_machine, "test-nul", f"nul-{uuid.uuid4().hex[:8]}")
    ex = wait_for_execution(services.start_execution(machine, {}), 60)
    assert ex.status == "FAILED"
    assert ex.error == f"Bad{ESCAPED}Error"
    assert ex.cause == f"a cause with {ESCAPED} in it"
    failed = ex.events.get(type="LambdaFunctionFailed").details
    assert failed["lambdaFunctionFailedEventDetails"] == {
        "error": f"Bad{ESCAPED}Error", "cause": f"a cause with {ESCAPED} in it"}
    described = services.describe_execution(ex)
    assert (described["error"], described["cause"]) == (ex.error, ex.cause)
    assert_history_contiguous(ex)


def test_a_caught_nul_failure_and_a_nul_value_flow_on(runtime, make_machine):
    key = f"nul-{uuid.uuid4().hex[:8]}"
    caught = make_machine({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": lambda_arn("test-nul"), "Parameters": {"key": key},
                 "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err",
                            "Next": "Caught"}], "End": True},
        "Caught": {"Type": "Pass", "End": True}}})
    value = make_machine({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": lambda_arn("test-nul"),
        "Parameters": {"key": key, "succeed": True}, "End": True}}})
    ex = wait_for_execution(services.start_execution(caught, {"n": 1}), 60)
    assert ex.status == "SUCCEEDED", ex.cause
    assert ex.output == {"n": 1, "err": {"Error": f"Bad{ESCAPED}Error",
                                         "Cause": f"a cause with {ESCAPED} in it"}}
    ex = wait_for_execution(services.start_execution(value, {}), 60)
    assert ex.status == "SUCCEEDED", ex.cause
    assert ex.output == {"text": f"before{ESCAPED}after", f"key{ESCAPED}": 1}
    assert json.loads(ex.events.get(type="ExecutionSucceeded").details[
        "executionSucceededEventDetails"]["output"]) == ex.output


def test_a_step_that_cannot_be_saved_fails_its_execution(runtime, make_machine, redis_url):
    key = f"unsavable-{uuid.uuid4().hex[:8]}"
    machine = one_task(make_machine, "test-unsavable", key)
    ex = wait_for_execution(services.start_execution(machine, {}), 60)
    assert ex.status == "FAILED"
    assert ex.error == "States.Runtime"
    assert "The step of state 'Call' failed 5 times in a row" in ex.cause, ex.cause
    # The handler ran once per attempt: bounded, not re-sent forever.
    assert redis.Redis.from_url(redis_url).llen(f"started:{key}") == 5
    types = list(ex.events.order_by("seq").values_list("type", flat=True))
    assert types[-1] == "ExecutionFailed" and types.count("ExecutionFailed") == 1
    assert ex.events.get(type="ExecutionFailed").details["executionFailedEventDetails"] == {
        "error": "States.Runtime", "cause": ex.cause}
    assert_history_contiguous(ex)


def test_a_nul_in_an_execution_input_is_stored(runtime, make_machine):
    machine = make_machine({"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}})
    ex = wait_for_execution(services.start_execution(machine, '{"a\\u0000": "b\\u0000c"}'), 60)
    assert ex.status == "SUCCEEDED", ex.cause
    assert ex.output == {f"a{ESCAPED}": f"b{ESCAPED}c"}
