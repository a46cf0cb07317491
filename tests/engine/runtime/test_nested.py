"""Nested executions on real workers: `states:startExecution` (request-response), `.sync`,
`.sync:2` and `.waitForTaskToken` start a durable child execution with no handler, and the
parent gets AWS's shapes (engine/runtime/nested.py, engine/asl/nested.py)."""
import json

import pytest

from engine import services
from engine.models import Execution, TaskToken

from .conftest import Runtime, assert_history_contiguous, lambda_arn, wait_for_execution
from tests.support import wait_until

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

SYNC = "arn:aws:states:::states:startExecution.sync"


def child_of(make_machine, wait=1, **end):
    """A child that waits `wait` seconds (so its parent really parks) then ends as `end` says."""
    last = end or {"Type": "Pass", "Parameters": {"got.$": "$.x", "by.$": "$$.Execution.Name"},
                   "End": True}
    return make_machine({"StartAt": "Hold", "States": {
        "Hold": {"Type": "Wait", "Seconds": wait, "Next": "Last"}, "Last": last}})


def parent_of(make_machine, resource, child, **task):
    params = {"StateMachineArn": child.arn,
              "Input": {"x.$": "$.x",
                        "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"},
              "Name.$": "$.name"}
    return make_machine({"StartAt": "Nest", "States": {"Nest": {
        "Type": "Task", "Resource": resource, "Parameters": params, "End": True, **task}}})


def the_child(parent) -> Execution:
    return wait_until(lambda: Execution.objects.filter(parent_execution=parent).first(), 30,
                      what="the child execution")


def test_sync_waits_for_the_child_and_returns_its_description(runtime, make_machine):
    child_machine = child_of(make_machine)
    parent = services.start_execution(parent_of(make_machine, SYNC, child_machine),
                                      {"x": 7, "name": "kid-1"})
    child = the_child(parent)
    # The parent's frame waits on the child's end (a token), not on a sleeping worker.
    assert TaskToken.objects.filter(execution=parent, token=child.parent_token).exists()
    parent = wait_for_execution(parent, 30)
    child.refresh_from_db()
    assert (parent.status, child.status) == ("SUCCEEDED", "SUCCEEDED")
    assert (child.name, child.parent_execution_id, child.parent_pattern) == ("kid-1", parent.id,
                                                                             "sync")
    assert child.input == {"x": 7, "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": parent.arn}
    out = parent.output
    assert list(out) == sorted(out)  # AWS's keys, alphabetical
    assert out["ExecutionArn"] == child.arn and out["StateMachineArn"] == child_machine.arn
    assert (out["Name"], out["Status"]) == ("kid-1", "SUCCEEDED")
    assert json.loads(out["Output"]) == {"got": 7, "by": "kid-1"}  # JSON text with .sync
    assert json.loads(out["Input"]) == child.input
    assert out["InputDetails"] == out["OutputDetails"] == {"Included": True}
    assert out["StartDate"] == int(round(child.start_date.timestamp() * 1000))
    assert out["StopDate"] >= out["StartDate"]
    types = list(parent.events.order_by("seq").values_list("type", flat=True))
    assert types == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                     "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]
    submitted = parent.events.get(type="TaskSubmitted").details["taskSubmittedEventDetails"]
    assert json.loads(submitted["output"])["ExecutionArn"] == child.arn  # StartExecution's answer
    assert_history_contiguous(parent)
    # Marked once the answer went out (just after the parent's step that took it).
    wait_until(lambda: Execution.objects.get(id=child.id).parent_notified, 10,
               what="the child's answer to be marked delivered")


def test_parent_and_child_are_linked_in_the_api_and_the_live_pages(runtime, make_machine,
                                                                   logged_in_client):
    child_machine = child_of(make_machine, wait=0)
    machine = parent_of(make_machine, SYNC, child_machine)
    machine.definition = {"StartAt": "Go <b>", "States": {
        "Go <b>": machine.definition["States"]["Nest"]}}  # user text, escaped on the page
    machine.save()
    parent = wait_for_execution(services.start_execution(machine, {"x": 1, "name": "kid-b"}),
                                30)
    child = the_child(parent)
    api = logged_in_client.get(f"/api/executions/{parent.id}/").json()
    assert api["parent"] is None
    assert api["children"] == [{"id": str(child.id), "name": "kid-b", "arn": child.arn,
                                "state_machine": child_machine.name, "state": "Go <b>",
                                "status": "SUCCEEDED", "pattern": "sync",
                                "url": f"/executions/{child.id}/"}]
    api = logged_in_client.get(f"/api/executions/{child.id}/").json()
    assert api["parent"] == {"id": str(parent.id), "name": parent.name, "arn": parent.arn,
                             "state_machine": parent.state_machine.name, "state": "Go <b>",
                             "url": f"/executions/{parent.id}/"}
    assert api["children"] == []
    listed = logged_in_client.get("/api/executions/").json()["results"]
    assert {r["id"]: (r["parent"] or {}).get("id") for r in listed} == {
        str(parent.id): None, str(child.id): str(parent.id)}
    page = logged_in_client.get(f"/executions/{parent.id}/").content.decode()
    assert f'href="/executions/{child.id}/">kid-b</a>' in page
    assert "<code>Go &lt;b&gt;</code>" in page and "Go <b>" not in page
    page = logged_in_client.get(f"/executions/{child.id}/").content.decode()
    assert "Started by" in page and f'href="/executions/{parent.id}/"' in page


