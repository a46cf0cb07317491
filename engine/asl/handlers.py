"""The registry of task handlers — the only code a Task state can call.

    @task_handler("resize-image", description="Resize an image", queue="media")
    def resize(payload, request): ...      # `request` (optional 2nd arg) is a TaskRequest

    register_lambda("create-task", lambda_handler)   # def lambda_handler(event, context)

A handler is `fn(payload)` or `fn(payload, request)`, plain or `async def`. A Lambda-style
function (`register_lambda`) is called `fn(event, context)` with a `LambdaContext`
(lambda_shapes.py), exactly as AWS Lambda calls it, so it registers without edits.

Resolution: the legacy ARN `arn:aws:lambda:R:A:function:NAME` and
`arn:aws:states:::lambda:invoke` with `Parameters.FunctionName` → handler NAME (it gets the
Lambda payload). Other resources → the handler registered under the full resource ARN, else
under "service:action" (e.g. "sqs:sendMessage"); it gets the Parameters. Anything else fails
the task, naming what is registered — nothing outside the registry is ever called.

A handler fails the task by raising `TaskFailure(error, cause)`; any other exception fails it
as an unhandled Lambda function error does (error = the exception's class name, cause =
Lambda's error object). Its result must be JSON: anything else fails the execution with
States.Runtime naming the handler (Retry/Catch cannot help a handler that returns a set).

`queue` names the broker queue whose workers run the handler (engine/runtime); None: the
runtime's default queue. The in-process driver ignores it.

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

import asyncio
import contextvars
import copy
import inspect
import json
import logging
import math
import os
import re
import socket
import threading
from dataclasses import dataclass, field
from typing import Callable

from . import lambda_shapes
from .limits import exceeds_payload_limit
from .scrub import scrub_paths
from .step import TaskResult

log = logging.getLogger(__name__)

# A broker queue name (Celery/kombu accept more; these survive every transport and a shell).
QUEUE_NAME = re.compile(r"^[A-Za-z0-9_.:\-]{1,100}$")
# How many registered names an "unknown handler" error lists before "… and N more".
LISTED_NAMES = 40


@dataclass(frozen=True)
class Handler:
    """One registered handler: what calls it and how (see the module docstring)."""

    name: str
    fn: Callable
    description: str = ""
    queue: str | None = None
    lambda_style: bool = False          # fn(event, context)
    wants_request: bool = False         # fn(payload, request)
    is_async: bool = False
    memory_limit_in_mb: int = lambda_shapes.DEFAULT_MEMORY_MB
    timeout_seconds: float | None = None  # the function's own timeout (Lambda-style only)
    origin: str = field(default="", compare=False)  # module.qualname, for messages

    @property
    def kind(self) -> str:
        return "lambda" if self.lambda_style else "handler"


_REGISTRY: dict[str, Handler] = {}
# (name, replaced origin, new origin) whenever a name is registered again by other code: the
# loader of user modules (engine.handler_modules) turns these into a start-up error.
CONFLICTS: list[tuple[str, str, str]] = []


class TaskFailure(Exception):
    """Raise from a handler to fail the task with this error name and cause (Retry/Catch)."""

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


class TaskRequest(dict):
    """A handler's second argument: the Task's request (a dict, so `request["state"]`,
    `request["attempt"]`, `request["idempotency_key"]` … keep working) with helpers."""

    def heartbeat(self) -> None:
        """Tell the runtime the handler is alive: the durable runtime's SendTaskHeartbeat
        for a running handler (HeartbeatSeconds counts again from now). Cheap; call it
        from any thread, as often as you like."""
        beat = self.get("heartbeat")
        if callable(beat):
            beat()

    @property
    def state_name(self) -> str:
        return self.get("state")

    @property
    def attempt(self) -> int:
        return self.get("attempt") or 0

    @property
    def execution_arn(self) -> str | None:
        return self.get("execution_id")

    @property
    def task_token(self) -> str | None:
        return self.get("task_token")

    @property
    def idempotency_key(self) -> str | None:
        return self.get("idempotency_key")


# -- registering -----------------------------------------------------------------------------

def _origin(fn) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def _check_name(name) -> str:
    if not isinstance(name, str) or not name.strip() or any(c.isspace() for c in name):
        raise ValueError(f"a task handler name is a non-empty string without spaces, got {name!r}")
    return name


def _check_queue(queue) -> str | None:
    if queue is None:
        return None
    if not isinstance(queue, str) or not QUEUE_NAME.match(queue):
        raise ValueError(f"queue must be a name of letters, digits and _ . : - (at most 100), "
                         f"got {queue!r}")
    return queue


def _positional_params(fn) -> int:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return 2
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)


def _first_paragraph(fn) -> str:
    doc = inspect.getdoc(fn) or ""
    return " ".join(doc.split("\n\n", 1)[0].split())


def _add(handler: Handler) -> None:
    old = _REGISTRY.get(handler.name)
    if old is not None and old.origin != handler.origin:
        CONFLICTS.append((handler.name, old.origin, handler.origin))
    _REGISTRY[handler.name] = handler


def task_handler(name: str, description: str | None = None, queue: str | None = None):
    """Register `fn(payload)` / `fn(payload, request)` (plain or async) under `name`."""
    _check_name(name)
    _check_queue(queue)

    def deco(fn):
        _add(Handler(name=name, fn=fn, description=description or _first_paragraph(fn),
                     queue=queue, wants_request=_positional_params(fn) >= 2,
                     is_async=inspect.iscoroutinefunction(fn), origin=_origin(fn)))
        return fn
    return deco


def register_lambda(name: str, fn, *, description: str | None = None, queue: str | None = None,
                    memory_limit_in_mb: int = lambda_shapes.DEFAULT_MEMORY_MB,
                    timeout_seconds: float | None = None):
    """Register an AWS Lambda Python handler `fn(event, context)` as function `name`.

    `timeout_seconds` plays the function's configured timeout: what
    `context.get_remaining_time_in_millis()` counts down from when the Task state sets no
    TimeoutSeconds (default: Lambda's maximum, 900 s). It limits nothing by itself; the
    Task's TimeoutSeconds does.
    """
    _check_name(name)
    _check_queue(queue)
    if not callable(fn):
        raise ValueError(f"register_lambda({name!r}, …): {fn!r} is not callable")
    _add(Handler(name=name, fn=fn, description=description or _first_paragraph(fn),
                 queue=queue, lambda_style=True, is_async=inspect.iscoroutinefunction(fn),
                 memory_limit_in_mb=int(memory_limit_in_mb), timeout_seconds=timeout_seconds,
                 origin=_origin(fn)))
    return fn


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered() -> dict[str, object]:
    """The registered handlers' functions by name (a copy)."""
    return {name: h.fn for name, h in _REGISTRY.items()}


def handlers() -> dict[str, Handler]:
    """The registered handlers by name (a copy): what a palette or an API may list."""
    return dict(_REGISTRY)


def get_handler(name: str | None) -> Handler | None:
    return _REGISTRY.get(name) if name else None


# -- resolving -------------------------------------------------------------------------------

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
    return entry.fn


def handler_name_for(request: dict) -> str | None:
    if request.get("service") == "lambda" or request.get("kind") == "lambda":
        return request.get("function")
    if request["resource"] in _REGISTRY:
        return request["resource"]
    if request.get("kind") == "activity":
        # An activity is served by the handler registered under its ARN or its name.
        return request["resource"].rsplit(":", 1)[-1]
    return f"{request.get('service')}:{request.get('action')}"


def handler_for(request: dict) -> Handler | None:
    return get_handler(handler_name_for(request))


def queue_for(request: dict) -> str | None:
    """The queue a Task's handler asked for (None: the default queue, or not registered)."""
    handler = handler_for(request)
    return handler.queue if handler is not None else None


def _registered_here() -> str:
    names = sorted(_REGISTRY)
    shown = ", ".join(names[:LISTED_NAMES]) or "none"
    if len(names) > LISTED_NAMES:
        shown += f" … and {len(names) - LISTED_NAMES} more"
    return (f"Task handlers registered on this worker ({socket.gethostname()}, pid "
            f"{os.getpid()}): {shown}. Handlers are registered by the modules in "
            f"STEPSTUDIO_HANDLERS and the functions in STEPSTUDIO_LAMBDA_FUNCTIONS.")


# -- calling ---------------------------------------------------------------------------------

def _is_lambda(request: dict) -> bool:
    return request.get("service") == "lambda" or request.get("kind") == "lambda"


_fallback = None  # answers requests no handler is registered for (real AWS calls)


def set_fallback_invoker(invoker) -> None:
    """Install what answers a Task no handler is registered for: `invoker(request)` returns
    a TaskResult, or None to leave the request to the "no task handler" error. The Django
    app installs engine.asl.integrations.AwsInvoker (real AWS calls, when the operator
    enabled them); None removes it."""
    global _fallback
    _fallback = invoker


def fallback_invoker():
    return _fallback


_INSTALLED = object()


def invoke(request: dict, fallback=_INSTALLED) -> TaskResult:
    """Call the request's handler; its outcome as the Task state's TaskResult.

    Precedence (the drivers ask a mock config first): a registered handler, then the
    fallback invoker (real AWS calls when enabled; default: the one installed with
    `set_fallback_invoker`), else the "no task handler" error."""
    name = handler_name_for(request)
    handler = get_handler(name)
    is_lambda = _is_lambda(request)
    fallback = _fallback if fallback is _INSTALLED else fallback
    if handler is None and fallback is not None:
        answered = fallback(request)
        if answered is not None:
            return answered
    if handler is None and request.get("kind") == "result_writer":
        # Nobody exports a Map's results here: the Map still answers AWS's pointer to them.
        return TaskResult(True, None)
    if handler is None:
        if is_lambda:
            return TaskResult(False, None, "Lambda.ResourceNotFoundException",
                              f"Function not found: {name}. {_registered_here()}")
        return TaskResult(False, None, "States.TaskFailed",
                          f"No task handler registered for resource '{request['resource']}'. "
                          f"{_registered_here()}")
    params = request.get("parameters")
    payload = params
    invocation = "RequestResponse"
    invoke_api = is_lambda and request.get("kind") != "lambda"  # arn:aws:states:::lambda:invoke
    if invoke_api:
        payload = params.get("Payload") if isinstance(params, dict) else None
        invocation = params.get("InvocationType") if isinstance(params, dict) else None
        invocation = invocation or "RequestResponse"
    # Lambda's request id: in a Lambda-style function's context and in the Invoke response
    # (an error's cause gets one too); a plain handler's result needs none.
    request_id = lambda_shapes.new_request_id() if handler.lambda_style or invoke_api else None
    if invocation == "DryRun":
        # Lambda only checks the caller may invoke the function: nothing runs.
        return TaskResult(True, shape_result(request, None, request_id, status=204))
    # A handler gets its own copy: state data is shared between states (never mutated by the
    # evaluator), so a handler editing its input in place must not change history.
    payload = copy.deepcopy(payload)
    try:
        value = _call(handler, payload, request, request_id)
    except TaskFailure as ex:
        return TaskResult(False, None, ex.error, scrub_paths(ex.cause))
    except Exception as ex:  # noqa: BLE001 - a handler's bug is a task failure, as in Lambda
        if invocation == "Event":
            log.warning("function %s (InvocationType Event) failed", name, exc_info=True)
            return TaskResult(True, shape_result(request, None, request_id, status=202))
        return TaskResult(False, None, type(ex).__name__,
                          lambda_shapes.error_cause(ex, request_id or lambda_shapes.new_request_id()))
    if invocation == "Event":
        # Deviation: AWS queues the event and answers at once; here the function ran first.
        return TaskResult(True, shape_result(request, None, request_id, status=202))
    took = value if isinstance(value, TakesTime) else None
    if took is not None:
        value = took.value
    try:
        value = _as_json(value)
    except (TypeError, ValueError) as ex:
        return TaskResult(False, None, "States.Runtime",
                          f"The task handler '{name}' ({handler.origin}) returned a value that "
                          f"is not JSON: {ex}")
    res = TaskResult(True, shape_result(request, value, request_id))
    if took is not None:
        res.duration = took
    return res


def _call(handler: Handler, payload, request: dict, request_id: str):
    if handler.lambda_style:
        region, account = lambda_shapes.region_and_account(request)
        context = lambda_shapes.LambdaContext(
            handler.name, region=region, account=account,
            memory_limit_in_mb=handler.memory_limit_in_mb,
            timeout_seconds=request.get("timeout_seconds") or handler.timeout_seconds,
            aws_request_id=request_id, qualifier=lambda_shapes.qualifier(request))
        value = handler.fn(payload, context)
    elif handler.wants_request:
        value = handler.fn(payload, request if isinstance(request, TaskRequest)
                           else TaskRequest(request))
    else:
        value = handler.fn(payload)
    if inspect.isawaitable(value):
        value = _await(value)
    return value


def _await(awaitable):
    """Run an async handler's coroutine to its end from synchronous code (a worker thread)."""
    async def run():
        return await awaitable
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run())
    # Called from inside an event loop (an async caller): a loop of its own on a thread.
    box: dict = {}

    def target():
        try:
            box["value"] = asyncio.run(run())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            box["error"] = exc
    thread = threading.Thread(target=target, name="task-handler-async")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


