import json

import pytest

from engine.asl import InvalidDefinition, run_state_machine, task_handler
from engine.asl.handlers import unregister

from .states.helpers import run_mocked, types


def test_definition_may_be_json_text():
    r = run_state_machine(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}), {"a": 1})
    assert r.status == "SUCCEEDED" and r.output == {"a": 1}


@pytest.mark.parametrize("bad", [
    "{not json",
    {"States": {}},
    {"StartAt": "Missing", "States": {"P": {"Type": "Pass", "End": True}}},
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Nowhere"}}},
    {"StartAt": "P", "States": {"P": {"Type": "Bogus", "End": True}}},
])
def test_invalid_definitions_are_never_executed(bad):
    with pytest.raises(InvalidDefinition) as ex:
        run_state_machine(bad, {})
    assert ex.value.diagnostics


def test_mocked_states_use_mocks_and_unmocked_tasks_fall_back_to_handlers():
    task_handler("real")(lambda p: {"real": True})
    try:
        d = {"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:mocked", "Next": "B"},
             "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:real", "ResultPath": "$.b",
                   "End": True}}
        r = run_mocked(d, {}, {"A": {"0": {"Return": {"Payload": {"mock": True}}}}})
    finally:
        unregister("real")
    assert r.output == {"mock": True, "b": {"real": True}}


def test_mocks_apply_inside_map_iterations_with_numbering_per_entry():
    d = {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
              "Retry": [{"ErrorEquals": ["E"]}], "End": True}}}, "End": True}}
    r = run_mocked(d, [1, 2], {"T": {"0": {"Throw": {"Error": "E"}}, "1": {"Return": "ok"}}})
    assert r.output == ["ok", "ok"]
    assert types(r).count("TaskScheduled") == 4


def test_each_run_is_independent():
    d = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    a, b = run_state_machine(d, 1), run_state_machine(d, 2)
    assert (a.output, b.output) == (1, 2)
    assert a.events[0]["id"] == b.events[0]["id"] == 1


def test_concurrent_children_all_run_but_the_first_failure_in_index_order_decides():
    d = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [
        {"StartAt": "F1", "States": {"F1": {"Type": "Fail", "Error": "First"}}},
        {"StartAt": "Ok", "States": {"Ok": {"Type": "Pass", "End": True}}},
        {"StartAt": "F2", "States": {"F2": {"Type": "Fail", "Error": "Second"}}}], "End": True}}}
    r = run_state_machine(d, {})
    assert r.error == "First"
    # AWS starts every branch at once: the other branches' events are in the history too.
    assert [e["type"] for e in r.events].count("FailStateEntered") == 2
    assert "PassStateExited" in [e["type"] for e in r.events]


def test_max_concurrency_one_stops_after_the_failed_iteration():
    d = {"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 1, "ItemProcessor": {
        "StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}, "End": True}}}
    r = run_state_machine(d, [1, 2, 3])
    assert [e["type"] for e in r.events].count("MapIterationStarted") == 1


def test_a_runaway_loop_fails_at_the_history_limit_instead_of_hanging():
    from engine.asl.limits import MAX_HISTORY_EVENTS
    d = {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "End"}], "Default": "A"},
        "End": {"Type": "Succeed"}}}
    r = run_state_machine(d, {})
    assert (r.status, r.error) == ("FAILED", "States.Runtime")
    assert MAX_HISTORY_EVENTS < len(r.events) <= MAX_HISTORY_EVENTS + 3
    assert r.events[-1]["type"] == "ExecutionFailed"
