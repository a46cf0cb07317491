"""Spec "Paths", "Reference Paths", "Input and Output Processing" (InputPath, Parameters,
ResultSelector, ResultPath, OutputPath), incl. null paths and `$$` in payload templates."""
import pytest

from .helpers import machine, run, types

DOC = {"a": {"b": [1, 2, {"c": "x"}]}, "s": "str", "n": None, "a b": 1, "c-d": 2}


def pass_state(**fields):
    return machine({"A": {"Type": "Pass", "End": True, **fields}})


# -- Paths inside Parameters ------------------------------------------------------------------
@pytest.mark.parametrize("path, expected", [
    ("$", DOC),
    ("$.a.b[0]", 1),
    ("$.a.b[2].c", "x"),
    ("$.a.b[-1]", {"c": "x"}),
    ("$['a b']", 1),
    ("$.c-d", 2),
    ("$.n", None),
    # indefinite paths (wildcards, slices, filters, deep scan) give arrays
    ("$.a.b[*]", [1, 2, {"c": "x"}]),
    ("$.a.b[0:2]", [1, 2]),
    ("$..c", ["x"]),
    ("$.a.b[?(@.c == 'x')]", [{"c": "x"}]),
])
def test_parameters_path_values(path, expected):
    r = run(pass_state(Parameters={"v.$": path}), DOC)
    assert r.status == "SUCCEEDED"
    assert r.output == {"v": expected}


def test_indefinite_path_that_matches_nothing_is_an_empty_array():
    r = run(pass_state(Parameters={"v.$": "$.missing[*]"}), DOC)
    assert r.output == {"v": []}


def test_parameters_are_rendered_recursively_and_literals_are_kept():
    params = {"x": {"y.$": "$.a.b[2].c"}, "l": [{"z.$": "$.s"}, "$.s"], "lit": "$.s", "num": 3}
    r = run(pass_state(Parameters=params), DOC)
    assert r.output == {"x": {"y": "x"}, "l": [{"z": "str"}, "$.s"], "lit": "$.s", "num": 3}


def test_parameters_path_not_found_is_runtime_error_with_aws_cause():
    r = run(pass_state(Parameters={"x.$": "$.zz"}), {"k": 1})
    assert (r.status, r.error) == ("FAILED", "States.Runtime")
    assert r.cause == ("An error occurred while executing the state 'A' (entered at the event id #2). "
                       "The JSONPath '$.zz' specified for the field 'x.$' could not be found in the input '{\"k\":1}'")
    assert types(r) == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]


def test_parameters_path_on_scalar_input_is_runtime_error():
    r = run(pass_state(Parameters={"x.$": "$.a"}), "str")
    assert (r.status, r.error) == ("FAILED", "States.Runtime")


# -- InputPath / OutputPath ----------------------------------------------------------------------
def test_inputpath_selects_part_of_the_input():
    r = run(pass_state(InputPath="$.a.b[2]"), DOC)
    assert r.output == {"c": "x"}


def test_inputpath_null_gives_empty_object():
    # Spec: "If the value of InputPath is null, that means that the raw input is discarded,
    # and the effective input for the state is an empty JSON object, {}."
    r = run(pass_state(InputPath=None), DOC)
    assert r.output == {}


def test_inputpath_null_then_parameters():
    r = run(pass_state(InputPath=None, Parameters={"x": 1, "e.$": "$"}), DOC)
    assert r.output == {"x": 1, "e": {}}


def test_outputpath_null_gives_empty_object():
    r = run(pass_state(OutputPath=None), DOC)
    assert r.output == {}


def test_inputpath_selecting_null_value_is_null():
    r = run(pass_state(InputPath="$.n"), DOC)
    assert r.status == "SUCCEEDED" and r.output is None


@pytest.mark.parametrize("field", ["InputPath", "OutputPath"])
def test_input_output_path_not_found_is_runtime(field):
    r = run(pass_state(**{field: "$.zz"}), {"k": 1})
    assert (r.status, r.error) == ("FAILED", "States.Runtime")
    assert r.cause == ("An error occurred while executing the state 'A' (entered at the event id #2). "
                       "Invalid path '$.zz' : No results for path: $['zz']")


# -- ResultPath ----------------------------------------------------------------------------------
def test_resultpath_absent_replaces_input():
    r = run(pass_state(Result={"r": 1}), {"in": 1})
    assert r.output == {"r": 1}


def test_resultpath_dollar_replaces_input():
    r = run(pass_state(Result={"r": 1}, ResultPath="$"), {"in": 1})
    assert r.output == {"r": 1}


