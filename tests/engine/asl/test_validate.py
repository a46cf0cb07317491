"""validate(): what AWS ValidateStateMachineDefinition reports, one behaviour per test."""
import json
import sys

import pytest

from engine.asl.validate import is_valid, validate


def machine(states, start="A", **top):
    return {"StartAt": start, "States": states, **top}


def errors(definition, **kw):
    return [(d.code, d.message, d.location) for d in validate(definition, **kw)
            if d.severity == "ERROR"]


PASS_END = {"Type": "Pass", "End": True}


# --- the document ------------------------------------------------------------------------------

def test_a_minimal_machine_is_valid():
    assert validate(machine({"A": PASS_END})) == []


def test_json_text_is_accepted_like_a_dict():
    assert validate(json.dumps(machine({"A": PASS_END}))) == []


def test_it_reports_both_missing_top_level_fields_in_aws_order():
    assert errors({}) == [("SCHEMA_VALIDATION_FAILED",
                           "These fields are required: [States, StartAt]", "/")]


def test_non_json_text_gets_jacksons_message():
    [(code, message, location)] = errors("not a definition")
    assert code == "INVALID_JSON_DESCRIPTION"
    assert message.startswith("Unrecognized token 'not': was expecting")
    assert message.endswith('at [Source: (String)"not a definition"; line: 1, column: 4]')
    assert location == ""


@pytest.mark.parametrize("definition", [" ", "[1, 2]", "5", [], None])
def test_anything_but_a_json_object_is_refused(definition):
    assert errors(definition) == [("SCHEMA_VALIDATION_FAILED",
                                   "Definition must be a valid JSON object", "/")]


def test_nan_is_not_json():
    [(code, _, _)] = errors('{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": NaN}}}')
    assert code == "INVALID_JSON_DESCRIPTION"


def test_a_state_name_given_twice_in_json_text_is_a_duplicate():
    text = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "A": {"Type": "Succeed"}}}'
    assert ("DUPLICATE_STATE_NAME", "Duplicate State name: A", "/States/A") in errors(text)


def test_unknown_top_level_field_is_not_supported():
    assert errors(machine({"A": PASS_END}, Coment="typo")) == [
        ("SCHEMA_VALIDATION_FAILED", "Field 'Coment' is not supported", "/")]


def test_it_collects_every_finding_not_just_the_first():
    definition = machine({
        "A": {"Type": "Pass", "Next": "Nowhere"},
        "B": {"Type": "Wait", "Timestamp": "yesterday", "End": True},
        "C": {"Type": "Task", "End": True},
    })
    found = errors(definition)
    assert ("MISSING_TRANSITION_TARGET", "Missing 'Next' target: Nowhere",
            "/States/A/Next") in found
    assert ("SCHEMA_VALIDATION_FAILED", "String does not match RFC3339 timestamp",
            "/States/B/Timestamp") in found
    assert ("SCHEMA_VALIDATION_FAILED", "These fields are required: [Resource]",
            "/States/C") in found


# --- fields per state type and query language ------------------------------------------------

def test_a_field_the_state_type_does_not_take_is_refused_at_the_state():
    definition = machine({"A": {"Type": "Pass", "Retry": [], "End": True}})
    assert errors(definition) == [("SCHEMA_VALIDATION_FAILED", "Field 'Retry' is not supported",
                                   "/States/A")]


@pytest.mark.parametrize("field, value", [("InputPath", "$"), ("Parameters", {}),
                                          ("ResultSelector", {}), ("ResultPath", "$.r"),
                                          ("OutputPath", "$")])
def test_jsonpath_fields_are_refused_in_a_jsonata_state(field, value):
    state = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", field: value,
             "End": True}
    assert errors(machine({"A": state}, QueryLanguage="JSONata")) == [
        ("SCHEMA_VALIDATION_FAILED", f"The QueryLanguage is set to 'JSONata', but field "
         f"'{field}' is only supported for the 'JSONPath' QueryLanguage", "/States/A")]


@pytest.mark.parametrize("field", ["Arguments", "Output"])
def test_jsonata_fields_are_refused_in_a_jsonpath_state(field):
    state = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", field: {},
             "End": True}
    assert errors(machine({"A": state})) == [
        ("SCHEMA_VALIDATION_FAILED", f"The QueryLanguage is set to 'JSONPath', but field "
         f"'{field}' is only supported for the 'JSONata' QueryLanguage", "/States/A")]


def test_a_state_may_opt_into_jsonata_in_a_jsonpath_machine():
    state = {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input %}",
             "End": True}
    assert validate(machine({"A": state})) == []


