"""The handler API (engine.asl.handlers): how user code is registered, called and answered.

In-process (the local driver and `handlers.invoke`); the durable runtime's side is in
tests/engine/runtime/test_user_handlers.py.
"""
import asyncio
import json
import time

import pytest

from engine.asl import handlers, run_state_machine
from engine.asl.handlers import TaskFailure, TaskRequest, register_lambda, task_handler

LEGACY = "arn:aws:lambda:eu-west-1:123456789012:function:{}"


@pytest.fixture
def names():
    """Names registered by a test, unregistered after it."""
    added = []
    yield added
    for name in added:
        handlers.unregister(name)


def lambda_invoke(name, payload=None, **params):
    return {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": name, "Payload": payload, **params}, "End": True}


def one_task(state) -> dict:
    return {"StartAt": "T", "States": {"T": state}}


def run_one(state, input_value=None):
    return run_state_machine(one_task(state), input_value)


# -- registering ---------------------------------------------------------------------------

def test_a_handler_is_registered_with_its_description_and_queue(names):
    @task_handler("resize", description="Resize an image", queue="media")
    def resize(payload):
        return payload
    names.append("resize")
    h = handlers.get_handler("resize")
    assert (h.description, h.queue, h.kind) == ("Resize an image", "media", "handler")
    assert h.origin.endswith("test_handler_api.test_a_handler_is_registered_with_its_description_and_queue.<locals>.resize")


def test_the_description_defaults_to_the_docstrings_first_paragraph(names):
    @task_handler("documented")
    def documented(payload):
        """Send the invoice
        to the customer.

        Details nobody reads in a palette."""
    names.append("documented")
    assert handlers.get_handler("documented").description == "Send the invoice to the customer."


@pytest.mark.parametrize("queue", ["", "has space", "a/b", 7])
def test_a_queue_name_must_be_a_plain_name(queue):
    with pytest.raises(ValueError, match="queue must be"):
        task_handler("q", queue=queue)


@pytest.mark.parametrize("name", ["", "two words", None])
def test_a_handler_name_must_be_a_word(name):
    with pytest.raises(ValueError, match="task handler name"):
        task_handler(name)


def test_registering_a_name_again_from_other_code_is_recorded_as_a_conflict(names):
    names.append("twice")
    before = len(handlers.CONFLICTS)
    task_handler("twice")(lambda p: 1)
    task_handler("twice")(lambda p: 2)  # another function (same module, another qualname)
    assert len(handlers.CONFLICTS) == before  # both lambdas have the qualname "<lambda>"

    def first(p):
        return 1

    def second(p):
        return 2
    task_handler("twice")(first)
    task_handler("twice")(second)
    assert handlers.CONFLICTS[-1][0] == "twice"
    assert handlers.CONFLICTS[-1][1].endswith("first") and handlers.CONFLICTS[-1][2].endswith("second")


# -- calling: payload, request, async ------------------------------------------------------

def test_a_two_argument_handler_gets_a_dict_request_with_a_heartbeat(names):
    seen = {}

    @task_handler("with-request")
    def with_request(payload, request):
        seen["is_dict"] = isinstance(request, dict) and isinstance(request, TaskRequest)
        seen["state"] = (request["state"], request.state_name, request.attempt)
        request.heartbeat()  # no runtime behind the local driver: a no-op, never an error
        return {"got": payload}
    names.append("with-request")
    result = run_one({"Type": "Task", "Resource": LEGACY.format("with-request"), "End": True}, {"x": 1})
    assert result.status == "SUCCEEDED" and result.output == {"got": {"x": 1}}
    assert seen == {"is_dict": True, "state": ("T", "T", 0)}


def test_request_heartbeat_calls_what_the_driver_put_in_the_request(names):
    beats = []

    @task_handler("beats")
    def beats_handler(payload, request):
        request.heartbeat()
        request["heartbeat"]()  # the dict form keeps working
        return len(beats)
    names.append("beats")
    req = {"state": "T", "resource": LEGACY.format("beats"), "kind": "lambda", "service": "lambda",
           "action": "invoke", "function": "beats", "parameters": {}, "heartbeat": lambda: beats.append(1),
           "idempotency_key": "k-1"}
    assert handlers.invoke(req).value == 2


def test_async_handlers_are_awaited(names):
    @task_handler("async-double")
    async def double(payload):
        await asyncio.sleep(0.01)
        return payload * 2
    names.append("async-double")
    assert run_one({"Type": "Task", "Resource": LEGACY.format("async-double"), "End": True}, 21).output == 42


def test_an_async_handler_called_from_inside_an_event_loop_still_runs(names):
    @task_handler("async-inside")
    async def inside(payload):
        return "ran"
    names.append("async-inside")
    req = {"state": "T", "resource": LEGACY.format("async-inside"), "kind": "lambda",
           "service": "lambda", "action": "invoke", "function": "async-inside", "parameters": {}}

    async def caller():
        return handlers.invoke(req)
    assert asyncio.run(caller()).value == "ran"


# -- failures --------------------------------------------------------------------------------

def test_task_failure_sets_the_error_and_cause_that_catch_sees(names):
    @task_handler("declines")
    def declines(payload):
        raise TaskFailure("PaymentDeclined", "over the limit")
    names.append("declines")
    state = {"Type": "Task", "Resource": LEGACY.format("declines"), "End": True,
             "Catch": [{"ErrorEquals": ["PaymentDeclined"], "Next": "Caught"}]}
    result = run_state_machine({"StartAt": "T", "States": {"T": state, "Caught": {"Type": "Pass", "End": True}}}, {})
    assert result.status == "SUCCEEDED"
    assert result.output == {"Error": "PaymentDeclined", "Cause": "over the limit"}


def test_any_other_exception_fails_the_task_as_an_unhandled_lambda_error(names):
    class JobServiceDown(Exception):
        pass

    @task_handler("crashes")
    def crashes(payload):
        raise JobServiceDown("status endpoint answered 503")
    names.append("crashes")
    result = run_one(lambda_invoke("crashes", {}))
    assert result.status == "FAILED" and result.error == "JobServiceDown"
    cause = json.loads(result.cause)
    assert list(cause) == ["errorMessage", "errorType", "requestId", "stackTrace"]  # Lambda's order
    assert cause["errorMessage"] == "status endpoint answered 503"
    assert cause["errorType"] == "JobServiceDown"
    assert any("raise JobServiceDown" in line for line in cause["stackTrace"])


def test_a_result_that_is_not_json_fails_with_a_runtime_error_naming_the_handler(names):
    @task_handler("returns-a-set")
    def returns_set(payload):
        return {"tags": {"a", "b"}}
    names.append("returns-a-set")
    state = {"Type": "Task", "Resource": LEGACY.format("returns-a-set"), "End": True,
             "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]}
    result = run_state_machine({"StartAt": "T", "States": {"T": state, "Caught": {"Type": "Pass", "End": True}}}, {})
    # States.Runtime is not caught by States.ALL: a handler bug fails the execution.
    assert result.status == "FAILED" and result.error == "States.Runtime"
    assert "'returns-a-set'" in result.cause and "returns_set" in result.cause
    assert "not JSON" in result.cause and "set is not JSON serializable" in result.cause


def test_nan_is_not_json_either(names):
    task_handler("nan")(lambda p: float("nan"))
    names.append("nan")
    result = run_one({"Type": "Task", "Resource": LEGACY.format("nan"), "End": True})
    assert result.error == "States.Runtime"


def test_tuples_come_back_as_json_lists_and_int_keys_as_strings(names):
    task_handler("tuple")(lambda p: {"pair": (1, 2), "by_id": {7: "seven"}})
    names.append("tuple")
    assert run_one({"Type": "Task", "Resource": LEGACY.format("tuple"), "End": True}).output == \
        {"pair": [1, 2], "by_id": {"7": "seven"}}


def test_a_result_that_refers_to_itself_is_not_json(names):
    def loop(payload):
        cycle = {}
        cycle["self"] = cycle
        return cycle
    task_handler("cycle")(loop)
    names.append("cycle")
    result = run_one({"Type": "Task", "Resource": LEGACY.format("cycle"), "End": True})
    assert result.error == "States.Runtime" and "'cycle'" in result.cause


def test_a_result_over_256_kib_fails_with_data_limit_exceeded(names):
    task_handler("huge")(lambda p: "x" * (256 * 1024 + 1))
    names.append("huge")
    result = run_one({"Type": "Task", "Resource": LEGACY.format("huge"), "End": True})
    assert result.status == "FAILED" and result.error == "States.DataLimitExceeded"


def test_an_unknown_function_fails_naming_what_is_registered(names):
    task_handler("known-one")(lambda p: p)
    names.append("known-one")
    result = run_one(lambda_invoke("not-there", {}))
    assert result.error == "Lambda.ResourceNotFoundException"
    assert "Function not found: not-there" in result.cause
    assert "known-one" in result.cause and "STEPSTUDIO_HANDLERS" in result.cause
    other = run_one({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                     "Parameters": {"QueueUrl": "q", "MessageBody": "m"}, "End": True})
    assert other.error == "States.TaskFailed" and "known-one" in other.cause


# -- Lambda-style functions -----------------------------------------------------------------

def test_a_lambda_handler_gets_the_event_and_lambdas_context(names):
    seen = {}

    def lambda_handler(event, context):
        seen.update(event=event, name=context.function_name, version=context.function_version,
                    arn=context.invoked_function_arn, request_id=context.aws_request_id,
                    memory=context.memory_limit_in_mb, group=context.log_group_name,
                    stream=context.log_stream_name, remaining=context.get_remaining_time_in_millis())
        return {"ok": True}
    register_lambda("create-task", lambda_handler, memory_limit_in_mb=256)
    names.append("create-task")
    state = {"Type": "Task", "Resource": LEGACY.format("create-task"), "TimeoutSeconds": 30, "End": True}
    result = run_one(state, {"job": 1})
    assert result.output == {"ok": True}
    assert seen["event"] == {"job": 1}
    assert seen["name"] == "create-task" and seen["version"] == "$LATEST"
    assert seen["arn"] == "arn:aws:lambda:eu-west-1:123456789012:function:create-task"
    assert len(seen["request_id"]) == 36 and seen["memory"] == "256"
    assert seen["group"] == "/aws/lambda/create-task"
    assert seen["stream"].endswith("]" + seen["stream"].split("]")[-1]) and "[$LATEST]" in seen["stream"]
    # From the state's TimeoutSeconds (30 s), counting down.
    assert 25_000 < seen["remaining"] <= 30_000


def test_the_remaining_time_counts_down(names):
    marks = []

    def lambda_handler(event, context):
        marks.append(context.get_remaining_time_in_millis())
        time.sleep(0.05)
        marks.append(context.get_remaining_time_in_millis())
    register_lambda("counts-down", lambda_handler, timeout_seconds=5)
    names.append("counts-down")
    run_one({"Type": "Task", "Resource": LEGACY.format("counts-down"), "End": True})
    assert marks[0] <= 5000 and marks[1] < marks[0]


def test_lambda_invoke_answers_with_the_invoke_api_response(names):
    register_lambda("check", lambda event, context: {"status": "DONE", "id": event["id"]})
    names.append("check")
    result = run_one(lambda_invoke("arn:aws:lambda:us-east-1:123456789012:function:check:live", {"id": 7}))
    out = result.output
    assert out["Payload"] == {"status": "DONE", "id": 7}
    assert out["StatusCode"] == 200 and out["ExecutedVersion"] == "$LATEST"
    assert out["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert out["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"] == out["SdkResponseMetadata"]["RequestId"]
    assert out["SdkHttpMetadata"]["AllHttpHeaders"]["Content-Type"] == ["application/json"]


def test_the_legacy_function_arn_answers_with_the_bare_value(names):
    register_lambda("bare", lambda event, context: [1, 2])
    names.append("bare")
    assert run_one({"Type": "Task", "Resource": LEGACY.format("bare"), "End": True}).output == [1, 2]


def test_output_path_payload_gives_the_functions_value(names):
    register_lambda("payload", lambda event, context: {"n": event["n"] + 1})
    names.append("payload")
    state = dict(lambda_invoke("payload"), Parameters={"FunctionName": "payload", "Payload.$": "$"},
                 OutputPath="$.Payload")
    assert run_one(state, {"n": 1}).output == {"n": 2}


def test_invocation_type_event_and_dry_run(names):
    calls = []
    register_lambda("fire", lambda event, context: calls.append(event) or "ignored")
    names.append("fire")
    event = run_one(lambda_invoke("fire", {"a": 1}, InvocationType="Event")).output
    assert (event["StatusCode"], event["Payload"]) == (202, "") and calls == [{"a": 1}]
    dry = run_one(lambda_invoke("fire", {"a": 2}, InvocationType="DryRun")).output
    assert dry["StatusCode"] == 204 and calls == [{"a": 1}]


def test_a_lambda_handlers_exception_has_lambdas_error_shape(names):
    def lambda_handler(event, context):
        raise ValueError("bad job id")
    register_lambda("fails", lambda_handler)
    names.append("fails")
    result = run_one({"Type": "Task", "Resource": LEGACY.format("fails"), "End": True})
    assert result.error == "ValueError"
    assert json.loads(result.cause)["errorMessage"] == "bad job id"
    assert [e["type"] for e in result.events][2:4] == ["LambdaFunctionScheduled", "LambdaFunctionStarted"]
