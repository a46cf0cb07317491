"""JSON columns keep what was written: key order, and JSON strings as strings."""
from __future__ import annotations

import json

import pytest

from engine.models import Execution, HistoryEvent, StateMachine

pytestmark = pytest.mark.django_db

VALUES = [
    {"zeta": 1, "alpha": {"b": [{"y": 1, "x": 2}], "a": None}, "mid": "text"},
    '{"not": "parsed"}',
    [3, {"b": 1, "a": 2}],
    "plain",
    7,
]


@pytest.mark.parametrize("value", VALUES, ids=["object", "json-text", "array", "string", "number"])
def test_json_columns_give_back_what_was_written(user, value):
    machine = StateMachine.objects.create(
        owner=user, name="m", definition={"States": {"S": {"Type": "Succeed"}}, "StartAt": "S"})
    ex = Execution.objects.create(state_machine=machine, name="e", input=value,
                                  definition=machine.definition)
    HistoryEvent.objects.create(execution=ex, seq=1, type="ExecutionStarted",
                                details={"z": value, "a": 1})
    Execution.objects.filter(id=ex.id).update(output=value)

    ex = Execution.objects.get(id=ex.id)
    event = HistoryEvent.objects.get(execution=ex)
    assert json.dumps(ex.input) == json.dumps(value)
    assert json.dumps(ex.output) == json.dumps(value)
    assert json.dumps(event.details) == json.dumps({"z": value, "a": 1})
    assert list(StateMachine.objects.get(id=machine.id).definition) == ["States", "StartAt"]
