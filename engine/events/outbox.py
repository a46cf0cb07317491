"""Recording a status change: one outbox row in the transaction that changes the status.

`record(execution)` is called by the runtime wherever an execution's status is written,
inside that transaction (lock held). The event therefore exists exactly when the change
committed; after commit the in-process signal is sent and a message asks a worker to fan
the event out to webhooks. That message may be lost (broker down, process killed): the
scheduler's sweep (engine.events.sweep) fans out any event left waiting, so a webhook
receiver that is down, or a broker that was, loses no event.
"""
from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from engine.models import Execution, StatusEvent
from engine.signals import execution_status_changed

from . import config, payload

log = logging.getLogger(__name__)
FAN_OUT_TASK = "engine.events.fan_out"


def prepare(execution: Execution, now=None, **known) -> StatusEvent:
    """The (unsaved) event of `execution`'s current status; `known`: input_value=… when
    the caller has the input (payload.build). The runtime writes it with a step's rows."""
    now = now or timezone.now()
    machine = execution.state_machine
    event = StatusEvent(execution_id=execution.id, owner_id=machine.owner_id,
                        state_machine_id=machine.id, status=execution.status, created=now)
    event.payload = payload.build(execution, now, event.id, **known)
    return event


def announce(event: StatusEvent) -> None:
    """After the transaction that wrote `event` commits: the signal, then the fan-out."""
    event_id, body, status, execution_id = (event.id, event.payload, event.status,
                                            event.execution_id)
    transaction.on_commit(lambda: after_commit(event_id, body, status, execution_id),
                          robust=True)


def record(execution: Execution, now=None, **known) -> StatusEvent:
    """Write the event of `execution`'s current status in the caller's transaction."""
    event = prepare(execution, now, **known)
    event.save(force_insert=True)
    announce(event)
    return event


def send_fan_out(event_id) -> None:
    from stepstudio.celery import app

    try:
        app.send_task(FAN_OUT_TASK, args=[str(event_id)], queue=config.queue())
    except Exception:  # broker down: the sweep fans it out later
        log.warning("could not send the fan-out of event %s; the sweep will", event_id,
                    exc_info=True)


def after_commit(event_id, body: dict, status: str, execution_id) -> None:
    for receiver, result in execution_status_changed.send_robust(
            sender=Execution, event=body, execution_id=str(execution_id), status=status):
        if isinstance(result, Exception):
            log.error("execution_status_changed receiver %r failed", receiver,
                      exc_info=result)
    send_fan_out(event_id)
