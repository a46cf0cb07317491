"""A worker's next Task of a frame it claimed: evaluated from what it wrote, one round trip.

driver.advance(known=…) skips lock-and-load: BEGIN, the lock, the check that nothing changed
since this worker's last step, the writes and COMMIT travel together. These tests run the
worker's code in-process (work.run_task) so they can interfere between two claimed Tasks,
and look at what reached the database.
"""
from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engine import services
from engine.asl.handlers import task_handler, unregister
from engine.models import Execution, Frame, Timer, Waiting
from engine.runtime import work

from .conftest import assert_history_contiguous, lambda_arn

pytestmark = [pytest.mark.django_db(transaction=True)]

GUARD = "1 / COUNT(*)"


@pytest.fixture
def handler():
    """handler(fn) -> a registered handler name for this test only."""
    names = []

    def register(fn):
        name = f"known-{uuid.uuid4().hex[:8]}"
        task_handler(name)(fn)
        names.append(name)
        return name

    yield register
    for name in names:
        unregister(name)


def two_tasks(make_machine, first: str, second: str, then: dict | None = None):
    states = {
        "First": {"Type": "Task", "Resource": lambda_arn(first), "ResultPath": "$.first",
                  "Next": "Second"},
        "Second": {"Type": "Task", "Resource": lambda_arn(second), "ResultPath": "$.second",
                   **({"Next": "Then"} if then else {"End": True})},
    }
    if then:
        states["Then"] = then
    return make_machine({"StartAt": "First", "States": states})


def run_claimed_tasks(execution: Execution) -> None:
    """What a worker does with the run_task message of the first Task (and what it claims)."""
    root = Frame.objects.get(execution=execution, parent=None)
    assert root.waiting == Waiting.TASK
    work.run_task(execution.id, root.id, root.step)


def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the one-round-trip step is PostgreSQL's (SQLite runs statements one by one)")


def test_a_claimed_tasks_step_is_one_round_trip_and_writes_what_the_usual_way_does(
        make_machine, handler):
    on_postgresql()
    first = handler(lambda p: {"n": p["n"] + 1})
    second = handler(lambda p: {"n": p["first"]["n"] * 10})
    ex = services.start_execution(two_tasks(make_machine, first, second), {"n": 1})
    with CaptureQueriesContext(connection) as queries:
        run_claimed_tasks(ex)
    ex.refresh_from_db()
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    assert ex.output == {"n": 1, "first": {"n": 2}, "second": {"n": 20}}
    assert_history_contiguous(ex)
    types = list(ex.events.order_by("seq").values_list("type", flat=True))
    assert types.count("LambdaFunctionSucceeded") == 2 and types[-1] == "ExecutionSucceeded"
    # The Second Task's step: one statement, guard + writes + COMMIT (it also finished the
    # execution, closing its work in the same round trip).
    known = [q["sql"] for q in queries.captured_queries if GUARD in (q["sql"] or "")]
    assert len(known) == 1
    assert known[0].startswith("BEGIN") and known[0].rstrip().endswith("COMMIT")
    assert "engine_historyevent" in known[0] and "engine_timer" in known[0]
    root = Frame.objects.get(execution=ex, parent=None)
    assert root.status == "SUCCEEDED" and root.waiting == Waiting.NOTHING


def test_stopped_while_its_claimed_task_ran_nothing_of_the_task_is_written(
        make_machine, handler):
    machines = []

    def stop_me(payload):
        running = Execution.objects.get(state_machine=machines[0], status="RUNNING")
        services.stop_execution(running, "Stopped", "by test")
        return {"late": True}

    first = handler(lambda p: {"ok": True})
    second = handler(stop_me)
    machines.append(two_tasks(make_machine, first, second))
    ex = services.start_execution(machines[0], {})
    run_claimed_tasks(ex)
    ex.refresh_from_db()
    assert ex.status == "ABORTED"
    assert ex.output is None
    seqs = assert_history_contiguous(ex)
    types = list(ex.events.order_by("seq").values_list("type", flat=True))
    assert types[-1] == "ExecutionAborted" and len(seqs) == len(types)
    # First's result was written, Second's never: it finished after the stop.
    assert types.count("LambdaFunctionSucceeded") == 1


def test_a_claimed_task_whose_step_needs_a_statement_is_taken_the_usual_way(
        make_machine, handler):
    on_postgresql()
    first = handler(lambda p: {"a": 1})
    second = handler(lambda p: {"b": 2})
    machine = two_tasks(make_machine, first, second,
                        then={"Type": "Wait", "Seconds": 3600, "End": True})
    ex = services.start_execution(machine, {})
    with CaptureQueriesContext(connection) as queries:
        run_claimed_tasks(ex)
    ex.refresh_from_db()
    assert ex.status == "RUNNING"
    assert_history_contiguous(ex)
    types = list(ex.events.order_by("seq").values_list("type", flat=True))
    assert types[-1] == "WaitStateEntered" and types.count("LambdaFunctionSucceeded") == 2
    root = Frame.objects.get(execution=ex, parent=None)
    assert root.waiting == Waiting.TIMER
    assert Timer.objects.filter(frame=root, frame_step=root.step).count() == 1
    # Tried from what it knew, refused before writing anything (a Timer row to create),
    # then locked and loaded.
    assert not any(GUARD in (q["sql"] or "") for q in queries.captured_queries)
