"""Nested executions: what `arn:aws:states:::states:startExecution` gives back, as AWS does.

Both drivers start the child themselves (the durable runtime: engine/runtime/nested.py; the
local driver with a resolver for child machines); this module only holds the shapes, so the
two agree:

* request-response: StartExecution's answer as the Java SDK serialises it —
  `ExecutionArn`, `StartDate` (epoch milliseconds) and the SDK's `SdkHttpMetadata` /
  `SdkResponseMetadata` (corpus `task__start_execution_input_json`);
* `.sync`: DescribeExecution of the ended child with capitalised keys, `Input` / `Output`
  as JSON text (corpus `callback__start_execution_sync`); `.sync:2`: the same with `Input`
  / `Output` as JSON values (`callback__start_execution_sync2`);
* a child that did not succeed fails the task with `States.TaskFailed`, the cause being that
  description as JSON text, with the child's `Error` and `Cause`
  (`callback__start_execution_sync_delegate_failure`, `…_delegate_timeout`);
* StartExecution's own errors are `StepFunctions.<Code>Exception` with the Java SDK's cause
  text (`errors__start_execution_no_such_arn`).

The `Input` parameter: a JSON value is serialised (null or absent: `{}`), a string is JSON
text and must parse. `AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID` inside it is kept in the
child's input, as AWS keeps it (AWS's console links the executions through it).
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from email.utils import format_datetime

SERVICE = "states"
ACTION = "startExecution"
STARTED_BY = "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"

REQUEST_RESPONSE, SYNC, SYNC2, CALLBACK = "request_response", "sync", "sync:2", "wait_for_task_token"
ENDED = ("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")


class StartError(Exception):
    """StartExecution refused: AWS's error name and cause for the Task's failure."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status

    @property
    def error(self) -> str:
        return f"StepFunctions.{self.code}Exception"

    @property
    def cause(self) -> str:
        return (f"{self.message} (Service: AWSStepFunctions; Status Code: {self.status}; "
                f"Error Code: {self.code}; Request ID: {uuid.uuid4()}; Proxy: null)")


def is_start_execution(request: dict) -> bool:
    return (request.get("kind") == "service" and request.get("service") == SERVICE
            and request.get("action") == ACTION)


def pattern(request: dict) -> str:
    if request.get("pattern") == "wait_for_task_token":
        return CALLBACK
    if request.get("pattern") == "sync":
        return SYNC2 if str(request.get("resource", "")).endswith(".sync:2") else SYNC
    return REQUEST_RESPONSE


def _compact(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def start_arguments(parameters) -> tuple[str, object, str | None]:
    """(StateMachineArn, the child's input value, Name or None); StartError if unusable."""
    if not isinstance(parameters, dict):
        parameters = {}
    arn = parameters.get("StateMachineArn")
    if not isinstance(arn, str) or not arn:
        raise StartError("Validation", "1 validation error detected: Value null at "
                         "'stateMachineArn' failed to satisfy constraint: Member must not be null")
    raw = parameters.get("Input")
    if raw is None:
        value = {}
    elif isinstance(raw, str):
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise StartError("InvalidExecutionInput",
                             f"Invalid State Machine Execution Input: '{exc}'") from None
    else:
        value = raw
    name = parameters.get("Name")
    if name is not None and not isinstance(name, str):
        raise StartError("InvalidName", f"Invalid Name: '{_compact(name)}'")
    return arn, value, name


def started_by(value) -> str | None:
    """The parent execution ARN the child's input names, if any."""
    found = value.get(STARTED_BY) if isinstance(value, dict) else None
    return found if isinstance(found, str) and found else None


def epoch_ms(moment: datetime | None) -> int | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(round(moment.timestamp() * 1000))


def start_response(execution_arn: str, start_date: datetime) -> dict:
    """The request-response result: StartExecution's answer with the SDK's HTTP metadata."""
    request_id = str(uuid.uuid4())
    body = _compact({"executionArn": execution_arn, "startDate": start_date.timestamp()})
    date = format_datetime(start_date.astimezone(timezone.utc), usegmt=True)
    length = str(len(body.encode()))
    return {
        "ExecutionArn": execution_arn,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {"x-amzn-RequestId": [request_id], "connection": ["keep-alive"],
                               "Content-Length": [length], "Date": [date],
                               "Content-Type": ["application/x-amz-json-1.0"]},
            "HttpHeaders": {"connection": "keep-alive", "Content-Length": length,
                            "Content-Type": "application/x-amz-json-1.0", "Date": date,
                            "x-amzn-RequestId": request_id},
            "HttpStatusCode": 200},
        "SdkResponseMetadata": {"RequestId": request_id},
        "StartDate": epoch_ms(start_date),
    }


def describe(child: dict, structured: bool) -> dict:
    """DescribeExecution of an ended child as the `.sync` (`structured`: `.sync:2`) result.

    `child`: arn, state_machine_arn, name, status, start_date, stop_date, input, output,
    error, cause, redrive_count, and optionally version_arn / alias_arn.
    """
    status = child["status"]
    out = {"ExecutionArn": child["arn"],
           "Input": child["input"] if structured else _compact(child["input"]),
           "InputDetails": {"Included": True},
           "Name": child["name"],
           "RedriveCount": child.get("redrive_count") or 0,
           "StartDate": epoch_ms(child["start_date"]),
           "StateMachineArn": child["state_machine_arn"],
           "Status": status}
    if status == "SUCCEEDED":
        out["Output"] = child.get("output") if structured else _compact(child.get("output"))
        out["OutputDetails"] = {"Included": True}
        out["RedriveStatus"] = "NOT_REDRIVABLE"
        out["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven"
    else:
        out["RedriveStatus"] = "REDRIVABLE"
    if child.get("error"):
        out["Error"] = child["error"]
    if child.get("cause"):
        out["Cause"] = child["cause"]
    if child.get("stop_date") is not None:
        out["StopDate"] = epoch_ms(child["stop_date"])
    if child.get("version_arn"):
        out["StateMachineVersionArn"] = child["version_arn"]
    if child.get("alias_arn"):
        out["StateMachineAliasArn"] = child["alias_arn"]
    # AWS's integration answers with its keys in alphabetical order.
    return {key: out[key] for key in sorted(out)}


def sync_outcome(child: dict, structured: bool) -> tuple[bool, object, str | None, str | None]:
    """(ok, value, error, cause) of a `.sync` / `.sync:2` task once its child ended."""
    described = describe(child, structured)
    if child["status"] == "SUCCEEDED":
        return True, described, None, None
    return False, None, "States.TaskFailed", _compact(described)
