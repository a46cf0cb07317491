"""Callbacks (.waitForTaskToken), activities, heartbeats and task timeouts."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from engine import samples, services
from engine.models import Activity, StateMachine, TaskToken

from .conftest import assert_history_contiguous, lambda_arn, wait_for_execution
from tests.support import wait_until

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]


def callback_machine(make_machine, **task_fields):
    return make_machine({"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "request-approval",
                       "Payload": {"token.$": "$$.Task.Token", "request": "r"}},
        "End": True, **task_fields}}})


def open_token(ex, timeout=30):
    return wait_until(lambda: TaskToken.objects.filter(execution=ex, frame__waiting="CALLBACK")
                      .exclude(status="CLOSED").first(), timeout, what="a task token")


def test_the_callback_sample_waits_for_send_task_success(runtime, user):
    samples.load(user)
    ex = services.start_execution(StateMachine.objects.get(owner=user, name="callback-approval"),
                                  {"request": "deploy v2"})
    token = open_token(ex)
    ex.refresh_from_db()
    assert ex.status == "RUNNING"
    services.send_task_success(token.token, json.dumps({"by": "carol"}))
    ex = wait_for_execution(ex, 10)
    assert ex.output == {"approved": True, "by": "carol"}
    with pytest.raises(services.ServiceError) as err:  # a token answers once
        services.send_task_success(token.token, "{}")
    assert err.value.code == "TaskTimedOut"
    assert_history_contiguous(ex)


def test_send_task_failure_is_caught_by_the_callback_sample(runtime, user):
    samples.load(user)
    ex = services.start_execution(StateMachine.objects.get(owner=user, name="callback-approval"),
                                  {"request": "deploy v3"})
    services.send_task_failure(open_token(ex).token, "Rejected", "not on a Friday")
    ex = wait_for_execution(ex, 10)
    assert ex.output == {"approved": False, "why": "not on a Friday"}


def test_a_handler_that_answers_its_own_token_sets_the_result(runtime, make_machine):
    # The task's result is what the callback sent, not the Invoke envelope or the return.
    machine = make_machine({"StartAt": "Ask", "States": {
        "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": "test-approver", "Payload": {"token.$": "$$.Task.Token"}},
                "Next": "Decide"},
        "Decide": {"Type": "Choice", "Choices": [
            {"Variable": "$.Status", "StringEquals": "Approved! Task approved by ops@example.com",
             "Next": "Approved"}], "Default": "Rejected"},
        "Approved": {"Type": "Pass", "Result": "approved", "End": True},
        "Rejected": {"Type": "Fail", "Error": "Rejected"}}})
    ex = wait_for_execution(services.start_execution(machine, {}), 30)
    assert (ex.status, ex.output) == ("SUCCEEDED", "approved")
    succeeded = ex.events.get(type="TaskSucceeded")
    assert json.loads(succeeded.details["taskSucceededEventDetails"]["output"]) == {
        "Status": "Approved! Task approved by ops@example.com"}
    assert_history_contiguous(ex)


def test_an_unknown_token_is_task_does_not_exist(runtime):
    with pytest.raises(services.ServiceError) as err:
        services.send_task_success("nope", "{}")
    assert err.value.code == "TaskDoesNotExist"


def test_a_callback_without_heartbeat_times_out(runtime, make_machine):
    ex = services.start_execution(callback_machine(make_machine, HeartbeatSeconds=1), {})
    ex = wait_for_execution(ex, 30)
    assert (ex.status, ex.error) == ("FAILED", "States.HeartbeatTimeout")
    assert ex.events.filter(type="TaskTimedOut").exists()
    assert_history_contiguous(ex)


def test_heartbeats_keep_a_callback_alive_until_success(runtime, make_machine):
    ex = services.start_execution(callback_machine(make_machine, HeartbeatSeconds=2), {})
    token = open_token(ex).token
    import time

    for _ in range(4):  # 4 s in all, twice the heartbeat period
        time.sleep(1)
        services.send_task_heartbeat(token)
    ex.refresh_from_db()
    assert ex.status == "RUNNING"
    services.send_task_success(token, '"done"')
    assert wait_for_execution(ex, 10).output == "done"


def test_a_callback_past_its_timeout_fails_with_states_timeout(runtime, make_machine):
    ex = wait_for_execution(services.start_execution(
        callback_machine(make_machine, TimeoutSeconds=1), {}), 30)
    assert (ex.status, ex.error) == ("FAILED", "States.Timeout")


def test_a_handler_past_its_timeout_fails_and_is_caught(runtime, make_machine):
    machine = make_machine({"StartAt": "Slow", "States": {
        "Slow": {"Type": "Task", "Resource": lambda_arn("test-slow"), "TimeoutSeconds": 1,
                 "Parameters": {"key": "timeout", "seconds": 5},
                 "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Late"}], "End": True},
        "Late": {"Type": "Pass", "Result": "late", "End": True}}})
    ex = wait_for_execution(services.start_execution(machine, {}), 30)
    assert ex.output == "late"
    assert ex.events.filter(type="LambdaFunctionTimedOut").exists()


def test_a_handler_that_stops_heartbeating_times_out_and_one_that_beats_does_not(
        runtime, make_machine):
    def machine(handler):
        return make_machine({"StartAt": "T", "States": {"T": {
            "Type": "Task", "Resource": f"arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": handler, "Payload": {"seconds": 4, "beats": 6}},
            "HeartbeatSeconds": 1, "OutputPath": "$.Payload", "End": True}}})

    silent = services.start_execution(machine("test-silent"), {})
    beating = services.start_execution(machine("test-beating"), {})
    silent, beating = wait_for_execution(silent, 30), wait_for_execution(beating, 30)
    assert (silent.status, silent.error) == ("FAILED", "States.HeartbeatTimeout")
    assert (beating.status, beating.output) == ("SUCCEEDED", "alive")


def test_an_activity_worker_takes_the_task_and_answers_it(runtime, make_machine, user):
    activity = Activity.objects.create(owner=user, name="review")
    machine = make_machine({"StartAt": "Review", "States": {"Review": {
        "Type": "Task", "Resource": activity.arn, "Parameters": {"doc.$": "$.doc"},
        "End": True}}})
    ex = services.start_execution(machine, {"doc": "spec.md"})
    task = services.get_activity_task(activity, "worker-1", wait_seconds=10)
    assert json.loads(task["input"]) == {"doc": "spec.md"}
    assert services.get_activity_task(activity, "worker-2", wait_seconds=0.5) == {}
    services.send_task_success(task["taskToken"], '{"verdict": "lgtm"}')
    ex = wait_for_execution(ex, 10)
    assert ex.output == {"verdict": "lgtm"}
    assert_history_contiguous(ex)
    # AWS records an activity task as Activity* events, not Task* (as the local evaluator does).
    kinds = list(ex.events.order_by("seq").values_list("type", flat=True))
    assert kinds == ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                     "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
                     "ExecutionSucceeded"]
    details = {e.type: e.details for e in ex.events.all()}
    scheduled = details["ActivityScheduled"]["activityScheduledEventDetails"]
    assert scheduled["resource"] == activity.arn
    assert json.loads(scheduled["input"]) == {"doc": "spec.md"}
    assert "activityStartedEventDetails" in details["ActivityStarted"]
    done = details["ActivitySucceeded"]["activitySucceededEventDetails"]
    assert json.loads(done["output"]) == {"verdict": "lgtm"}


@pytest.fixture
def local_http_allowed(runtime_env):
    """Let the worker's HTTP task call the test server on 127.0.0.1 (refused by default)."""
    runtime_env[0]["HTTP_TASK_ALLOWED_HOSTS"] = "127.0.0.1"


def test_the_http_task_makes_a_real_request(local_http_allowed, runtime, make_machine):
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            body = json.dumps({"ok": True}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        machine = make_machine({"StartAt": "Call", "States": {"Call": {
            "Type": "Task", "Resource": "arn:aws:states:::http:invoke",
            "Parameters": {"ApiEndpoint": f"http://127.0.0.1:{server.server_port}/hook",
                           "Method": "POST", "RequestBody": {"n.$": "$.n"},
                           "Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:000000000000:connection/x/y"}},
            "ResultSelector": {"status.$": "$.StatusCode", "body.$": "$.ResponseBody"},
            "End": True}}})
        ex = wait_for_execution(services.start_execution(machine, {"n": 7}), 30)
    finally:
        server.shutdown()
    assert ex.output == {"status": 201, "body": {"ok": True}}, (ex.error, ex.cause)
    assert seen == [{"n": 7}]
