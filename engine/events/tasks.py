"""Celery tasks of the events: ids in, reload, exit quietly when there is nothing to do.

Retrying is never the message's business: a failed attempt is recorded and scheduled in
the database (next_attempt_at) and the scheduler's sweep sends it when due, so no message
waits in the broker with a long ETA and a lost one loses nothing.
"""
from __future__ import annotations

from celery import shared_task

from . import delivery, fanout

OPTIONS = dict(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)


@shared_task(name="engine.events.fan_out", **OPTIONS)
def fan_out(self, event_id: str) -> None:
    fanout.fan_out(event_id)


@shared_task(name="engine.events.deliver", **OPTIONS)
def deliver(self, delivery_id: int) -> None:
    delivery.attempt(delivery_id, task_id=self.request.id or "")
