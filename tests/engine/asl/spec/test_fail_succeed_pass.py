"""Spec "Fail State", "Succeed State", "Pass State"."""
import pytest

from engine.asl import InvalidDefinition

from .helpers import branch, machine, run, types


# -- Fail ----------------------------------------------------------------------------------------
def test_fail_error_and_cause():
    r = run(machine({"F": {"Type": "Fail", "Error": "MyError", "Cause": "my cause"}}), {})
    assert (r.status, r.error, r.cause, r.output) == ("FAILED", "MyError", "my cause", None)
    assert types(r) == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]
    assert r.events[-1]["executionFailedEventDetails"] == {"error": "MyError", "cause": "my cause"}


def test_fail_without_error_and_cause():
    r = run(machine({"F": {"Type": "Fail"}}), {})
    assert (r.status, r.error, r.cause) == ("FAILED", None, None)
    assert r.events[-1]["executionFailedEventDetails"] == {}


def test_fail_error_path_and_cause_path():
    d = machine({"F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c.text"}})
    r = run(d, {"e": "Dyn.Error", "c": {"text": "dynamic cause"}})
    assert (r.error, r.cause) == ("Dyn.Error", "dynamic cause")


def test_fail_paths_with_intrinsics():
    d = machine({"F": {"Type": "Fail", "ErrorPath": "States.Format('{}.{}', $.svc, $.code)",
                       "CausePath": "States.JsonToString($.detail)"}})
    r = run(d, {"svc": "Orders", "code": "NotFound", "detail": {"id": 7}})
    assert (r.error, r.cause) == ("Orders.NotFound", '{"id":7}')


def test_fail_path_with_context_object():
    r = run(machine({"F": {"Type": "Fail", "Error": "E", "CausePath": "$$.State.Name"}}), {})
    assert r.cause == "F"


def test_fail_path_selecting_nothing_is_runtime():
    r = run(machine({"F": {"Type": "Fail", "ErrorPath": "$.missing"}}), {})
    assert (r.status, r.error) == ("FAILED", "States.Runtime")


def test_fail_path_selecting_a_non_string_is_runtime():
    r = run(machine({"F": {"Type": "Fail", "CausePath": "$.n"}}), {"n": 5})
    assert (r.status, r.error) == ("FAILED", "States.Runtime")


@pytest.mark.parametrize("fields", [
    {"Error": "E", "ErrorPath": "$.e"},
    {"Cause": "C", "CausePath": "$.c"},
    {"Error": "E", "Next": "X"},
])
def test_fail_invalid_combinations(fields):
    with pytest.raises(InvalidDefinition):
        run(machine({"F": {"Type": "Fail", **fields}, "X": {"Type": "Succeed"}}), {})


def test_fail_in_a_branch_fails_the_parallel_with_that_error():
    d = machine({"P": {"Type": "Parallel", "End": True, "Branches": [
        branch({"F": {"Type": "Fail", "Error": "BranchErr", "Cause": "why"}})]}})
    r = run(d, {})
    assert (r.status, r.error, r.cause) == ("FAILED", "BranchErr", "why")


# -- Succeed -------------------------------------------------------------------------------------
def test_succeed_passes_input_through():
    r = run(machine({"S": {"Type": "Succeed"}}), {"a": 1})
    assert (r.status, r.output) == ("SUCCEEDED", {"a": 1})
    assert types(r) == ["ExecutionStarted", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]


def test_succeed_ends_only_its_branch():
    d = machine({"P": {"Type": "Parallel", "Next": "After", "Branches": [
        branch({"S": {"Type": "Succeed"}}), branch({"Q": {"Type": "Pass", "Result": 2, "End": True}})]},
        "After": {"Type": "Pass", "Parameters": {"branches.$": "$"}, "End": True}})
    r = run(d, {"v": 1})
    assert (r.status, r.output) == ("SUCCEEDED", {"branches": [{"v": 1}, 2]})


def test_succeed_with_next_is_invalid():
    with pytest.raises(InvalidDefinition):
        run(machine({"S": {"Type": "Succeed", "Next": "X"}, "X": {"Type": "Succeed"}}), {})


# -- Pass ----------------------------------------------------------------------------------------
def test_pass_without_result_passes_input():
    assert run(machine({"P": {"Type": "Pass", "End": True}}), {"a": 1}).output == {"a": 1}


def test_pass_result_replaces_input():
    assert run(machine({"P": {"Type": "Pass", "Result": [1, "x"], "End": True}}), {"a": 1}).output == [1, "x"]


def test_pass_result_with_result_path():
    d = machine({"P": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "End": True}})
    assert run(d, {"a": 1}).output == {"a": 1, "r": {"x": 1}}


def test_pass_result_is_not_a_template():
    d = machine({"P": {"Type": "Pass", "Result": {"x.$": "$.a"}, "End": True}})
    assert run(d, {"a": 1}).output == {"x.$": "$.a"}


def test_pass_parameters_build_the_result():
    d = machine({"P": {"Type": "Pass", "Parameters": {"x.$": "$.a", "k": "v"}, "ResultPath": "$.r", "End": True}})
    assert run(d, {"a": 1}).output == {"a": 1, "r": {"x": 1, "k": "v"}}


def test_pass_null_and_scalar_results():
    assert run(machine({"P": {"Type": "Pass", "Result": None, "End": True}}), {"a": 1}).output is None
    assert run(machine({"P": {"Type": "Pass", "Result": "s", "ResultPath": "$.r", "End": True}}), {}).output == {"r": "s"}


def test_pass_chain_data_flows_state_to_state():
    d = machine({"A": {"Type": "Pass", "Result": 1, "ResultPath": "$.a", "Next": "B"},
                 "B": {"Type": "Pass", "Result": 2, "ResultPath": "$.b", "Next": "C"},
                 "C": {"Type": "Pass", "OutputPath": "$.b", "End": True}})
    assert run(d, {}).output == 2
