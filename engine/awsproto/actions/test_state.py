"""TestState: run one state on an input and report its output and next state.

The definition is one state, or a whole machine with `stateName` naming the state to test.
engine.asl.drivers.test_state enters that state once (the evaluator every driver uses) and
stops when it leaves it. `inspectionLevel` DEBUG adds `inspectionData` (the data after each
data-flow stage, the result, the variables); TRACE adds the HTTP request and response of an
HTTP Task. `mock` stands for the task's outcome (no handler is called); `variables` and
`context` seed the workflow variables and the context object.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

from engine.api.machines import invalid_definition_message
from engine.asl import check_definition
from engine.asl import step as S
from engine.asl.drivers.test_state import machine_for_state, run_state
from engine.asl.errors import InvalidDefinition, StatesError

from .. import configuration, errors
from ..dispatch import action

_NOT_TESTABLE = ("Map", "Parallel")  # not run here; see the driver's docstring
_HTTP_RESOURCE = "arn:aws:states:::http:invoke"
# Header values TRACE shows only with revealSecrets (credentials a request or answer carries).
_SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}


@action("TestState")
def test_state(caller, params):
    level = params.get("inspectionLevel") or "INFO"
    if params.get("revealSecrets") and level != "TRACE":
        raise errors.validation("revealSecrets can only be used with inspectionLevel TRACE")
    if params.get("roleArn"):
        configuration.role(params["roleArn"])  # InvalidArn, as CreateStateMachine's
    definition = _load_json(params["definition"], "InvalidDefinition", "definition")
    machine, name = _machine(definition, params.get("stateName"))
    state = machine.state(name)
    if state.get("Type") in _NOT_TESTABLE:
        raise errors.validation(f"TestState does not support {state['Type']} states")
    data = _load_json(params.get("input") or "{}", "InvalidExecutionInput", "input")
    variables = _load_object(params.get("variables"), "variables")
    context = _load_object(params.get("context"), "context")
    mock = _mock(params.get("mock"))
    if mock is not None and state.get("Type") != "Task":
        raise errors.validation("A mock can only be given for a Task state")

    config = params.get("stateConfiguration") or {}
    retry_count = config.get("retrierRetryCount")
    if retry_count is not None and (not isinstance(retry_count, int) or isinstance(retry_count, bool)
                                    or retry_count < 0):
        raise errors.validation("stateConfiguration.retrierRetryCount must be an integer >= 0")
    run = run_state(machine, name, data, variables=variables, context=context, mock=mock,
                    inspect=level in ("DEBUG", "TRACE"), retrier_retry_count=retry_count)

    out = {"status": run.status}
    if run.has_output:
        out["output"] = _text(run.output)
    if run.error is not None:
        out["error"] = run.error
    if run.cause is not None:
        out["cause"] = run.cause
    if run.next_state:
        out["nextState"] = run.next_state
    if level in ("DEBUG", "TRACE"):
        inspection = {k: _text(v) for k, v in run.inspection.items()}
        details = {k: v for k, v in (("retryIndex", run.retry_index),
                                     ("retryBackoffIntervalSeconds", run.retry_backoff_seconds),
                                     ("catchIndex", run.catch_index)) if v is not None}
        if details:
            inspection["errorDetails"] = details
        if level == "TRACE" and state.get("Resource") == _HTTP_RESOURCE and run.request:
            inspection.update(_http_trace(run, bool(params.get("revealSecrets"))))
        out["inspectionData"] = inspection
    return out


def _machine(definition, state_name: str | None):
    """(parsed machine, the name of the state to test)."""
    if not isinstance(definition, dict):
        raise _invalid("SCHEMA_VALIDATION_FAILED: The definition must be a JSON object")
    if "States" in definition:
        if not state_name:
            raise errors.validation("stateName is required when the definition is a state "
                                    "machine")
        if state_name not in (definition.get("States") or {}):
            raise errors.validation(f"stateName '{state_name}' is not a state of the definition")
        whole = definition
        name = state_name
    else:
        if "Type" not in definition:
            raise _invalid('SCHEMA_VALIDATION_FAILED: The field "Type" is required at /')
        name = state_name or "TestState"
        whole = machine_for_state(definition, name)
    try:
        return check_definition(whole), name
    except InvalidDefinition as error:
        raise errors.AwsError("InvalidDefinition",
                              invalid_definition_message(error.diagnostics)) from None


def _invalid(detail: str) -> errors.AwsError:
    return errors.AwsError("InvalidDefinition", f"Invalid State Machine Definition: '{detail}'")


def _mock(mock: dict | None) -> S.TaskResult | None:
    if mock is None:
        return None
    has_result, has_error = "result" in mock, "errorOutput" in mock
    if has_result == has_error:
        raise errors.validation("A mock must have exactly one of result and errorOutput")
    if has_result:
        return S.TaskResult(True, _load_json(mock["result"], "ValidationException", "mock.result"))
    failure = mock["errorOutput"] or {}
    return S.TaskResult(False, None, failure.get("error"), failure.get("cause"))


def _load_object(text: str | None, field: str) -> dict | None:
    if text is None:
        return None
    value = _load_json(text, "ValidationException", field)
    if not isinstance(value, dict):
        raise errors.validation(f"{field} must be a JSON object")
    return value


def _load_json(text: str, code: str, field: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        if code == "InvalidExecutionInput":
            raise errors.AwsError(code, f"Invalid State Machine Execution Input: "
                                        f"'{field} is not valid JSON'") from None
        if code == "InvalidDefinition":
            raise _invalid(f"INVALID_JSON_DESCRIPTION: {field} is not valid JSON") from None
        raise errors.validation(f"{field} is not valid JSON") from None


def _text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _http_trace(run, reveal: bool) -> dict:
    """TRACE's request and response of an HTTP Task, from its arguments and its result."""
    args = run.request.get("parameters") or {}
    url = str(args.get("ApiEndpoint", ""))
    query = args.get("QueryParameters")
    if isinstance(query, dict) and query:
        url += ("&" if "?" in url else "?") + urlencode(query, doseq=True)
    body = args.get("RequestBody")
    request = {"protocol": urlsplit(url).scheme or "https", "method": str(args.get("Method", "")),
               "url": url, "headers": _headers(args.get("Headers") or {}, reveal),
               "body": "" if body is None else body if isinstance(body, str) else _text(body)}
    out = {"request": request}
    result = run.task_result
    if result is not None and result.ok and isinstance(result.value, dict):
        value = result.value
        body = value.get("ResponseBody")
        out["response"] = {
            "protocol": request["protocol"], "statusCode": str(value.get("StatusCode", "")),
            "statusMessage": str(value.get("StatusText", "")),
            "headers": _headers(value.get("Headers") or {}, reveal),
            "body": "" if body is None else body if isinstance(body, str) else _text(body)}
    return out


def _headers(headers: dict, reveal: bool) -> str:
    shown = {k: (v if reveal or k.lower() not in _SECRET_HEADERS else "<redacted>")
             for k, v in headers.items()}
    return _text(shown)
