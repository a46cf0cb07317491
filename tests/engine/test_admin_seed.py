"""manage.py seed_records: the benchmark's data, consistent like the runtime's own rows."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Max

from engine.models import Execution, HistoryEvent
from engine.runtime import history

pytestmark = pytest.mark.django_db


def seed(**options):
    call_command("seed_records", stdout=StringIO(), **options)


def test_it_seeds_the_asked_numbers_with_gapless_histories():
    seed(executions=40, events=405, machines=3)
    assert Execution.objects.count() == 40
    assert HistoryEvent.objects.count() == 405
    # 405 / 40: five executions have 11 events, the others 10; seq = the last event id.
    per_execution = (HistoryEvent.objects.values("execution").annotate(
        n=Count("id"), last=Max("seq")).values_list("execution__seq", "n", "last"))
    assert sorted({row for row in per_execution}) == [(10, 10, 10), (11, 11, 11)]
    assert Execution.objects.values("state_machine").distinct().count() == 3


def test_end_events_match_the_status():
    seed(executions=20, events=200)
    for ex in Execution.objects.all():
        last = ex.events.order_by("-seq").first()
        expected = {"SUCCEEDED": "ExecutionSucceeded", "FAILED": "ExecutionFailed",
                    "TIMED_OUT": "ExecutionTimedOut", "ABORTED": "ExecutionAborted"}
        if ex.status == "RUNNING":
            assert ex.stop_date is None and last.type.startswith("Pass")
        else:
            assert last.type == expected[ex.status] and ex.stop_date > ex.start_date
        assert ex.events.get(seq=1).type == "ExecutionStarted"
    statuses = set(Execution.objects.values_list("status", flat=True))
    assert statuses == {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "RUNNING"}


def test_running_it_again_adds_rows():
    seed(executions=5, events=10)
    seed(executions=5, events=10)
    assert Execution.objects.count() == 10 and HistoryEvent.objects.count() == 20


def test_the_rows_carry_the_names_and_errors_the_runtime_writes():
    seed(executions=20, events=200)
    for row in HistoryEvent.objects.all():
        assert (row.state_name, row.error) == history.labels(row.type, row.details), row.type
    assert HistoryEvent.objects.filter(type="ExecutionFailed", error__gt="").exists()
