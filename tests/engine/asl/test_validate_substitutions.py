"""Definition substitutions (`${Name}`) in the validator: a warning for each placeholder at its
location, the rest of the definition checked, an unclosed `${` and a quoted placeholder in a
number or boolean field refused; SAM's bare form read from definition text."""
from engine.asl import validate

SAM_TEXT = """{
  "Comment": "Orders for ${Env}",
  "StartAt": "Charge",
  "States": {
    "Charge": {"Type": "Task", "Resource": "${ChargeFunctionArn}", "TimeoutSeconds": ${Timeout},
               "Next": "Pause"},
    "Pause": {"Type": "Wait", "Seconds": ${WaitSeconds}, "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [
      {"Variable": "$.total", "NumericGreaterThan": ${Limit}, "Next": "Done"},
      {"Variable": "$.table", "StringEquals": "${TableName}", "Next": "Done"}],
      "Default": "Done"},
    "Done": {"Type": "Succeed"}
  }
}"""


def found(definition):
    return [(d.severity, d.code, d.location) for d in validate(definition)]


def test_every_placeholder_is_a_warning_at_its_location():
    assert found(SAM_TEXT) == [
        ("WARNING", "DEFINITION_SUBSTITUTION", "/Comment"),
        ("WARNING", "DEFINITION_SUBSTITUTION", "/States/Charge/Resource"),
        ("WARNING", "DEFINITION_SUBSTITUTION", "/States/Charge/TimeoutSeconds"),
        ("WARNING", "DEFINITION_SUBSTITUTION", "/States/Pause/Seconds"),
        ("WARNING", "DEFINITION_SUBSTITUTION", "/States/Check/Choices/0/NumericGreaterThan"),
        ("WARNING", "DEFINITION_SUBSTITUTION", "/States/Check/Choices/1/StringEquals"),
    ]
    messages = [d.message for d in validate(SAM_TEXT)]
    assert "${WaitSeconds}" in messages[3] and "bare" in messages[3]


def test_the_rest_of_the_definition_is_still_checked():
    text = SAM_TEXT.replace('"Next": "Pause"', '"Next": "Nowhere"')
    errors = [(code, loc) for sev, code, loc in found(text) if sev == "ERROR"]
    assert errors == [("MISSING_TRANSITION_TARGET", "/States/Charge/Next")] + [
        ("MISSING_TRANSITION_TARGET", f"/States/{name}") for name in ("Pause", "Check", "Done")]


def test_a_quoted_placeholder_in_a_number_or_boolean_field_is_refused():
    text = (SAM_TEXT.replace("${WaitSeconds}", '"${WaitSeconds}"')
            .replace("${Limit}", '"${Limit}"'))
    errors = [d for d in validate(text) if d.severity == "ERROR"]
    assert [(d.location) for d in errors] == ["/States/Pause/Seconds",
                                            "/States/Check/Choices/0/NumericGreaterThan"]
    assert "becomes a string" in errors[0].message
    ends = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": "${Ends}"}}}
    assert ("ERROR", "SCHEMA_VALIDATION_FAILED", "/States/P/End") in found(ends)


def test_an_unclosed_placeholder_is_refused():
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "${Oops",
                                                   "End": True}}}
    assert found(definition) == [("ERROR", "SCHEMA_VALIDATION_FAILED", "/States/P/Result")]


def test_placeholders_in_a_parsed_definition_are_warnings_too():
    definition = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:athena:startQueryExecution.sync",
        "Parameters": {"QueryString": "SELECT 1", "WorkGroup": "${WorkGroup}"}, "End": True}}}
    assert [d.message.split(":")[0] for d in validate(definition)] == [
        "Definition substitution ${AWS", "Definition substitution ${AWS",
        "Definition substitution ${AWS", "Definition substitution ${WorkGroup}"]
    assert {d.severity for d in validate(definition)} == {"WARNING"}


def test_cloudformations_escaped_literal_is_not_a_placeholder():
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "${!Literal}",
                                                   "End": True}}}
    assert found(definition) == []


def test_a_dollar_brace_that_is_no_placeholder_is_plain_text():
    # `${}` (a price in a format string) and `${ a b }` are closed and name nothing.
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
        "msg.$": "States.Format('Total: ${}', $.n)", "note": "${ a b }"}, "End": True}}}
    assert found(definition) == []
