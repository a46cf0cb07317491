import json

from engine.asl import TaskFailure, task_handler
from engine.asl.handlers import unregister

from .helpers import details, run, run_mocked, types

LEGACY = "arn:aws:lambda:us-east-1:111111111111:function:{}"
INVOKE = "arn:aws:states:::lambda:invoke"


def test_a_registered_handler_runs_for_the_legacy_lambda_arn():
    @task_handler("double")
    def double(payload):
        return {"v": payload["v"] * 2}
    try:
        r = run({"T": {"Type": "Task", "Resource": LEGACY.format("double"), "End": True}}, {"v": 21})
    finally:
        unregister("double")
    assert r.status == "SUCCEEDED" and r.output == {"v": 42}
    assert types(r) == ["ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                        "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"]


def test_lambda_invoke_resolves_function_name_and_returns_an_invoke_response():
    @task_handler("echo")
    def echo(payload):
        return payload
    try:
        r = run({"T": {"Type": "Task", "Resource": INVOKE,
                       "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:1:function:echo:$LATEST",
                                      "Payload.$": "$"},
                       "ResultSelector": {"p.$": "$.Payload", "s.$": "$.StatusCode"}, "End": True}}, {"a": 1})
    finally:
        unregister("echo")
    assert r.output == {"p": {"a": 1}, "s": 200}
    assert types(r)[2:5] == ["TaskScheduled", "TaskStarted", "TaskSucceeded"]
    sched = details(r, "TaskScheduled")[0]
    assert sched["resourceType"] == "lambda" and sched["resource"] == "invoke"
    assert json.loads(sched["parameters"])["Payload"] == {"a": 1}


def test_an_unregistered_function_can_not_be_called():
    r = run({"T": {"Type": "Task", "Resource": LEGACY.format("nobody-registered-this"), "End": True}})
    assert r.status == "FAILED" and r.error == "Lambda.ResourceNotFoundException"


def test_handler_task_failure_goes_to_catch_with_error_output():
    @task_handler("boom")
    def boom(payload):
        raise TaskFailure("Custom.Error", "it broke")
    try:
        r = run({"T": {"Type": "Task", "Resource": LEGACY.format("boom"), "ResultPath": "$.r",
                       "Catch": [{"ErrorEquals": ["Custom.Error"], "ResultPath": "$.err", "Next": "H"}], "End": True},
                 "H": {"Type": "Pass", "End": True}}, {"in": 1})
    finally:
        unregister("boom")
    assert r.status == "SUCCEEDED"
    assert r.output == {"in": 1, "err": {"Error": "Custom.Error", "Cause": "it broke"}}
    assert types(r)[2:7] == ["LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
                             "TaskStateExited", "PassStateEntered"]


def test_a_handler_exception_fails_like_a_lambda_function_error():
    @task_handler("raise")
    def raiser(payload):
        raise ValueError("nope")
    try:
        r = run({"T": {"Type": "Task", "Resource": LEGACY.format("raise"), "End": True}})
    finally:
        unregister("raise")
    assert r.error == "ValueError"
    assert json.loads(r.cause)["errorMessage"] == "nope"


def test_mocked_legacy_lambda_return_is_an_invoke_response_whose_payload_is_the_result():
    r = run_mocked({"T": {"Type": "Task", "Resource": LEGACY.format("f"), "End": True}}, {},
                   {"T": {"0": {"Return": {"StatusCode": 200, "Payload": {"ok": True}}}}})
    assert r.output == {"ok": True}


def test_task_result_over_the_payload_limit_is_a_catchable_task_failure():
    big = "x" * (256 * 1024 + 1)
    r = run_mocked({"T": {"Type": "Task", "Resource": INVOKE, "Parameters": {"FunctionName": "f"},
                          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}], "End": True},
                    "H": {"Type": "Pass", "End": True}}, {}, {"T": {"0": {"Return": {"Payload": big}}}})
    assert r.status == "SUCCEEDED"
    assert r.output["Error"] == "States.DataLimitExceeded"
    assert r.output["Cause"] == ("The state/task 'lambda' returned a result with a size exceeding the "
                                 "maximum number of bytes service limit.")
    assert "TaskFailed" in types(r)


