"""Nested executions through boto3's real stepfunctions client against a live server, on a
real worker: a parent deployed with CreateStateMachine runs a published version of a child
with `.sync:2`; DescribeExecution shows what AWS shows of the link (the child's input keeps
AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID, a version child has stateMachineVersionArn)."""
import json

import pytest

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, alice_key…
from tests.engine.runtime.conftest import runtime, runtime_env  # noqa: F401 — fixtures
from tests.engine.test_awsproto_executions import history, machine, wait_for_status

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

CHILD = {"StartAt": "Hold", "States": {
    "Hold": {"Type": "Wait", "Seconds": 1, "Next": "Sum"},
    "Sum": {"Type": "Pass", "Parameters": {"total.$": "States.MathAdd($.a, $.b)"}, "End": True}}}


def test_a_sync2_parent_runs_a_child_version_through_boto3(runtime, sfn):  # noqa: F811
    child_arn = machine(sfn, "adder", CHILD, publish=True)
    version_arn = sfn.list_state_machine_versions(stateMachineArn=child_arn)[
        "stateMachineVersions"][0]["stateMachineVersionArn"]
    parent_arn = machine(sfn, "caller", {"StartAt": "Add", "States": {"Add": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": version_arn, "Name.$": "$.name",
                       "Input": {"a.$": "$.a", "b": 2,
                                 "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}},
        "ResultSelector": {"total.$": "$.Output.total", "child.$": "$.ExecutionArn"},
        "End": True}}})
    started = sfn.start_execution(stateMachineArn=parent_arn, name="p-1",
                                  input=json.dumps({"a": 40, "name": "add-1"}))
    parent = wait_for_status(sfn, started["executionArn"])
    assert parent["status"] == "SUCCEEDED", parent
    out = json.loads(parent["output"])
    assert out["total"] == 42 and out["child"].endswith(":execution:adder:add-1")
    child = sfn.describe_execution(executionArn=out["child"])
    assert child["status"] == "SUCCEEDED"
    assert child["stateMachineVersionArn"] == version_arn
    assert json.loads(child["input"])["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"] == \
        started["executionArn"]
    started_event = history(sfn, out["child"])[0]
    assert started_event["type"] == "ExecutionStarted"
    assert started_event["executionStartedEventDetails"]["stateMachineVersionArn"] == version_arn
    listed = sfn.list_executions(stateMachineArn=child_arn)["executions"]
    assert [e["name"] for e in listed] == ["add-1"]
    types = [e["type"] for e in history(sfn, started["executionArn"])]
    assert "TaskSubmitted" in types and types[-1] == "ExecutionSucceeded"
