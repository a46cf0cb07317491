"""A user's own package, loaded through STEPSTUDIO_HANDLERS on real workers (PostgreSQL +
Redis): its handlers run there, and bad ones fail the way docs/handlers.md says."""
from __future__ import annotations

import os
import time

import pytest
import redis

from engine import services

from .conftest import assert_history_contiguous, lambda_arn, wait_for_execution
from .user_code import user_code  # noqa: F401 — fixture

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]


def task(name, next_state=None, **fields):
    state = {"Type": "Task", "Resource": lambda_arn(name), **fields}
    state.update({"Next": next_state} if next_state else {"End": True})
    return state


def test_a_packages_handlers_run_on_the_worker(user_code, runtime, make_machine):  # noqa: F811
    machine = make_machine({"StartAt": "Greet", "States": {
        "Greet": task("acme-greet", "Later", ResultPath="$.greet"),
        "Later": task("acme-async", "Beat", ResultPath="$.later"),
        # Six half-second beats outlast HeartbeatSeconds 2 only because each one counts.
        "Beat": task("acme-beating", "Order", Parameters={"beats": 6}, HeartbeatSeconds=2,
                     ResultPath="$.beat"),
        "Order": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 30,
                  "Parameters": {"FunctionName": "arn:aws:lambda:eu-west-1:123456789012:function:acme-create-order",
                                 "Payload": {"id.$": "$.id"}},
                  "ResultSelector": {"order.$": "$.Payload", "status.$": "$.StatusCode"},
                  "ResultPath": "$.order", "End": True}}})
    done = wait_for_execution(services.start_execution(machine, {"name": "Ada", "id": 42}))
    assert done.status == "SUCCEEDED", (done.error, done.cause)
    out = done.output
    assert out["greet"]["hello"] == "Ada" and out["later"]["async"] is True
    assert out["beat"] == {"beats": 6, "is_dict": True}
    order = out["order"]["order"]
    assert out["order"]["status"] == 200
    assert order["order"] == 42 and order["function"] == "acme-create-order"
    assert order["arn"] == "arn:aws:lambda:eu-west-1:123456789012:function:acme-create-order"
    assert 0 < order["remaining_ms"] <= 30_000 and len(order["request_id"]) == 36
    # The worker ran them, not this process.
    assert {out["greet"]["pid"], out["later"]["pid"], order["pid"]}.isdisjoint({os.getpid()})
    assert_history_contiguous(done)


def test_an_unknown_handler_fails_listing_what_the_worker_has(user_code, runtime, make_machine):  # noqa: F811
    machine = make_machine({"StartAt": "Typo", "States": {"Typo": task("acme-gret")}})
    done = wait_for_execution(services.start_execution(machine, {}))
    assert (done.status, done.error) == ("FAILED", "Lambda.ResourceNotFoundException")
    assert "Function not found: acme-gret" in done.cause
    assert "registered on this worker" in done.cause
    for name in ("acme-greet", "acme-create-order", "acme-resize", "test-slow"):
        assert name in done.cause


def test_a_hanging_handler_is_bounded_by_timeout_seconds(user_code, runtime, make_machine):  # noqa: F811
    machine = make_machine({"StartAt": "Hang", "States": {"Hang": task("acme-hang", TimeoutSeconds=2)}})
    done = wait_for_execution(services.start_execution(machine, {}))
    assert (done.status, done.error) == ("FAILED", "States.Timeout")
    assert done.events.filter(type="LambdaFunctionTimedOut").count() == 1


def test_a_handler_that_kills_its_process_is_retried_and_nothing_is_lost(user_code, runtime,  # noqa: F811
                                                                         make_machine, redis_url):
    key = f"crash-{time.monotonic_ns()}"
    machine = make_machine({"StartAt": "Crash", "States": {
        "Crash": task("acme-crash-once", "After", Parameters={"key": key}, ResultPath="$.crash"),
        "After": {"Type": "Pass", "Result": "after", "ResultPath": "$.after", "End": True}}})
    done = wait_for_execution(services.start_execution(machine, {"before": 1}))
    assert done.status == "SUCCEEDED", (done.error, done.cause)
    assert done.output == {"before": 1, "crash": {"survived": True}, "after": "after"}
    assert int(redis.Redis.from_url(redis_url).get(f"crash:{key}")) == 2  # died once, ran again
    assert done.events.filter(type="LambdaFunctionSucceeded").count() == 1
    assert_history_contiguous(done)


def test_a_result_that_is_not_json_fails_the_execution_naming_the_handler(user_code, runtime,  # noqa: F811
                                                                          make_machine):
    machine = make_machine({"StartAt": "Set", "States": {"Set": task(
        "acme-set", Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]),
        "Caught": {"Type": "Pass", "End": True}}})
    done = wait_for_execution(services.start_execution(machine, {}))
    assert (done.status, done.error) == ("FAILED", "States.Runtime")
    assert "'acme-set' (acme_tasks.core.returns_set)" in done.cause
    assert "not JSON" in done.cause
    failed = done.events.get(type="LambdaFunctionFailed").details["lambdaFunctionFailedEventDetails"]
    assert failed["error"] == "States.Runtime"
