"""From one event to one delivery per matching webhook (and the messages that send them).

A webhook matches an event of its owner's state machines when its status filter is empty
or names the status, and its state-machine filter is empty or holds the machine. The
fan-out is claimed by a conditional update on `fanned_out_at`, so the message and the
sweep never both create deliveries (and the unique (webhook, event) pair would refuse a
second one anyway).
"""
from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from engine.models import StatusEvent, Webhook, WebhookDelivery

from . import config

log = logging.getLogger(__name__)
DELIVER_TASK = "engine.events.deliver"


def send_delivery(delivery_id: int) -> None:
    from stepstudio.celery import app

    try:
        app.send_task(DELIVER_TASK, args=[delivery_id], queue=config.queue())
    except Exception:  # the sweep sends due deliveries again
        log.warning("could not send delivery %s; the sweep will", delivery_id, exc_info=True)


def matching(event: StatusEvent):
    hooks = (Webhook.objects.filter(owner_id=event.owner_id, enabled=True)
             .prefetch_related("state_machines"))
    for hook in hooks:
        if hook.statuses and event.status not in hook.statuses:
            continue
        machines = {m.id for m in hook.state_machines.all()}
        if machines and event.state_machine_id not in machines:
            continue
        yield hook


def fan_out(event_id, now: dt.datetime | None = None) -> int:
    """Create the event's deliveries; 0 if it was fanned out already."""
    now = now or timezone.now()
    with transaction.atomic():
        event = (StatusEvent.objects.select_for_update(skip_locked=True)
                 .filter(id=event_id, fanned_out_at__isnull=True).first())
        if event is None:
            return 0
        created = []
        for hook in matching(event):
            delivery, new = WebhookDelivery.objects.get_or_create(
                webhook=hook, event=event, defaults={"next_attempt_at": now, "dispatched_at": now})
            if new:
                created.append(delivery.id)
        StatusEvent.objects.filter(id=event.id).update(fanned_out_at=now)
        for delivery_id in created:
            transaction.on_commit(lambda d=delivery_id: send_delivery(d), robust=True)
    return len(created)
