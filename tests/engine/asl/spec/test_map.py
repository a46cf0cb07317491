"""Spec "Map State" (+ AWS guide: ItemsPath, ItemSelector, ItemBatcher, tolerated failures):
output order, $$.Map.Item, MaxConcurrency, empty arrays, non-array input, tolerated failure
thresholds, ResultSelector/ResultPath on Map, Retry/Catch on Map."""
import pytest

from engine.asl import InvalidDefinition, TaskFailure

from .helpers import branch, machine, run, types

PASS = branch({"I": {"Type": "Pass", "End": True}})
FAIL_ON_2 = branch({
    "I": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}], "Default": "S"},
    "F": {"Type": "Fail", "Error": "Bad", "Cause": "two"},
    "S": {"Type": "Succeed"}})


def mapstate(processor=PASS, **fields):
    return {"Type": "Map", "ItemProcessor": processor, "End": True, **fields}


def test_items_path_and_output_in_item_order():
    d = machine({"M": mapstate(branch({"W": {"Type": "Wait", "SecondsPath": "$.w", "Next": "P"},
                                       "P": {"Type": "Pass", "OutputPath": "$.v", "End": True}}),
                               ItemsPath="$.xs")})
    r = run(d, {"xs": [{"w": 30, "v": "a"}, {"w": 1, "v": "b"}, {"w": 10, "v": "c"}]})
    assert (r.status, r.output) == ("SUCCEEDED", ["a", "b", "c"])


def test_default_items_path_is_the_whole_input():
    assert run(machine({"M": mapstate()}), [1, "two", {"3": 3}]).output == [1, "two", {"3": 3}]


def test_items_path_applies_after_input_path():
    d = machine({"M": mapstate(InputPath="$.in", ItemsPath="$.xs")})
    assert run(d, {"in": {"xs": [1, 2]}}).output == [1, 2]


def test_item_selector_with_context_item_and_input():
    d = machine({"M": mapstate(ItemsPath="$.xs", ItemSelector={"index.$": "$$.Map.Item.Index",
                                                                "value.$": "$$.Map.Item.Value",
                                                                "shared.$": "$.shared", "lit": 1})})
    r = run(d, {"xs": ["a", "b"], "shared": "s"})
    assert r.output == [{"index": 0, "value": "a", "shared": "s", "lit": 1},
                        {"index": 1, "value": "b", "shared": "s", "lit": 1}]


def test_legacy_iterator_and_parameters():
    d = machine({"M": {"Type": "Map", "Iterator": PASS, "Parameters": {"v.$": "$$.Map.Item.Value"}, "End": True}})
    assert run(d, [1, 2]).output == [{"v": 1}, {"v": 2}]


def test_empty_array_gives_empty_output():
    r = run(machine({"M": mapstate(ItemsPath="$.xs")}), {"xs": []})
    assert (r.status, r.output) == ("SUCCEEDED", [])
    assert types(r) == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapStateSucceeded",
                        "MapStateExited", "ExecutionSucceeded"]
    started = next(e for e in r.events if e["type"] == "MapStateStarted")
    assert started["mapStateStartedEventDetails"] == {"length": 0}


@pytest.mark.parametrize("value", [{"a": 1}, "abc", 5, True, None])
def test_non_array_items_fail_the_state(value):
    r = run(machine({"M": mapstate(ItemsPath="$.xs")}), {"xs": value})
    assert r.status == "FAILED"
    assert r.error in ("States.QueryEvaluationError", "States.Runtime")
    assert "must be an array" in r.cause
    assert "MapStateStarted" not in types(r)


def test_items_path_not_found_is_runtime():
    r = run(machine({"M": mapstate(ItemsPath="$.nope")}), {})
    assert (r.status, r.error) == ("FAILED", "States.Runtime")


@pytest.mark.parametrize("conc", [0, 1, 2, 5])
def test_max_concurrency_does_not_change_the_result(conc):
    r = run(machine({"M": mapstate(ItemsPath="$.xs", MaxConcurrency=conc)}), {"xs": [1, 2, 3, 4]})
    assert r.output == [1, 2, 3, 4]


def test_max_concurrency_path():
    r = run(machine({"M": mapstate(ItemsPath="$.xs", MaxConcurrencyPath="$.c")}), {"xs": [1, 2], "c": 1})
    assert r.output == [1, 2]


def test_negative_max_concurrency_path_is_runtime():
    r = run(machine({"M": mapstate(ItemsPath="$.xs", MaxConcurrencyPath="$.c")}), {"xs": [1], "c": -1})
    assert (r.status, r.error) == ("FAILED", "States.Runtime")


def test_iteration_failure_fails_the_map_with_that_error():
    r = run(machine({"M": mapstate(FAIL_ON_2)}), [1, 2, 3])
    assert (r.status, r.error, r.cause) == ("FAILED", "Bad", "two")
    t = types(r)
    assert "MapIterationFailed" in t and t[-2:] == ["MapStateFailed", "ExecutionFailed"]


def test_iteration_failure_with_max_concurrency_1_stops_later_iterations():
    r = run(machine({"M": mapstate(FAIL_ON_2, MaxConcurrency=1)}), [1, 2, 3])
    assert r.error == "Bad"
    assert types(r).count("MapIterationStarted") == 2


