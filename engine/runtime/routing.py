"""Which broker queue runs a Task's handler, and whether this worker process may run it.

`@task_handler("resize", queue="media")` (docs/handlers.md): the Task's run message goes to
the queue `media`, which only workers started with `-Q media` consume; a handler without a
queue runs on the runtime's default queue (STEPSTUDIO_QUEUE, else Celery's). The step that
reaches a Task records its queue in the frame's request (`request["queue"]`) so the sweeper
re-sends it to the same place. A worker runs a Task it reached itself (instead of sending
it) only if it has the handler's code and consumes its queue.
"""
from __future__ import annotations

import os

from engine.asl import handlers
from stepstudio.celery import app

from . import lanes

_served: tuple[int, frozenset] | None = None  # (pid, queues this worker consumes)


def default_queue() -> str:
    return lanes.runtime_queue()


def queue_for(request: dict) -> str:
    """The queue of the request's handler as this process knows it (default if unknown)."""
    return handlers.queue_for(request) or default_queue()


def served_queues() -> frozenset:
    """The queues this Celery worker consumes (`-Q`); in a prefork child, its parent's."""
    global _served
    if _served is None or _served[0] != os.getpid():
        _served = (os.getpid(), frozenset(app.amqp.queues.consume_from))
    return _served[1]


def runs_here(request: dict) -> bool:
    """May this worker run the request's handler itself (it has the code and its queue)?"""
    handler = handlers.handler_for(request)
    return handler is not None and (handler.queue or default_queue()) in served_queues()
