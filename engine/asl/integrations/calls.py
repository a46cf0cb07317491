"""Task states answered by real AWS services through boto3.

`call(clients, request)` → the Task's `TaskResult`, or None when the request is not an AWS
service call (an activity, `http:invoke`, the native `states:startExecution*`).

* `arn:aws:states:::aws-sdk:SERVICE:ACTION`: any service and operation boto3 knows; the
  Parameters/Arguments are the request as the API reference spells it, the result is the
  API's response (no response metadata), errors are named as the SDK for Java v2 names them.
* optimized integrations, with AWS's own shapes: `lambda:invoke` (and the legacy function
  ARN), `sqs:sendMessage`, `sns:publish`, `dynamodb:getItem|putItem|updateItem|deleteItem`,
  `events:putEvents`; any other `SERVICE:ACTION` request-response is called as the API is
  and its result carries the optimized integrations' `SdkHttpMetadata`. Errors are named as
  the SDK for Java v1 names them (naming.py).
"""
from __future__ import annotations

import json
import logging

import botocore.exceptions
from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError

from ..step import TaskResult
from . import naming, shapes

log = logging.getLogger(__name__)

# Resources Step Functions runs itself, never through an AWS SDK.
NATIVE_SERVICES = {"states", "http", "activity"}

_service_index: dict[str, str] | None = None


class Unsupported(Exception):
    """The request names something no AWS SDK can call (States.Runtime)."""


def boto3_service(name: str, session) -> str:
    """The aws-sdk ARN's service name → boto3's service name (`sfn` → `stepfunctions`)."""
    global _service_index
    if name in naming.ARN_TO_BOTO3:
        return naming.ARN_TO_BOTO3[name]
    available = session.get_available_services()
    if name in available:
        return name
    if _service_index is None:
        # Rare: a service whose ARN name is neither boto3's nor in the table. Match the ARN
        # name with every model's serviceId (slow once: it loads every service model).
        loader = session._session.get_component("data_loader")
        index = {}
        for svc in available:
            try:
                meta = loader.load_service_model(svc, "service-2").get("metadata", {})
            except Exception:  # noqa: BLE001 - an unloadable model is simply not indexed
                continue
            sid = meta.get("serviceId") or ""
            index["".join(c for c in sid.lower() if c.isalnum())] = svc
        _service_index = index
    if name in _service_index:
        return _service_index[name]
    raise Unsupported(f"The AWS SDK has no service '{name}'")


def target(request: dict) -> tuple[str, str, bool] | None:
    """(ARN service name, action, is aws-sdk) of a request AWS would call, else None."""
    if request.get("kind") == "lambda":
        return "lambda", "invoke", False
    service = request.get("service") or ""
    if request.get("kind") not in ("service", "item_reader", "result_writer") or not service:
        return None
    if service.startswith("aws-sdk:"):
        return service.split(":", 1)[1], request.get("action") or "", True
    if service in NATIVE_SERVICES:
        return None
    return service, request.get("action") or "", False


def _operation(client, action: str) -> str:
    op = naming.operation_name(action)
    if op not in client.meta.service_model.operation_names:
        raise Unsupported(f"The service '{client.meta.service_model.service_name}' has no "
                          f"action '{action}'")
    return op


