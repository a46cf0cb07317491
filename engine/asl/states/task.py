"""Task: "a single unit of work performed by a state machine" (spec "Task State").

The state never calls anything itself: it returns `InvokeTask(request)` and finishes when the
driver brings back a `TaskResult` (handler, mock, or the runtime's worker). History shapes:

* legacy Lambda ARN `arn:aws:lambda:R:A:function:NAME` →
  LambdaFunctionScheduled / LambdaFunctionStarted / LambdaFunctionSucceeded|Failed|TimedOut
* activity ARN `arn:aws:states:R:A:activity:NAME` →
  ActivityScheduled / ActivityStarted / ActivitySucceeded|Failed|TimedOut
* everything else (`arn:aws:states:::service:action[.sync|.waitForTaskToken]`, aws-sdk) →
  TaskScheduled / TaskStarted / [TaskSubmitted] / TaskSucceeded|Failed|TimedOut

Request dict (`TaskRequest`) handed to drivers — keys:
  state, resource, kind ("lambda" legacy | "service" | "activity"), service, action,
  pattern ("request_response" | "sync" | "wait_for_task_token"), function (Lambda
  function name, or None), parameters (the evaluated Parameters/Arguments), attempt
  (0-based, for mocks), task_token (or None), idempotency_key (the same whenever this
  attempt runs again, another for each retry), timeout_seconds, heartbeat_seconds,
  credentials (as written), execution_id, token (= task_token), input (what the handler
  gets: the Lambda Payload for lambda:invoke, else the parameters), handler (registry name).
"""
from ..errors import ErrorName, StatesError
from ..events import error_details
from ..limits import dumps, exceeds_payload_limit
from .. import step as S
from .base import StateType, register


def parse_resource(resource: str) -> dict:
    parts = resource.split(":")
    info = {"kind": "service", "service": None, "action": None, "pattern": "request_response",
            "function": None, "resource_type": None, "resource_name": None}
    if len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function":
        info.update(kind="lambda", service="lambda", action="invoke", function=parts[6])
        return info
    if len(parts) >= 6 and parts[2] == "states" and parts[5] == "activity":
        info.update(kind="activity", resource_type="activity", resource_name=resource)
        return info
    if len(parts) >= 7 and parts[2] == "states":
        # `arn:aws:states:::service:api` and, as SAM/CDK deploy them, the same with a region
        # and an account (`arn:aws:states:us-east-1:123456789012:aws-sdk:s3:getObject`):
        # one integration, run alike.
        rest = parts[5:]
        if rest[0] == "aws-sdk" and len(rest) >= 3:
            rtype, action = f"aws-sdk:{rest[1]}", ":".join(rest[2:])
        else:
            rtype, action = rest[0], ":".join(rest[1:])
        base = action
        if ".waitForTaskToken" in action:
            info["pattern"] = "wait_for_task_token"
            base = action.split(".waitForTaskToken")[0]
        elif ".sync" in action:
            info["pattern"] = "sync"
            base = action.split(".sync")[0]
        info.update(service=rtype, action=base, resource_type=rtype, resource_name=action)
    else:
        info.update(resource_type="unknown", resource_name=resource)
    return info


def lambda_function_name(value) -> str | None:
    """FunctionName may be a name, a partial or full ARN, optionally with a qualifier."""
    if not isinstance(value, str):
        return None
    if ":function:" in value:
        return value.split(":function:", 1)[1].split(":")[0]
    return value.split(":")[0]


def _region(x) -> str:
    arn = x.cursor["ctx"].get("Execution", {}).get("Id") or ""
    parts = arn.split(":")
    return parts[3] if len(parts) > 3 and parts[3] else "us-east-1"


def _seconds(x, env, name):
    fv = x.df.field(x.state, name, env)
    if fv is None:
        return None
    v = fv.value
    if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
        raise x.runtime_error(f"The {fv.field} field refers to value {dumps(v)} which is not a valid positive integer"
                              + (f": {fv.expression}" if fv.expression else ""))
    return v


