"""The scheduler's share of event delivery (run from `workflows scheduler` every second).

* events whose fan-out message never ran (lost, or the broker was down) are fanned out
  here, once they are a few seconds old;
* deliveries whose next attempt is due and that no worker holds are sent to a worker,
  claimed by a conditional update on next_attempt_at so two schedulers send one message.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from engine.models import DeliveryStatus, StatusEvent, WebhookDelivery

from . import fanout

FAN_OUT_AFTER = dt.timedelta(seconds=5)
# A due delivery sent to a worker is not sent again for this long (its message may be
# queued behind others); the claim in delivery.attempt is what prevents double attempts.
# Retries are sent by this sweep when due (so a retry is at most a second late).
RESEND_AFTER = dt.timedelta(seconds=30)


def sweep(now: dt.datetime | None = None, limit: int = 200) -> int:
    now = now or timezone.now()
    done = 0
    stale = list(StatusEvent.objects.filter(fanned_out_at__isnull=True,
                                            created__lt=now - FAN_OUT_AFTER)
                 .order_by("created").values_list("id", flat=True)[:limit])
    for event_id in stale:
        done += fanout.fan_out(event_id, now) >= 0
    due = list(WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING,
                                              next_attempt_at__lte=now)
               .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
               .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - RESEND_AFTER))
               .values_list("id", "dispatched_at")[:limit])
    for delivery_id, dispatched in due:
        if WebhookDelivery.objects.filter(id=delivery_id, dispatched_at=dispatched).update(
                dispatched_at=now):
            fanout.send_delivery(delivery_id)
            done += 1
    return done
