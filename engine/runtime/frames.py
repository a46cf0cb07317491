"""A frame's move to its next step: parked by the step that reached it, or made due later.

A Frame row is one lane of an execution (the root, or a Parallel branch / Map iteration) at a
numbered step, waiting for something (`Waiting`). A message may take a frame's step only
while the frame is still at that number, so every move here bumps it (park) or keeps it and
makes it dispatchable (make_due), and queues the frame's message for after commit.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from engine.models import Frame, Waiting

from . import config, dispatch, lanes, routing

DISPATCHABLE = (Waiting.ADVANCE, Waiting.TASK)


def stored(cursor):
    """A cursor as saved in a Frame row: without its context object.

    Every cursor carries `ctx` (with the whole execution input); a 10,000-item Map would
    store it 10,000 times. It is rebuilt from the Execution row when the frame is loaded.
    """
    if isinstance(cursor, dict) and "ctx" in cursor:
        cursor = {k: v for k, v in cursor.items() if k != "ctx"}
    return cursor


def park(step, frame: Frame, cursor, waiting: str, *, request=None, inbound=None) -> Frame:
    """Save the frame at its next step; a dispatchable frame gets a message after commit.

    `step` is the driver's Step of the running transaction (its execution is locked).
    """
    now = timezone.now()
    frame.step += 1
    frame.cursor = stored(cursor)
    frame.waiting = waiting
    frame.inbound = inbound
    queue = None
    if waiting == Waiting.TASK and request is not None:
        # The handler's queue goes with the request: the sweeper re-sends it there, and the
        # admin and live view show where and since when the Task waits (engine.waiting_tasks).
        queue = routing.queue_for(request)
        if queue == routing.default_queue():
            queue = None
            request = dict(request, scheduled_at=now.isoformat())
        else:
            request = dict(request, queue=queue, scheduled_at=now.isoformat())
    claim = (waiting == Waiting.TASK and step.claim_next is not None
             and not step.claim_next and not (request or {}).get("task_token")
             and routing.runs_here(request))
    frame.request = request
    # A claimed Task is leased to the calling worker now; the sweeper treats it like any
    # running task (re-sends it if the lease lapses because that worker died).
    frame.lease_until = now + timezone.timedelta(seconds=config.task_lease_seconds()) \
        if claim else None
    frame.dispatched_at = now if waiting in DISPATCHABLE else None
    if frame.pk is None:
        frame.save()
    else:
        step.save_later(frame)
    if claim:
        # With the frame as this step leaves it: the worker's next step of it can start
        # from there (driver.advance(known=…)) instead of reading it back.
        step.claim_next.append((frame.id, frame.step, request, (step.execution, frame)))
    elif waiting in DISPATCHABLE:
        step.after_commit.append(dispatch.sender(waiting, step.execution.id, frame.id, frame.step,
                                                 queue, lanes.owner_of(step.execution)))
    return frame


def make_due(frame: Frame, inbound: dict) -> None:
    """Turn a waiting frame into a dispatchable ADVANCE that consumes `inbound` (same step):
    a timer fired, a task timed out. Inside the caller's transaction, execution row locked."""
    frame.inbound = inbound
    frame.waiting = Waiting.ADVANCE
    frame.dispatched_at = timezone.now()
    frame.save(update_fields=["inbound", "waiting", "dispatched_at"])
    transaction.on_commit(dispatch.sender(Waiting.ADVANCE, frame.execution_id, frame.id,
                                          frame.step,
                                          owner=lanes.owner_of_execution(frame.execution_id)))