_STRICT = json.JSONEncoder(allow_nan=False, ensure_ascii=False, separators=(",", ":"))


def _is_plain_json(value) -> bool:
    """Only JSON's own types (str keys, lists, finite floats): the usual result, checked
    without encoding it (the runtime encodes it once, when it writes the step)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is dict:
        return all(type(k) is str and _is_plain_json(v) for k, v in value.items())
    if kind is list:
        return all(_is_plain_json(v) for v in value)
    return False


def _as_json(value):
    """The value as JSON gives it back (tuples → lists, int keys → strings); TypeError or
    ValueError if it is not JSON (a set, an object, NaN, a cycle). Too large is left to the
    Task state (DataLimitExceeded)."""
    try:
        if _is_plain_json(value):
            return value
        text = _STRICT.encode(value)
    except RecursionError:
        raise ValueError("the value is nested too deeply (or refers to itself)") from None
    if exceeds_payload_limit(text):
        return value
    return json.loads(text)


def shape_result(request: dict, value, request_id: str | None = None, status: int = 200):
    """A handler's return value → the task's result as AWS would give it.

    `arn:aws:states:::lambda:invoke` returns the Invoke API response, the function's value
    being its Payload. With `.waitForTaskToken` the result is the callback's output, so a
    value standing for it is not wrapped. Every other resource's result is the handler's value
    itself.
    """
    if (request.get("service") == "lambda" and request.get("kind") == "service"
            and request.get("pattern") != "wait_for_task_token"):
        return lambda_shapes.invoke_response(value, request_id or lambda_shapes.new_request_id(),
                                             status)
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
