"""Work cut short in the evaluator's history (engine.asl.aborts): a failing Map/Parallel
records the children still running aborted before its own failure; the in-process driver
records the work open at an execution timeout aborted, as the durable runtime does."""
from engine.asl import check_definition, run_state_machine, step as S
from engine.asl.clock import VirtualClock
from engine.asl.events import Ids

MAP = {"StartAt": "Each", "States": {"Each": {
    "Type": "Map", "ItemsPath": "$.items", "End": True,
    "ItemProcessor": {"StartAt": "Hold", "States": {
        "Hold": {"Type": "Wait", "Seconds": 60, "End": True}}}}}}


def advance_until(machine, cursor, ids, clock, kind):
    outcome = S.advance(machine, cursor, None, ids, clock)
    events = list(outcome.events)
    while not isinstance(outcome, kind):
        outcome = S.advance(machine, outcome.cursor, None, ids, clock)
        events += outcome.events
    return outcome, events


def test_a_failing_map_records_its_running_iterations_aborted_before_it_fails():
    machine = check_definition(MAP)
    ids, clock = Ids(), VirtualClock()
    root = S.start(machine, {"items": [1, 2, 3]}, S.default_context_info({}))
    fan, history = advance_until(machine, root, ids, clock, S.FanOut)
    children = []
    for child in fan.children[:2]:  # iterations 0 and 1 start and wait; 2 never starts
        sleep, events = advance_until(machine, child, ids, clock, S.Sleep)
        history += events
        children.append(sleep.cursor)
    running = [{"cursor": c, "children": []} for c in children]
    failed = {"status": "FAILED", "output": None, "error": "Boom", "cause": "item 2"}
    outcome = S.advance(machine, fan.cursor, S.ChildDone(2, failed, running=running), ids, clock)
    history += outcome.events
    types = [e["type"] for e in outcome.events]
    assert types == ["MapIterationAborted", "WaitStateAborted", "MapIterationAborted",
                     "WaitStateAborted", "MapStateFailed", "ExecutionFailed"]
    aborted = [e for e in outcome.events if e["type"] == "MapIterationAborted"]
    assert [e["mapIterationAbortedEventDetails"]["index"] for e in aborted] == [0, 1]
    by_id = {e["id"]: e for e in history}
    # Each follows on from its own iteration's last event (its Wait state's entry).
    assert all(by_id[e["previousEventId"]]["type"] == "WaitStateEntered" for e in aborted)
    assert [e["id"] for e in history] == list(range(1, len(history) + 1))


def test_a_child_that_finished_meanwhile_is_not_aborted():
    machine = check_definition(MAP)
    ids, clock = Ids(), VirtualClock()
    root = S.start(machine, {"items": [1, 2]}, S.default_context_info({}))
    fan, _ = advance_until(machine, root, ids, clock, S.FanOut)
    sleep, _ = advance_until(machine, fan.children[0], ids, clock, S.Sleep)
    done = {"status": "SUCCEEDED", "output": 1, "error": None, "cause": None}
    failed = {"status": "FAILED", "output": None, "error": "Boom", "cause": None}
    outcome = S.advance(machine, fan.cursor, S.ChildrenDone([done, failed]), ids, clock)
    assert "MapIterationAborted" not in [e["type"] for e in outcome.events]
    stale = [{"cursor": sleep.cursor, "children": []}]
    fan2, _ = advance_until(machine, S.start(machine, {"items": [1, 2]},
                                             S.default_context_info({})), ids, clock, S.FanOut)
    S.advance(machine, fan2.cursor, S.ChildDone(0, done), ids, clock)
    outcome = S.advance(machine, fan2.cursor, S.ChildDone(1, failed, running=stale), ids, clock)
    assert "MapIterationAborted" not in [e["type"] for e in outcome.events]  # 0 had finished


def test_a_parallel_branch_failure_aborts_the_state_the_other_branch_is_in():
    machine = check_definition({"StartAt": "Both", "States": {"Both": {
        "Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 60, "End": True}}},
            {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "E"}}}]}}})
    ids, clock = Ids(), VirtualClock()
    root = S.start(machine, {}, S.default_context_info({}))
    fan, _ = advance_until(machine, root, ids, clock, S.FanOut)
    sleep, _ = advance_until(machine, fan.children[0], ids, clock, S.Sleep)
    failed = {"status": "FAILED", "output": None, "error": "E", "cause": None}
    outcome = S.advance(machine, fan.cursor,
                        S.ChildDone(1, failed, running=[{"cursor": sleep.cursor}]), ids, clock)
    assert [e["type"] for e in outcome.events][:2] == ["WaitStateAborted", "ParallelStateFailed"]
    # AWS's HistoryEvent has no details member for <Type>StateAborted: the event's lane
    # (previousEventId) says which state it ends.
    assert set(outcome.events[0]) == {"id", "previousEventId", "timestamp", "type"}


def test_a_failing_task_in_a_map_iteration_is_aborted_after_its_iteration_failed():
    # AWS: MapIterationFailed, then the failing iteration's TaskStateAborted.
    result = run_state_machine({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items", "End": True,
        "ItemProcessor": {"StartAt": "Call", "States": {"Call": {
            "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:nowhere",
            "End": True}}}}}}, {"items": [1]})
    types = [e["type"] for e in result.events]
    assert types[-4:] == ["MapIterationFailed", "TaskStateAborted", "MapStateFailed",
                          "ExecutionFailed"]