def test_a_state_cannot_go_back_to_jsonpath_in_a_jsonata_machine():
    state = {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}
    assert errors(machine({"A": state}, QueryLanguage="JSONata")) == [
        ("SCHEMA_VALIDATION_FAILED", "'QueryLanguage' can not be 'JSONPath' if set to "
         "'JSONata' for whole state machine", "/States/A")]


def test_states_in_a_map_inherit_the_machine_language_not_the_maps():
    inner = {"Type": "Pass", "Output": {}, "End": True}
    the_map = {"Type": "Map", "QueryLanguage": "JSONata", "End": True,
               "ItemProcessor": {"StartAt": "P", "States": {"P": inner}}}
    assert errors(machine({"A": the_map})) == [
        ("SCHEMA_VALIDATION_FAILED", "The QueryLanguage is set to 'JSONPath', but field "
         "'Output' is only supported for the 'JSONata' QueryLanguage",
         "/States/A/ItemProcessor/States/P")]


def test_item_processor_cannot_declare_a_query_language():
    the_map = {"Type": "Map", "End": True,
               "ItemProcessor": {"QueryLanguage": "JSONata", "StartAt": "P",
                                 "States": {"P": PASS_END}}}
    assert errors(machine({"A": the_map})) == [
        ("SCHEMA_VALIDATION_FAILED", "Field 'QueryLanguage' is not supported",
         "/States/A/ItemProcessor")]


# --- transitions -------------------------------------------------------------------------------

@pytest.mark.parametrize("state", [{"Type": "Pass"}, {"Type": "Task", "Resource":
                                                       "arn:aws:states:::sqs:sendMessage"}])
def test_a_non_terminal_state_needs_next_or_end(state):
    assert ("SCHEMA_VALIDATION_FAILED",
            "This object should have only one of the following fields: [Next, End]",
            "/States/A") in errors(machine({"A": state, "B": PASS_END}))


def test_next_and_end_together_are_refused():
    definition = machine({"A": {"Type": "Pass", "Next": "B", "End": True}, "B": PASS_END})
    assert errors(definition) == [("SCHEMA_VALIDATION_FAILED",
                                   "There should only be one of the following fields: "
                                   "[Next, End]", "/States/A")]


@pytest.mark.parametrize("state", [{"Type": "Succeed", "Next": "B"},
                                   {"Type": "Fail", "End": True},
                                   {"Type": "Choice", "Choices": [
                                       {"Variable": "$.x", "IsNull": True, "Next": "B"}],
                                    "End": True}])
def test_choice_succeed_and_fail_take_neither_next_nor_end(state):
    found = errors(machine({"A": state, "B": PASS_END}))
    assert any(m in ("Field 'Next' is not supported", "Field 'End' is not supported")
               for _, m, loc in found if loc == "/States/A"), found


def test_a_missing_start_state_is_a_missing_target_at_start_at():
    assert errors(machine({"B": PASS_END}, start="Nope")) == [
        ("MISSING_TRANSITION_TARGET", "Missing 'Next' target: Nope", "/StartAt"),
        ("MISSING_TRANSITION_TARGET", 'State "B" is not reachable.', "/States/B")]


def test_every_kind_of_dangling_target_says_next():
    definition = machine({
        "A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "C",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "X1"}]},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.v", "IsNull": True, "Next": "X2"}],
              "Default": "X3"},
    })
    assert [e for e in errors(definition) if e[0] == "MISSING_TRANSITION_TARGET"] == [
        ("MISSING_TRANSITION_TARGET", "Missing 'Next' target: X1", "/States/A/Catch/0/Next"),
        ("MISSING_TRANSITION_TARGET", "Missing 'Next' target: X2", "/States/C/Choices/0/Next"),
        ("MISSING_TRANSITION_TARGET", "Missing 'Next' target: X3", "/States/C/Default"),
    ]


def test_an_unreachable_state_is_an_error_at_that_state():
    definition = machine({"A": PASS_END, "Orphan": PASS_END})
    assert errors(definition) == [("MISSING_TRANSITION_TARGET", 'State "Orphan" is not reachable.',
                                   "/States/Orphan")]


def test_a_loop_without_a_terminal_state_has_no_end_and_no_reachability_report():
    definition = machine({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"},
                          "Orphan": {"Type": "Pass", "Next": "A"}})
    assert errors(definition) == [("MISSING_END_STATE", "Workflow has no terminal state", "")]


def test_states_reached_only_through_catch_or_choice_are_reachable():
    definition = machine({
        "A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "C",
              "Parameters": {"QueueUrl": "q", "MessageBody.$": "$"},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handler"}]},
        "Handler": {"Type": "Fail"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.v", "IsNull": True, "Next": "Y"}],
              "Default": "Z"},
        "Y": {"Type": "Succeed"}, "Z": {"Type": "Succeed"},
    })
    assert validate(definition) == []


