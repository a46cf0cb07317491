"""Whole executions in JSONata mode and with variables, through run_state_machine.

These pin the behaviour the adapter, the variables module and the evaluator produce together;
the AWS-recorded corpus (../shared/asl-conformance) is run by its own runner.
"""
import json

from engine.asl import run_state_machine


def run(definition, inp=None, mock=None):
    return run_state_machine(definition, {} if inp is None else inp, mock_config=mock)


def exited(result, name):
    for e in result.events:
        details = e.get("stateExitedEventDetails")
        if details and details.get("name") == name:
            return details
    raise AssertionError(f"no Exited event for {name}")


def test_assign_sees_variables_from_before_the_state_and_output_does_not_see_assign():
    r = run({"QueryLanguage": "JSONata", "StartAt": "S", "States": {
        "S": {"Type": "Pass", "Assign": {"a": 1}, "Next": "T"},
        "T": {"Type": "Pass", "Assign": {"a": 2, "b": "{% $a %}"}, "Output": {"a": "{% $a %}"}, "Next": "U"},
        "U": {"Type": "Pass", "Output": {"a": "{% $a %}", "b": "{% $b %}", "in": "{% $states.input %}"},
              "End": True}}})
    assert r.status == "SUCCEEDED"
    assert r.output == {"a": 2, "b": 1, "in": {"a": 1}}


def test_history_shows_assigned_variables_as_json_strings():
    r = run({"StartAt": "S", "States": {"S": {"Type": "Pass", "Assign": {"n": 42, "s": "x", "o": {"k": None}},
                                              "End": True}}})
    details = exited(r, "S")
    assert details["assignedVariables"] == {"n": "42", "s": '"x"', "o": '{"k":null}'}
    assert details["assignedVariablesDetails"] == {"truncated": False}


def test_parallel_branches_read_outer_variables_and_their_assignments_stay_inside():
    r = run({"QueryLanguage": "JSONata", "StartAt": "S", "States": {
        "S": {"Type": "Pass", "Assign": {"x": 42}, "Next": "P"},
        "P": {"Type": "Parallel", "Next": "C", "Branches": [
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"inner": "{% $x %}"},
                                              "Output": "{% $x + 1 %}", "End": True}}}]},
        "C": {"Type": "Pass", "Output": {"r": "{% $states.input %}", "leaked": "{% $exists($inner) %}"},
              "End": True}}})
    assert r.status == "SUCCEEDED"
    assert r.output == {"r": [43], "leaked": False}


def test_a_map_iteration_cannot_reassign_an_outer_variable():
    r = run({"StartAt": "S", "States": {
        "S": {"Type": "Pass", "Assign": {"x": 1}, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.xs", "End": True, "ItemProcessor": {
            "StartAt": "I", "States": {"I": {"Type": "Pass", "Assign": {"x": 2}, "End": True}}}}}},
        {"xs": [1]})
    assert r.status == "FAILED"
    assert "belongs to an outer scope" in r.cause


def test_catch_assign_and_output_read_the_error_output():
    r = run({"QueryLanguage": "JSONata", "StartAt": "M", "States": {
        "M": {"Type": "Map", "Items": [1], "Next": "N",
              "Assign": {"ok": True},
              "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom",
                                                                  "Cause": "{% 'item ' & $states.input %}"}}},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "N",
                         "Output": {"in": "{% $states.input %}", "err": "{% $states.errorOutput %}"},
                         "Assign": {"e": "{% $states.errorOutput.Error %}"}}]},
        "N": {"Type": "Pass", "Output": {"o": "{% $states.input %}", "e": "{% $e %}",
                                         "ok": "{% $exists($ok) %}"}, "End": True}}}, {"x": 1})
    assert r.status == "SUCCEEDED"
    # The state's own Assign is not applied when a Catcher handles the error.
    assert r.output == {"o": {"in": {"x": 1}, "err": {"Error": "Boom", "Cause": "item 1"}},
                        "e": "Boom", "ok": False}


def test_an_undefined_expression_fails_the_state_with_the_field_named():
    r = run({"QueryLanguage": "JSONata", "StartAt": "S", "States": {
        "S": {"Type": "Pass", "Output": {"result": "{% $doesNotExist %}"}, "End": True}}})
    assert (r.status, r.error) == ("FAILED", "States.QueryEvaluationError")
    assert r.cause == ("An error occurred while executing the state 'S' (entered at the event id #2). "
                       "The JSONata expression '$doesNotExist' specified for the field 'Output/result' "
                       "returned nothing (undefined).")
    assert [e["type"] for e in r.events] == ["ExecutionStarted", "PassStateEntered", "EvaluationFailed",
                                             "ExecutionFailed"]


def test_a_query_evaluation_error_can_be_caught():
    mock = {"StateMachines": {"ConformanceStateMachine": {"TestCases": {"RecordedRun": {"T": "R"}}}},
            "MockedResponses": {"R": {"0": {"Return": {"Payload": 1}}}}}
    r = run({"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Arguments": {"FunctionName": "f", "Payload": {}}, "Output": "{% $states.result.nope %}",
              "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "N"}], "End": True},
        "N": {"Type": "Pass", "Output": "{% $states.input.Error %}", "End": True}}}, mock=mock)
    assert (r.status, r.output) == ("SUCCEEDED", "States.QueryEvaluationError")


def test_jsonpath_and_jsonata_states_share_variables():
    r = run({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"v.$": "$.x"}, "Next": "B"},
        "B": {"QueryLanguage": "JSONata", "Type": "Pass", "Assign": {"w": "{% $v * 2 %}"}, "Next": "C"},
        "C": {"Type": "Pass", "Parameters": {"v.$": "$v", "w.$": "$w"}, "End": True}}}, {"x": 21})
    assert r.output == {"v": 21, "w": 42}


def test_step_functions_functions_are_available_in_states():
    r = run({"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Pass", "Output": {
        "p": "{% $partition([1, 2, 3], 2) %}", "r": "{% $range(0, 4, 2) %}", "j": "{% $parse('{\"a\": 1}') %}",
        "h": "{% $hash('abc', 'SHA-1') %}"}, "End": True}}})
    assert r.output == {"p": [[1, 2], [3]], "r": [0, 2, 4], "j": {"a": 1},
                        "h": "a9993e364706816aba3e25717850c26c9cd0d89d"}
    assert json.dumps(r.output)
