"""Executions through boto3's real stepfunctions client against a live server.

Tests marked `subprocess` run a real Celery worker + scheduler (tests/engine/runtime's
fixture); the others need none: activity tasks, Wait/Pass machines and StartSyncExecution
advance inside the web request.
"""
import json
import time

import pytest

from engine import samples
from engine.models import TaskToken
from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…
from tests.engine.runtime.conftest import runtime, runtime_env  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db(transaction=True)

ROLE = "arn:aws:iam::123456789012:role/demo"
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}}
WAIT = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}


def machine(sfn, name, definition, **kwargs):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE,
                                    **kwargs)["stateMachineArn"]


def wait_for_status(sfn, arn, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.2)
    raise AssertionError(f"{arn} still RUNNING after {timeout}s")


def history(sfn, arn, **kwargs):
    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=arn, **kwargs)
    return [event for page in pages for event in page["events"]]


# -- on a real worker --------------------------------------------------------------------

@pytest.mark.services
@pytest.mark.subprocess
def test_the_job_poller_runs_to_succeeded_on_a_worker(runtime, sfn):  # noqa: F811
    arn = machine(sfn, "job-poller", samples.definitions()["job-poller"])
    started = sfn.start_execution(stateMachineArn=arn, name="run-1",
                                  input=json.dumps({"waitSeconds": 1, "checksNeeded": 2}))
    assert started["executionArn"].endswith(":execution:job-poller:run-1")

    described = wait_for_status(sfn, started["executionArn"])

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"])["status"] == "SUCCEEDED"
    # Paging three events at a time gives the whole history, ids 1..N in order.
    events = history(sfn, started["executionArn"], PaginationConfig={"PageSize": 3})
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["type"] == "ExecutionStarted"
    assert events[-1]["type"] == "ExecutionSucceeded"
    reverse = history(sfn, started["executionArn"], reverseOrder=True,
                      PaginationConfig={"PageSize": 4})
    assert [e["id"] for e in reverse] == [e["id"] for e in reversed(events)]


@pytest.mark.services
@pytest.mark.subprocess
def test_a_callback_task_waits_for_send_task_success(runtime, sfn, bob_sfn):  # noqa: F811
    arn = machine(sfn, "approval", samples.definitions()["callback-approval"])
    execution_arn = sfn.start_execution(stateMachineArn=arn,
                                        input=json.dumps({"request": "deploy"}))["executionArn"]
    token = wait_for_token(execution_arn)

    with pytest.raises(bob_sfn.exceptions.TaskDoesNotExist):  # not Bob's execution
        bob_sfn.send_task_success(taskToken=token, output="{}")
    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_success(taskToken=token, output=json.dumps({"by": "alice"}))

    described = wait_for_status(sfn, execution_arn)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"approved": True, "by": "alice"}
    with pytest.raises(sfn.exceptions.TaskTimedOut):  # the task is closed now
        sfn.send_task_success(taskToken=token, output="{}")


def wait_for_token(execution_arn, timeout=60):
    name = execution_arn.rsplit(":", 1)[1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        token = TaskToken.objects.filter(execution__name=name).values_list("token", flat=True)
        if token:
            return token[0]
        time.sleep(0.2)
    raise AssertionError("no task token was issued")


# -- inside the request ------------------------------------------------------------------

def test_start_sync_execution_runs_an_express_job_poller_to_the_end(sfn):
    arn = machine(sfn, "job-poller", samples.definitions()["job-poller"], type="EXPRESS")
    result = sfn.start_sync_execution(
        stateMachineArn=arn, input=json.dumps({"waitSeconds": 1, "checksNeeded": 2}))
    assert result["status"] == "SUCCEEDED", result
    assert json.loads(result["output"])["checks"] == 2
    assert sfn.describe_execution(executionArn=result["executionArn"])["status"] == "SUCCEEDED"


def test_start_sync_execution_of_a_standard_machine_is_refused(sfn):
    arn = machine(sfn, "p", PASS)
    with pytest.raises(sfn.exceptions.StateMachineTypeNotSupported):
        sfn.start_sync_execution(stateMachineArn=arn, input="{}")


def test_an_activity_worker_gets_the_task_and_completes_it(sfn, settings):
    settings.STEPSTUDIO_ACTIVITY_POLL_SECONDS = 2
    activity = sfn.create_activity(name="review")["activityArn"]
    assert sfn.create_activity(name="review")["activityArn"] == activity  # idempotent
    arn = machine(sfn, "reviewed", {"StartAt": "Review", "States": {
        "Review": {"Type": "Task", "Resource": activity, "End": True}}})
    execution_arn = sfn.start_execution(stateMachineArn=arn,
                                        input=json.dumps({"doc": 7}))["executionArn"]

    task = sfn.get_activity_task(activityArn=activity, workerName="w1")
    assert json.loads(task["input"]) == {"doc": 7}
    sfn.send_task_success(taskToken=task["taskToken"], output=json.dumps({"approved": True}))

    described = wait_for_status(sfn, execution_arn, timeout=10)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"approved": True}
    events = sfn.get_execution_history(executionArn=execution_arn)["events"]
    started = [e for e in events if e["type"] == "ActivityStarted"]
    assert started[0]["activityStartedEventDetails"] == {"workerName": "w1"}
    # No more work: the long poll ends empty.
    assert "taskToken" not in sfn.get_activity_task(activityArn=activity)
    assert [a["name"] for a in sfn.list_activities()["activities"]] == ["review"]
    assert sfn.describe_activity(activityArn=activity)["name"] == "review"


