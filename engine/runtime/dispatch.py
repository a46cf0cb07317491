"""Messages and doorbells, sent only after the step that made them committed.

A message names an execution, a frame and the step it may take: ids, never payloads
(the database is the source of truth). Sending is best-effort by design: a message lost
between commit and broker is re-sent by the sweeper (timers.sweep) from the frame's
`dispatched_at`.
"""
from __future__ import annotations

import logging

from engine.models import Waiting

from . import config

log = logging.getLogger(__name__)

TASK_NAMES = {Waiting.ADVANCE: "engine.advance", Waiting.TASK: "engine.run_task"}


def send(waiting: str, execution_id, frame_id: int, step: int) -> None:
    from stepstudio.celery import app

    try:
        app.send_task(TASK_NAMES[waiting], args=[str(execution_id), frame_id, step],
                      queue=config.queue())
    except Exception:  # broker down: the frame stays dispatchable, the sweeper retries
        log.warning("could not send %s for frame %s step %s; the sweeper will retry",
                    TASK_NAMES[waiting], frame_id, step, exc_info=True)


def sender(waiting: str, execution_id, frame_id: int, step: int):
    return lambda: send(waiting, execution_id, frame_id, step)


def execution_group(execution_id) -> str:
    return f"execution-{execution_id}"


LIST_GROUP = "executions"


def ring_advanced(execution, finished: bool) -> None:
    """Ring the execution's live view (and the executions list) once this transaction commits."""
    try:
        from stepstudio.notify import ring
    except ImportError:  # the notify module is not installed in this build
        return
    ring(execution_group(execution.id), {"type": "execution.advanced", "seq": execution.seq})
    ring(LIST_GROUP, {"type": "execution.advanced", "id": str(execution.id),
                      "seq": execution.seq, "status": execution.status})