def test_a_branch_cannot_transition_into_its_parent():
    branch = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "A"}}}
    definition = machine({"A": {"Type": "Parallel", "Branches": [branch], "End": True}})
    assert ("MISSING_TRANSITION_TARGET", "Missing 'Next' target: A",
            "/States/A/Branches/0/States/P/Next") in errors(definition)


def test_nested_machines_are_validated_with_their_locations():
    inner = {"StartAt": "X", "States": {"X": {"Type": "Wait", "Seconds": -1, "End": True}}}
    definition = machine({"M": {"Type": "Map", "ItemProcessor": inner, "End": True}}, start="M")
    assert errors(definition) == [("SCHEMA_VALIDATION_FAILED", "Minimum value is 0",
                                   "/States/M/ItemProcessor/States/X/Seconds")]


# --- Retry / Catch -----------------------------------------------------------------------------

def _task(**fields):
    states = {"A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                    "End": True, **fields}}
    if "Catch" in fields:
        states["H"] = {"Type": "Fail"}
    return machine(states)


def test_states_all_must_be_alone():
    found = errors(_task(Retry=[{"ErrorEquals": ["States.ALL", "X"]}]))
    assert found == [("SCHEMA_VALIDATION_FAILED", "States.ALL must appear alone and at end of "
                      "list", "/States/A/Retry/0/ErrorEquals/0")]


def test_states_all_must_be_in_the_last_catcher():
    catch = [{"ErrorEquals": ["States.ALL"], "Next": "H"}, {"ErrorEquals": ["X"], "Next": "H"}]
    assert errors(_task(Catch=catch)) == [
        ("SCHEMA_VALIDATION_FAILED", "States.ALL must appear alone and at end of list",
         "/States/A/Catch/0/ErrorEquals/0")]


@pytest.mark.parametrize("field, value, message", [
    ("MaxAttempts", -1, "Minimum value is 0"),
    ("IntervalSeconds", 1.5, "Expected value of type Integer"),
    ("BackoffRate", 0.5, "Minimum value is 1.0"),
    ("MaxDelaySeconds", 0, "Minimum value is 1"),
    ("JitterStrategy", "HALF", "Value should be one of the following: [NONE, FULL]"),
])
def test_retrier_values_out_of_range_are_refused(field, value, message):
    assert errors(_task(Retry=[{"ErrorEquals": ["X"], field: value}])) == [
        ("SCHEMA_VALIDATION_FAILED", message, f"/States/A/Retry/0/{field}")]


def test_a_catcher_needs_error_equals_and_next():
    assert ("SCHEMA_VALIDATION_FAILED", "These fields are required: [ErrorEquals, Next]",
            "/States/A/Catch/0") in errors(_task(Catch=[{}]))


def test_empty_error_equals_is_refused():
    assert errors(_task(Retry=[{"ErrorEquals": []}])) == [
        ("SCHEMA_VALIDATION_FAILED", "Value cannot be empty", "/States/A/Retry/0/ErrorEquals")]


# --- paths and payload templates -------------------------------------------------------------

@pytest.mark.parametrize("value", ["$.a", "$", "$$.Execution.Input", "$.a[0].b", "$.a[*]",
                                   "$..a", "$.a[1:3]", "$.a[?(@.x == 1)]", "$var.x",
                                   "States.Format('{}', $.a)",
                                   "States.ArrayGetItem(States.StringSplit($.s, ','), 0)",
                                   "${Placeholder}"])
def test_dynamic_payload_values_that_aws_accepts(value):
    assert errors(machine({"A": {"Type": "Pass", "Parameters": {"x.$": value},
                                 "End": True}})) == []


@pytest.mark.parametrize("value", ["a.b", "", "$.a[", "States.Nope()", "States.Format('x'",
                                   "States.MathAdd($.a)", "$.a b", 3, None])
def test_dynamic_payload_values_that_aws_refuses(value):
    assert errors(machine({"A": {"Type": "Pass", "Parameters": {"n": {"x.$": value}},
                                 "End": True}})) == [
        ("SCHEMA_VALIDATION_FAILED", "The value for the field 'x.$' must be a valid JSONPath or "
         "a valid intrinsic function call", "/States/A/Parameters/n/x.$")]


def test_result_path_must_be_a_reference_path():
    found = errors(machine({"A": {"Type": "Pass", "ResultPath": "$.a[*]", "End": True}}))
    assert len(found) == 1 and found[0][1].startswith("Value is not a Reference Path")
    assert found[0][2] == "/States/A/ResultPath"


def test_a_path_without_dollar_is_reported_with_aws_reason():
    state = {"Type": "Choice", "Choices": [{"Variable": "x", "IsNull": True, "Next": "B"}]}
    assert ("SCHEMA_VALIDATION_FAILED",
            "Value is not a Reference Path: Reference path didn't start with '$'",
            "/States/A/Choices/0/Variable") in errors(machine({"A": state, "B": PASS_END}))


def test_null_input_path_discards_the_input_and_is_valid():
    assert validate(machine({"A": {"Type": "Pass", "InputPath": None, "ResultPath": None,
                                   "OutputPath": None, "End": True}})) == []


def test_a_path_without_dollar_suffix_is_only_a_warning():
    [diagnostic] = validate(machine({"A": {"Type": "Pass", "Parameters": {"x": "$.a"},
                                           "End": True}}))
    assert (diagnostic.code, diagnostic.severity) == ("NO_DOLLAR", "WARNING")
    assert is_valid([diagnostic])


# --- Choice ------------------------------------------------------------------------------------

def _choice(rule):
    return machine({"A": {"Type": "Choice", "Choices": [rule]}, "B": PASS_END})


def test_a_choice_rule_needs_exactly_one_operator():
    found = errors(_choice({"Variable": "$.x", "IsNull": True, "IsString": True, "Next": "B"}))
    assert [loc for _, _, loc in found] == ["/States/A/Choices/0"]
    assert found[0][1].startswith("There should only be one of the following fields")


def test_nested_rules_carry_no_next():
    rule = {"And": [{"Variable": "$.x", "IsNull": True, "Next": "B"}], "Next": "B"}
    assert errors(_choice(rule)) == [("SCHEMA_VALIDATION_FAILED", "Field 'Next' is not supported",
                                      "/States/A/Choices/0/And/0")]


def test_and_needs_a_non_empty_list():
    assert errors(_choice({"And": [], "Next": "B"})) == [
        ("SCHEMA_VALIDATION_FAILED", "Value cannot be empty", "/States/A/Choices/0/And")]


def test_operator_values_are_typed():
    assert errors(_choice({"Variable": "$.x", "NumericEquals": "1", "Next": "B"})) == [
        ("SCHEMA_VALIDATION_FAILED", "Expected value of type Number",
         "/States/A/Choices/0/NumericEquals")]


def test_not_and_or_compose():
    rule = {"Not": {"Or": [{"Variable": "$.x", "StringEquals": "a"},
                           {"Variable": "$.x", "TimestampLessThan": "2020-01-01T00:00:00Z"}]},
            "Next": "B"}
    assert validate(_choice(rule)) == []


def test_jsonata_choice_rules_use_condition():
    state = {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.x > 1 %}",
                                            "Next": "B"}]}
    assert validate(machine({"A": state, "B": PASS_END}, QueryLanguage="JSONata")) == []


