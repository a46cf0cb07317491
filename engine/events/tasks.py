"""Celery tasks of the events: ids in, reload, exit quietly when there is nothing to do.

Retrying is never the message's business: a failed attempt is recorded and scheduled in
the database (next_attempt_at) and the scheduler's sweep sends it when due, so no message
waits in the broker with a long ETA and a lost one loses nothing. The one exception is a
database that went away before anything was recorded (see _again).
"""
from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError, close_old_connections

from . import delivery, fanout

OPTIONS = dict(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
TRANSIENT = (OperationalError, InterfaceError)


def _again(task, exc: Exception):
    """A second later on a fresh connection. The database restarted or cut this process's
    connection: the sweep would send the delivery again only after sweep.RESEND_AFTER (its
    message counts as sent), so every delivery after an outage waited half a minute. Both
    tasks are safe to repeat (claims are conditional updates); the sweep stays the backstop
    once the retries run out."""
    close_old_connections()
    raise task.retry(exc=exc, countdown=1, max_retries=5)


@shared_task(name="engine.events.fan_out", **OPTIONS)
def fan_out(self, event_id: str) -> None:
    try:
        fanout.fan_out(event_id)
    except TRANSIENT as exc:
        _again(self, exc)


@shared_task(name="engine.events.deliver", **OPTIONS)
def deliver(self, delivery_id: int) -> None:
    try:
        delivery.attempt(delivery_id, task_id=self.request.id or "")
    except TRANSIENT as exc:
        _again(self, exc)
