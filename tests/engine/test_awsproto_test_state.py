"""TestState through boto3 against a live server: inspection levels, a state of a whole
machine, mocks, variables, context, retries and catches, and its errors."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…

pytestmark = pytest.mark.django_db(transaction=True)

# No function of this name is registered: a call would fail with ResourceNotFound, so a
# result from it can only come from the mock.
MISSING_FUNCTION = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "not-registered", "Payload.$": "$.order"}}


def run(sfn, state, **kwargs):
    return sfn.test_state(definition=json.dumps(state), **kwargs)


def loads(inspection):
    return {k: json.loads(v) for k, v in inspection.items() if isinstance(v, str)}


def test_debug_shows_the_input_after_each_jsonpath_stage(sfn):
    state = {**MISSING_FUNCTION, "InputPath": "$.body", "ResultSelector": {"total.$": "$.Payload.sum"},
             "ResultPath": "$.result", "OutputPath": "$.result", "Next": "Ship"}
    result = run(sfn, state, input=json.dumps({"body": {"order": {"n": 2}}, "other": 1}),
                 inspectionLevel="DEBUG",
                 mock={"result": json.dumps({"Payload": {"sum": 42}, "StatusCode": 200})})

    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"total": 42}
    assert result["nextState"] == "Ship"
    assert loads(result["inspectionData"]) == {
        "input": {"body": {"order": {"n": 2}}, "other": 1},
        "afterInputPath": {"order": {"n": 2}},
        "afterParameters": {"FunctionName": "not-registered", "Payload": {"n": 2}},
        "result": {"Payload": {"sum": 42}, "StatusCode": 200},
        "afterResultSelector": {"total": 42},
        # ResultPath writes into the state's raw input, not the InputPath's selection.
        "afterResultPath": {"body": {"order": {"n": 2}}, "other": 1, "result": {"total": 42}},
    }


def test_info_has_no_inspection_data(sfn):
    result = run(sfn, {"Type": "Pass", "End": True}, input="{}")
    assert "inspectionData" not in result


def test_jsonata_arguments_variables_and_assign(sfn):
    state = {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input.a + $base %}",
             "Assign": {"seen": "{% $states.input.a %}"}, "End": True}
    result = run(sfn, state, input=json.dumps({"a": 1}), variables=json.dumps({"base": 10}),
                 inspectionLevel="DEBUG")
    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == 11
    data = loads(result["inspectionData"])
    assert data["input"] == {"a": 1}
    assert data["variables"] == {"base": 10, "seen": 1}
    assert "afterInputPath" not in data


def test_the_context_object_can_be_given(sfn):
    state = {"Type": "Pass", "Parameters": {"token.$": "$$.Task.Token", "name.$": "$$.Execution.Name"},
             "End": True}
    result = run(sfn, state, context=json.dumps({"Task": {"Token": "abc"},
                                                 "Execution": {"Name": "given"}}))
    assert json.loads(result["output"]) == {"token": "abc", "name": "given"}


def test_a_state_of_a_whole_machine_by_name(sfn):
    machine = {"StartAt": "First", "States": {
        "First": {"Type": "Pass", "Result": "no", "Next": "Pick"},
        "Pick": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"}], "Default": "Small"},
        "Big": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}}}
    result = sfn.test_state(definition=json.dumps(machine), stateName="Pick",
                            input=json.dumps({"n": 9}))
    assert (result["status"], result["nextState"]) == ("SUCCEEDED", "Big")
    assert json.loads(result["output"]) == {"n": 9}

    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.test_state(definition=json.dumps(machine))  # which state?
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.test_state(definition=json.dumps(machine), stateName="Nope")


def test_a_mocked_error_with_a_retrier_is_retriable(sfn):
    state = {**MISSING_FUNCTION, "End": True,
             "Retry": [{"ErrorEquals": ["Other"]}, {"ErrorEquals": ["Busy"], "IntervalSeconds": 3}]}
    result = run(sfn, state, input=json.dumps({"order": {}}), inspectionLevel="DEBUG",
                 mock={"errorOutput": {"error": "Busy", "cause": "try later"}})
    assert (result["status"], result["error"], result["cause"]) == ("RETRIABLE", "Busy", "try later")
    assert result["inspectionData"]["errorDetails"] == {"retryIndex": 1, "retryBackoffIntervalSeconds": 3}


def test_a_mocked_error_with_a_catcher_is_caught(sfn):
    state = {**MISSING_FUNCTION, "End": True,
             "Catch": [{"ErrorEquals": ["Nope"], "Next": "A"},
                       {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover"}]}
    result = run(sfn, state, input=json.dumps({"order": {}}), inspectionLevel="DEBUG",
                 mock={"errorOutput": {"error": "Boom", "cause": "it broke"}})
    assert (result["status"], result["nextState"], result["error"]) == ("CAUGHT_ERROR", "Recover", "Boom")
    assert json.loads(result["output"]) == {"order": {}, "error": {"Error": "Boom", "Cause": "it broke"}}
    assert result["inspectionData"]["errorDetails"] == {"catchIndex": 1}


def test_an_uncaught_mocked_error_fails(sfn):
    result = run(sfn, {**MISSING_FUNCTION, "End": True}, input=json.dumps({"order": {}}),
                 mock={"errorOutput": {"error": "Boom", "cause": "it broke"}})
    assert (result["status"], result["error"], result["cause"]) == ("FAILED", "Boom", "it broke")


def test_without_a_mock_the_handler_is_called(sfn):
    result = run(sfn, {**MISSING_FUNCTION, "End": True}, input=json.dumps({"order": {}}))
    assert (result["status"], result["error"]) == ("FAILED", "Lambda.ResourceNotFoundException")


def test_a_wait_state_does_not_wait(sfn):
    result = run(sfn, {"Type": "Wait", "Seconds": 86400, "Next": "After"}, input='{"a": 1}')
    assert (result["status"], result["nextState"], json.loads(result["output"])) == \
        ("SUCCEEDED", "After", {"a": 1})


@pytest.mark.parametrize("kwargs, error", [
    ({"definition": json.dumps({"Type": "Pass", "End": True}), "revealSecrets": True},
     "ValidationException"),
    ({"definition": json.dumps({"Type": "Pass", "End": True}),
      "mock": {"result": "{}"}}, "ValidationException"),
    ({"definition": json.dumps(MISSING_FUNCTION | {"End": True}),
      "mock": {"result": "{}", "errorOutput": {"error": "E"}}}, "ValidationException"),
    ({"definition": json.dumps({"Type": "Pass", "End": True}), "variables": "[1]"},
     "ValidationException"),
    ({"definition": json.dumps({"Type": "Pass"})}, "InvalidDefinition"),
    ({"definition": "{not json"}, "InvalidDefinition"),
    ({"definition": json.dumps({"Type": "Pass", "End": True}), "input": "{not json"},
     "InvalidExecutionInput"),
    ({"definition": json.dumps({"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}]})},
     "ValidationException"),
])
def test_bad_requests_get_the_models_errors(sfn, kwargs, error):
    with pytest.raises(sfn.exceptions.ClientError) as raised:
        sfn.test_state(**kwargs)
    assert raised.value.response["Error"]["Code"] == error


@pytest.fixture
def http_target():
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"] or 0))
            answer = json.dumps({"got": json.loads(body or b"null")}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Set-Cookie", "session=secret")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_trace_shows_the_http_request_and_response(sfn, settings, http_target):
    settings.HTTP_TASK_ALLOWED_HOSTS = ["127.0.0.1"]
    state = {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True,
             "Parameters": {"ApiEndpoint": http_target + "/orders", "Method": "POST",
                            "Headers": {"Authorization": "Bearer hush"},
                            "QueryParameters": {"v": "2"}, "RequestBody": {"n": 1}}}
    result = run(sfn, state, inspectionLevel="TRACE")
    assert result["status"] == "SUCCEEDED", result
    data = result["inspectionData"]
    assert data["request"]["method"] == "POST"
    assert data["request"]["url"] == http_target + "/orders?v=2"
    assert json.loads(data["request"]["body"]) == {"n": 1}
    assert json.loads(data["request"]["headers"]) == {"Authorization": "<redacted>"}
    assert data["response"]["statusCode"] == "200"
    assert json.loads(data["response"]["body"]) == {"got": {"n": 1}}
    assert "session=secret" not in data["response"]["headers"]

    revealed = run(sfn, state, inspectionLevel="TRACE", revealSecrets=True)["inspectionData"]
    assert json.loads(revealed["request"]["headers"]) == {"Authorization": "Bearer hush"}
    assert "session=secret" in revealed["response"]["headers"]
    assert "request" not in run(sfn, state, inspectionLevel="DEBUG")["inspectionData"]


def test_the_retrier_retry_count_applies_max_attempts_and_backoff(sfn):
    state = {**MISSING_FUNCTION, "End": True,
             "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "BackoffRate": 3,
                        "MaxAttempts": 3}]}
    busy = {"errorOutput": {"error": "Busy", "cause": "again"}}
    second = run(sfn, state, input=json.dumps({"order": {}}), inspectionLevel="DEBUG", mock=busy,
                 stateConfiguration={"retrierRetryCount": 2})
    assert second["status"] == "RETRIABLE"
    assert second["inspectionData"]["errorDetails"]["retryBackoffIntervalSeconds"] == 18  # 2 * 3²
    exhausted = run(sfn, state, input=json.dumps({"order": {}}), mock=busy,
                    stateConfiguration={"retrierRetryCount": 3})
    assert (exhausted["status"], exhausted["error"]) == ("FAILED", "Busy")
