"""Task states calling real services (moto's server) through boto3: request and response
shapes, AWS's error names, Retry/Catch on them, precedence, the allow-list, and nothing
called while the integrations are off."""
from __future__ import annotations

import json

import pytest

from engine.asl import run_state_machine
from engine.asl.handlers import task_handler, unregister
from engine.asl.integrations import AwsInvoker, AwsSettings

METADATA = ("SdkHttpMetadata", "SdkResponseMetadata")


def task(resource, parameters, **fields):
    return {"Type": "Task", "Resource": resource, "Parameters": parameters, **fields}


def machine(*states, **named):
    """A chain of (name, state) in order, the last one ending the machine."""
    states = list(states) + list(named.items())
    out = {}
    for i, (name, state) in enumerate(states):
        state = dict(state)
        if i + 1 < len(states):
            state["Next"] = states[i + 1][0]
        else:
            state["End"] = True
        out[name] = state
    return {"StartAt": states[0][0], "States": out}


def run(definition, data, invoker, **kw):
    return run_state_machine(definition, data, fallback_invoker=invoker, **kw)


def succeeded(result):
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    return result.output


def test_sqs_send_message_serialises_the_body_and_returns_the_optimized_shape(aws, invoker):
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    out = succeeded(run(machine(("Send", task("arn:aws:states:::sqs:sendMessage", {
        "QueueUrl.$": "$.url", "MessageBody": {"order.$": "$.order"},
        "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "new"}}}))),
        {"url": url, "order": 7}, invoker))
    message = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"][0]
    # AWS sends a JSON MessageBody as its JSON text.
    assert json.loads(message["Body"]) == {"order": 7}
    assert message["MessageAttributes"]["kind"]["StringValue"] == "new"
    assert out["MessageId"] == message["MessageId"] and len(out["MD5OfMessageBody"]) == 32
    assert out["SdkHttpMetadata"]["HttpStatusCode"] == 200 and out["SdkResponseMetadata"]["RequestId"]


def test_sqs_to_a_missing_queue_is_named_as_aws_names_it_and_can_be_caught(aws, invoker):
    url = aws.client("sqs").create_queue(QueueName="gone")["QueueUrl"]
    aws.client("sqs").delete_queue(QueueUrl=url)
    result = run(machine(("Send", task("arn:aws:states:::sqs:sendMessage",
                                       {"QueueUrl": url, "MessageBody": "x"},
                                       Catch=[{"ErrorEquals": ["SQS.QueueDoesNotExistException"],
                                               "ResultPath": "$.err", "Next": "Caught"}])),
                         ("Caught", {"Type": "Pass"})), {}, invoker)
    out = succeeded(result)
    assert out["err"]["Error"] == "SQS.QueueDoesNotExistException"
    assert "(Service: AmazonSQS; Status Code: 400; Error Code:" in out["err"]["Cause"]


def test_sns_publish_serialises_the_message_and_a_missing_topic_is_not_found(aws, invoker):
    sns, sqs = aws.client("sns"), aws.client("sqs")
    topic = sns.create_topic(Name="news")["TopicArn"]
    url = sqs.create_queue(QueueName="news-reader")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn,
                  Attributes={"RawMessageDelivery": "true"})
    out = succeeded(run(machine(("Publish", task("arn:aws:states:::sns:publish", {
        "TopicArn.$": "$.topic", "Message": {"hello.$": "$.who"}}))),
        {"topic": topic, "who": "Ada"}, invoker))
    assert out["MessageId"] and set(METADATA) <= set(out)
    body = aws.client("sqs").receive_message(QueueUrl=url)["Messages"][0]["Body"]
    assert json.loads(body) == {"hello": "Ada"}

    missing = run(machine(("Publish", task("arn:aws:states:::sns:publish", {
        "TopicArn": topic.replace("news", "nothing"), "Message": "x"}))), {}, invoker)
    assert (missing.status, missing.error) == ("FAILED", "SNS.NotFoundException")
    assert "(Service: AmazonSNS; Status Code: 404; Error Code: NotFound;" in missing.cause


def _table(aws, name="people"):
    aws.client("dynamodb").create_table(
        TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST")


def test_dynamodb_put_update_get_delete_item(aws, invoker):
    _table(aws)
    key = {"id": {"S": "1"}}
    out = succeeded(run(machine(
        ("Put", task("arn:aws:states:::dynamodb:putItem",
                     {"TableName": "people", "Item": {"id": {"S": "1"}, "name": {"S.$": "$.name"}}},
                     ResultPath="$.put")),
        ("Update", task("arn:aws:states:::dynamodb:updateItem",
                        {"TableName": "people", "Key": key, "UpdateExpression": "SET age = :a",
                         "ExpressionAttributeValues": {":a": {"N": "36"}}, "ReturnValues": "UPDATED_NEW"},
                        ResultPath="$.update")),
        ("Get", task("arn:aws:states:::dynamodb:getItem", {"TableName": "people", "Key": key},
                     ResultPath="$.get")),
        ("Delete", task("arn:aws:states:::dynamodb:deleteItem", {"TableName": "people", "Key": key},
                        ResultPath="$.delete"))), {"name": "Ada"}, invoker))
    assert out["update"]["Attributes"] == {"age": {"N": "36"}}
    assert out["get"]["Item"] == {"id": {"S": "1"}, "name": {"S": "Ada"}, "age": {"N": "36"}}
    for step in ("put", "update", "get", "delete"):
        assert out[step]["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert "Item" not in aws.client("dynamodb").get_item(TableName="people", Key=key)


def test_dynamodb_missing_table_names_per_integration_and_retry_sees_it(aws, invoker):
    item = {"TableName": "nothing-here", "Item": {"id": {"S": "1"}}}
    optimized = run(machine(("Put", task("arn:aws:states:::dynamodb:putItem", item))), {}, invoker)
    assert (optimized.status, optimized.error) == ("FAILED", "DynamoDB.ResourceNotFoundException")
    assert optimized.cause.startswith("Requested resource not found (Service: AmazonDynamoDBv2; "
                                      "Status Code: 400; Error Code: ResourceNotFoundException;")
    sdk = run(machine(("Put", task("arn:aws:states:::aws-sdk:dynamodb:putItem", item, Retry=[
        {"ErrorEquals": ["DynamoDb.ResourceNotFoundException"], "MaxAttempts": 2,
         "IntervalSeconds": 1}]))), {}, invoker)
    assert (sdk.status, sdk.error) == ("FAILED", "DynamoDb.ResourceNotFoundException")
    assert "(Service: DynamoDb, Status Code: 400, Request ID: " in sdk.cause
    # The Retry matched the name: three attempts.
    assert [e["type"] for e in sdk.events].count("TaskFailed") == 3


def test_aws_sdk_s3_put_and_get_object_and_no_such_key(aws, invoker):
    aws.client("s3").create_bucket(Bucket="docs")
    out = succeeded(run(machine(
        ("Put", task("arn:aws:states:::aws-sdk:s3:putObject",
                     {"Bucket": "docs", "Key": "a.json", "Body.$": "$.doc"}, ResultPath="$.put")),
        ("Get", task("arn:aws:states:::aws-sdk:s3:getObject", {"Bucket": "docs", "Key": "a.json"},
                     ResultPath="$.get"))), {"doc": {"Dict": "Value"}}, invoker))
    # A JSON Body is stored as its text; getObject's Body is the object's text.
    assert json.loads(out["get"]["Body"]) == {"Dict": "Value"}
    assert out["get"]["ContentLength"] == len(out["get"]["Body"])
    assert out["put"]["ETag"] == out["get"]["ETag"]
    assert not any(k in out["get"] for k in ("ResponseMetadata",) + METADATA)
    assert out["get"]["LastModified"].endswith("Z")

    missing = run(machine(("Get", task("arn:aws:states:::aws-sdk:s3:getObject",
                                       {"Bucket": "docs", "Key": "nope"}))), {}, invoker)
    assert (missing.status, missing.error) == ("FAILED", "S3.NoSuchKeyException")
    assert missing.cause.startswith("The specified key does not exist. (Service: S3, Status Code: 404")


def test_eventbridge_put_events_serialises_detail(aws, invoker):
    events, sqs = aws.client("events"), aws.client("sqs")
    url = sqs.create_queue(QueueName="bus-target")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="all-orders", EventPattern=json.dumps({"source": ["shop.orders"]}))
    events.put_targets(Rule="all-orders", Targets=[{"Id": "q", "Arn": arn}])
    out = succeeded(run(machine(("Emit", task("arn:aws:states:::events:putEvents", {"Entries": [
        {"Source": "shop.orders", "DetailType": "OrderPlaced", "Detail": {"order.$": "$.order"}}]}))),
        {"order": 9}, invoker))
    assert out["FailedEntryCount"] == 0 and len(out["Entries"]) == 1 and out["Entries"][0]["EventId"]
    delivered = json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"])
    assert delivered["detail"] == {"order": 9} and delivered["detail-type"] == "OrderPlaced"


def test_secrets_manager_through_aws_sdk_and_its_error_names(aws, invoker):
    out = succeeded(run(machine(
        ("Create", task("arn:aws:states:::aws-sdk:secretsmanager:createSecret",
                        {"Name": "db-password", "SecretString.$": "$.secret"}, ResultPath="$.created")),
        ("Read", task("arn:aws:states:::aws-sdk:secretsmanager:getSecretValue",
                      {"SecretId": "db-password"}, ResultSelector={"value.$": "$.SecretString"},
                      ResultPath="$.read"))), {"secret": "s3cr3t"}, invoker))
    assert out["read"] == {"value": "s3cr3t"} and out["created"]["Name"] == "db-password"
    missing = run(machine(("Read", task("arn:aws:states:::aws-sdk:secretsmanager:getSecretValue",
                                        {"SecretId": "nothing"}))), {}, invoker)
    assert (missing.status, missing.error) == ("FAILED", "SecretsManager.ResourceNotFoundException")
    assert "(Service: SecretsManager, Status Code: " in missing.cause


def test_lambda_invoke_of_a_missing_function_is_lambda_resource_not_found(aws, invoker):
    result = run(machine(("Call", task("arn:aws:states:::lambda:invoke",
                                       {"FunctionName": "no-such-function", "Payload": {}}))), {}, invoker)
    assert (result.status, result.error) == ("FAILED", "Lambda.ResourceNotFoundException")
    assert "(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException;" in result.cause


def test_credentials_role_arn_is_assumed_through_sts(aws, invoker):
    role = aws.client("iam").create_role(RoleName="task-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    out = succeeded(run(machine(("Who", task("arn:aws:states:::aws-sdk:sts:getCallerIdentity", {},
                                             Credentials={"RoleArn": role}))), {}, invoker))
    # moto answers for the assumed role's temporary credentials.
    assert ":assumed-role/task-role/StepStudio-Who" in out["Arn"]
    scheduled = [e for e in run(machine(("Who", task("arn:aws:states:::aws-sdk:sts:getCallerIdentity", {},
                                                     Credentials={"RoleArn": role}))), {}, invoker).events
                 if e["type"] == "TaskScheduled"][0]
    assert scheduled["taskScheduledEventDetails"]["taskCredentials"] == {"roleArn": role}


