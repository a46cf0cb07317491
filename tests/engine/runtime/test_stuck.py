"""One stuck process never stops the others (PostgreSQL, real Celery workers, the scheduler).

* A row locked from another connection (as `psql` would: BEGIN; SELECT … FOR UPDATE) does
  not stop the scheduler: the other executions' timers fire, and the locked one's fires
  once the lock is released.
* A pool child frozen (SIGSTOP) inside a step's transaction does not stop the other
  executions; PostgreSQL ends its session after idle_in_transaction_session_timeout, the
  step is taken again elsewhere and the execution completes, with a clean history, before
  the process is even resumed; resumed, its stale step writes nothing.
"""
from __future__ import annotations

import os
import signal
import time
import uuid

import psycopg
import pytest
import redis

from engine import services
from engine.models import Execution

from . import conftest
from .conftest import Runtime, assert_history_contiguous, lambda_arn, running, wait_for_execution
from tests.support import require_postgres, wait_until

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

LIMITS = {"STEPSTUDIO_LOCK_TIMEOUT_MS": "1000",
          "STEPSTUDIO_IDLE_IN_TRANSACTION_TIMEOUT_MS": "4000"}


class StuckRuntime(Runtime):
    includes = Runtime.includes + ("tests.engine.runtime.stuck_hooks",)


@pytest.fixture
def stuck_runtime(runtime_env, tmp_path, request):
    env, queue = runtime_env
    yield from running(StuckRuntime, ({**env, **LIMITS}, queue), tmp_path, request)


def napper(make_machine):
    return make_machine({"StartAt": "Hello", "States": {
        "Hello": {"Type": "Task", "Resource": lambda_arn("greet"), "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
        "Done": {"Type": "Pass", "End": True}}})


def start(machine, name: str) -> Execution:
    return services.start_execution(machine, {"name": name}, name=name)


def event_types(execution) -> list[str]:
    return list(execution.events.order_by("seq").values_list("type", flat=True))


def test_worker_sessions_carry_the_lock_limits(stuck_runtime, make_machine):
    machine = make_machine({"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task", "Resource": lambda_arn("test-session-limits"), "End": True}}})
    ex = wait_for_execution(services.start_execution(machine, {}), 60)
    assert ex.status == "SUCCEEDED", ex.cause
    assert ex.output == {"lock_timeout": "1s", "idle_in_transaction_session_timeout": "4s"}


def test_a_locked_execution_row_does_not_stop_other_timers(stuck_runtime, make_machine):
    machine = napper(make_machine)
    locked = start(machine, f"locked-{uuid.uuid4().hex[:8]}")
    wait_until(lambda: locked.events.filter(type="WaitStateEntered").exists(), 60,
               what="the locked execution to reach its Wait")
    with psycopg.connect(conftest.test_database_url(require_postgres())) as held:
        with held.cursor() as cursor:  # a transaction of its own (autocommit off)
            cursor.execute("SELECT id FROM engine_execution WHERE id = %s FOR UPDATE",
                           [locked.id])
        # Its timer comes due while the row is held: it is the scheduler's first due timer.
        time.sleep(1.5)
        others = [start(machine, f"other-{i}-{uuid.uuid4().hex[:6]}") for i in range(5)]
        for ex in others:
            ex = wait_for_execution(ex, 60)
            assert ex.status == "SUCCEEDED", ex.cause
            assert_history_contiguous(ex)
        locked.refresh_from_db()
        assert locked.status == "RUNNING"  # its timer waits for the row, nobody else does
        held.rollback()
    locked = wait_for_execution(locked, 60)
    assert locked.status == "SUCCEEDED", locked.cause
    assert_history_contiguous(locked)
    assert event_types(locked) == event_types(others[0])


def test_a_worker_frozen_mid_step_stops_nobody_else(stuck_runtime, make_machine, redis_url):
    r = redis.Redis.from_url(redis_url)
    stuck_runtime.start_worker()  # a second worker: two processes keep running
    machine = napper(make_machine)
    name = f"freeze-{uuid.uuid4().hex[:8]}"
    frozen = start(machine, name)
    pid = int(wait_until(lambda: r.lpop(f"frozen:{name}"), 60,
                         what="the step to reach the freeze hook"))
    os.kill(pid, signal.SIGSTOP)  # inside the step's transaction, the execution row locked
    try:
        others = [start(machine, f"other-{i}-{uuid.uuid4().hex[:6]}") for i in range(6)]
        for ex in others:
            ex = wait_for_execution(ex, 60)
            assert ex.status == "SUCCEEDED", ex.cause
        # The frozen session is ended by PostgreSQL (idle in transaction), its step rolled
        # back; the sweeper re-sends it once the lease lapsed; another process takes it.
        frozen = wait_for_execution(frozen, 60)
        assert frozen.status == "SUCCEEDED", frozen.cause
    finally:
        os.kill(pid, signal.SIGCONT)
    # Resumed, the process finishes its stale step on a dead session: nothing is written.
    time.sleep(4)
    frozen.refresh_from_db()
    assert frozen.status == "SUCCEEDED"
    assert_history_contiguous(frozen)
    assert event_types(frozen) == event_types(others[0])
    for ex in others:
        assert_history_contiguous(ex)
