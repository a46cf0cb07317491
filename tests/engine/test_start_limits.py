"""StartExecution throttling and the open-executions quota, per user, as AWS answers them:
ThrottlingException / ExecutionLimitExceeded over boto3, 429 (Retry-After) over REST."""
import json
import time

import pytest
from botocore.exceptions import ClientError
from django.test import Client, override_settings

from engine.models import StateMachine
from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…

pytestmark = pytest.mark.django_db(transaction=True)

# A Wait keeps each execution RUNNING (the wait is scheduled, nothing sleeps).
WAITING = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
SLOW_REFILL = override_settings(START_EXECUTION_BUCKET=2, START_EXECUTION_REFILL_PER_SECOND=0.001)


def machine_of(user, name="waits"):
    return StateMachine.objects.create(owner=user, name=name, definition=WAITING)


def arn_of(client, name):
    return next(m["stateMachineArn"] for m in client.list_state_machines()["stateMachines"]
                if m["name"] == name)


@SLOW_REFILL
def test_boto3_starts_beyond_the_bucket_are_throttled_for_that_user_only(
        sfn, bob_sfn, user, other_user):
    machine_of(user)
    machine_of(other_user)
    arn = arn_of(sfn, "waits")
    for _ in range(2):
        sfn.start_execution(stateMachineArn=arn)
    with pytest.raises(ClientError) as error:
        sfn.start_execution(stateMachineArn=arn)
    assert error.value.response["Error"]["Code"] == "ThrottlingException"
    assert error.value.response["Error"]["Message"] == "Rate exceeded"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # bob's bucket is his own
    bob_arn = arn_of(bob_sfn, "waits")
    for _ in range(2):
        bob_sfn.start_execution(stateMachineArn=bob_arn)


@override_settings(START_EXECUTION_BUCKET=1, START_EXECUTION_REFILL_PER_SECOND=0.25)
def test_the_bucket_refills(sfn, user):
    machine_of(user)
    arn = arn_of(sfn, "waits")
    sfn.start_execution(stateMachineArn=arn)
    with pytest.raises(ClientError):  # the next token is 4 s away
        sfn.start_execution(stateMachineArn=arn)
    time.sleep(4.5)
    sfn.start_execution(stateMachineArn=arn)


@override_settings(MAX_OPEN_EXECUTIONS=2)
def test_boto3_open_executions_over_the_quota_are_execution_limit_exceeded(sfn, user):
    machine_of(user)
    arn = arn_of(sfn, "waits")
    first = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sfn.start_execution(stateMachineArn=arn)
    with pytest.raises(sfn.exceptions.ExecutionLimitExceeded):
        sfn.start_execution(stateMachineArn=arn)
    sfn.stop_execution(executionArn=first)  # one fewer open: room again
    sfn.start_execution(stateMachineArn=arn)


def rest_start(user, name="waits"):
    client = Client()
    client.force_login(user)
    return client.post(f"/api/state-machines/{name}/executions/", json.dumps({"input": {}}),
                       content_type="application/json")


@SLOW_REFILL
def test_rest_starts_beyond_the_bucket_are_429_with_retry_after(user, other_user):
    machine_of(user)
    machine_of(other_user)
    assert [rest_start(user).status_code for _ in range(2)] == [201, 201]
    refused = rest_start(user)
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) >= 1
    assert rest_start(other_user).status_code == 201


@override_settings(MAX_OPEN_EXECUTIONS=1)
def test_rest_open_executions_over_the_quota_are_refused(user):
    machine_of(user)
    assert rest_start(user).status_code == 201
    refused = rest_start(user)
    assert refused.status_code == 429
    assert refused.json()["code"] == "execution_limit_exceeded"