def test_wait_for_task_token_exposes_the_token_and_records_task_submitted():
    r = run_mocked({"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                          "Parameters": {"MessageBody": {"token.$": "$$.Task.Token"}}, "End": True}}, {},
                   {"T": {"0": {"Return": {"done": 1}}}})
    assert r.output == {"done": 1}
    assert types(r)[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]
    body = json.loads(details(r, "TaskScheduled")[0]["parameters"])["MessageBody"]
    assert isinstance(body["token"], str) and body["token"]


def test_retry_count_is_in_the_context_object_of_task_states():
    r = run_mocked({"T": {"Type": "Task", "Resource": INVOKE,
                          "Parameters": {"FunctionName": "f", "Payload": {"n.$": "$$.State.RetryCount"}},
                          "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 1}], "End": True}}, {},
                   {"T": {"0": {"Throw": {"Error": "E"}}, "1": {"Return": {"ok": 1}}}})
    params = [json.loads(d["parameters"]) for d in details(r, "TaskScheduled")]
    assert [p["Payload"]["n"] for p in params] == [0, 1]


def test_timeout_seconds_path_that_selects_nothing_fails_before_scheduling():
    r = run({"T": {"Type": "Task", "Resource": INVOKE, "TimeoutSecondsPath": "$.nope", "End": True}})
    assert r.error == "States.Runtime"
    assert types(r) == ["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]
    assert r.cause.endswith("Invalid path '$.nope' : No results for path: $['nope']")


def test_timeouts_are_reported_in_task_scheduled():
    r = run_mocked({"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                          "TimeoutSeconds": 30, "HeartbeatSeconds": 10, "End": True}}, {},
                   {"T": {"0": {"Return": {}}}})
    sched = details(r, "TaskScheduled")[0]
    assert sched["timeoutInSeconds"] == 30 and sched["heartbeatInSeconds"] == 10


def _slow(seconds, **kw):
    from engine.asl.handlers import TakesTime
    task_handler("slow")(lambda p: TakesTime(seconds, {"done": True}, **kw))


def test_a_task_running_past_timeout_seconds_times_out_on_the_virtual_clock():
    _slow(10)
    try:
        r = run({"T": {"Type": "Task", "Resource": LEGACY.format("slow"), "TimeoutSeconds": 5,
                       "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "H"}], "End": True},
                 "H": {"Type": "Pass", "End": True}})
    finally:
        unregister("slow")
    assert r.status == "SUCCEEDED" and r.output["Error"] == "States.Timeout"
    assert "LambdaFunctionTimedOut" in types(r)


def test_missing_heartbeats_fail_with_heartbeat_timeout_and_beats_keep_it_alive():
    d = {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
               "HeartbeatSeconds": 3, "End": True}}
    task_handler("sqs:sendMessage")(lambda p: __import__("engine.asl.handlers", fromlist=["x"]).TakesTime(10, "late"))
    try:
        r = run(d)
        assert (r.error, types(r)[-2]) == ("States.HeartbeatTimeout", "TaskTimedOut")
        task_handler("sqs:sendMessage")(
            lambda p: __import__("engine.asl.handlers", fromlist=["x"]).TakesTime(10, "ok", heartbeat_every=2))
        assert run(d).output == "ok"
    finally:
        unregister("sqs:sendMessage")


def test_a_slow_task_can_hit_the_execution_timeout():
    _slow(100)
    try:
        r = run({"StartAt": "T", "TimeoutSeconds": 30,
                 "States": {"T": {"Type": "Task", "Resource": LEGACY.format("slow"), "End": True}}})
    finally:
        unregister("slow")
    assert r.status == "TIMED_OUT"


def test_credentials_are_evaluated_and_recorded_in_task_scheduled():
    r = run_mocked({"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                          "Credentials": {"RoleArn.$": "$.role"}, "End": True}},
                   {"role": "arn:aws:iam::1:role/r"}, {"T": {"0": {"Return": {}}}})
    assert details(r, "TaskScheduled")[0]["taskCredentials"] == {"roleArn": "arn:aws:iam::1:role/r"}


def test_activities_are_served_by_the_handler_named_like_the_activity():
    task_handler("approve")(lambda p: {"ok": p["n"]})
    try:
        r = run({"A": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:111111111111:activity:approve",
                       "HeartbeatSeconds": 30, "End": True}}, {"n": 1})
    finally:
        unregister("approve")
    assert r.output == {"ok": 1}
    assert types(r)[2:5] == ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"]
    assert details(r, "ActivityScheduled")[0]["heartbeatInSeconds"] == 30