def test_an_unknown_action_or_service_is_a_clear_runtime_error(aws, invoker):
    bad = run(machine(("X", task("arn:aws:states:::aws-sdk:s3:fetchEverything", {}))), {}, invoker)
    assert (bad.status, bad.error) == ("FAILED", "States.Runtime") and "fetchEverything" in bad.cause
    bad = run(machine(("X", task("arn:aws:states:::aws-sdk:nosuchservice:doIt", {}))), {}, invoker)
    assert (bad.status, bad.error) == ("FAILED", "States.Runtime") and "nosuchservice" in bad.cause


# -- precedence, allow-list, off ---------------------------------------------------------------

SEND = machine(("Send", task("arn:aws:states:::sqs:sendMessage",
                             {"QueueUrl.$": "$.url", "MessageBody": "hi"})))


def test_a_mock_then_a_registered_handler_come_before_the_real_call(aws, invoker):
    url = aws.client("sqs").create_queue(QueueName="precedence")["QueueUrl"]
    mocks = {"StateMachines": {"M": {"TestCases": {"T": {"Send": "R"}}}},
             "MockedResponses": {"R": {"0": {"Return": {"mocked": True}}}}}
    assert succeeded(run(SEND, {"url": url}, invoker, mock_config=mocks)) == {"mocked": True}
    task_handler("sqs:sendMessage")(lambda params: {"handled": params["MessageBody"]})
    try:
        assert succeeded(run(SEND, {"url": url}, invoker)) == {"handled": "hi"}
    finally:
        unregister("sqs:sendMessage")
    assert "Messages" not in aws.client("sqs").receive_message(QueueUrl=url)
    assert "MessageId" in succeeded(run(SEND, {"url": url}, invoker))
    assert aws.client("sqs").receive_message(QueueUrl=url)["Messages"][0]["Body"] == "hi"


