from .helpers import run, types


def test_succeed_ends_the_execution_with_its_filtered_input():
    r = run({"S": {"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"}}, {"a": {"b": 3}})
    assert r.status == "SUCCEEDED" and r.output == 3
    assert types(r) == ["ExecutionStarted", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]


def test_succeed_inside_a_map_iteration_ends_only_that_iteration():
    r = run({"M": {"Type": "Map", "ItemProcessor": {"StartAt": "S", "States": {"S": {"Type": "Succeed"}}},
                   "Next": "After"},
             "After": {"Type": "Pass", "Result": "after", "End": True}}, [1, 2])
    assert r.output == "after"