# --- Wait --------------------------------------------------------------------------------------

def test_wait_takes_exactly_one_duration():
    found = errors(machine({"A": {"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s",
                                  "End": True}}))
    assert ("SCHEMA_VALIDATION_FAILED", "There should only be one of the following fields: "
            "[SecondsPath, Seconds, TimestampPath, Timestamp]", "/States/A") in found


@pytest.mark.parametrize("timestamp", ["2016-03-14T01:59:00Z", "2016-03-14T01:59:00.123456789Z",
                                       "2016-03-14T01:59:00+02:00"])
def test_rfc3339_timestamps_are_accepted(timestamp):
    assert validate(machine({"A": {"Type": "Wait", "Timestamp": timestamp, "End": True}})) == []


def test_jsonata_wait_may_compute_the_timestamp():
    state = {"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": True}
    assert validate(machine({"A": state}, QueryLanguage="JSONata")) == []


# --- JSONata -----------------------------------------------------------------------------------

def test_a_jsonata_expression_that_does_not_parse_is_reported_at_its_field():
    state = {"Type": "Pass", "Output": {"v": "{% 1 + %}"}, "End": True}
    assert errors(machine({"A": state}, QueryLanguage="JSONata")) == [
        ("INVALID_JSONATA_EXPRESSION", "Unexpected end of expression", "/States/A/Output/v")]


def test_a_bare_top_level_reference_is_unsupported():
    state = {"Type": "Pass", "Output": {"v": "{% phone %}"}, "End": True}
    assert errors(machine({"A": state}, QueryLanguage="JSONata")) == [
        ("UNSUPPORTED_JSONATA_EXPRESSION", "Reference to 'phone' at the top level is not "
         "supported.", "/States/A/Output/v")]


def test_names_inside_predicates_and_lambdas_are_not_top_level():
    expr = "{% $map($states.input.items[price > 5], function($i) { $i.name }) %}"
    state = {"Type": "Pass", "Output": expr, "End": True}
    assert validate(machine({"A": state}, QueryLanguage="JSONata")) == []


