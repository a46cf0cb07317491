"""The conformance corpus's service-integration cases a second time: real calls to moto's
server instead of their mocks, compared with what AWS recorded.

Each case's resources (tables, queues, topics, buckets and objects) are made in moto first
and the recording's placeholder names in the input are replaced by theirs. Compared: the
status; for a success the output, less response metadata (`SdkHttpMetadata`,
`SdkResponseMetadata`), recorded placeholders (`<uuid:1>`, `date`, …) and caught errors'
causes (message texts are the service's: moto's differ from AWS's); for a failure the error
name. `MOTO_CANNOT` lists the service cases left out, each with the reason: moto does not
behave as AWS there (nothing in StepStudio is special-cased).
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from engine.asl import run_state_machine

CORPUS = Path("/work/wt/shared/asl-conformance/cases")
if not CORPUS.exists():
    CORPUS = Path(__file__).resolve().parents[4] / "shared" / "asl-conformance" / "cases"

METADATA = {"SdkHttpMetadata", "SdkResponseMetadata"}
# Output members moto does not answer (AWS's newer S3 checksum fields).
MOTO_OMITS = {"ChecksumType"}
PLACEHOLDER = re.compile(r"<[^<>]+>|^date$")
SERVICES = ("aws-sdk:", ":::sqs:", ":::sns:", ":::dynamodb:", ":::events:", ":::s3:")

# Service cases not run against moto, and why.
MOTO_CANNOT = {
    "errors__invalid_secret_name": "moto accepts a secret name with a space (AWS refuses it)",
    "errors__put_item_invalid_table_name": "moto does not check the table-name pattern",
    "task__put_events_malformed_detail": "moto does not validate an event's Detail",
    "task__put_events_mixed_malformed_detail": "moto does not validate an event's Detail",
    "task__put_events_no_source": "moto accepts an entry without Source",
    "task__fifo_message_attribute_input_params0_true": "moto publishes to a FIFO topic without MessageGroupId",
    "task__fifo_message_attribute_input_params1_false": "moto's FIFO publish answers no SequenceNumber",
    "task__sfn_send_task_outcome_with_no_such_token_state_machine_template0":
        "moto's SendTaskSuccess accepts an unknown token",
    "task__sfn_send_task_outcome_with_no_such_token_state_machine_template1":
        "moto's SendTaskFailure accepts an unknown token",
    "task__sfn_start_execution": "the target state machine lives in AWS's account of the recording",
    "task__sfn_start_execution_implicit_json_serialisation": "as above",
    "scenario__invalid_jsonpath_st_invalid_jsonpath_in_heartbeatsecondspath": "fails before any call",
    "scenario__invalid_jsonpath_st_invalid_jsonpath_in_timeoutsecondspath": "fails before any call",
}


def _cases():
    found = []
    for path in sorted(CORPUS.glob("*.json")):
        case = json.loads(path.read_text())
        text = json.dumps(case["definition"])
        if not any(s in text for s in SERVICES) or case["id"] in MOTO_CANNOT:
            continue
        if ".waitForTaskToken" in text:
            continue  # the recorded result is a worker's callback: nobody answers it here
        found.append(case)
    return found


CASES = _cases()


def _table(aws, name):
    aws.client("dynamodb").create_table(
        TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST")


def prepare(aws, case) -> dict:
    """Make what the case's input names; placeholder → real value for its input."""
    data = case["input"] if isinstance(case["input"], dict) else {}
    text = json.dumps(case["input"])
    subs = {}
    if "TableName" in data and isinstance(data["TableName"], str):
        real = data["TableName"].strip("<>")
        if not data["TableName"].startswith("/"):
            if case["id"] not in ("errors__dynamodb_put_item_no_such_table",
                                  "errors__put_item_no_such_table"):
                _table(aws, real)
        subs[data["TableName"]] = real
    if "QueueUrl" in data and isinstance(data["QueueUrl"], str):
        fifo = "fifo" in case["id"]
        name = "conformance-queue" + (".fifo" if fifo else "")
        subs[data["QueueUrl"]] = aws.client("sqs").create_queue(QueueName=name)["QueueUrl"]
    if "TopicArn" in data and "error_topic_arn" in case["id"]:
        subs[data["TopicArn"]] = "arn:aws:sns:us-east-1:123456789012:no-such-topic"
    elif "TopicArn" in data and isinstance(data["TopicArn"], str):
        fifo = "fifo" in case["id"]
        attrs = {"FifoTopic": "true"} if fifo else {}
        name = "conformance-topic" + (".fifo" if fifo else "")
        subs[data["TopicArn"]] = aws.client("sns").create_topic(Name=name, Attributes=attrs)["TopicArn"]
    if "Bucket" in data and isinstance(data["Bucket"], str) and "Nonexistent" not in data["Bucket"]:
        s3 = aws.client("s3")
        s3.create_bucket(Bucket=data["Bucket"])
        s3.put_bucket_encryption(Bucket=data["Bucket"], ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
        if "s3_get_object" in case["id"]:
            body = {"binary": "binary data", "bytearray": "byte array data", "str": "text data"}
            kind = "empty" if "_empty_" in case["id"] else case["id"].rsplit("_", 1)[-1]
            s3.put_object(Bucket=data["Bucket"], Key=data["Key"], Body=body.get(kind, "").encode())
    for old, new in subs.items():
        text = text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1])
    return json.loads(text), subs


def comparable(expected, actual, subs, path="$"):
    """Expected leaves that are not placeholders, metadata or caught causes equal actual's."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r} is not an object"
        for key, value in expected.items():
            if key in METADATA or key in MOTO_OMITS or (key == "Cause" and "Error" in expected):
                continue
            assert key in actual, f"{path}.{key} missing from {sorted(actual)}"
            comparable(value, actual[key], subs, f"{path}.{key}")
        return
    if isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            comparable(e, a, subs, f"{path}[{i}]")
        return
    if isinstance(expected, str) and PLACEHOLDER.search(expected):
        if expected in subs:
            assert actual == subs[expected], path
        return
    assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def test_the_corpus_has_service_cases_to_run():
    assert len(CASES) >= 30, [c["id"] for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_real_calls_give_what_aws_recorded(aws, invoker, case):
    data, subs = prepare(aws, case)
    result = run_state_machine(copy.deepcopy(case["definition"]), data, fallback_invoker=invoker)
    expected = case["expected"]
    assert result.status == expected["status"], (result.error, result.cause)
    if expected["status"] == "SUCCEEDED":
        comparable(expected["output"], result.output, subs)
    elif expected.get("error") is not None:
        assert result.error == expected["error"], result.cause
