"""`.waitForTaskToken` with a handler on the local driver: the task's result is what the
callback sends (SendTaskSuccess's output), never the Invoke envelope or the handler's return."""
import pytest

from engine.asl import run_state_machine, send_task_failure, send_task_success, task_handler
from engine.asl.handlers import UnknownTaskToken, unregister

CALLBACK = {"StartAt": "Ask", "States": {"Ask": {
    "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:asker:live",
                   "Payload": {"token.$": "$$.Task.Token", "q.$": "$.q"}},
    "Catch": [{"ErrorEquals": ["Rejected"], "ResultPath": "$.error", "Next": "No"}],
    "ResultPath": "$.answer", "End": True},
    "No": {"Type": "Pass", "End": True}}}


@pytest.fixture
def asker():
    def register(fn):
        task_handler("asker")(fn)
        return fn
    yield register
    unregister("asker")


def test_the_callback_output_is_the_result(asker):
    @asker
    def ask(event):
        send_task_success(event["token"], '{"ok": true, "q": "%s"}' % event["q"])
        return {"statusCode": 200}  # what the Lambda returns is not the task's result

    r = run_state_machine(CALLBACK, {"q": "deploy?"})
    assert r.output == {"q": "deploy?", "answer": {"ok": True, "q": "deploy?"}}
    types = [e["type"] for e in r.events]
    assert types[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]


def test_a_callback_failure_is_the_tasks_error(asker):
    @asker
    def ask(event):
        send_task_failure(event["token"], "Rejected", "not on a Friday")

    r = run_state_machine(CALLBACK, {"q": "deploy?"})
    assert r.output["error"] == {"Error": "Rejected", "Cause": "not on a Friday"}


def test_a_handler_that_sends_nothing_stands_for_the_callback_unwrapped(asker):
    # Locally nobody else can answer: the return value is the callback's output, never
    # wrapped in the Invoke response ({"Payload": …, "StatusCode": 200}).
    asker(lambda event: {"approved": True})
    assert run_state_machine(CALLBACK, {"q": "x"}).output["answer"] == {"approved": True}


def test_a_token_answers_once_and_unknown_tokens_are_refused(asker):
    @asker
    def ask(event):
        send_task_success(event["token"], "1")
        with pytest.raises(UnknownTaskToken):
            send_task_success(event["token"], "2")
        with pytest.raises(UnknownTaskToken):
            send_task_success("not-a-token", "3")

    assert run_state_machine(CALLBACK, {"q": "x"}).output["answer"] == 1


def test_plain_lambda_invoke_keeps_the_invoke_envelope(asker):
    asker(lambda event: {"v": 1})
    definition = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "asker", "Payload": {}}, "End": True}}}
    out = run_state_machine(definition, {}).output
    assert out["Payload"] == {"v": 1} and out["StatusCode"] == 200
