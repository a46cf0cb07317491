"""Every served operation through the AWS CLI (awscli, requirements-dev.txt) against a live
server: each of the 34 answers, the CLI's own pagination (--max-items/--starting-token) walks
our page tokens, and modelled errors reach the CLI by name."""
import json

import botocore.session
import pytest

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…
from tests.engine.test_awsproto_cli import aws  # noqa: F401 — the CLI fixture

pytestmark = pytest.mark.django_db(transaction=True)

ROLE = "arn:aws:iam::123456789012:role/demo"
WAIT = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}}
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "ok", "End": True}}}
MAP_RUNS = {"ListMapRuns", "DescribeMapRun", "UpdateMapRun"}


def command(op: str) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in op).lstrip("-")


def test_every_operation_through_the_aws_cli(aws):  # noqa: F811
    called = set()

    def call(op, ok=True, **params):
        called.add(op)
        return aws(command(op), "--cli-input-json", json.dumps(params), ok=ok)

    made = call("CreateStateMachine", name="cli-sweep", definition=json.dumps(WAIT),
                roleArn=ROLE, publish=True, tags=[{"key": "k", "value": "v"}])
    arn, version = made["stateMachineArn"], made["stateMachineVersionArn"]
    call("DescribeStateMachine", stateMachineArn=arn)
    assert call("ListStateMachines")["stateMachines"][0]["stateMachineArn"] == arn
    call("ValidateStateMachineDefinition", definition=json.dumps(PASS))
    revision = call("UpdateStateMachine", stateMachineArn=arn,
                    definition=json.dumps({**WAIT, "Comment": "2"}))["revisionId"]
    second = call("PublishStateMachineVersion", stateMachineArn=arn,
                  revisionId=revision)["stateMachineVersionArn"]
    versions = call("ListStateMachineVersions", stateMachineArn=arn)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in versions] == [second, version]
    alias = call("CreateStateMachineAlias", name="live", routingConfiguration=[
        {"stateMachineVersionArn": version, "weight": 100}])["stateMachineAliasArn"]
    call("DescribeStateMachineAlias", stateMachineAliasArn=alias)
    call("UpdateStateMachineAlias", stateMachineAliasArn=alias, description="d")
    call("ListStateMachineAliases", stateMachineArn=arn)
    call("TagResource", resourceArn=arn, tags=[{"key": "x", "value": "y"}])
    call("UntagResource", resourceArn=arn, tagKeys=["x"])
    assert call("ListTagsForResource", resourceArn=arn)["tags"] == [{"key": "k", "value": "v"}]

    runs = [call("StartExecution", stateMachineArn=alias, name=f"r{i}")["executionArn"]
            for i in range(3)]
    call("DescribeExecution", executionArn=runs[0])
    call("DescribeStateMachineForExecution", executionArn=runs[0])
    call("GetExecutionHistory", executionArn=runs[0])
    # The CLI's own pagination: one item a page, resumed from its starting token.
    first = aws("list-executions", "--state-machine-arn", arn, "--max-items", "1")
    rest = aws("list-executions", "--state-machine-arn", arn, "--starting-token",
               first["NextToken"])
    assert {e["executionArn"] for e in first["executions"] + rest["executions"]} == set(runs)
    called.add("ListExecutions")
    call("StopExecution", executionArn=runs[0], error="E", cause="stopped")
    assert "ExecutionNotRedrivable" in call("RedriveExecution", ok=False, executionArn=runs[1])

    express = call("CreateStateMachine", name="cli-express", type="EXPRESS",
                   definition=json.dumps(PASS), roleArn=ROLE)["stateMachineArn"]
    assert call("StartSyncExecution", stateMachineArn=express)["status"] == "SUCCEEDED"
    assert call("TestState", definition=json.dumps(PASS["States"]["P"]))["status"] == "SUCCEEDED"

    activity = call("CreateActivity", name="cli-activity")["activityArn"]
    call("DescribeActivity", activityArn=activity)
    call("ListActivities")
    worked = call("CreateStateMachine", name="cli-worked", roleArn=ROLE, definition=json.dumps(
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": activity, "End": True}}}),
    )["stateMachineArn"]
    for name in ("ok", "fails"):
        call("StartExecution", stateMachineArn=worked, name=name)
        task = call("GetActivityTask", activityArn=activity, workerName="cli")
        if name == "ok":
            call("SendTaskHeartbeat", taskToken=task["taskToken"])
            call("SendTaskSuccess", taskToken=task["taskToken"], output='{"done": true}')
        else:
            call("SendTaskFailure", taskToken=task["taskToken"], error="Nope", cause="c")
    # A token that was never issued: the model's TaskDoesNotExist or InvalidToken.
    refused = call("SendTaskHeartbeat", ok=False, taskToken="never-issued")
    assert "TaskDoesNotExist" in refused or "InvalidToken" in refused
    call("DeleteActivity", activityArn=activity)

    assert "ExecutionDoesNotExist" in call("DescribeExecution", ok=False,
                                           executionArn=runs[0] + "x")
    call("DeleteStateMachineAlias", stateMachineAliasArn=alias)
    call("DeleteStateMachineVersion", stateMachineVersionArn=second)
    call("DeleteStateMachine", stateMachineArn=arn)
    assert "StateMachineDoesNotExist" in call("DescribeStateMachine", ok=False,
                                              stateMachineArn=arn)

    model = botocore.session.get_session().get_service_model("stepfunctions")
    assert set(model.operation_names) - MAP_RUNS == called
