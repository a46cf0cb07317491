"""The registry of Python task handlers — the only code a Task state can call locally.

    @task_handler("resize-image")          # Lambda function name, or "sqs:sendMessage" …
    def resize(payload, request): ...      # `request` (optional 2nd arg) is the TaskRequest

Resolution: the legacy ARN `arn:aws:lambda:R:A:function:NAME` and
`arn:aws:states:::lambda:invoke` with `Parameters.FunctionName` → handler NAME (the handler
gets the Lambda payload). Other resources → the handler registered under the full resource
ARN, else under "service:action" (e.g. "sqs:sendMessage"); it gets the Parameters. Anything
else fails the task — nothing outside the registry is ever called.

A handler fails the task by raising `TaskFailure(error, cause)`; any other exception fails it
like a Lambda function error (error = exception class name, cause = Lambda's JSON shape).

Callbacks (`.waitForTaskToken`): the task's result is what SendTaskSuccess sends, never the
handler's own return (nor, for `lambda:invoke.waitForTaskToken`, the Invoke response). A
handler answers like a Lambda function calling the Step Functions API:

    send_task_success(token, '{"Status": "Approved"}')   # output as JSON text, as AWS
    send_task_failure(token, "Rejected", "not on a Friday")
    send_task_heartbeat(token)

The token is in the payload wherever the definition put `$$.Task.Token`, and in
`request["task_token"]`. Someone else may answer later (the durable runtime waits for
SendTaskSuccess from the API); the local driver, where nobody else can, takes a handler's
return value as the callback's output when it sent none.
"""
from __future__ import annotations

import contextvars
import copy
import inspect
import json
import traceback

from .step import TaskResult

_REGISTRY: dict[str, tuple] = {}


class TaskFailure(Exception):
    def __init__(self, error: str | None, cause: str | None = None):
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


class TakesTime:
    """Return `TakesTime(seconds, value)` from a handler to simulate a task that runs for
    `seconds` on the local driver's virtual clock (so TimeoutSeconds / HeartbeatSeconds and
    the machine's TimeoutSeconds can be exercised without sleeping). `heartbeat_every`: the
    interval at which the simulated task sends heartbeats (None: never)."""

    def __init__(self, seconds: float, value=None, heartbeat_every: float | None = None):
        self.seconds = seconds
        self.value = value
        self.heartbeat_every = heartbeat_every