def test_catch_on_map():
    d = machine({"M": mapstate(FAIL_ON_2, Catch=[{"ErrorEquals": ["Bad"], "ResultPath": "$.err", "Next": "C"}],
                               ItemsPath="$.xs"),
                 "C": {"Type": "Pass", "End": True}})
    r = run(d, {"xs": [2]})
    assert r.output == {"xs": [2], "err": {"Error": "Bad", "Cause": "two"}}


def test_retry_on_map_reruns_all_iterations(script):
    h = script(TaskFailure("E", "x"), "a", "b", "c")
    d = machine({"M": mapstate(branch({"T": h.task(End=True)}), MaxConcurrency=1,
                               Retry=[{"ErrorEquals": ["E"], "IntervalSeconds": 1}])})
    r = run(d, [1, 2])
    assert (r.status, r.output) == ("SUCCEEDED", ["a", "b"])
    assert len(h.calls) == 3


def test_tolerated_failure_count():
    ok = run(machine({"M": mapstate(FAIL_ON_2, ToleratedFailureCount=1)}), [1, 2, 3])
    assert ok.status == "SUCCEEDED"
    assert len(ok.output) == 3 and ok.output[0] == 1 and ok.output[2] == 3
    bad = run(machine({"M": mapstate(FAIL_ON_2, ToleratedFailureCount=0)}), [1, 2, 3])
    assert (bad.status, bad.error) == ("FAILED", "States.ExceedToleratedFailureThreshold")


def test_tolerated_failure_percentage():
    ok = run(machine({"M": mapstate(FAIL_ON_2, ToleratedFailurePercentage=50)}), [1, 2, 3])
    assert ok.status == "SUCCEEDED"
    bad = run(machine({"M": mapstate(FAIL_ON_2, ToleratedFailurePercentage=20)}), [1, 2, 3])
    assert (bad.status, bad.error) == ("FAILED", "States.ExceedToleratedFailureThreshold")


def test_tolerated_failure_count_path():
    r = run(machine({"M": mapstate(FAIL_ON_2, ItemsPath="$.xs", ToleratedFailureCountPath="$.tol")}),
            {"xs": [2, 2], "tol": 1})
    assert (r.status, r.error) == ("FAILED", "States.ExceedToleratedFailureThreshold")


@pytest.mark.parametrize("fields", [{"ToleratedFailurePercentage": 101}, {"ToleratedFailureCount": -1}])
def test_invalid_tolerances_are_definition_errors(fields):
    with pytest.raises(InvalidDefinition):
        run(machine({"M": mapstate(**fields)}), [1])


def test_result_selector_and_result_path_on_map():
    d = machine({"M": mapstate(ItemsPath="$.xs", ResultSelector={"n.$": "States.ArrayLength($)", "all.$": "$"},
                               ResultPath="$.out", OutputPath="$.out")})
    assert run(d, {"xs": [1, 2, 3]}).output == {"n": 3, "all": [1, 2, 3]}


def test_result_path_null_on_map():
    assert run(machine({"M": mapstate(ItemsPath="$.xs", ResultPath=None)}), {"xs": [1]}).output == {"xs": [1]}


def test_item_batcher():
    d = machine({"M": mapstate(ItemsPath="$.xs", ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"b.$": "$.c"}})})
    r = run(d, {"xs": [1, 2, 3], "c": "k"})
    assert r.output == [{"BatchInput": {"b": "k"}, "Items": [1, 2]}, {"BatchInput": {"b": "k"}, "Items": [3]}]


def test_item_batcher_without_batch_input():
    d = machine({"M": mapstate(ItemBatcher={"MaxItemsPerBatch": 3})})
    assert run(d, [1, 2, 3, 4]).output == [{"Items": [1, 2, 3]}, {"Items": [4]}]


def test_nested_map_context_is_the_inner_item():
    inner = {"Type": "Map", "ItemsPath": "$.ys", "End": True, "ItemProcessor": PASS,
             "ItemSelector": {"outer.$": "$.o", "i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"}}
    d = machine({"M": mapstate(branch({"N": inner}), ItemSelector={"ys.$": "$$.Map.Item.Value",
                                                                   "o.$": "$$.Map.Item.Index"})})
    r = run(d, [[1, 2], [3]])
    assert r.output == [[{"outer": 0, "i": 0, "v": 1}, {"outer": 0, "i": 1, "v": 2}],
                        [{"outer": 1, "i": 0, "v": 3}]]


def test_map_iteration_events():
    r = run(machine({"M": mapstate(ItemsPath="$.xs")}), {"xs": ["a", "b"]})
    assert types(r) == ["ExecutionStarted", "MapStateEntered", "MapStateStarted",
                        "MapIterationStarted", "PassStateEntered", "PassStateExited", "MapIterationSucceeded",
                        "MapIterationStarted", "PassStateEntered", "PassStateExited", "MapIterationSucceeded",
                        "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]
    its = [e for e in r.events if e["type"].startswith("MapIteration")]
    assert [e["mapIterationStartedEventDetails"] for e in its if e["type"] == "MapIterationStarted"] == \
        [{"name": "M", "index": 0}, {"name": "M", "index": 1}]
    assert [e["mapIterationSucceededEventDetails"] for e in its if e["type"] == "MapIterationSucceeded"] == \
        [{"name": "M", "index": 0}, {"name": "M", "index": 1}]
    started = next(e for e in r.events if e["type"] == "MapStateStarted")
    assert started["mapStateStartedEventDetails"] == {"length": 2}
    entered = [e for e in r.events if e["type"] == "PassStateEntered"]
    assert [e["stateEnteredEventDetails"]["input"] for e in entered] == ['"a"', '"b"']
