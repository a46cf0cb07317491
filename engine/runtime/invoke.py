"""Calling a Task's resource in the worker: registered handlers and the HTTP task.

TimeoutSeconds and HeartbeatSeconds are enforced here: the handler runs in a helper thread
while this thread watches the clock, renews the frame's lease (so the sweeper knows the
worker is alive) and gives up with States.Timeout / States.HeartbeatTimeout. Python cannot
kill a thread; a handler past its timeout is abandoned (daemon thread), its late result
ignored: the frame has moved on, so nothing it could report is accepted any more.

Errors say whether they are the state's failure (an ASL error for Retry/Catch) — every
exception a handler raises is; infrastructure errors (database down) propagate to the
Celery task, which retries the whole message (tasks.py).
"""
from __future__ import annotations

import inspect
import threading
import time

import requests

from engine.asl.errors import ErrorName, StatesError

from . import config, inbounds

HTTP_INVOKE = "arn:aws:states:::http:invoke"


class HandlerContext:
    """What a handler may use besides its input: `heartbeat()` and the execution id."""

    def __init__(self, execution_id, token=None):
        self.execution_id = str(execution_id)
        self.token = token
        self.last_beat = time.monotonic()

    def heartbeat(self) -> None:
        self.last_beat = time.monotonic()


def resolve(resource: str):
    if resource.startswith(HTTP_INVOKE):
        return http_invoke
    from engine.asl import handlers

    return handlers.resolve(resource)


def call_handler(fn, payload, ctx: HandlerContext):
    try:
        takes_ctx = len(inspect.signature(fn).parameters) >= 2
    except (TypeError, ValueError):
        takes_ctx = False
    return fn(payload, ctx) if takes_ctx else fn(payload)


def invoke(request: dict, *, execution_id, renew=lambda: True) -> dict:
    """Run the request's handler within its limits; the inbound for the next step."""
    ctx = HandlerContext(execution_id, request.get("token"))
    try:
        fn = resolve(request.get("resource", ""))
    except StatesError as exc:
        return inbounds.task_failed(exc.error, exc.cause)
    except Exception as exc:  # unknown resource: the state fails, Retry/Catch decide
        return inbounds.task_failed(ErrorName.TASK_FAILED.value, str(exc))
    payload = request.get("input", request.get("parameters"))
    box: dict = {}

    def target():
        try:
            box["value"] = call_handler(fn, payload, ctx)
        except StatesError as exc:
            box["error"] = (exc.error, exc.cause)
        except Exception as exc:
            # As Lambda reports a function error: the exception's class name and message.
            box["error"] = (type(exc).__name__, str(exc))
        finally:
            from django.db import connection

            connection.close()  # the helper thread's own connection

    thread = threading.Thread(target=target, daemon=True, name="stepstudio-task")
    thread.start()
    timeout = request.get("timeout_seconds")
    heartbeat = request.get("heartbeat_seconds")
    started = time.monotonic()
    renew_every = max(config.task_lease_seconds() / 3, 0.2)
    last_renew = started
    while True:
        thread.join(0.05 if time.monotonic() - started < 1 else 0.25)
        if not thread.is_alive():
            break
        now = time.monotonic()
        if timeout and now - started >= float(timeout):
            return inbounds.task_failed(ErrorName.TIMEOUT.value, None)
        if heartbeat and now - ctx.last_beat >= float(heartbeat):
            return inbounds.task_failed(ErrorName.HEARTBEAT_TIMEOUT.value, None)
        if now - last_renew >= renew_every:
            last_renew = now
            if not renew():  # the frame moved on (stopped, timed out): stop waiting
                return inbounds.task_failed(ErrorName.TIMEOUT.value, "the task was cancelled")
    if "error" in box:
        return inbounds.task_failed(*box["error"])
    return inbounds.task_succeeded(box.get("value"))


def http_invoke(params: dict):
    """arn:aws:states:::http:invoke with real HTTP (requests).

    AWS answers {Headers, ResponseBody, StatusCode, StatusText}; a non-2xx status fails the
    state with `States.Http.StatusCode.<code>`. Authentication/ConnectionArn are accepted
    and ignored (no EventBridge connections here).
    """
    params = params or {}
    method = (params.get("Method") or "GET").upper()
    headers = dict(params.get("Headers") or {})
    body = params.get("RequestBody")
    kwargs = {"params": params.get("QueryParameters") or None, "headers": headers,
              "timeout": 60}
    if body is not None:
        if isinstance(body, (dict, list)):
            kwargs["json"] = body
        else:
            kwargs["data"] = str(body)
    resp = requests.request(method, params["ApiEndpoint"], **kwargs)
    try:
        response_body = resp.json()
    except ValueError:
        response_body = resp.text
    out = {"Headers": {k: [v] for k, v in resp.headers.items()}, "ResponseBody": response_body,
           "StatusCode": resp.status_code, "StatusText": resp.reason}
    if not 200 <= resp.status_code < 300:
        raise StatesError(f"States.Http.StatusCode.{resp.status_code}",
                          f"{resp.status_code} {resp.reason}")
    return out
