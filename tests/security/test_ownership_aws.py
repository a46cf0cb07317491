"""(2) The AWS protocol: bob's key cannot read or act on alice's resources by ARN; they look
exactly like missing ones (AWS's answer for another account's resource). Staff keys may."""
from __future__ import annotations

import pytest
from django.test import Client, override_settings

from engine.models import Activity, Execution, ExecutionStatus, StateMachine, TaskToken
from tests.security.conftest import TOKEN, aws, aws_body, aws_error

pytestmark = pytest.mark.django_db

HELLO = '{"StartAt": "S", "States": {"S": {"Type": "Pass", "End": true}}}'


def as_user(world, who, target, params):
    return aws(Client(), world.keys[who], target, params)


def machine_calls(world):
    arn = world.machine.arn
    return [
        ("DescribeStateMachine", {"stateMachineArn": arn}),
        ("DescribeStateMachine", {"stateMachineArn": world.version.arn}),
        ("UpdateStateMachine", {"stateMachineArn": arn, "definition": HELLO}),
        ("PublishStateMachineVersion", {"stateMachineArn": arn}),
        ("ListStateMachineVersions", {"stateMachineArn": arn}),
        ("ListExecutions", {"stateMachineArn": arn}),
        ("ListExecutions", {"stateMachineArn": world.version.arn}),
        ("StartExecution", {"stateMachineArn": arn, "input": "{}"}),
        ("StartExecution", {"stateMachineArn": world.version.arn, "input": "{}"}),
        ("StartSyncExecution", {"stateMachineArn": arn, "input": "{}"}),
    ]


def execution_calls(execution):
    arn = execution.arn
    return [("DescribeExecution", {"executionArn": arn}),
            ("DescribeStateMachineForExecution", {"executionArn": arn}),
            ("GetExecutionHistory", {"executionArn": arn}),
            ("StopExecution", {"executionArn": arn}),
            ("RedriveExecution", {"executionArn": arn})]


# What a machine that does not exist answers, where the operation's model has no
# StateMachineDoesNotExist (ListStateMachineVersions lists InvalidArn for it).
MISSING_MACHINE = {"ListStateMachineVersions": "InvalidArn"}


def test_bob_does_not_find_alices_state_machine_or_versions(world):
    for target, params in machine_calls(world):
        response = as_user(world, "bob", target, params)
        assert response.status_code == 400, (target, response.content)
        expected = MISSING_MACHINE.get(target, "StateMachineDoesNotExist")
        assert aws_error(response) == expected, (target, response.content)
    machine = StateMachine.objects.get(pk=world.machine.pk)
    assert machine.definition == world.machine.definition
    assert machine.versions.count() == 1 and machine.executions.count() == 2


def test_bob_deleting_alices_state_machine_deletes_nothing(world):
    response = as_user(world, "bob", "DeleteStateMachine",
                       {"stateMachineArn": world.machine.arn})
    assert response.status_code == 200  # idempotent at AWS: gone or never yours look alike
    assert StateMachine.objects.filter(pk=world.machine.pk).exists()


def test_bob_does_not_find_alices_executions(world):
    for execution in (world.failed, world.running):
        for target, params in execution_calls(execution):
            response = as_user(world, "bob", target, params)
            assert aws_error(response) == "ExecutionDoesNotExist", (target, response.content)
    assert Execution.objects.get(pk=world.running.pk).status == ExecutionStatus.RUNNING


@pytest.mark.parametrize("target, params", [
    ("SendTaskSuccess", {"taskToken": TOKEN, "output": '{"stolen": true}'}),
    ("SendTaskFailure", {"taskToken": TOKEN, "error": "X"}),
    ("SendTaskHeartbeat", {"taskToken": TOKEN}),
])
def test_bob_cannot_answer_alices_task_token(world, target, params):
    response = as_user(world, "bob", target, params)
    assert aws_error(response) == "TaskDoesNotExist"
    token = TaskToken.objects.get(token=TOKEN)
    assert token.status == "SCHEDULED" and token.answer is None and token.heartbeat_at is None


@override_settings(STEPSTUDIO_ACTIVITY_POLL_SECONDS=0)
def test_bob_does_not_find_alices_activity(world):
    arn = world.activity.arn
    for target in ("DescribeActivity", "GetActivityTask"):
        response = as_user(world, "bob", target, {"activityArn": arn})
        assert aws_error(response) == "ActivityDoesNotExist", target
    assert as_user(world, "bob", "DeleteActivity", {"activityArn": arn}).status_code == 200
    assert Activity.objects.filter(pk=world.activity.pk).exists()


def test_bobs_lists_hold_nothing_of_alices(world):
    assert aws_body(as_user(world, "bob", "ListStateMachines", {}))["stateMachines"] == []
    assert aws_body(as_user(world, "bob", "ListActivities", {}))["activities"] == []


def test_an_arn_naming_alices_account_with_bobs_own_machine_name_is_still_alices(world):
    # The account in the ARN decides whose namespace is searched, never the caller's.
    bob_machine = StateMachine.objects.create(owner=world.bob, name="bobs",
                                              definition={"StartAt": "S", "States": {
                                                  "S": {"Type": "Pass", "End": True}}})
    forged = bob_machine.arn.replace(bob_machine.arn.split(":")[4], world.machine.arn.split(":")[4])
    response = as_user(world, "bob", "DescribeStateMachine", {"stateMachineArn": forged})
    assert aws_error(response) == "StateMachineDoesNotExist"


def test_a_next_token_of_alices_history_is_useless_to_bob(world):
    first = aws_body(as_user(world, "alice", "GetExecutionHistory",
                             {"executionArn": world.failed.arn, "maxResults": 1}))
    assert "nextToken" in first
    bob_machine = StateMachine.objects.create(owner=world.bob, name="bobs", definition={
        "StartAt": "S", "States": {"S": {"Type": "Pass", "End": True}}})
    bob_run = Execution.objects.create(state_machine=bob_machine, name="b", input={},
                                       definition=bob_machine.definition)
    response = as_user(world, "bob", "GetExecutionHistory",
                       {"executionArn": bob_run.arn, "nextToken": first["nextToken"]})
    assert aws_error(response) == "InvalidToken"


def test_staff_may_read_alices_resources(world):
    body = aws_body(as_user(world, "staff", "DescribeStateMachine",
                            {"stateMachineArn": world.machine.arn}))
    assert body["name"] == world.machine.name
    body = aws_body(as_user(world, "staff", "DescribeExecution",
                            {"executionArn": world.failed.arn}))
    assert body["status"] == "FAILED"
    history = aws_body(as_user(world, "staff", "GetExecutionHistory",
                               {"executionArn": world.failed.arn}))
    assert len(history["events"]) == 5


def test_a_signature_for_one_body_does_not_authorise_another(world):
    # Replaying alice's signed headers with a different body is refused.
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method="POST", url="http://testserver/", data=b"{}", headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "AWSStepFunctions.ListStateMachines"})
    SigV4Auth(Credentials(*world.keys["alice"]), "states", "us-east-1").add_auth(request)
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request.headers.items()
            if k.lower() != "content-type"}
    body = ('{"stateMachineArn": "%s"}' % world.machine.arn).encode()
    response = Client().generic("POST", "/", body, content_type="application/x-amz-json-1.0",
                                HTTP_HOST="testserver", **{**meta, "HTTP_X_AMZ_TARGET":
                                "AWSStepFunctions.DeleteStateMachine"})
    assert aws_error(response) == "InvalidSignatureException"
    assert StateMachine.objects.filter(pk=world.machine.pk).exists()