def task_handler(name: str):
    def deco(fn):
        try:
            n = len(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            n = 1
        _REGISTRY[name] = (fn, n >= 2)
        return fn
    return deco


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered() -> dict[str, object]:
    """The registered handlers by name (a copy): what a palette or an API may list."""
    return {name: entry[0] for name, entry in _REGISTRY.items()}


def get_handler(name: str | None):
    return _REGISTRY.get(name) if name else None


def resolve(resource_or_name: str, request: dict | None = None):
    """The handler callable for a request (preferred: pass the request), a handler name or a
    resource ARN; raises StatesError (Retry/Catch decide) when nothing is registered."""
    from .errors import StatesError
    from .states.task import parse_resource
    name = handler_name_for(request) if request else None
    if name is None and resource_or_name in _REGISTRY:
        name = resource_or_name
    if name is None:
        info = parse_resource(resource_or_name)
        name = info["function"] or f"{info['service']}:{info['action']}"
    entry = _REGISTRY.get(name)
    if entry is None:
        raise StatesError("States.TaskFailed", f"No task handler registered for '{name}'")
    return entry[0]


def handler_name_for(request: dict) -> str | None:
    if request.get("service") == "lambda" or request.get("kind") == "lambda":
        return request.get("function")
    if request["resource"] in _REGISTRY:
        return request["resource"]
    if request.get("kind") == "activity":
        # An activity is served by the handler registered under its ARN or its name.
        return request["resource"].rsplit(":", 1)[-1]
    return f"{request.get('service')}:{request.get('action')}"


def invoke(request: dict) -> TaskResult:
    name = handler_name_for(request)
    entry = get_handler(name)
    is_lambda = request.get("service") == "lambda" or request.get("kind") == "lambda"
    if entry is None:
        if is_lambda:
            return TaskResult(False, None, "Lambda.ResourceNotFoundException",
                              f"Function not found: {name} (no task handler registered with this name)")
        return TaskResult(False, None, "States.TaskFailed",
                          f"No task handler registered for resource '{request['resource']}'")
    fn, wants_request = entry
    params = request.get("parameters")
    payload = params
    if is_lambda and request.get("kind") != "lambda":
        payload = params.get("Payload") if isinstance(params, dict) else None
    # A handler gets its own copy: state data is shared between states (never mutated by the
    # evaluator), so a handler editing its input in place must not change history.
    payload = copy.deepcopy(payload)
    try:
        value = fn(payload, request) if wants_request else fn(payload)
    except TaskFailure as ex:
        return TaskResult(False, None, ex.error, ex.cause)
    except Exception as ex:  # noqa: BLE001 - a handler's bug is a task failure, as in Lambda
        cause = json.dumps({"errorMessage": str(ex), "errorType": type(ex).__name__,
                            "stackTrace": traceback.format_tb(ex.__traceback__)})
        return TaskResult(False, None, type(ex).__name__, cause)
    if isinstance(value, TakesTime):
        res = TaskResult(True, shape_result(request, value.value))
        res.duration = value
        return res
    return TaskResult(True, shape_result(request, value))


def shape_result(request: dict, value):
    """A handler's return value → the task's result as AWS would give it.

    `arn:aws:states:::lambda:invoke` returns the Invoke API response, the function's value
    being its Payload. Deviation: no SdkHttpMetadata/SdkResponseMetadata (no HTTP call).
    With `.waitForTaskToken` the result is the callback's output, so a value standing for it
    is not wrapped. Every other resource's result is the handler's value itself. Drivers that
    call handlers themselves (engine/runtime) must apply this too.
    """
    if (request.get("service") == "lambda" and request.get("kind") == "service"
            and request.get("pattern") != "wait_for_task_token"):
        return {"ExecutedVersion": "$LATEST", "Payload": value, "StatusCode": 200}
    return value


# -- callbacks (SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat) -------------------------

class UnknownTaskToken(LookupError):
    """No task waits for this token here (AWS: TaskDoesNotExist / InvalidToken)."""


class CallbackBox:
    """The answer a local driver collects for one callback task while its handler runs."""

    def __init__(self, token: str):
        self.token = token
        self.answer: TaskResult | None = None
        self.beats = 0

    def __enter__(self):
        self._reset = _active_box.set(self)
        return self

    def __exit__(self, *exc):
        _active_box.reset(self._reset)


_active_box: contextvars.ContextVar = contextvars.ContextVar("task_callback_box", default=None)
_sink = None  # where callbacks for other tokens go (the durable runtime's SendTaskSuccess)


def set_callback_sink(sink) -> None:
    """Route callbacks that no local driver is collecting: `sink` has `success(token,
    output_text)`, `failure(token, error, cause)` and `heartbeat(token)`."""
    global _sink
    _sink = sink


def _box_for(token: str) -> CallbackBox | None:
    box = _active_box.get()
    return box if box is not None and box.token == token else None


def _output_text(output) -> str:
    # AWS's SendTaskSuccess takes JSON text; a Python value is accepted and serialised.
    return output if isinstance(output, str) else json.dumps(output)


def send_task_success(token: str, output) -> None:
    text = _output_text(output)
    box = _box_for(token)
    if box is not None:
        if box.answer is not None:
            raise UnknownTaskToken("Task Timed Out: the task was already answered")
        box.answer = TaskResult(True, json.loads(text))
    elif _sink is not None:
        _sink.success(token, text)
    else:
        raise UnknownTaskToken("Task does not exist")


def send_task_failure(token: str, error: str | None = None, cause: str | None = None) -> None:
    box = _box_for(token)
    if box is not None:
        if box.answer is not None:
            raise UnknownTaskToken("Task Timed Out: the task was already answered")
        box.answer = TaskResult(False, None, error or None, cause or None)
    elif _sink is not None:
        _sink.failure(token, error, cause)
    else:
        raise UnknownTaskToken("Task does not exist")


def send_task_heartbeat(token: str) -> None:
    box = _box_for(token)
    if box is not None:
        box.beats += 1
    elif _sink is not None:
        _sink.heartbeat(token)
    else:
        raise UnknownTaskToken("Task does not exist")