# --- Task resources and Express ----------------------------------------------------------------

@pytest.mark.parametrize("resource", [
    "arn:aws:states:::lambda:invoke", "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "arn:aws:lambda:us-east-1:123456789012:function:f", "arn:aws:states:::aws-sdk:s3:getObject",
    "arn:aws:states:::states:startExecution.sync:2", "${MyFunctionArn}",
    "arn:aws:states:us-east-1:123456789012:activity:act"])
def test_resources_aws_recognises(resource):
    assert errors(machine({"A": {"Type": "Task", "Resource": resource, "End": True}})) == []


@pytest.mark.parametrize("resource", ["arn:aws:states:::dynamodb:query",
                                      "arn:aws:states:::lambda:invoke.sync", "my-function"])
def test_resources_aws_does_not_recognise(resource):
    [(_, message, location)] = errors(machine({"A": {"Type": "Task", "Resource": resource,
                                                     "End": True}}))
    assert message.startswith(f"The resource provided {resource} is not recognized.")
    assert location == "/States/A/Resource"


def test_express_refuses_callbacks_inside_nested_machines_too():
    task = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "End": True}
    branch = {"StartAt": "T", "States": {"T": task}}
    definition = machine({"P": {"Type": "Parallel", "Branches": [branch], "End": True}},
                         start="P")
    assert errors(definition) == []
    assert [loc for _, _, loc in errors(definition, state_machine_type="EXPRESS")] == [
        "/States/P/Branches/0/States/T/Resource"]


def test_express_distributed_children_follow_express_rules():
    task = {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
            "End": True}
    processor = {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                 "StartAt": "T", "States": {"T": task}}
    definition = machine({"M": {"Type": "Map", "ItemProcessor": processor, "End": True}},
                         start="M")
    assert errors(definition) == [
        ("SCHEMA_VALIDATION_FAILED", "Express state machine does not support '.sync' service "
         "integration", "/States/M/ItemProcessor/States/T/Resource")]


# --- variables ---------------------------------------------------------------------------------

def test_assigning_states_is_reserved():
    state = {"Type": "Pass", "Assign": {"states": 1, "ok_name": 2, "bad-name": 3}, "End": True}
    assert errors(machine({"A": state})) == [
        ("RESERVED_VARIABLE_NAME", "Cannot assign to reserved variable '$states'.",
         "/States/A/Assign/states"),
        ("INVALID_VARIABLE_NAME", "Invalid variable name 'bad-name': the variable name contains "
         "invalid characters.", "/States/A/Assign/bad-name")]


# --- robustness --------------------------------------------------------------------------------

@pytest.mark.parametrize("definition", [
    {"StartAt": 1, "States": []}, {"StartAt": "A", "States": {"A": 5}},
    {"StartAt": "A", "States": {"A": {"Type": "Map", "ItemProcessor": "x", "End": True}}},
    {"StartAt": "A", "States": {"A": {"Type": "Parallel", "Branches": [1], "End": True}}},
    {"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"And": 3, "Next": 1}]}}},
])
def test_wrongly_typed_definitions_get_diagnostics_not_exceptions(definition):
    found = validate(definition)
    assert found and not any(d.code == "INTERNAL_VALIDATOR_ERROR" for d in found)


# --- Map and Parallel ----------------------------------------------------------------------------

def _map(**fields):
    processor = fields.pop("processor", {"StartAt": "I", "States": {"I": PASS_END}})
    return machine({"M": {"Type": "Map", "ItemProcessor": processor, "End": True, **fields}},
                   start="M")


def test_a_map_needs_an_item_processor():
    found = errors(machine({"M": {"Type": "Map", "End": True}}, start="M"))
    assert found == [("SCHEMA_VALIDATION_FAILED", "This object should have only one of the "
                      "following fields: [ItemProcessor, Iterator]", "/States/M")]


def test_the_legacy_iterator_is_still_accepted():
    state = {"Type": "Map", "Iterator": {"StartAt": "I", "States": {"I": PASS_END}},
             "End": True}
    assert validate(machine({"M": state}, start="M")) == []


@pytest.mark.parametrize("field, value, message", [
    ("MaxConcurrency", -1, "Minimum value is 0"),
    ("ToleratedFailureCount", -1, "Minimum value is 0"),
    ("ToleratedFailurePercentage", 101, "Maximum value is 100.0"),
])
def test_map_numbers_have_aws_bounds(field, value, message):
    assert errors(_map(**{field: value})) == [("SCHEMA_VALIDATION_FAILED", message,
                                               f"/States/M/{field}")]


def test_a_literal_and_its_path_form_exclude_each_other():
    assert errors(_map(MaxConcurrency=1, MaxConcurrencyPath="$.n")) == [
        ("SCHEMA_VALIDATION_FAILED", "There should only be one of the following fields: "
         "[MaxConcurrency, MaxConcurrencyPath]", "/States/M")]


def test_distributed_mode_needs_an_execution_type():
    processor = {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "I",
                 "States": {"I": PASS_END}}
    assert errors(_map(processor=processor)) == [
        ("SCHEMA_VALIDATION_FAILED", "These fields are required: [ExecutionType]",
         "/States/M/ItemProcessor/ProcessorConfig")]


def test_express_machines_cannot_run_distributed_maps():
    processor = {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                 "StartAt": "I", "States": {"I": PASS_END}}
    assert errors(_map(processor=processor), state_machine_type="EXPRESS") == [
        ("SCHEMA_VALIDATION_FAILED", "The field 'Mode' with value 'DISTRIBUTED' is not "
         "supported inside 'EXPRESS' state machines",
         "/States/M/ItemProcessor/ProcessorConfig/Mode")]


def test_map_labels_are_unique_across_the_machine():
    inner = {"Type": "Map", "Label": "L", "End": True,
             "ItemProcessor": {"StartAt": "I", "States": {"I": PASS_END}}}
    outer = {"Type": "Map", "Label": "L", "End": True,
             "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": inner}}}
    assert errors(machine({"M": outer}, start="M")) == [
        ("DUPLICATE_LABEL_NAME", "Duplicate Label name: L",
         "/States/M/ItemProcessor/States/Inner/Label")]


