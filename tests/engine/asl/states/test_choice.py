from .helpers import run, types

LOOP = {
    "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThan": 3, "Next": "Inc"}],
              "Default": "Done"},
    "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
    "Done": {"Type": "Succeed"},
}


def test_first_matching_rule_wins_and_loops_run_until_default():
    r = run(LOOP)
    assert r.status == "SUCCEEDED" and r.output == {"i": 3}
    assert types(r).count("ChoiceStateEntered") == 4


def test_no_match_without_default_fails_with_no_choice_matched():
    r = run({"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": True, "Next": "E"}]},
             "E": {"Type": "Succeed"}}, {"x": False})
    assert r.status == "FAILED" and r.error == "States.NoChoiceMatched"


def test_choice_output_is_its_filtered_input():
    r = run({"C": {"Type": "Choice", "InputPath": "$.a", "OutputPath": "$.b",
                   "Choices": [{"Variable": "$.b", "IsPresent": True, "Next": "E"}]},
             "E": {"Type": "Pass", "End": True}}, {"a": {"b": {"c": 1}}})
    assert r.output == {"c": 1}


def test_context_object_paths_work_in_rules():
    r = run({"C": {"Type": "Choice", "Choices": [
        {"Variable": "$$.Execution.Input.v", "NumericLessThanEquals": 0, "Next": "Low"}], "Default": "High"},
        "Low": {"Type": "Pass", "Result": "low", "End": True}, "High": {"Type": "Pass", "Result": "high", "End": True}},
        {"v": 0})
    assert r.output == "low"


def test_a_matching_rules_assign_is_stored():
    r = run({"C": {"Type": "Choice", "Choices": [
        {"Variable": "$.v", "IsPresent": True, "Assign": {"picked": "rule"}, "Next": "E"}], "Default": "E"},
        "E": {"Type": "Pass", "Parameters": {"p.$": "$picked"}, "End": True}}, {"v": 1})
    assert r.output == {"p": "rule"}
