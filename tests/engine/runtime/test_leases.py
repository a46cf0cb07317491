"""A running handler keeps its claim: the sweeper must not start it a second time.

The test runtime's lease is 3 s and its sweeper re-sends a step after 2 s, so a handler
that runs 8 s outlives its first lease twice over. Handlers without a time limit run in the
worker's own thread (a per-process keeper renews the lease); handlers with TimeoutSeconds
run in a watched thread (the watcher renews it).
"""
from __future__ import annotations

import time

import pytest
import redis

from engine import services

from .conftest import assert_history_contiguous, lambda_arn, wait_for_execution

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("limits", [{}, {"TimeoutSeconds": 60}], ids=["no-limit", "timeout"])
def test_a_handler_outliving_its_lease_runs_once(runtime, make_machine, redis_url, limits):
    key = f"lease-{time.monotonic_ns()}"
    r = redis.Redis.from_url(redis_url)
    machine = make_machine({"StartAt": "Slow", "States": {"Slow": {
        "Type": "Task", "Resource": lambda_arn("test-slow"), **limits,
        "Parameters": {"key": key, "seconds": 8}, "End": True}}})
    runtime.start_worker()  # a second worker that a re-sent step would reach
    ex = wait_for_execution(services.start_execution(machine, {}), 60)
    assert (ex.status, ex.output) == ("SUCCEEDED", {"slept": 8, "key": key}), ex.cause
    assert r.llen(f"started:{key}") == 1
    assert_history_contiguous(ex)