def test_a_parallel_needs_branches():
    found = errors(machine({"P": {"Type": "Parallel", "Branches": [], "End": True}}, start="P"))
    assert found == [("SCHEMA_VALIDATION_FAILED", "Value cannot be empty", "/States/P/Branches")]


def test_a_branch_needs_its_own_start_and_states():
    found = errors(machine({"P": {"Type": "Parallel", "Branches": [{}], "End": True}},
                           start="P"))
    assert found == [("SCHEMA_VALIDATION_FAILED", "These fields are required: [States, StartAt]",
                      "/States/P/Branches/0")]


# --- Fail, Task details, top level ---------------------------------------------------------------

def test_fail_paths_may_be_intrinsics():
    state = {"Type": "Fail", "ErrorPath": "$.e",
             "CausePath": "States.Format('bad: {}', $.c)"}
    assert validate(machine({"A": state})) == []


def test_fail_takes_error_or_error_path_not_both():
    found = errors(machine({"A": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}}))
    assert found == [("SCHEMA_VALIDATION_FAILED", "There should only be one of the following "
                      "fields: [Error, ErrorPath]", "/States/A")]


def test_heartbeat_must_be_shorter_than_the_timeout():
    found = errors(_task(TimeoutSeconds=10, HeartbeatSeconds=10))
    assert [loc for _, _, loc in found] == ["/States/A/HeartbeatSeconds"]


def test_task_credentials_need_a_role():
    found = errors(_task(Credentials={"Role": "x"}))
    assert ("SCHEMA_VALIDATION_FAILED", "The field 'RoleArn' is required but was missing",
            "/States/A/Credentials") in found


def test_only_version_1_0_exists():
    assert errors(machine({"A": PASS_END}, Version="2.0")) == [
        ("SCHEMA_VALIDATION_FAILED", "Value should be one of the following: [1.0]", "/Version")]


def test_a_state_name_longer_than_80_characters_is_refused():
    name = "S" * 81
    assert errors(machine({name: PASS_END}, start=name)) == [
        ("INVALID_STATE_NAME", f"State name '{name}' exceeds the 80-character limit allowed by "
         "the service", f"/States/{name}")]


def test_locations_escape_slashes_in_state_names_and_keep_the_raw_path():
    [diagnostic] = validate(machine({"a/b": {"Type": "Pass"}}, start="a/b"))[:1]
    assert diagnostic.location == "/States/a~1b"
    assert diagnostic.extra["path"] == ["States", "a/b"]


def test_a_path_in_a_pass_result_is_only_a_warning():
    [diagnostic] = validate(machine({"A": {"Type": "Pass", "Result": {"x.$": "$.a"},
                                           "End": True}}))
    assert (diagnostic.code, diagnostic.severity, diagnostic.location) == (
        "PASS_RESULT_IS_STATIC", "WARNING", "/States/A/Result")


def test_an_empty_states_object_also_leaves_start_at_dangling():
    assert errors(machine({})) == [
        ("SCHEMA_VALIDATION_FAILED", "Value cannot be empty", "/States"),
        ("MISSING_TRANSITION_TARGET", "Missing 'Next' target: A", "/StartAt")]


