"""A small factory of state machines and executions for the home page's tests."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from engine.models import Execution, StateMachine, StateMachineVersion

DEFINITION = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
                                         "B": {"Type": "Succeed"}}}


@pytest.fixture
def make_machine():
    def make(owner, name, *, versions=0, type="STANDARD", definition=DEFINITION, **fields):
        machine = StateMachine.objects.create(owner=owner, name=name, type=type,
                                              definition=definition, **fields)
        for number in range(1, versions + 1):
            StateMachineVersion.objects.create(state_machine=machine, version=number,
                                               definition=definition)
        return machine

    return make


@pytest.fixture
def make_execution(django_capture_on_commit_callbacks):
    """make_execution(machine, status="SUCCEEDED", ago=timedelta(…), **fields); the
    machine's last-execution pointer follows as after a commit."""
    counter = iter(range(1, 1_000_000))

    def make(machine, status="SUCCEEDED", ago=timedelta(minutes=5), **fields):
        start = timezone.now() - ago
        with django_capture_on_commit_callbacks(execute=True):
            return Execution.objects.create(
                state_machine=machine, name=fields.pop("name", f"run-{next(counter)}"),
                status=status, input=fields.pop("input", {"n": 1}), definition=DEFINITION,
                start_date=start, stop_date=None if status == "RUNNING" else start, **fields)

    return make
