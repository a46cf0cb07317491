"""StateMachine.last_execution follows new executions after they commit, never backwards."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from engine import services
from engine.machines.rollups import advance_last_execution, refresh_last_execution
from engine.models import Execution, StateMachine

pytestmark = pytest.mark.django_db


def pointer(machine):
    return StateMachine.objects.get(pk=machine.pk).last_execution_id


def test_a_started_execution_becomes_the_last_one_once_committed(
        user, make_machine, django_capture_on_commit_callbacks):
    machine = make_machine(user, "m")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        execution = services.start_execution(machine, {"n": 1})
        # Inside the start's transaction nothing has touched the machine's row yet.
        assert pointer(machine) is None
    for callback in callbacks:
        callback()
    assert pointer(machine) == execution.pk


def test_an_older_execution_committing_late_does_not_move_the_pointer_back(
        user, make_machine, make_execution):
    machine = make_machine(user, "m")
    newer = make_execution(machine, ago=timedelta(minutes=1))
    older = make_execution(machine, ago=timedelta(minutes=9))
    assert pointer(machine) == newer.pk
    assert advance_last_execution(machine.pk, older.pk, older.start_date) == 0
    newest = make_execution(machine, ago=timedelta(seconds=1))
    assert pointer(machine) == newest.pk


def test_same_start_time_is_decided_by_id(user, make_machine):
    machine = make_machine(user, "m")
    now = timezone.now()
    ids = sorted(Execution.objects.create(state_machine=machine, name=f"e{i}", input={},
                                          definition={}, start_date=now).pk for i in range(3))
    advance_last_execution(machine.pk, ids[1], now)
    advance_last_execution(machine.pk, ids[0], now)
    assert pointer(machine) == ids[1]
    advance_last_execution(machine.pk, ids[2], now)
    assert pointer(machine) == ids[2]


def test_refresh_recomputes_and_a_deleted_last_execution_clears_it(user, make_machine,
                                                                   make_execution):
    machine = make_machine(user, "m")
    first = make_execution(machine, ago=timedelta(hours=2))
    last = make_execution(machine, ago=timedelta(hours=1))
    last.delete()
    assert pointer(machine) is None
    refresh_last_execution(StateMachine.objects.filter(pk=machine.pk))
    assert pointer(machine) == first.pk