def test_an_item_reader_needs_a_resource_and_known_fields():
    found = errors(_map(ItemReader={"Format": "csv"}))
    assert found == [("SCHEMA_VALIDATION_FAILED", "Field 'Format' is not supported",
                      "/States/M/ItemReader"),
                     ("SCHEMA_VALIDATION_FAILED", "These fields are required: [Resource]",
                      "/States/M/ItemReader")]


def test_item_batcher_path_fields_belong_to_jsonpath():
    state = {"Type": "Map", "End": True, "ItemBatcher": {"MaxItemsPerBatchPath": "$.n"},
             "ItemProcessor": {"StartAt": "I", "States": {"I": PASS_END}}}
    assert errors(machine({"M": state}, start="M", QueryLanguage="JSONata")) == [
        ("SCHEMA_VALIDATION_FAILED", "The QueryLanguage is set to 'JSONata', but field "
         "'MaxItemsPerBatchPath' is only supported for the 'JSONPath' QueryLanguage",
         "/States/M/ItemBatcher")]


def test_state_names_are_unique_across_nested_machines():
    branch = {"StartAt": "A", "States": {"A": PASS_END}}
    definition = machine({"A": {"Type": "Parallel", "Branches": [branch], "End": True}})
    assert errors(definition) == [("DUPLICATE_STATE_NAME", "Duplicate State name: A",
                                   "/States/A/Branches/0/States/A")]


@pytest.mark.parametrize("result_path", ["$$.Execution", "$var.x", "$var"])
def test_result_path_writes_only_into_the_state_data(result_path):
    [(_, message, location)] = errors(machine({"A": {"Type": "Pass", "ResultPath": result_path,
                                                     "End": True}}))
    assert message.startswith("Value is not a Reference Path")
    assert location == "/States/A/ResultPath"


def test_only_items_path_reads_the_context_object_in_a_map():
    assert errors(_map(ItemsPath="$$.Execution.Input.items")) == []
    assert [loc for _, _, loc in errors(_map(MaxConcurrencyPath="$$.Execution.Input.n"))] == [
        "/States/M/MaxConcurrencyPath"]
    assert errors(_map(MaxConcurrencyPath="$limit")) == []


def test_diagnostics_carry_the_aws_rendering_of_their_location():
    rule = {"Variable": "$.x", "IsNull": True, "Next": "Gone"}
    [diagnostic] = validate(_choice(rule))[:1]
    assert diagnostic.location == "/States/A/Choices/0/Next"
    assert diagnostic.extra["aws_location"] == "/States/A/Choices[0]/Next"
    assert diagnostic.extra["path"] == ["States", "A", "Choices", 0, "Next"]


# --- JSONata positions ---------------------------------------------------------------------------

def _jsonata(states, start="A"):
    return machine(states, start=start, QueryLanguage="JSONata")


def test_jsonata_assign_expressions_are_parsed():
    state = {"Type": "Pass", "Assign": {"x": "{% $states.input.( %}"}, "End": True}
    [(code, _, location)] = errors(_jsonata({"A": state}))
    assert (code, location) == ("INVALID_JSONATA_EXPRESSION", "/States/A/Assign/x")


def test_catcher_fields_follow_the_state_language():
    catch = [{"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": "$.e"}]
    state = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": catch,
             "End": True}
    assert errors(_jsonata({"A": state, "F": {"Type": "Fail"}})) == [
        ("SCHEMA_VALIDATION_FAILED", "The QueryLanguage is set to 'JSONata', but field "
         "'ResultPath' is only supported for the 'JSONPath' QueryLanguage",
         "/States/A/Catch/0")]


def test_a_jsonata_catcher_output_is_parsed():
    catch = [{"ErrorEquals": ["States.ALL"], "Next": "F",
              "Output": "{% $states.errorOutput %}"}]
    state = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": catch,
             "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"}, "End": True}
    assert validate(_jsonata({"A": state, "F": {"Type": "Fail"}})) == []


def test_jsonata_map_items_are_an_array_or_an_expression():
    processor = {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}}
    for items, expected in (([1, 2], []), ("{% $states.input.xs %}", []),
                            ({"a": 1}, [("SCHEMA_VALIDATION_FAILED",
                                         "Expected value of type Array", "/States/M/Items")])):
        state = {"Type": "Map", "Items": items, "ItemProcessor": processor, "End": True}
        assert errors(_jsonata({"M": state}, start="M")) == expected


def test_a_jsonata_condition_is_a_boolean_or_an_expression():
    state = {"Type": "Choice", "Choices": [{"Condition": "yes", "Next": "B"}]}
    assert errors(_jsonata({"A": state, "B": {"Type": "Succeed"}})) == [
        ("SCHEMA_VALIDATION_FAILED", "Expected value of type Boolean",
         "/States/A/Choices/0/Condition")]


