from .helpers import details, run, types


def test_pass_without_result_passes_its_input_on():
    r = run({"P": {"Type": "Pass", "End": True}}, {"a": 1})
    assert r.status == "SUCCEEDED" and r.output == {"a": 1}
    assert types(r) == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]


def test_result_replaces_the_input_unless_result_path_places_it():
    r = run({"P": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "End": True}}, {"a": 1})
    assert r.output == {"a": 1, "r": {"x": 1}}


def test_result_path_null_discards_the_result():
    r = run({"P": {"Type": "Pass", "Result": 5, "ResultPath": None, "End": True}}, {"a": 1})
    assert r.output == {"a": 1}


def test_input_path_parameters_and_output_path_apply_in_spec_order():
    r = run({"P": {"Type": "Pass", "InputPath": "$.in", "Parameters": {"v.$": "$.x", "k": "lit"},
                   "ResultPath": "$.res", "OutputPath": "$.res", "End": True}}, {"in": {"x": 7}})
    assert r.output == {"v": 7, "k": "lit"}


def test_input_path_null_gives_an_empty_object():
    r = run({"P": {"Type": "Pass", "InputPath": None, "End": True}}, {"a": 1})
    assert r.output == {}


def test_missing_input_path_fails_with_states_runtime_and_the_entered_event_id():
    r = run({"P": {"Type": "Pass", "InputPath": "$.nope", "End": True}}, {"a": 1})
    assert r.status == "FAILED" and r.error == "States.Runtime"
    assert r.cause == ("An error occurred while executing the state 'P' (entered at the event id #2). "
                       "Invalid path '$.nope' : No results for path: $['nope']")
    assert types(r) == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]


def test_states_runtime_is_not_caught_by_any_later_state():
    r = run({"P": {"Type": "Pass", "OutputPath": "$.nope", "Next": "Q"}, "Q": {"Type": "Pass", "End": True}})
    assert r.status == "FAILED" and r.error == "States.Runtime"


def test_output_over_256_kib_fails_with_data_limit_exceeded():
    big = "a" * (256 * 1024)
    r = run({"S": {"Type": "Pass", "Result": {"x": big}, "End": True}})
    assert r.status == "FAILED" and r.error == "States.DataLimitExceeded"
    assert r.cause == ("The state/task 'S' returned a result with a size exceeding the maximum "
                       "number of bytes service limit.")
    assert types(r) == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]


def test_entered_and_exited_events_carry_compact_json():
    r = run({"P": {"Type": "Pass", "Result": {"b": [1, 2]}, "End": True}}, {"a": "x"})
    assert details(r, "PassStateEntered") == [{"name": "P", "input": '{"a":"x"}', "inputDetails": {"truncated": False}}]
    assert details(r, "PassStateExited")[0]["output"] == '{"b":[1,2]}'


def test_context_object_is_readable_and_has_redrive_count_zero():
    r = run({"P": {"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": True}}, {"a": 1})
    ctx = r.output["c"]
    assert ctx["Execution"]["Input"] == {"a": 1}
    assert ctx["Execution"]["RedriveCount"] == 0
    assert ctx["State"]["Name"] == "P" and "EnteredTime" in ctx["State"]
    assert set(ctx["StateMachine"]) == {"Id", "Name"}


def test_express_executions_have_no_redrive_count():
    r = run({"P": {"Type": "Pass", "Parameters": {"c.$": "$$.Execution"}, "End": True}},
            state_machine_type="EXPRESS")
    assert "RedriveCount" not in r.output["c"]


def test_assign_stores_variables_for_later_states_and_shows_them_in_history():
    r = run({"A": {"Type": "Pass", "Assign": {"x": 1, "y.$": "$.v"}, "Next": "B"},
             "B": {"Type": "Pass", "Parameters": {"x.$": "$x", "y.$": "$y"}, "End": True}}, {"v": "w"})
    assert r.output == {"x": 1, "y": "w"}
    exited = details(r, "PassStateExited")[0]
    assert exited["assignedVariables"] == {"x": "1", "y": '"w"'}