def test_sync2_returns_input_and_output_as_json(runtime, make_machine):
    child_machine = child_of(make_machine, wait=0)  # ends inside StartExecution: early answer
    parent = wait_for_execution(services.start_execution(
        parent_of(make_machine, SYNC + ":2", child_machine, OutputPath="$.Output"),
        {"x": "seven", "name": "kid-2"}), 30)
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output == {"got": "seven", "by": "kid-2"}
    assert the_child(parent).parent_pattern == "sync:2"


def test_a_failing_child_fails_the_task_with_its_description(runtime, make_machine):
    child_machine = child_of(make_machine, **{"Type": "Fail", "Error": "SomeFailure",
                                              "Cause": "This state machine raises it."})
    parent = wait_for_execution(services.start_execution(
        parent_of(make_machine, SYNC, child_machine), {"x": 1, "name": "kid-3"}), 30)
    assert (parent.status, parent.error) == ("FAILED", "States.TaskFailed")
    cause = json.loads(parent.cause)
    assert (cause["Status"], cause["Error"], cause["Cause"]) == (
        "FAILED", "SomeFailure", "This state machine raises it.")
    assert cause["ExecutionArn"] == the_child(parent).arn and "Output" not in cause
    failed = parent.events.get(type="TaskFailed").details["taskFailedEventDetails"]
    assert (failed["error"], failed["resourceType"], failed["resource"]) == (
        "States.TaskFailed", "states", "startExecution.sync")


def test_catch_sees_the_child_failure(runtime, make_machine):
    child_machine = child_of(make_machine, wait=0, **{"Type": "Fail", "Error": "Boom"})
    machine = parent_of(make_machine, SYNC + ":2", child_machine)
    definition = machine.definition
    definition["States"]["Nest"].pop("End")
    definition["States"]["Nest"]["Next"] = "Handled"
    definition["States"]["Nest"]["Catch"] = [{"ErrorEquals": ["States.TaskFailed"],
                                              "Next": "Handled"}]
    definition["States"]["Handled"] = {"Type": "Pass", "End": True}
    machine.save()
    parent = wait_for_execution(services.start_execution(machine, {"x": 1, "name": "kid-4"}), 30)
    assert parent.status == "SUCCEEDED"
    assert json.loads(parent.output["Cause"])["Error"] == "Boom"


def test_request_response_returns_at_once_and_the_child_runs_on(runtime, make_machine):
    child_machine = child_of(make_machine, wait=2)
    parent = wait_for_execution(services.start_execution(
        parent_of(make_machine, "arn:aws:states:::states:startExecution", child_machine),
        {"x": 3, "name": "kid-5"}), 30)
    child = the_child(parent)
    assert parent.status == "SUCCEEDED"
    assert child.status == "RUNNING"  # the parent did not wait
    out = parent.output
    assert out["ExecutionArn"] == child.arn
    assert out["StartDate"] == int(round(child.start_date.timestamp() * 1000))
    assert out["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert out["SdkResponseMetadata"]["RequestId"]
    assert (child.parent_execution_id, child.parent_token) == (parent.id, "")
    assert wait_for_execution(child, 30).status == "SUCCEEDED"


def test_wait_for_task_token_ends_when_the_child_answers(runtime, make_machine):
    # The child's Lambda sends SendTaskSuccess with the parent's token (test-approver).
    child_machine = make_machine({"StartAt": "Hold", "States": {
        "Hold": {"Type": "Wait", "Seconds": 1, "Next": "Answer"},
        "Answer": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "test-approver",
                                  "Payload": {"token.$": "$.token"}}, "End": True}}})
    parent = services.start_execution(make_machine({"StartAt": "Nest", "States": {"Nest": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.waitForTaskToken",
        "Parameters": {"StateMachineArn": child_machine.arn,
                       "Input": {"token.$": "$$.Task.Token"}}, "End": True}}}), {})
    child = the_child(parent)
    assert child.parent_pattern == "wait_for_task_token" and child.parent_token == ""
    parent = wait_for_execution(parent, 30)
    assert (parent.status, parent.output) == (
        "SUCCEEDED", {"Status": "Approved! Task approved by ops@example.com"})
    assert wait_for_execution(child, 30).status == "SUCCEEDED"


