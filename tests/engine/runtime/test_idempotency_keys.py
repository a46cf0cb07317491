"""request["idempotency_key"] with a real worker: the same for every run of one attempt
(a worker killed mid-handler: the step is sent again once its lease lapsed, and the handler
runs again), another for each retry."""
from __future__ import annotations

import uuid

import pytest
import redis

from engine import services

from .conftest import assert_history_contiguous, lambda_arn, wait_for_execution
from tests.support import wait_until

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]


def runs(r, key: str) -> list[tuple[int, str]]:
    out = []
    for item in r.lrange(f"keys:{key}", 0, -1):
        attempt, idem = item.decode().split(" ")
        out.append((int(attempt), idem))
    return out


def machine_for(make_machine, key: str, **parameters):
    return make_machine({"StartAt": "Charge", "States": {"Charge": {
        "Type": "Task", "Resource": lambda_arn("test-idempotency"),
        "Parameters": {"key": key, **parameters},
        "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "BackoffRate": 1,
                   "MaxAttempts": 3}],
        "End": True}}})


def test_each_retry_gets_its_own_key(runtime, make_machine, redis_url):
    r = redis.Redis.from_url(redis_url)
    key = f"idem-retry-{uuid.uuid4().hex[:8]}"
    ex = wait_for_execution(services.start_execution(
        machine_for(make_machine, key, fail_attempts=2), {}), 60)
    assert ex.status == "SUCCEEDED", ex.cause
    seen = runs(r, key)
    assert [attempt for attempt, _ in seen] == [0, 1, 2]
    keys = [idem for _, idem in seen]
    assert len(set(keys)) == 3
    assert all(uuid.UUID(k).version == 4 for k in keys)
    assert ex.output == {"key": keys[-1]}


def test_a_redelivered_attempt_keeps_its_key(runtime, make_machine, redis_url):
    r = redis.Redis.from_url(redis_url)
    key = f"idem-kill-{uuid.uuid4().hex[:8]}"
    ex = services.start_execution(machine_for(make_machine, key, seconds=3), {})
    wait_until(lambda: r.llen(f"keys:{key}") >= 1, 60, what="the handler to start")
    runtime.kill_worker(runtime.workers[0])  # mid-handler: its step never committed
    runtime.start_worker()
    ex = wait_for_execution(ex, 60)
    assert ex.status == "SUCCEEDED", ex.cause
    seen = runs(r, key)
    assert len(seen) >= 2  # ran again after the kill (at least once)
    assert {attempt for attempt, _ in seen} == {0}
    assert len({idem for _, idem in seen}) == 1
    assert ex.output == {"key": seen[0][1]}
    assert_history_contiguous(ex)