def test_a_service_outside_the_allow_list_is_refused_without_a_call(listener):
    only_dynamodb = AwsInvoker(AwsSettings(enabled=True, allowed_services=("dynamodb",)))
    result = run(SEND, {"url": f"{listener.url}/123/q"}, only_dynamodb)
    assert (result.status, result.error) == ("FAILED", "States.TaskFailed")
    assert "'sqs' is not in STEPSTUDIO_AWS_ALLOWED_SERVICES (dynamodb)" in result.cause
    assert listener.requests == []
    # The allowed one is called (and fails: the listener answers 500 to everything).
    called = run(machine(("Get", task("arn:aws:states:::dynamodb:getItem",
                                      {"TableName": "t", "Key": {"id": {"S": "1"}}}))), {}, only_dynamodb)
    assert called.status == "FAILED" and listener.requests


@pytest.mark.parametrize("definition", [
    SEND,
    machine(("Get", task("arn:aws:states:::aws-sdk:s3:getObject", {"Bucket": "b", "Key": "k"}))),
    machine(("Call", {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f"})),
])
def test_integrations_off_nothing_is_called_and_the_error_is_todays(listener, definition):
    off = AwsInvoker(AwsSettings(enabled=False))
    result = run(definition, {"url": f"{listener.url}/123/q"}, off)
    assert result.status == "FAILED"
    assert result.error in ("States.TaskFailed", "Lambda.ResourceNotFoundException")
    assert "registered" in result.cause
    assert listener.requests == []


def test_the_django_settings_switch_the_installed_invoker(settings, aws):
    url = aws.client("sqs").create_queue(QueueName="by-settings")["QueueUrl"]
    settings.STEPSTUDIO_AWS_INTEGRATIONS = False
    off = run_state_machine(SEND, {"url": url})
    assert (off.status, off.error) == ("FAILED", "States.TaskFailed")
    assert "Messages" not in aws.client("sqs").receive_message(QueueUrl=url)  # moto got nothing
    settings.STEPSTUDIO_AWS_INTEGRATIONS = True
    settings.STEPSTUDIO_AWS_ALLOWED_SERVICES = ["sqs"]
    assert "MessageId" in succeeded(run_state_machine(SEND, {"url": url}))
    settings.STEPSTUDIO_AWS_ALLOWED_SERVICES = ["s3"]
    refused = run_state_machine(SEND, {"url": url})
    assert refused.error == "States.TaskFailed" and "STEPSTUDIO_AWS_ALLOWED_SERVICES" in refused.cause


@pytest.fixture
def simple_lambda(aws):
    """moto's Docker-free Lambda (it answers an invocation with its payload), and a function."""
    import urllib.request
    urllib.request.urlopen(urllib.request.Request(
        f"{aws.endpoint}/moto-api/config", data=json.dumps({"lambda": {"use_docker": False}}).encode(),
        method="POST", headers={"Content-Type": "application/json"}), timeout=10).read()
    role = aws.client("iam").create_role(RoleName="fn-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    import io
    import zipfile
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return event\n")
    fn = aws.client("lambda").create_function(FunctionName="echo", Runtime="python3.11", Role=role,
                                             Handler="index.handler", Code={"ZipFile": code.getvalue()})
    yield fn["FunctionArn"]
    urllib.request.urlopen(urllib.request.Request(
        f"{aws.endpoint}/moto-api/config", data=json.dumps({"lambda": {"use_docker": True}}).encode(),
        method="POST", headers={"Content-Type": "application/json"}), timeout=10).read()


def test_lambda_invoke_sends_the_payload_as_json_and_answers_the_invoke_response(invoker, simple_lambda):
    out = succeeded(run(machine(
        ("Invoke", task("arn:aws:states:::lambda:invoke", {"FunctionName": "echo", "Payload": {"n.$": "$.n"}},
                        ResultPath="$.invoke")),
        ("Legacy", {"Type": "Task", "Resource": simple_lambda, "Parameters": {"m.$": "$.n"},
                    "ResultPath": "$.legacy"})), {"n": 5}, invoker))
    # moto's Docker-free Lambda answers with the payload it was sent: the JSON we serialised.
    assert out["invoke"]["Payload"] == {"n": 5} and out["invoke"]["StatusCode"] == 200
    assert set(METADATA) <= set(out["invoke"])
    assert out["legacy"] == {"m": 5}
    events = [e["type"] for e in run(machine(("Legacy", {"Type": "Task", "Resource": simple_lambda})),
                                     {}, invoker).events]
    assert "LambdaFunctionSucceeded" in events


def test_a_per_service_endpoint_overrides_the_global_one(aws, monkeypatch):
    from tests.moto_support import CountingListener
    url = aws.client("sqs").create_queue(QueueName="routed")["QueueUrl"]
    elsewhere = CountingListener()
    try:
        # Everything to the counting listener, except SQS: boto3's own AWS_ENDPOINT_URL_<SERVICE>.
        monkeypatch.setenv("AWS_ENDPOINT_URL", elsewhere.url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_SQS", aws.endpoint)
        routed = AwsInvoker(AwsSettings(enabled=True))
        assert "MessageId" in succeeded(run(SEND, {"url": url}, routed))
        assert elsewhere.requests == []
        failed = run(machine(("Get", task("arn:aws:states:::aws-sdk:s3:getObject",
                                          {"Bucket": "b", "Key": "k"}))), {}, routed)
        assert failed.status == "FAILED" and elsewhere.requests
    finally:
        elsewhere.close()


def test_binary_attributes_travel_as_base64_both_ways(aws, invoker):
    _table(aws, "blobs")
    key = {"id": {"S": "1"}}
    out = succeeded(run(machine(
        ("Put", task("arn:aws:states:::dynamodb:putItem",
                     {"TableName": "blobs", "Item": {"id": {"S": "1"}, "bin": {"B": "AAEC/w=="}}}, ResultPath=None)),
        ("Get", task("arn:aws:states:::aws-sdk:dynamodb:getItem", {"TableName": "blobs", "Key": key},
                     ResultPath="$.get"))), {}, invoker))
    assert out["get"]["Item"]["bin"] == {"B": "AAEC/w=="}
    stored = aws.client("dynamodb").get_item(TableName="blobs", Key=key)["Item"]["bin"]["B"]
    assert stored == b"\x00\x01\x02\xff"


def test_aws_sdk_lambda_invoke_sends_and_answers_the_payload_as_json_text(invoker, simple_lambda):
    out = succeeded(run(machine(("Invoke", task("arn:aws:states:::aws-sdk:lambda:invoke",
                                                {"FunctionName": "echo", "Payload": {"x": 1}}))), {}, invoker))
    assert json.loads(out["Payload"]) == {"x": 1} and out["StatusCode"] == 200
