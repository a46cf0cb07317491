from engine.asl.clock import VirtualClock
from engine.asl.events import Emitter, Ids, details_key, error_details

from .states.helpers import run, types


def test_details_keys_follow_aws_names():
    assert details_key("PassStateEntered") == "stateEnteredEventDetails"
    assert details_key("MapStateExited") == "stateExitedEventDetails"
    assert details_key("TaskScheduled") == "taskScheduledEventDetails"
    assert details_key("LambdaFunctionFailed") == "lambdaFunctionFailedEventDetails"
    assert details_key("MapIterationStarted") == "mapIterationStartedEventDetails"


def test_emitter_allocates_ids_and_links_previous_event():
    ids = Ids(10)
    em = Emitter(ids, VirtualClock(), prev=10)
    em.emit("A")
    em.emit("B", {"x": 1})
    assert [(e["id"], e["previousEventId"]) for e in em.events] == [(11, 10), (12, 11)]
    assert em.events[1]["bEventDetails"] == {"x": 1}
    assert em.events[0]["timestamp"].endswith("Z")


def test_error_details_omit_absent_fields():
    assert error_details(None, None) == {}
    assert error_details("E", None) == {"error": "E"}


def test_history_is_in_aws_order_with_unique_increasing_ids():
    r = run({"A": {"Type": "Pass", "Next": "M"},
             "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
                   "End": True}}, [1, 2])
    assert [e["id"] for e in r.events] == list(range(1, len(r.events) + 1))
    assert types(r)[0] == "ExecutionStarted" and types(r)[-1] == "ExecutionSucceeded"
    # Iterations link back to MapStateStarted, each on its own lane.
    started = next(e["id"] for e in r.events if e["type"] == "MapStateStarted")
    its = [e for e in r.events if e["type"] == "MapIterationStarted"]
    assert its[0]["previousEventId"] == started


def test_execution_started_and_succeeded_details():
    r = run({"A": {"Type": "Pass", "End": True}}, {"k": [1]})
    assert r.events[0]["executionStartedEventDetails"]["input"] == '{"k":[1]}'
    assert r.events[-1]["executionSucceededEventDetails"]["output"] == '{"k":[1]}'
