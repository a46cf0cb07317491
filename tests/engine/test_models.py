"""The runtime's models: ARNs, uniqueness, immutable versions, append-only history."""
import pytest
from django.db import IntegrityError, transaction

from engine.models import (Execution, HistoryEvent, StateMachine, StateMachineVersion,
                           VersionImmutable, account_id)

PASS = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


@pytest.fixture
def machine(user):
    return StateMachine.objects.create(owner=user, name="orders", definition=PASS)


def test_the_arn_names_a_twelve_digit_account_derived_from_the_owner(machine):
    account = account_id(machine.owner_id)
    assert len(account) == 12 and account.isdigit()
    assert machine.arn == f"arn:aws:states:us-east-1:{account}:stateMachine:orders"


def test_names_are_unique_per_owner_only(machine, user, other_user):
    StateMachine.objects.create(owner=other_user, name="orders", definition=PASS)
    with pytest.raises(IntegrityError), transaction.atomic():
        StateMachine.objects.create(owner=user, name="orders", definition=PASS)


def test_versions_are_numbered_and_immutable(machine):
    v1 = StateMachineVersion.objects.create(state_machine=machine, version=1, definition=PASS)
    assert v1.arn == machine.arn + ":1"
    assert machine.latest_version == v1
    v1.description = "changed"
    with pytest.raises(VersionImmutable):
        v1.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        StateMachineVersion.objects.create(state_machine=machine, version=1, definition=PASS)


def test_execution_names_are_unique_per_state_machine(machine):
    Execution.objects.create(state_machine=machine, name="run", definition=PASS, input={})
    with pytest.raises(IntegrityError), transaction.atomic():
        Execution.objects.create(state_machine=machine, name="run", definition=PASS, input={})


def test_history_events_are_append_only_with_unique_ids(machine):
    ex = Execution.objects.create(state_machine=machine, name="run", definition=PASS, input={})
    event = HistoryEvent.objects.create(execution=ex, seq=1, type="ExecutionStarted",
                                        details={"executionStartedEventDetails": {}})
    assert event.to_aws()["id"] == 1 and event.to_aws()["previousEventId"] == 0
    event.type = "Rewritten"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        HistoryEvent.objects.create(execution=ex, seq=1, type="Duplicate")
    assert ex.arn.endswith(":execution:orders:run")
