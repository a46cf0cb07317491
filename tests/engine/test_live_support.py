"""Small world for the live-view tests: executions with hand-written history, rung like the runtime.

Appending goes through the runtime's own bell (engine.runtime.dispatch.ring_advanced), so
the tests also prove that the runtime rings the groups the consumers join.
"""
from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.utils import timezone

from engine.models import Execution, HistoryEvent, StateMachine
from engine.runtime.dispatch import ring_advanced

PASS = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": True}}}


def sqlite_layer(var_dir):
    return {"default": {"BACKEND": "stepstudio.layers.SQLiteChannelLayer",
                        "CONFIG": {"path": str(var_dir / "channels.sqlite3"),
                                   "poll_interval": 0.01}}}


def make_execution(owner, name="run-1", machine="greeter", events=0) -> Execution:
    sm, _ = StateMachine.objects.get_or_create(owner=owner, name=machine,
                                               defaults={"definition": PASS})
    ex = Execution.objects.create(state_machine=sm, name=name, input={"who": "<b>x</b>"},
                                  definition=sm.definition)
    if events:
        append(ex, events, started=True)
    return ex


def append(execution: Execution, count: int, status: str | None = None,
           started: bool = False) -> list[int]:
    """Commit `count` events (and maybe a final status) in one transaction, then ring
    (the executions list too when `started` or a final `status`, as the runtime does)."""
    with transaction.atomic():
        ex = Execution.objects.select_for_update().get(id=execution.id)
        rows = []
        for _ in range(count):
            ex.seq += 1
            rows.append(HistoryEvent(execution=ex, seq=ex.seq, previous_event_id=ex.seq - 1,
                                     type="PassStateEntered" if ex.seq > 1 else "ExecutionStarted",
                                     details={"stateEnteredEventDetails": {"name": "Hello"}}))
        HistoryEvent.objects.bulk_create(rows)
        if status:
            ex.status, ex.stop_date = status, timezone.now()
        ex.save(update_fields=["seq", "status", "stop_date"])
        ring_advanced(ex, bool(status), started=started)
    execution.refresh_from_db()
    return [r.seq for r in rows]


async def receive_all(communicator, until, timeout=10.0) -> list[dict]:
    """Messages until `until(message)` is true (inclusive)."""
    out = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        message = await communicator.receive_json_from(timeout=max(0.1, deadline - loop.time()))
        out.append(message)
        if until(message):
            return out


def run(scenario):
    """Run an async test scenario from a sync test (the DB fixtures are sync)."""
    return async_to_sync(scenario)()


async def connect(path, headers):
    """A websocket through the whole ASGI app: (communicator, connected, close code)."""
    from stepstudio.asgi import application

    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=10)
    return communicator, connected, code
