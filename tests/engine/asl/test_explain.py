"""engine.asl.validation.explain: every finding in words that name the field, AWS's message kept
for the wire protocol."""
import pytest

from engine.asl.validate import validate
from engine.asl.validation.explain import explain, field_location


def findings(definition):
    return [(d.code, explain(d), field_location(d)) for d in validate(definition)]


def test_a_new_empty_machine_is_explained_without_an_empty_target():
    (_, states, _), (code, start_at, where) = findings({"StartAt": "", "States": {}})
    assert states == "States: add at least one state"
    assert code == "MISSING_TRANSITION_TARGET"
    assert start_at == "StartAt: choose the state the workflow starts with"
    assert where == "/StartAt"


def test_a_choice_without_rules_names_its_choices_field():
    definition = {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": []}}}
    assert findings(definition)[0][1] == "Choices: a Choice state needs at least one rule"


@pytest.mark.parametrize("rule", [
    {"Variable": "$.x", "StringEquals": "a", "Next": ""},
    {"Variable": "$.x", "StringEquals": "a"},
])
def test_an_open_choice_rule_asks_for_its_target_at_the_rules_next(rule):
    definition = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [rule], "Default": "D"}, "D": {"Type": "Succeed"}}}
    (_, text, where), = findings(definition)
    assert text.startswith("Rule #1 Next: choose the state this rule goes to")
    assert where == "/States/C/Choices/0/Next"


def test_a_missing_target_names_the_field_and_the_state_it_looked_for():
    definition = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Zed"}}}]}}}
    texts = [text for _, text, _ in findings(definition)]
    assert 'Next: there is no state named "Zed" in this branch' in texts
    assert "No state ends this branch: set End on the last state, or add a Succeed or Fail state" in texts


def test_catchers_and_retriers_are_counted_as_people_count():
    definition = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": -1}],
        "Catch": [{"ErrorEquals": [], "Next": ""}], "End": True}}}
    texts = [text for _, text, _ in findings(definition)]
    assert "Retrier #1 MaxAttempts: Minimum value is 0" in texts
    assert "Catcher #1 ErrorEquals: name at least one error, e.g. States.ALL" in texts
    assert "Catcher #1 Next: choose the state that handles the error" in texts


def test_next_or_end_and_a_wait_without_duration_point_at_the_field_to_fill():
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass"}, "W": {"Type": "Wait", "End": True}}}
    by_field = {where: text for _, text, where in findings(definition)}
    assert by_field["/States/A/Next"] == "Next: choose the next state, or end here (End)"
    assert by_field["/States/W/Seconds"].startswith("Seconds: set how long to wait")
    assert by_field["/States/W"] == "This state is never reached: connect a state to it, or delete it"


def test_a_task_without_resource_says_what_to_choose():
    for state in ({"Type": "Task", "End": True}, {"Type": "Task", "Resource": "", "End": True}):
        (_, text, where), = findings({"StartAt": "T", "States": {"T": state}})
        assert text.startswith("Resource: choose what this Task calls")
        assert where == "/States/T/Resource"


def test_anything_else_keeps_awss_message_after_the_field_name():
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x": "$.y"}, "End": True}}}
    (code, text, _), = findings(definition)
    assert code == "NO_DOLLAR"
    assert text.startswith("Parameters.x: The value for the field 'x' looks like a JSONPath")


def test_the_aws_message_itself_is_unchanged():
    (diagnostic,) = [d for d in validate({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": ""}}})
                     if d.code == "MISSING_TRANSITION_TARGET"]
    assert diagnostic.message == "Missing 'Next' target: "
    assert "explanation" not in diagnostic.to_dict()
