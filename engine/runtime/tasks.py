"""Thin Celery tasks: ids in, reload from the database, exit quietly when the step is gone.

acks_late + reject_on_worker_lost: a message is acknowledged only after its step committed,
and re-queued when the worker process dies mid-way; the step's conditional claim makes the
second delivery a no-op when the first had committed. Retry-or-give-up is decided in one
place (`_retry_or_raise`): infrastructure errors retry the message; anything else is
counted on the step's frame (failures.py) and retried until STEPSTUDIO_STEP_ATTEMPTS, when
the execution fails with States.Runtime; the error is logged with its traceback.
"""
from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import celeryd_after_setup, worker_init, worker_process_init
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections

from . import failures, lanes, sessions, work

log = logging.getLogger(__name__)

# Errors a retry can help with: the database or its connection went away for a moment, a
# row lock was not granted within lock_timeout (its holder may be frozen: the step is taken
# again later rather than waited on), the server ended a session idle in a transaction.
TRANSIENT = (OperationalError, InterfaceError)

OPTIONS = dict(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True,
               max_retries=None)


@worker_init.connect
@worker_process_init.connect
def _limit_sessions(**_):
    # Every connection of a worker process (prefork children included) gets lock_timeout
    # and idle_in_transaction_session_timeout (sessions.py).
    sessions.limit_this_process()


@celeryd_after_setup.connect
def _consume_lanes(sender, instance, **_):
    # A worker of the runtime's queue serves every owner's lane of it too (lanes.py).
    queues = instance.app.amqp.queues
    if lanes.runtime_queue() in queues.consume_from:
        for lane in lanes.all_lanes():
            # Declared as a publisher's message would create it (the broker's queue type:
            # quorum on RabbitMQ); a classic declaration of a quorum lane is refused.
            queues.select_add(queues[lane] if lane in queues else queues.new_missing(lane))


def _transient(exc: Exception) -> bool:
    return isinstance(exc, TRANSIENT) or (isinstance(exc, DatabaseError)
                                          and "deadlock" in str(exc).lower())


def _retry(task, exc: Exception):
    close_old_connections()
    backoff = min(0.1 * (2 ** task.request.retries), 5.0)
    raise task.retry(exc=exc, countdown=backoff)


def _retry_or_raise(task, exc: Exception, execution_id: str, frame_id: int, step: int):
    if _transient(exc):
        _retry(task, exc)
    close_old_connections()
    try:
        outcome = failures.record(execution_id, frame_id, step, exc)
    except Exception as again:  # noqa: BLE001 - the database went away meanwhile
        if _transient(again):
            _retry(task, again)
        raise
    if outcome == failures.RETRY:
        log.warning("step %s of frame %s (execution %s) failed, retrying: %s: %s", step,
                    frame_id, execution_id, type(exc).__name__, exc)
        _retry(task, exc)
    raise exc


@shared_task(name="engine.advance", **OPTIONS)
def advance(self, execution_id: str, frame_id: int, step: int) -> None:
    try:
        work.advance_then_run(execution_id, frame_id, step)
    except Exception as exc:
        _retry_or_raise(self, exc, execution_id, frame_id, step)


@shared_task(name="engine.run_task", **OPTIONS)
def run_task(self, execution_id: str, frame_id: int, step: int) -> None:
    try:
        work.run_task(execution_id, frame_id, step, task_id=self.request.id or "")
    except Exception as exc:
        _retry_or_raise(self, exc, execution_id, frame_id, step)
