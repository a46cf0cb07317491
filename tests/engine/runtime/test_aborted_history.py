"""Work cut short is recorded aborted, as AWS records it: when a Map or Parallel fails while
iterations or branches still run, and when an execution is stopped in the middle of them.
(The live view shows these events; without them iterations stayed "running" forever.)
"""
from __future__ import annotations

from engine import services

from .conftest import assert_history_contiguous, lambda_arn, wait_for_execution, wait_until

WAIT_OR_FAIL = {"StartAt": "Each", "States": {"Each": {
    "Type": "Map", "ItemsPath": "$.items", "End": True,
    "ItemProcessor": {"StartAt": "Bad?", "States": {
        "Bad?": {"Type": "Choice", "Choices": [
            {"Variable": "$", "NumericEquals": 1, "Next": "Broken"}], "Default": "Hold"},
        "Broken": {"Type": "Fail", "Error": "ItemBroken", "Cause": "item 1 is broken"},
        "Hold": {"Type": "Wait", "Seconds": 3600, "End": True}}}}}}


def history(execution):
    return list(execution.events.order_by("seq").values_list("seq", "previous_event_id", "type",
                                                                "details"))


def test_a_failed_map_records_its_running_iterations_aborted_before_it_fails(runtime,
                                                                               make_machine):
    machine = make_machine(WAIT_OR_FAIL)
    # The broken item last: the others have entered their Wait by the time it fails.
    ex = wait_for_execution(services.start_execution(machine, {"items": [0, 2, 1]}), 30)
    assert (ex.status, ex.error) == ("FAILED", "ItemBroken")
    events = history(ex)
    types = [t for _, _, t, _ in events]
    aborted = sorted(d["mapIterationAbortedEventDetails"]["index"]
                     for _, _, t, d in events if t == "MapIterationAborted")
    assert aborted == [0, 1]
    assert types.count("MapIterationFailed") == 1
    last_abort = max(i for i, t in enumerate(types) if t == "MapIterationAborted")
    assert last_abort < types.index("MapStateFailed") < types.index("ExecutionFailed")
    # Each aborted iteration follows on from its own last event (its Wait state's entry).
    by_seq = {seq: (t, d) for seq, _, t, d in events}
    for seq, prev, t, d in events:
        if t == "MapIterationAborted":
            assert by_seq[prev][0] == "WaitStateEntered"
    assert_history_contiguous(ex)


def test_a_failed_branch_records_the_other_branch_state_aborted(runtime, make_machine):
    machine = make_machine({"StartAt": "Both", "States": {"Both": {
        "Type": "Parallel", "End": True,
        "Branches": [
            {"StartAt": "Forever", "States": {"Forever": {
                "Type": "Wait", "Seconds": 3600, "End": True}}},
            {"StartAt": "Boom", "States": {"Boom": {
                "Type": "Task", "Resource": lambda_arn("charge-card"),
                "Parameters": {"amount": 1000}, "End": True}}}]}}})
    ex = wait_for_execution(services.start_execution(machine, {}), 30)
    assert ex.status == "FAILED"
    types = [t for _, _, t, _ in history(ex)]
    assert "WaitStateAborted" in types
    assert types.index("WaitStateAborted") < types.index("ParallelStateFailed")
    assert_history_contiguous(ex)


def test_a_stop_inside_a_map_aborts_its_iterations_then_the_map(runtime, make_machine):
    machine = make_machine(WAIT_OR_FAIL)
    ex = services.start_execution(machine, {"items": [0, 2]})
    wait_until(lambda: ex.events.filter(type="WaitStateEntered").count() == 2, 30,
               what="both iterations waiting")
    services.stop_execution(ex, "Stopped", "by the test")
    ex.refresh_from_db()
    assert ex.status == "ABORTED"
    types = [t for _, _, t, _ in history(ex)]
    assert types[-6:] == ["MapIterationAborted", "WaitStateAborted", "MapIterationAborted",
                          "WaitStateAborted", "MapStateAborted", "ExecutionAborted"]
    assert_history_contiguous(ex)
