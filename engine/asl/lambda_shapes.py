"""What a Python function written for AWS Lambda sees and what Step Functions sees of it.

A function registered with `register_lambda` is called as `lambda_handler(event, context)`,
unchanged: `context` is a `LambdaContext` with the members of Lambda's Python context object
(AWS Lambda developer guide, "Using the Lambda context object to retrieve Python function
information"). Its answer reaches the state machine in AWS's shapes: the Invoke API response
for `arn:aws:states:::lambda:invoke`, the bare value for the legacy function ARN, and an
unhandled exception as Lambda's error object (`errorMessage`, `errorType`, `requestId`,
`stackTrace`) in the cause.
"""
from __future__ import annotations

import json
import time
import uuid
from email.utils import formatdate

from .scrub import scrub_paths, stack_trace

# Lambda's largest timeout: what `get_remaining_time_in_millis()` counts down from when
# neither the Task's TimeoutSeconds nor the function's registration sets one.
LAMBDA_MAX_TIMEOUT_SECONDS = 900
DEFAULT_MEMORY_MB = 128
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"


def new_request_id() -> str:
    return str(uuid.uuid4())


class LambdaContext:
    """The `context` argument of a Lambda-style function (Lambda's Python runtime members)."""

    def __init__(self, function_name: str, *, region: str = DEFAULT_REGION,
                 account: str = DEFAULT_ACCOUNT, version: str = "$LATEST",
                 memory_limit_in_mb: int = DEFAULT_MEMORY_MB, timeout_seconds: float | None = None,
                 aws_request_id: str | None = None, qualifier: str | None = None):
        self.function_name = function_name
        self.function_version = version
        arn = f"arn:aws:lambda:{region}:{account}:function:{function_name}"
        self.invoked_function_arn = f"{arn}:{qualifier}" if qualifier else arn
        self.memory_limit_in_mb = str(memory_limit_in_mb)  # a str in Lambda's runtime too
        self.aws_request_id = aws_request_id or new_request_id()
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = (time.strftime("%Y/%m/%d", time.gmtime())
                                + f"/[{version}]{uuid.uuid4().hex}")
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + float(timeout_seconds or LAMBDA_MAX_TIMEOUT_SECONDS)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def __repr__(self) -> str:
        return (f"LambdaContext(function_name={self.function_name!r}, "
                f"aws_request_id={self.aws_request_id!r})")


def region_and_account(request: dict) -> tuple[str, str]:
    """Where the function "lives": the region and account of the Task's function ARN if it
    names them, else of the execution ARN (arn:aws:states:REGION:ACCOUNT:execution:…)."""
    for arn in (_function_arn(request), request.get("execution_id") or ""):
        parts = arn.split(":") if isinstance(arn, str) else []
        if len(parts) > 4 and parts[3] and parts[4]:
            return parts[3], parts[4]
    return DEFAULT_REGION, DEFAULT_ACCOUNT


def _function_arn(request: dict) -> str:
    if request.get("kind") == "lambda":
        return request.get("resource") or ""
    params = request.get("parameters")
    name = params.get("FunctionName") if isinstance(params, dict) else None
    return name if isinstance(name, str) and name.startswith("arn:") else ""


def qualifier(request: dict) -> str | None:
    """The version or alias a `lambda:invoke` asks for (Qualifier, or FunctionName's suffix)."""
    params = request.get("parameters") if request.get("kind") == "service" else None
    if not isinstance(params, dict):
        return None
    if isinstance(params.get("Qualifier"), str):
        return params["Qualifier"]
    name = params.get("FunctionName")
    if isinstance(name, str):
        rest = name.split(":function:", 1)[1] if ":function:" in name else name
        bits = rest.split(":")
        if len(bits) > 1 and bits[1]:
            return bits[1]
    return None


def error_cause(exc: BaseException, request_id: str) -> str:
    """Lambda's error object for an unhandled exception, as Step Functions puts it in Cause."""
    return json.dumps({"errorMessage": scrub_paths(str(exc)), "errorType": type(exc).__name__,
                       "requestId": request_id,
                       "stackTrace": stack_trace(exc.__traceback__)})


def invoke_response(payload, request_id: str, status: int = 200) -> dict:
    """The Lambda Invoke API response as `arn:aws:states:::lambda:invoke` returns it: the
    function's value is `Payload`; the SDK's HTTP metadata is there as AWS records it."""
    body = json.dumps(payload, separators=(",", ":")) if status == 200 else ""
    date = formatdate(usegmt=True)
    headers = {"Connection": "keep-alive", "Content-Length": str(len(body.encode("utf-8"))),
               "Content-Type": "application/json", "Date": date,
               "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0",
               "x-amzn-RequestId": request_id, "X-Amzn-Trace-Id": f"Root=1-{uuid.uuid4().hex[:8]}-"
                                                                  f"{uuid.uuid4().hex[:24]}"}
    return {
        "ExecutedVersion": "$LATEST",
        "Payload": payload if status == 200 else "",
        "SdkHttpMetadata": {
            "AllHttpHeaders": {k: [v] for k, v in headers.items()},
            "HttpHeaders": headers,
            "HttpStatusCode": status,
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StatusCode": status,
    }
