"""Messages and doorbells, sent only after the step that made them committed.

A message names an execution, a frame and the step it may take: ids, never payloads
(the database is the source of truth). Sending is best-effort by design: a message lost
between commit and broker is re-sent by the sweeper (timers.sweep) from the frame's
`dispatched_at`.
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading

from channels.layers import get_channel_layer
from django.db import transaction

from engine.live.groups import ALL_EXECUTIONS, execution_group  # consumers join these
from engine.models import Waiting
from stepstudio.celery import app

from . import lanes

log = logging.getLogger(__name__)

TASK_NAMES = {Waiting.ADVANCE: "engine.advance", Waiting.TASK: "engine.run_task"}


def send(waiting: str, execution_id, frame_id: int, step: int, queue: str | None = None,
         owner: int | None = None) -> None:
    """`queue`: a Task handler's own queue (routing.queue_for); None: the runtime's, in the
    lane of the execution's `owner` (lanes.py)."""
    try:
        app.send_task(TASK_NAMES[waiting], args=[str(execution_id), frame_id, step],
                      queue=queue or lanes.lane_for(owner))
    except Exception:  # broker down: the frame stays dispatchable, the sweeper retries
        log.warning("could not send %s for frame %s step %s; the sweeper will retry",
                    TASK_NAMES[waiting], frame_id, step, exc_info=True)


def sender(waiting: str, execution_id, frame_id: int, step: int, queue: str | None = None,
           owner: int | None = None):
    return lambda: send(waiting, execution_id, frame_id, step, queue, owner)


def queued(queue: str) -> int | None:
    """How many messages wait in a broker queue; None when the broker cannot say."""
    try:
        with app.pool.acquire(block=True, timeout=5) as conn:
            try:
                return conn.default_channel.queue_declare(queue=queue, passive=True).message_count
            except conn.channel_errors:
                # Redis/SQLite keep no empty queue, and AMQP answers NOT_FOUND for one that
                # was never declared: nothing waits in it either way.
                return 0
    except Exception:
        log.warning("could not count the messages in queue %s", queue, exc_info=True)
        return None


class _Bell:
    """Channel-layer sends from one long-lived event loop per process, fire-and-forget.

    `stepstudio.notify.ring` does `async_to_sync(group_send)` per call: a fresh event loop
    and so a fresh Redis connection each time (≈18 ms here) — more than a whole step. The
    runtime rings once or twice per transaction, so it keeps one loop thread (created after
    fork, per process) whose connection pool is reused. Same contract: sent after commit,
    failures logged, never raised (consumers re-read the database anyway).

    Bells that pile up while the loop is busy are merged: only the newest per group (and
    per execution on the list's group) is sent, since a bell says "read from the database"
    and one read sees everything committed. A busy worker so rings less, never later.
    """

    def __init__(self):
        self.loop = None
        self.pid = None
        self.lock = threading.Lock()
        self.pending: dict = {}
        self.draining = False

    def _loop(self):
        if self.loop is None or self.pid != os.getpid():
            self.loop = asyncio.new_event_loop()
            self.pid = os.getpid()
            self.pending, self.draining = {}, False
            threading.Thread(target=self.loop.run_forever, daemon=True,
                             name="stepstudio-bell").start()
        return self.loop

    def send(self, group: str, message: dict) -> None:
        with self.lock:
            loop = self._loop()
            self.pending[(group, message.get("id"))] = (group, message)
            if self.draining:
                return
            self.draining = True
        try:
            asyncio.run_coroutine_threadsafe(self._drain(), loop).add_done_callback(_log_failure)
        except Exception:
            with self.lock:
                self.draining = False
            log.warning("doorbell %s not sent", group, exc_info=True)

    async def _drain(self) -> None:
        layer = get_channel_layer()
        while True:
            with self.lock:
                batch, self.pending = list(self.pending.values()), {}
                if not batch:
                    self.draining = False
                    return
            if layer is None:
                continue
            for group, message in batch:
                try:
                    await layer.group_send(group, message)
                except Exception as exc:
                    log.warning("doorbell %s not sent: %s", group, exc)


def _log_failure(future) -> None:
    if future.exception() is not None:
        log.warning("doorbell not sent: %s", future.exception())


_bell = _Bell()


def ring_advanced(execution, finished: bool, started: bool = False) -> None:
    """Ring the execution's live view once this transaction commits; the executions list
    too when the status changed (started or stopped)."""
    seq, status, ex_id = execution.seq, execution.status, str(execution.id)

    def ring():
        _bell.send(execution_group(ex_id), {"type": "execution.advanced", "seq": seq})
        if finished or started:
            _bell.send(ALL_EXECUTIONS, {"type": "execution.advanced", "id": ex_id, "seq": seq,
                                    "status": status})

    transaction.on_commit(ring, robust=True)
