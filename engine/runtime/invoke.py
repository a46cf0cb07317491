"""Calling a Task's resource in the worker, within TimeoutSeconds and HeartbeatSeconds.

With a limit to enforce, the handler (engine.asl.handlers.invoke: the registry, then the
real AWS call the Django app installed as its fallback when STEPSTUDIO_AWS_INTEGRATIONS is
on — engine/aws_calls.py) runs in a helper thread while this thread watches the clock, renews the
frame's lease (so the sweeper knows the worker is alive) and gives up with States.Timeout /
States.HeartbeatTimeout. Python cannot kill a thread: a handler past its limit is abandoned
(daemon thread) and its late result ignored, because the frame has moved on.

Without a limit (the ASL default), nothing would ever be given up, so the handler runs in
the worker's own thread and a per-process keeper renews the lease while it runs: starting
and joining a thread per task cost about 1 ms (more while the doorbell thread holds the
GIL), as much as the rest of a step. A stopped execution's handler then runs to its end,
as a Lambda function does on AWS; its result is dropped because the frame has moved on.

A handler heartbeats by calling `request["heartbeat"]()` (its optional second argument is
the request). Infrastructure errors of this module's own calls (database down) propagate
to the Celery task, which retries the message (tasks.py); everything a handler raises is
the state's failure, for Retry/Catch.
"""
from __future__ import annotations

import logging
import os
import threading
import time

from django.db import connections

from engine.asl import handlers
from engine.asl.errors import ErrorName
from engine.asl.scrub import scrub_paths

from . import config, http_task, inbounds, nested  # noqa: F401  (also loaded by engine.apps)

log = logging.getLogger(__name__)


def invoke(request: dict, *, execution_id, renew=lambda: True, call: str = "") -> dict:
    """Run the request's handler within its limits; the inbound (JSON) for the next step.

    `call` ("frame:step") names the parent step for a nested execution's idempotency."""
    if nested.handles(request) and handlers.handler_for(request) is None:
        # states:startExecution needs no handler (a registered one still wins): starting
        # the child is quick, and a `.sync` Task's limits are timers once it waits.
        return nested.start_child(request, execution_id, call)
    if not request.get("timeout_seconds") and not request.get("heartbeat_seconds"):
        return _invoke_here(request, renew)
    return _invoke_watched(request, execution_id, renew)


def _inbound(result) -> dict:
    if result.ok:
        return inbounds.task_succeeded(result.value)
    return inbounds.task_failed(result.error, result.cause)


def _bug(exc: Exception) -> dict:
    # The registry reports handler errors itself; reaching here is a bug in the call.
    return inbounds.task_failed(ErrorName.TASK_FAILED.value, f"{type(exc).__name__}: {scrub_paths(str(exc))}")


def _invoke_here(request: dict, renew) -> dict:
    token = _keeper.watch(renew)
    try:
        return _inbound(handlers.invoke(dict(request, heartbeat=lambda: None)))
    except Exception as exc:
        return _bug(exc)
    finally:
        _keeper.unwatch(token)


class _LeaseKeeper:
    """Renews the leases of handlers running in a worker's own thread (one keeper per process).

    It sleeps until a watched handler has run for a third of the lease, so a fast handler
    costs two dictionary operations and no database call.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.watched: dict[int, list] = {}  # token → [renew, next renewal, interval]
        self.counter = 0
        self.pid = None

    def watch(self, renew) -> int:
        every = max(config.task_lease_seconds() / 3, 0.2)
        with self.lock:
            if self.pid != os.getpid():  # new, or forked (prefork pool): threads do not follow
                self.pid, self.watched = os.getpid(), {}
                threading.Thread(target=self._run, daemon=True,
                                 name="stepstudio-lease-keeper").start()
            self.counter += 1
            self.watched[self.counter] = [renew, time.monotonic() + every, every]
            return self.counter

    def unwatch(self, token: int) -> None:
        with self.lock:
            self.watched.pop(token, None)

    def _run(self) -> None:
        while True:
            with self.lock:
                due = min((w[1] for w in self.watched.values()), default=None)
            time.sleep(0.5 if due is None else min(max(due - time.monotonic(), 0.05), 0.5))
            now = time.monotonic()
            with self.lock:
                ready = [(t, w) for t, w in self.watched.items() if w[1] <= now]
            for token, entry in ready:
                entry[1] = now + entry[2]
                try:
                    if not entry[0]():  # the frame moved on: its result will be dropped
                        self.unwatch(token)
                except Exception:
                    log.warning("could not renew a task lease", exc_info=True)


_keeper = _LeaseKeeper()


def _invoke_watched(request: dict, execution_id, renew) -> dict:
    last_beat = [time.monotonic()]

    def heartbeat() -> None:
        last_beat[0] = time.monotonic()

    call = dict(request, heartbeat=heartbeat)
    box: dict = {}

    def target():
        try:
            box["result"] = handlers.invoke(call)
        except Exception as exc:
            box["error"] = exc
        finally:
            # A handler using the ORM opened its own connection in this thread: close it.
            # Only those: asking for one that was never made would build a new (≈1 ms).
            for conn in connections.all(initialized_only=True):
                conn.close()

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
        return _bug(box["error"])
    return _inbound(box["result"])