def test_jsonpath_choice_rules_are_refused_in_jsonata():
    state = {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": True, "Next": "B"}]}
    found = errors(_jsonata({"A": state, "B": {"Type": "Succeed"}}))
    assert ("SCHEMA_VALIDATION_FAILED", "These fields are required: [Condition]",
            "/States/A/Choices/0") in found
    assert ("SCHEMA_VALIDATION_FAILED", "The QueryLanguage is set to 'JSONata', but field "
            "'Variable' is only supported for the 'JSONPath' QueryLanguage",
            "/States/A/Choices/0") in found


def test_absurd_nesting_is_a_diagnostic_not_a_crash():
    # Deeper than any recursion limit in force (jsonata-python raises it to 10,000).
    deep = {}
    for _ in range(sys.getrecursionlimit() + 100):
        deep = {"x": deep}
    definition = machine({"A": {"Type": "Pass", "Parameters": deep, "End": True}})
    assert [d.code for d in validate(definition)] == ["TOO_DEEPLY_NESTED"]
    text = "[" * (sys.getrecursionlimit() + 100)
    assert [d.code for d in validate(text)] == ["INVALID_JSON_DESCRIPTION"]


def test_the_package_level_validate_keeps_working_after_the_submodule_is_imported():
    import engine.asl
    import engine.asl.validate  # noqa: F401 - rebinds engine.asl.validate to the module

    definition = machine({"A": PASS_END})
    assert engine.asl.validate(definition) == []
    assert engine.asl.validate(definition, "EXPRESS") == []
    from engine.asl import validate as package_validate
    assert package_validate(machine({"A": {"Type": "Pass"}}))


def test_end_false_is_not_an_end():
    assert validate(machine({"A": {"Type": "Pass", "Next": "B", "End": False},
                             "B": PASS_END})) == []
    assert ("SCHEMA_VALIDATION_FAILED", "This object should have only one of the following "
            "fields: [Next, End]", "/States/A") in errors(
        machine({"A": {"Type": "Pass", "End": False}, "B": PASS_END}))


def test_activities_take_no_credentials():
    state = {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:a",
             "Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/r"}, "End": True}
    assert errors(machine({"A": state})) == [
        ("SCHEMA_VALIDATION_FAILED", "The field 'Credentials' is not supported for activities",
         "/States/A/Credentials")]


# --- integration requests ------------------------------------------------------------------------

def _warnings(definition):
    return [(d.code, d.message, d.location) for d in validate(definition)
            if d.severity == "WARNING"]


def test_an_integration_without_its_request_is_flagged():
    state = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True}
    assert _warnings(machine({"A": state})) == [
        ("SCHEMA_VALIDATION_FAILED", "Parameters field is required for resource ARN: "
         "arn:aws:states:::sqs:sendMessage", "/States/A")]
    jsonata = machine({"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                             "End": True}}, QueryLanguage="JSONata")
    assert [m for _, m, _ in _warnings(jsonata)] == [
        "Arguments field is required for resource ARN: arn:aws:states:::lambda:invoke"]


def test_an_integration_request_needs_the_apis_required_fields():
    state = {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
             "Parameters": {"TableName.$": "$.t"}, "End": True}
    assert _warnings(machine({"A": state})) == [
        ("SCHEMA_VALIDATION_FAILED", "The field 'Item' is required but was missing",
         "/States/A/Parameters")]


def test_legacy_lambda_arns_and_expression_requests_need_nothing_more():
    legacy = {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
              "End": True}
    computed = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": "{% $states.input %}", "End": True}
    assert validate(machine({"A": legacy})) == []
    assert validate(machine({"A": computed}, QueryLanguage="JSONata")) == []


@pytest.mark.parametrize("text, start", [
    ('{"StartAt": }', "Unexpected character ('}' (code 125)): expected a value"),
    ("{'StartAt': 1}", "Unexpected character (''' (code 39)): was expecting double-quote"),
    ('{"a": 1} x', "Unrecognized token 'x'"),
])
def test_json_syntax_errors_are_worded_like_jackson(text, start):
    [(code, message, _)] = errors(text)
    assert code == "INVALID_JSON_DESCRIPTION" and message.startswith(start)
    assert "[Source: (String)" in message


def test_a_resource_served_by_a_registered_task_handler_is_recognised():
    from engine.asl import handlers

    state = {"Type": "Task", "Resource": "arn:aws:states:::billing:charge",
             "Parameters": {}, "End": True}
    assert [m[:40] for _, m, _ in errors(machine({"A": state}))] == [
        "The resource provided arn:aws:states:::b"]
    handlers.task_handler("billing:charge")(lambda payload: payload)
    try:
        assert errors(machine({"A": state})) == []
    finally:
        handlers.unregister("billing:charge")