def _failure_from(exc, service: str, model, sdk: bool) -> TaskResult:
    """A botocore exception → the Task's failure, named as Step Functions names it."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error") or {}
        meta = exc.response.get("ResponseMetadata") or {}
        code, message = err.get("Code") or "", err.get("Message") or str(exc)
        status = meta.get("HTTPStatusCode", 400)
        rid = meta.get("RequestId") or (meta.get("HTTPHeaders") or {}).get("x-amz-request-id", "")
        ext = meta.get("HostId") if service == "s3" else None
    elif isinstance(exc, ParamValidationError):
        # AWS validates on the server and answers 400 with the service's base exception.
        code, message, status, rid, ext = "ValidationException", str(exc).replace("\n", " "), 400, "", None
    else:
        # Not an answer from the service (no connection, bad credentials, timeout): the
        # SDK's client-side exception.
        prefix = naming.java_v2_service_name(model.service_id) if sdk else \
            (naming.V1_SERVICES.get(service) or (service,))[0]
        return TaskResult(False, None, f"{prefix}.SdkClientException", str(exc))
    # botocore raises the modelled exception's class when it recognised the error (also for
    # codes it translated, as SQS's awsQueryCompatible `AWS.SimpleQueueService.*`).
    known = type(exc).__name__ if type(exc).__name__ not in ("ClientError", "ParamValidationError") \
        else None
    if sdk:
        error, cause = naming.sdk_error(model, code, message, status, rid, ext, known)
    else:
        error, cause = naming.optimized_error(service, model, code, message, status, rid, known)
    return TaskResult(False, None, error, cause)


def _params(request: dict) -> dict:
    params = request.get("parameters")
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise Unsupported("The Task's Parameters/Arguments must be a JSON object for an AWS "
                          "service call")
    return params


# -- optimized integrations ------------------------------------------------------------------

def _serialise(params: dict, *names: str) -> dict:
    # AWS serialises these members to JSON text when they are not text already.
    out = dict(params)
    for name in names:
        if name in out and out[name] is not None and not isinstance(out[name], str):
            out[name] = shapes.json_text(out[name])
    return out


def _lambda_invoke(client, request: dict, params: dict):
    legacy = request.get("kind") == "lambda"
    if legacy:
        name = request["resource"]
        body = {"FunctionName": name, "Payload": json.dumps(params)}
    else:
        body = dict(params)
        if "Payload" in body:
            body["Payload"] = json.dumps(body["Payload"])
    answer = client.invoke(**body)
    raw = answer["Payload"].read() if answer.get("Payload") is not None else b""
    text = raw.decode("utf-8", errors="replace")
    try:
        payload = json.loads(text) if text else None
    except ValueError:
        payload = text
    if answer.get("FunctionError"):
        # As AWS: the function's own error type names the failure, its error object is the cause.
        kind = payload.get("errorType") if isinstance(payload, dict) else None
        return TaskResult(False, None, kind or "Lambda.Unknown", text)
    if legacy:
        return TaskResult(True, payload)
    result = {k: shapes.to_json(v) for k, v in answer.items()
              if k not in ("Payload", "ResponseMetadata")}
    result["Payload"] = payload if payload is not None else ""
    result.update(shapes.sdk_metadata(answer.get("ResponseMetadata") or {}))
    return TaskResult(True, result)


def _events_put(client, request: dict, params: dict):
    entries = [_serialise(e, "Detail") if isinstance(e, dict) else e
               for e in params.get("Entries") or []]
    answer = client.put_events(**dict(params, Entries=entries))
    result = {"Entries": shapes.to_json(answer.get("Entries") or []),
              "FailedEntryCount": answer.get("FailedEntryCount", 0)}
    if result["FailedEntryCount"]:
        # AWS fails the state and gives the response as the cause (corpus task__put_events_*).
        return TaskResult(False, None, "EventBridge.FailedEntry", json.dumps(result))
    return TaskResult(True, result)


_SERIALISED = {("sqs", "sendMessage"): ("MessageBody",), ("sns", "publish"): ("Message",)}


def _optimized(client, service: str, action: str, request: dict, params: dict):
    if service == "lambda" and action == "invoke":
        return _lambda_invoke(client, request, params)
    if service == "events" and action == "putEvents":
        return _events_put(client, request, params)
    op = _operation(client, action)
    model = client.meta.service_model.operation_model(op)
    body = shapes.prepare(model, _serialise(params, *_SERIALISED.get((service, action), ())))
    answer = getattr(client, xform_name(op))(**body)
    result = shapes.to_json(answer, model.output_shape, service)
    result.update(shapes.sdk_metadata(answer.get("ResponseMetadata") or {}))
    return TaskResult(True, result)


# -- aws-sdk ---------------------------------------------------------------------------------

def _sdk(client, action: str, params: dict):
    op = _operation(client, action)
    model = client.meta.service_model.operation_model(op)
    answer = getattr(client, xform_name(op))(**shapes.prepare(model, params))
    return TaskResult(True, shapes.to_json(answer, model.output_shape,
                                           client.meta.service_model.service_name))


def _region(request: dict, clients) -> str:
    arn = request.get("execution_id") or ""
    parts = arn.split(":")
    return clients.region(parts[3] if len(parts) > 3 and parts[3] else None)


def service_of(request: dict, clients) -> str | None:
    """boto3's name of the service a request calls (None: not an AWS call)."""
    found = target(request)
    if found is None:
        return None
    name, _, sdk = found
    if not sdk:
        return name
    return boto3_service(name, clients.base_session())


def call(clients, request: dict) -> TaskResult:
    """Run an AWS request (target() is not None) with the clients of `clients`."""
    name, action, sdk = target(request)
    if request.get("pattern") == "sync":
        return TaskResult(False, None, "States.Runtime",
                          f"The resource '{request['resource']}' (.sync) is not supported "
                          f"against real services: only request-response and "
                          f".waitForTaskToken calls are made")
    credentials = request.get("credentials")
    role = credentials.get("RoleArn") if isinstance(credentials, dict) else None
    service = name
    model = None
    try:
        params = _params(request) if request.get("kind") != "lambda" else request.get("parameters")
        service = boto3_service(name, clients.base_session()) if sdk else name
        region = _region(request, clients)
        client = clients.client(service, region, role, f"StepStudio-{request.get('state', '')}")
        model = client.meta.service_model
        if sdk:
            return _sdk(client, action, params)
        return _optimized(client, service, action, request, params)
    except Unsupported as exc:
        return TaskResult(False, None, "States.Runtime", str(exc))
    except shapes.BodyTooLarge as exc:
        return TaskResult(False, None, "States.DataLimitExceeded", str(exc))
    except botocore.exceptions.UnknownServiceError as exc:
        return TaskResult(False, None, "States.Runtime", str(exc))
    except (botocore.exceptions.BotoCoreError, ClientError) as exc:
        if model is None:
            # Failed before the service's client existed: assuming the role, most likely.
            if isinstance(exc, ClientError):
                err = exc.response.get("Error") or {}
                return TaskResult(False, None, "States.TaskFailed",
                                  f"Could not assume the role {role}: {err.get('Code')}: "
                                  f"{err.get('Message')}")
            return TaskResult(False, None, "States.TaskFailed", str(exc))
        return _failure_from(exc, service, model, sdk)