def test_send_task_failure_fails_the_activity_task(sfn, settings):
    settings.STEPSTUDIO_ACTIVITY_POLL_SECONDS = 2
    activity = sfn.create_activity(name="risky")["activityArn"]
    arn = machine(sfn, "risky", {"StartAt": "Do", "States": {
        "Do": {"Type": "Task", "Resource": activity, "End": True}}})
    execution_arn = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    token = sfn.get_activity_task(activityArn=activity)["taskToken"]

    sfn.send_task_failure(taskToken=token, error="Nope", cause="said no")

    described = wait_for_status(sfn, execution_arn, timeout=10)
    assert (described["status"], described["error"], described["cause"]) == \
        ("FAILED", "Nope", "said no")


def test_unknown_tokens_are_task_does_not_exist(sfn):
    with pytest.raises(sfn.exceptions.TaskDoesNotExist):
        sfn.send_task_success(taskToken="no-such-token", output="{}")
    with pytest.raises(sfn.exceptions.TaskDoesNotExist):
        sfn.send_task_heartbeat(taskToken="no-such-token")


def test_describe_list_and_history_of_a_finished_execution(sfn):
    arn = machine(sfn, "p", PASS)
    first = sfn.start_execution(stateMachineArn=arn, name="one", input='{"a": 1}')
    sfn.start_execution(stateMachineArn=arn, name="two")

    described = sfn.describe_execution(executionArn=first["executionArn"])
    assert described["status"] == "SUCCEEDED"
    assert described["stateMachineArn"] == arn
    assert json.loads(described["input"]) == {"a": 1}
    assert json.loads(described["output"]) == {"ok": True}
    assert described["startDate"] == first["startDate"]

    listed = sfn.list_executions(stateMachineArn=arn, maxResults=1)
    assert len(listed["executions"]) == 1 and "nextToken" in listed
    pages = sfn.get_paginator("list_executions").paginate(
        stateMachineArn=arn, statusFilter="SUCCEEDED", PaginationConfig={"PageSize": 1})
    assert {e["name"] for p in pages for e in p["executions"]} == {"one", "two"}
    assert sfn.list_executions(stateMachineArn=arn, statusFilter="FAILED")["executions"] == []

    events = history(sfn, first["executionArn"], includeExecutionData=False)
    started = events[0]["executionStartedEventDetails"]
    assert "input" not in started
    full = history(sfn, first["executionArn"])
    assert json.loads(full[0]["executionStartedEventDetails"]["input"]) == {"a": 1}

    for_execution = sfn.describe_state_machine_for_execution(executionArn=first["executionArn"])
    assert json.loads(for_execution["definition"]) == PASS


def test_a_history_token_is_good_for_its_execution_only(sfn):
    arn = machine(sfn, "p", PASS)
    one = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    two = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    token = sfn.get_execution_history(executionArn=one, maxResults=1)["nextToken"]
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.get_execution_history(executionArn=two, nextToken=token)


def test_stop_then_redrive(sfn):
    arn = machine(sfn, "waits", WAIT)
    execution_arn = sfn.start_execution(stateMachineArn=arn, name="w")["executionArn"]
    assert sfn.describe_execution(executionArn=execution_arn)["status"] == "RUNNING"

    stopped = sfn.stop_execution(executionArn=execution_arn, error="Halt", cause="testing")

    described = sfn.describe_execution(executionArn=execution_arn)
    assert (described["status"], described["error"], described["cause"]) == \
        ("ABORTED", "Halt", "testing")
    assert described["stopDate"] == stopped["stopDate"]
    assert described["redriveStatus"] == "REDRIVABLE"
    # Stopping a stopped execution reports when it stopped.
    assert sfn.stop_execution(executionArn=execution_arn)["stopDate"] == stopped["stopDate"]

    redriven = sfn.redrive_execution(executionArn=execution_arn)
    assert "redriveDate" in redriven
    described = sfn.describe_execution(executionArn=execution_arn)
    assert described["status"] == "RUNNING"
    assert described["redriveCount"] == 1


