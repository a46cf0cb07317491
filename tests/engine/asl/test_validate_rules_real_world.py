"""Validator rules the AWS-recorded corpus did not cover, as deployed definitions meet them:
literal/Path alternatives in Distributed Map parts, `x` beside `x.$`, JSONata delimiters that
do not enclose their string, Lambda ARN qualifiers, integration ARNs with region and account."""
import pytest

from engine.asl import validate


def errors(definition):
    return [(d.code, d.location, d.message) for d in validate(definition) if d.severity == "ERROR"]


def distributed_map(**parts):
    return {"StartAt": "M", "States": {"M": {
        "Type": "Map", "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
        "End": True, **parts}}}


@pytest.mark.parametrize("part, fields, where", [
    ("ItemBatcher", {"MaxItemsPerBatch": 2, "MaxItemsPerBatchPath": "$.n"}, "/States/M/ItemBatcher"),
    ("ItemBatcher", {"MaxInputBytesPerBatch": 1024, "MaxInputBytesPerBatchPath": "$.b"},
     "/States/M/ItemBatcher"),
])
def test_a_batch_number_and_its_path_exclude_each_other(part, fields, where):
    found = errors(distributed_map(**{part: fields}))
    assert [(c, loc) for c, loc, _ in found] == [("SCHEMA_VALIDATION_FAILED", where)]
    assert "There should only be one of the following fields" in found[0][2]
    one = dict(list(fields.items())[:1])
    assert errors(distributed_map(**{part: one})) == []


def test_reader_max_items_and_its_path_exclude_each_other():
    reader = {"Resource": "arn:aws:states:::s3:getObject",
              "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW",
                               "MaxItems": 1, "MaxItemsPath": "$.foo"},
              "Parameters": {"Bucket": "b", "Key": "k.csv"}}
    found = errors(distributed_map(ItemReader=reader))
    assert [(c, loc) for c, loc, _ in found] == [
        ("SCHEMA_VALIDATION_FAILED", "/States/M/ItemReader/ReaderConfig")]
    del reader["ReaderConfig"]["MaxItemsPath"]
    assert errors(distributed_map(ItemReader=reader)) == []


def test_a_field_given_with_and_without_dollar_suffix_is_refused_at_any_depth():
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
        "msg": {"blocks": [{"type": "section", "type.$": "$.kind"}]},
        "ok": 1, "ok2.$": "$.x"}, "End": True}}}
    assert [(c, loc) for c, loc, _ in errors(definition)] == [
        ("SCHEMA_VALIDATION_FAILED", "/States/P/Parameters/msg/blocks/0/type.$")]


@pytest.mark.parametrize("text, refused", [
    ("{% 10 %", True),
    ("10 %}", True),
    ("{% 10 %}", False),
    ("{%10%}", False),
    (" {% $states.input %} ", False),   # AWS ran it as the literal text (corpus)
    ("Total: {% 1 %} items", False),
])
def test_jsonata_delimiters_must_enclose_the_whole_string_or_be_text(text, refused):
    definition = {"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Pass", "Output": {"v": text}, "End": True}}}
    found = errors(definition)
    assert bool(found) is refused
    if refused:
        assert found[0][:2] == ("INVALID_JSONATA_EXPRESSION", "/States/P/Output/v")


@pytest.mark.parametrize("resource, ok", [
    ("arn:aws:lambda:us-east-1:123456789012:function:Fn", True),
    ("arn:aws:lambda:us-east-1:123456789012:function:Fn:$LATEST", True),
    ("arn:aws:lambda:us-east-1:123456789012:function:Fn:7", True),
    ("arn:aws:lambda:us-east-1:123456789012:function:Fn:live-Alias_2", True),
    ("arn:aws:lambda:::function:publish-to-slack", True),
    ("arn:aws:lambda:us-east-1:123456789012:function:Fn:", False),
    ("arn:aws:lambda:us-east-1:123456789012:function:Fn:$*#$7485", False),
    ("arn:aws:lambda:us-east-1:123456789012:function:Fn:1:2", False),
])
def test_lambda_arn_qualifiers(resource, ok):
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource,
                                                   "End": True}}}
    assert (errors(definition) == []) is ok


@pytest.mark.parametrize("resource", [
    "arn:aws:states:us-east-1:123456789012:aws-sdk:s3:getObject",
    "arn:aws:states:us-east-1:123456789012:athena:startQueryExecution.sync",
    "arn:aws-us-gov:states:us-gov-west-1:123456789012:lambda:invoke.waitForTaskToken",
])
def test_integration_arns_with_region_and_account_are_accepted(resource):
    params = {"Bucket": "b", "Key": "k", "QueryString": "SELECT 1", "FunctionName": "f",
              "Payload": {"token.$": "$$.Task.Token"}}
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource,
                                                   "Parameters": params, "End": True}}}
    assert errors(definition) == []


def test_an_unknown_integration_with_region_and_account_is_still_refused():
    definition = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:dynamodb:query",
        "Parameters": {}, "End": True}}}
    assert [c for c, _, m in errors(definition)] == ["SCHEMA_VALIDATION_FAILED"]
