"""Real AWS calls (moto's server) from executions on real workers (PostgreSQL + Redis):
the worker process, with STEPSTUDIO_AWS_INTEGRATIONS on in its environment, sends to SQS,
writes DynamoDB, is caught on AWS's error name, waits for the callback of a
`sqs:sendMessage.waitForTaskToken`, and runs a Distributed Map over a CSV object in S3
whose results it writes back with ResultWriter."""
from __future__ import annotations

import json

import boto3
import pytest

from engine import services
from tests.moto_support import AWS_ENV_NAMES, aws_environment, moto_server, reset_moto
from tests.support import wait_until

from .conftest import assert_history_contiguous, wait_for_execution

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def moto_endpoint():
    server, endpoint = moto_server()
    yield endpoint
    server.stop()


@pytest.fixture
def runtime_env(runtime_env, moto_endpoint, monkeypatch, tmp_path):
    """The runtime's environment with boto3 pointed at moto and the integrations on."""
    reset_moto(moto_endpoint)
    env, queue = runtime_env
    aws = aws_environment(moto_endpoint, tmp_path)
    for name in AWS_ENV_NAMES:
        env.pop(name, None)
        monkeypatch.delenv(name, raising=False)
    for name, value in aws.items():
        monkeypatch.setenv(name, value)
    env.update(aws, STEPSTUDIO_AWS_INTEGRATIONS="true",
               STEPSTUDIO_AWS_ALLOWED_SERVICES="sqs,dynamodb,s3")
    return env, queue


def client(name):
    return boto3.client(name, region_name="us-east-1")


def test_a_worker_calls_sqs_and_dynamodb_and_waits_for_a_callback(runtime, make_machine):
    sqs, dynamodb = client("sqs"), client("dynamodb")
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    dynamodb.create_table(TableName="jobs", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                          BillingMode="PAY_PER_REQUEST")
    machine = make_machine({"StartAt": "Record", "States": {
        "Record": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                   "Parameters": {"TableName": "jobs", "Item": {"id": {"S.$": "$.id"}}},
                   "ResultPath": None, "Next": "Missing"},
        "Missing": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                    "Parameters": {"TableName": "no-such-table", "Key": {"id": {"S": "x"}}},
                    "Catch": [{"ErrorEquals": ["DynamoDB.ResourceNotFoundException"],
                               "ResultPath": "$.missing", "Next": "Ask"}], "End": True},
        "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": url, "MessageBody": {"id.$": "$.id",
                                                                "token.$": "$$.Task.Token"}},
                "ResultPath": "$.answer", "End": True}}})
    execution = services.start_execution(machine, {"id": "job-1"})

    def message():
        got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages")
        return got[0] if got else None
    body = json.loads(wait_until(message, 60, what="the worker's SQS message")["Body"])
    assert body["id"] == "job-1"
    services.send_task_success(body["token"], json.dumps({"approved": True}))
    done = wait_for_execution(execution)
    assert done.status == "SUCCEEDED", (done.error, done.cause)
    assert done.output["answer"] == {"approved": True}
    assert done.output["missing"]["Error"] == "DynamoDB.ResourceNotFoundException"
    assert dynamodb.get_item(TableName="jobs", Key={"id": {"S": "job-1"}})["Item"]["id"] == {"S": "job-1"}
    assert_history_contiguous(done)


def test_a_distributed_map_reads_csv_from_s3_and_writes_its_results(runtime, make_machine):
    s3 = client("s3")
    s3.create_bucket(Bucket="data")
    s3.put_object(Bucket="data", Key="people.csv", Body=b"name,age\nAda,36\nAlan,41\nGrace,85\n")
    machine = make_machine({"StartAt": "Each", "States": {"Each": {
        "Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                       "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                       "Parameters": {"Bucket": "data", "Key": "people.csv"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "Greet", "States": {"Greet": {
                              "Type": "Pass", "Parameters": {"greeting.$": "States.Format('Hi {}', $.name)"},
                              "End": True}}},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                         "Parameters": {"Bucket": "data", "Prefix": "out"}},
        "End": True}}})
    done = wait_for_execution(services.start_execution(machine, {}))
    assert done.status == "SUCCEEDED", (done.error, done.cause)
    key = done.output["ResultWriterDetails"]["Key"]
    assert done.output["ResultWriterDetails"]["Bucket"] == "data" and key.startswith("out/")
    manifest = json.loads(s3.get_object(Bucket="data", Key=key)["Body"].read())
    assert manifest["MapRunArn"] == done.output["MapRunArn"]
    [succeeded] = manifest["ResultFiles"]["SUCCEEDED"]
    records = json.loads(s3.get_object(Bucket="data", Key=succeeded["Key"])["Body"].read())
    assert [json.loads(r["Output"]) for r in records] == [
        {"greeting": "Hi Ada"}, {"greeting": "Hi Alan"}, {"greeting": "Hi Grace"}]
    assert [json.loads(r["Input"])["name"] for r in records] == ["Ada", "Alan", "Grace"]