@register
class TaskState(StateType):
    type_name = "Task"
    can_retry = True
    has_retry_count = True

    def attempt(self, x):
        info = parse_resource(x.state["Resource"])
        if info["pattern"] != "request_response":
            # $$.Task.Token exists for callback (.waitForTaskToken) and .sync integrations
            # (AWS: a .sync startExecution may pass it on to the child).
            x.pending["token"] = True
            x.reset_env()
        env = x.env()
        args = x.df.arguments(x.state, env)
        timeout = _seconds(x, env, "TimeoutSeconds")
        heartbeat = _seconds(x, env, "HeartbeatSeconds")
        credentials = x.state.get("Credentials")
        if credentials is not None:
            try:
                credentials = x.df.render_template(credentials, env, "Credentials")
            except NotImplementedError:
                pass  # a data flow without templates outside the standard fields: as written
        function = info["function"]
        if info["kind"] == "service" and info["service"] == "lambda" and isinstance(args, dict):
            function = lambda_function_name(args.get("FunctionName"))
        request = {
            "state": x.name, "resource": x.state["Resource"], "kind": info["kind"],
            "service": info["service"], "action": info["action"], "pattern": info["pattern"],
            "function": function, "parameters": args, "attempt": x.retry_count,
            "task_token": x.task_token() if info["pattern"] != "request_response" else None,
            # Stable across redeliveries of this attempt, another for each retry.
            "idempotency_key": x.idempotency_key(),
            # What the handler receives: the Lambda payload for lambda:invoke, else the
            # Parameters/Arguments.
            "input": (args.get("Payload") if isinstance(args, dict) else None)
            if info["kind"] == "service" and info["service"] == "lambda" else args,
            "handler": None,
            "timeout_seconds": timeout, "heartbeat_seconds": heartbeat,
            "credentials": credentials,
            "execution_id": x.cursor["ctx"].get("Execution", {}).get("Id"),
        }
        # `token` (the runtime's name) only when the task waits for a callback.
        request["token"] = request["task_token"] if info["pattern"] == "wait_for_task_token" else None
        request["handler"] = function if info["service"] == "lambda" else (
            f"{info['service']}:{info['action']}" if info["kind"] == "service" else x.state["Resource"])
        text = dumps(args)
        if info["kind"] in ("lambda", "activity"):
            d = {"resource": x.state["Resource"], "input": text, "inputDetails": {"truncated": False}}
            if timeout is not None:
                d["timeoutInSeconds"] = timeout
            if heartbeat is not None and info["kind"] == "activity":
                d["heartbeatInSeconds"] = heartbeat
            if info["kind"] == "lambda":
                x.em.emit("LambdaFunctionScheduled", d)
                x.em.emit("LambdaFunctionStarted")
            else:
                # ActivityStarted comes when a worker takes the task (see resume).
                x.em.emit("ActivityScheduled", d)
        else:
            d = {"resourceType": info["resource_type"], "resource": info["resource_name"],
                 "region": _region(x), "parameters": text}
            if timeout is not None:
                d["timeoutInSeconds"] = timeout
            if heartbeat is not None:
                d["heartbeatInSeconds"] = heartbeat
            if isinstance(credentials, dict) and credentials.get("RoleArn"):
                d["taskCredentials"] = {"roleArn": credentials["RoleArn"]}
            x.em.emit("TaskScheduled", d)
            x.em.emit("TaskStarted", {"resourceType": info["resource_type"], "resource": info["resource_name"]})
        x.cursor["phase"] = "invoking"
        return S.InvokeTask(x.cursor, x.em.events, request)

    def resume(self, x, inbound):
        if not isinstance(inbound, S.TaskResult):
            return super().resume(x, inbound)
        info = parse_resource(x.state["Resource"])
        # Event families: legacy Lambda ARN → LambdaFunction*, activity → Activity*, else Task*.
        family = {"lambda": "LambdaFunction", "activity": "Activity"}.get(info["kind"], "Task")
        ids = {"resourceType": info["resource_type"], "resource": info["resource_name"]} if family == "Task" else {}
        if family == "Activity":
            # Deviation: drivers report only the outcome, so the worker's pick-up is recorded
            # with it (AWS records ActivityStarted when GetActivityTask hands the task out);
            # the worker is the one that took the task (its GetActivityTask workerName).
            x.em.emit("ActivityStarted", {"workerName": inbound.worker_name or "stepstudio"})
        if family == "Task" and info["pattern"] != "request_response":
            # AWS: the integration was submitted (message sent / job started) before its
            # outcome arrived; the mock/handler result stands for the final outcome.
            submitted = getattr(inbound, "submitted", None)
            x.em.emit("TaskSubmitted", {**ids, "output": "{}" if submitted is None else dumps(submitted),
                                        "outputDetails": {"truncated": False}})
        if inbound.ok:
            text = dumps(inbound.value)
            if exceeds_payload_limit(text):
                label = info["resource_type"] if family == "Task" else x.state["Resource"]
                inbound = S.TaskResult(False, None, ErrorName.DATA_LIMIT_EXCEEDED.value,
                                       f"The state/task '{label}' returned a result with a size exceeding "
                                       f"the maximum number of bytes service limit.")
            else:
                x.em.emit(f"{family}Succeeded", {**ids, "output": text, "outputDetails": {"truncated": False}})
                return x.succeed(inbound.value)
        timed_out = inbound.error in ("States.Timeout", "States.HeartbeatTimeout")
        x.em.emit(family + ("TimedOut" if timed_out else "Failed"), error_details(inbound.error, inbound.cause, **ids))
        return x.fail(StatesError(inbound.error, inbound.cause))