def test_a_succeeded_execution_is_not_redrivable(sfn):
    arn = machine(sfn, "p", PASS)
    execution_arn = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    with pytest.raises(sfn.exceptions.ExecutionNotRedrivable):
        sfn.redrive_execution(executionArn=execution_arn)


def test_modelled_exceptions_for_bad_execution_calls(sfn, bob_sfn, user):
    arn = machine(sfn, "p", PASS)
    sfn.start_execution(stateMachineArn=arn, name="once")
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):
        sfn.start_execution(stateMachineArn=arn, name="once")
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.start_execution(stateMachineArn=arn + "-missing")
    with pytest.raises(sfn.exceptions.InvalidExecutionInput):
        sfn.start_execution(stateMachineArn=arn, input="{not json")
    with pytest.raises(sfn.exceptions.InvalidName):
        sfn.start_execution(stateMachineArn=arn, name="bad name")
    execution_arn = arn.replace(":stateMachine:", ":execution:") + ":once"
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.describe_execution(executionArn=execution_arn + "x")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.describe_execution(executionArn=arn)
    with pytest.raises(bob_sfn.exceptions.ExecutionDoesNotExist):  # Alice's execution
        bob_sfn.describe_execution(executionArn=execution_arn)
    with pytest.raises(bob_sfn.exceptions.StateMachineDoesNotExist):
        bob_sfn.start_execution(stateMachineArn=arn)


def test_starting_a_published_version(sfn):
    arn = machine(sfn, "p", PASS, publish=True)
    execution_arn = sfn.start_execution(stateMachineArn=arn + ":1")["executionArn"]
    described = sfn.describe_execution(executionArn=execution_arn)
    assert described["stateMachineVersionArn"] == arn + ":1"
    assert [e["name"] for e in sfn.list_executions(stateMachineArn=arn + ":1")["executions"]] \
        == [execution_arn.rsplit(":", 1)[1]]


def test_test_state_runs_one_pass_state(sfn):
    result = sfn.test_state(
        definition=json.dumps({"Type": "Pass", "Parameters": {"x.$": "$.a"}, "Next": "Later"}),
        roleArn=ROLE, input=json.dumps({"a": 5}))
    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"x": 5}
    assert result["nextState"] == "Later"


def test_test_state_reports_a_failing_state(sfn):
    result = sfn.test_state(definition=json.dumps({"Type": "Fail", "Error": "E", "Cause": "C"}),
                            roleArn=ROLE)
    assert (result["status"], result["error"], result["cause"]) == ("FAILED", "E", "C")


def test_another_users_activity_does_not_exist_for_me(sfn, bob_sfn):
    activity = sfn.create_activity(name="mine")["activityArn"]
    with pytest.raises(bob_sfn.exceptions.ActivityDoesNotExist):
        bob_sfn.get_activity_task(activityArn=activity)
    with pytest.raises(bob_sfn.exceptions.ActivityDoesNotExist):
        bob_sfn.describe_activity(activityArn=activity)
    bob_sfn.delete_activity(activityArn=activity)  # idempotent, and not Bob's to delete
    assert sfn.describe_activity(activityArn=activity)["name"] == "mine"


def test_metadata_only_leaves_out_input_and_output(sfn):
    arn = machine(sfn, "p", PASS)
    execution_arn = sfn.start_execution(stateMachineArn=arn, input='{"secret": 1}')["executionArn"]
    described = sfn.describe_execution(executionArn=execution_arn, includedData="METADATA_ONLY")
    assert described["status"] == "SUCCEEDED"
    assert "input" not in described and "output" not in described


def test_starting_a_running_execution_again_with_the_same_input_is_idempotent(sfn):
    arn = machine(sfn, "waits", WAIT)
    first = sfn.start_execution(stateMachineArn=arn, name="w", input='{"a": 1}')
    again = sfn.start_execution(stateMachineArn=arn, name="w", input='{"a": 1}')
    assert again == {**first, "ResponseMetadata": again["ResponseMetadata"]}
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):
        sfn.start_execution(stateMachineArn=arn, name="w", input='{"a": 2}')
