"""Calling a Task's resource in the worker, within TimeoutSeconds and HeartbeatSeconds.

The handler (engine.asl.handlers.invoke: the registry, never anything else) runs in a
helper thread while this thread watches the clock, renews the frame's lease (so the sweeper
knows the worker is alive) and gives up with States.Timeout / States.HeartbeatTimeout.
Python cannot kill a thread: a handler past its limit is abandoned (daemon thread) and its
late result ignored, because the frame has moved on.

A handler heartbeats by calling `request["heartbeat"]()` (its optional second argument is
the request). Infrastructure errors of this module's own calls (database down) propagate
to the Celery task, which retries the message (tasks.py); everything a handler raises is
the state's failure, for Retry/Catch.
"""
from __future__ import annotations

import threading
import time

from engine.asl import handlers
from engine.asl.errors import ErrorName

from . import config, http_task, inbounds  # noqa: F401  (also loaded by engine.apps)


def invoke(request: dict, *, execution_id, renew=lambda: True) -> dict:
    """Run the request's handler within its limits; the inbound (JSON) for the next step."""
    last_beat = [time.monotonic()]

    def heartbeat() -> None:
        last_beat[0] = time.monotonic()

    call = dict(request, heartbeat=heartbeat)
    box: dict = {}

    def target():
        try:
            box["result"] = handlers.invoke(call)
        except Exception as exc:  # the registry reports handler errors itself; this is a bug
            box["error"] = (ErrorName.TASK_FAILED.value, f"{type(exc).__name__}: {exc}")
        finally:
            from django.db import connection

            connection.close()  # a handler using the ORM opened its own connection here

    thread = threading.Thread(target=target, daemon=True, name=f"task-{execution_id}")
    thread.start()
    timeout = request.get("timeout_seconds")
    beat = request.get("heartbeat_seconds")
    started = last_renew = time.monotonic()
    renew_every = max(config.task_lease_seconds() / 3, 0.2)
    while True:
        thread.join(0.02 if time.monotonic() - started < 1 else 0.25)
        if not thread.is_alive():
            break
        now = time.monotonic()
        if timeout and now - started >= float(timeout):
            return inbounds.task_failed(ErrorName.TIMEOUT.value, None)
        if beat and now - last_beat[0] >= float(beat):
            return inbounds.task_failed(ErrorName.HEARTBEAT_TIMEOUT.value, None)
        if now - last_renew >= renew_every:
            last_renew = now
            if not renew():  # the frame moved on (stopped, timed out): stop waiting for it
                return inbounds.task_failed(ErrorName.TIMEOUT.value, "The task was cancelled")
    if "error" in box:
        return inbounds.task_failed(*box["error"])
    result = box["result"]
    if result.ok:
        return inbounds.task_succeeded(result.value)
    return inbounds.task_failed(result.error, result.cause)