def test_stopping_the_parent_stops_its_sync_child(runtime, make_machine):
    child_machine = child_of(make_machine, wait=120)
    parent = services.start_execution(parent_of(make_machine, SYNC, child_machine),
                                      {"x": 1, "name": "kid-6"})
    child = the_child(parent)
    wait_until(lambda: TaskToken.objects.filter(token=child.parent_token,
                                                frame__waiting="CALLBACK").exists(), 30,
               what="the parent to wait for its child")
    services.stop_execution(parent, "Stop", "operator")
    child = wait_for_execution(child, 30)
    parent.refresh_from_db()
    assert (parent.status, child.status) == ("ABORTED", "ABORTED")
    assert child.events.filter(type="ExecutionAborted").exists()


def test_a_task_timeout_stops_the_sync_child(runtime, make_machine):
    child_machine = child_of(make_machine, wait=120)
    parent = wait_for_execution(services.start_execution(
        parent_of(make_machine, SYNC, child_machine, TimeoutSeconds=2),
        {"x": 1, "name": "kid-7"}), 30)
    assert (parent.status, parent.error) == ("FAILED", "States.Timeout")
    # The sweep sees the parent task's token closed: the child is stopped.
    assert wait_for_execution(the_child(parent), 30).status == "ABORTED"


def test_an_unknown_state_machine_is_aws_error(runtime, make_machine, user):
    missing = make_machine({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    arn = missing.arn + "-nope"
    parent = wait_for_execution(services.start_execution(make_machine({"StartAt": "Nest",
        "States": {"Nest": {"Type": "Task", "Resource": SYNC,
                            "Parameters": {"StateMachineArn": arn}, "End": True}}}), {}), 30)
    assert (parent.status, parent.error) == ("FAILED",
                                              "StepFunctions.StateMachineDoesNotExistException")
    assert parent.cause.startswith(f"State Machine Does Not Exist: '{arn}' (Service: "
                                   "AWSStepFunctions; Status Code: 400; Error Code: "
                                   "StateMachineDoesNotExist; Request ID: ")
    assert not Execution.objects.filter(parent_execution=parent).exists()


@pytest.fixture
def worker_only(runtime_env, tmp_path, request):
    """A worker and no scheduler: no sweep, no timer; only the signal can answer a parent."""
    env, queue = runtime_env
    rt = Runtime(env, queue, tmp_path)
    rt.start_worker()
    yield rt
    rt.stop()
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        print(rt.logs())


def test_the_childs_end_answers_the_parent_at_once_without_the_sweep(worker_only, make_machine):
    # The child ends in a worker's step (its Task's handler ran there); the status change's
    # signal in that worker answers the parent's token — no scheduler runs here.
    child_machine = make_machine({"StartAt": "Work", "States": {"Work": {
        "Type": "Task", "Resource": lambda_arn("test-slow"),
        "Parameters": {"seconds": 1, "key.$": "$$.Execution.Name"}, "End": True}}})
    parent = services.start_execution(make_machine({"StartAt": "Nest", "States": {"Nest": {
        "Type": "Task", "Resource": SYNC + ":2",
        "Parameters": {"StateMachineArn": child_machine.arn, "Name": "kid-8"},
        "OutputPath": "$.Output", "End": True}}}), {})
    parent = wait_for_execution(parent, 30)
    assert (parent.status, parent.output) == ("SUCCEEDED", {"slept": 1, "key": "kid-8"})


def test_a_version_arn_runs_that_version(runtime, make_machine):
    from engine.api import machines

    child_machine = child_of(make_machine, wait=0)
    version = machines.publish_version(child_machine, "v1")
    child_machine.definition = {"StartAt": "P", "States": {"P": {
        "Type": "Pass", "Result": "newer", "End": True}}}
    child_machine.save()
    parent = wait_for_execution(services.start_execution(make_machine({"StartAt": "Nest",
        "States": {"Nest": {"Type": "Task", "Resource": SYNC + ":2",
                            "Parameters": {"StateMachineArn": version.arn,
                                           "Input": {"x": 5}}, "End": True}}}), {}), 30)
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output["StateMachineVersionArn"] == version.arn
    assert parent.output["Output"]["got"] == 5  # version 1's definition, not the newer one
    assert the_child(parent).version_id == version.id