def test_resultpath_null_discards_result():
    # Spec: "If the value of ResultPath is null, that means that the state's own raw output is
    # discarded and its raw input becomes its result."
    r = run(pass_state(Result={"r": 1}, ResultPath=None), {"in": 1})
    assert r.output == {"in": 1}


def test_resultpath_creates_nested_fields():
    r = run(pass_state(Result=1, ResultPath="$.x.y.z"), {"in": 1})
    assert r.output == {"in": 1, "x": {"y": {"z": 1}}}


def test_resultpath_overwrites_existing_field():
    r = run(pass_state(Result=1, ResultPath="$.in"), {"in": {"old": True}, "k": 2})
    assert r.output == {"in": 1, "k": 2}


def test_resultpath_does_not_change_the_raw_input_shared_elsewhere():
    d = machine({
        "A": {"Type": "Pass", "Result": 1, "ResultPath": "$.a.x", "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"orig.$": "$$.Execution.Input"}, "ResultPath": "$.o", "End": True},
    })
    r = run(d, {"a": {"k": 0}})
    assert r.output == {"a": {"k": 0, "x": 1}, "o": {"orig": {"a": {"k": 0}}}}


@pytest.mark.parametrize("input_value, path", [
    ("hello", "$.z"),
    ([1], "$.z"),
    ({"s": "str"}, "$.s.z"),
])
def test_resultpath_into_a_non_object_is_result_path_match_failure(input_value, path):
    r = run(pass_state(Result=1, ResultPath=path), input_value)
    assert (r.status, r.error) == ("FAILED", "States.ResultPathMatchFailure")


def test_order_inputpath_parameters_resultpath_outputpath():
    # InputPath selects, Parameters builds the task input, ResultPath writes onto the RAW input,
    # OutputPath filters the combination (spec "Input and Output Processing").
    d = machine({"A": {"Type": "Pass", "InputPath": "$.sub", "Parameters": {"got.$": "$.v"},
                       "ResultPath": "$.res", "OutputPath": "$.res", "End": True}})
    r = run(d, {"sub": {"v": 5}, "other": 1})
    assert r.output == {"got": 5}


def test_outputpath_sees_result_written_by_resultpath():
    r = run(pass_state(Result=5, ResultPath="$.r", OutputPath="$.r"), {"a": 1})
    assert r.output == 5


# -- ResultSelector ------------------------------------------------------------------------------
def test_resultselector_shapes_task_result_before_resultpath(script):
    h = script({"Payload": {"v": 2}, "Meta": "drop"})
    d = machine({"A": h.task(ResultSelector={"p.$": "$.Payload.v", "in.$": "$$.Execution.Input.q",
                                              "lit": "x"}, ResultPath="$.r", End=True)})
    r = run(d, {"q": 1})
    assert r.output == {"q": 1, "r": {"p": 2, "in": 1, "lit": "x"}}


def test_resultselector_path_not_found_is_runtime(script):
    h = script({"a": 1})
    r = run(machine({"A": h.task(ResultSelector={"p.$": "$.missing"}, End=True)}), {})
    assert (r.status, r.error) == ("FAILED", "States.Runtime")


# -- $$ in payload templates ---------------------------------------------------------------------
def test_context_paths_in_parameters():
    d = pass_state(Parameters={"n.$": "$$.State.Name", "in.$": "$$.Execution.Input.s",
                               "sm.$": "$$.StateMachine.Name"})
    r = run(d, {"s": "v"}, state_machine_name="MySM")
    assert r.output == {"n": "A", "in": "v", "sm": "MySM"}


def test_context_path_not_found_is_runtime():
    r = run(pass_state(Parameters={"x.$": "$$.Nope"}), {})
    assert (r.status, r.error) == ("FAILED", "States.Runtime")


# -- states without a result: InputPath / OutputPath still apply -----------------------------
@pytest.mark.parametrize("state", [
    {"Type": "Wait", "Seconds": 1, "InputPath": "$.a", "OutputPath": "$.b", "End": True},
    {"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"},
    {"Type": "Pass", "InputPath": "$.a", "OutputPath": "$.b", "End": True},
])
def test_input_and_output_path_on_resultless_states(state):
    r = run(machine({"A": state}), {"a": {"b": 3}})
    assert r.output == 3


def test_choice_applies_inputpath_before_rules_and_outputpath_after():
    d = machine({"A": {"Type": "Choice", "InputPath": "$.a", "OutputPath": "$.b",
                       "Choices": [{"Variable": "$.b", "NumericEquals": 3, "Next": "B"}], "Default": "C"},
                 "B": {"Type": "Pass", "Parameters": {"got.$": "$"}, "End": True},
                 "C": {"Type": "Fail"}})
    r = run(d, {"a": {"b": 3}})
    assert r.output == {"got": 3}
