"""One attempt of one delivery: claim it, POST the event, record the attempt, decide.

The attempt is claimed by a conditional update (PENDING, due, no live lease → leased,
attempts + 1), so a redelivered message or the sweep never sends the same attempt twice
while a worker holds it; a worker killed mid-request loses its lease and the sweep sends
the delivery again (at-least-once: receivers dedupe on the event id). The HTTP request is
made outside any transaction, through the HTTP task's outbound guard with the webhooks'
own allow-list (WEBHOOK_ALLOWED_HOSTS): only public addresses unless the operator lists
a host (docs/security.md).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import time

import requests
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from engine.models import (AttemptOutcome, DeliveryStatus, WebhookAttempt, WebhookDelivery)
from engine.runtime import http_task

from . import config, retry, signing

log = logging.getLogger(__name__)
SNIPPET_CHARS = 1000
USER_AGENT = "StepStudio-Webhooks/1"


def policy() -> retry.Policy:
    return retry.Policy(config.retry_base_seconds(), config.retry_max_seconds(),
                        config.max_attempts(), dt.timedelta(seconds=config.max_age_seconds()))


def claim(delivery_id: int, now: dt.datetime) -> bool:
    lease = now + dt.timedelta(seconds=config.lease_seconds())
    return bool(WebhookDelivery.objects.filter(
        id=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now,
    ).filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now)).update(
        lease_until=lease, attempts=F("attempts") + 1))


def post(url: str, secret: str, body: bytes, headers: dict) -> tuple[retry.Result, str, int]:
    """(result, response snippet, duration ms) of one POST under the outbound guard."""
    started = time.monotonic()
    stamp = int(time.time())
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
               signing.HEADER: signing.sign(secret, body, stamp), **headers}
    try:
        with http_task.guarded_session(config.allowed_hosts(), "WEBHOOK_ALLOWED_HOSTS") as s:
            resp = s.post(url, data=body, headers=headers, timeout=config.timeout_seconds(),
                          allow_redirects=False)
            snippet = resp.text[:SNIPPET_CHARS]
            result = retry.Result(status_code=resp.status_code)
    except http_task.Refused as exc:
        result, snippet = retry.Result(error=str(exc), refused=True), ""
    except requests.RequestException as exc:
        refused = http_task._refusal(exc)
        result = retry.Result(error=str(refused or exc)[:SNIPPET_CHARS],
                              refused=refused is not None)
        snippet = ""
    return result, snippet, int((time.monotonic() - started) * 1000)


def attempt(delivery_id: int, task_id: str = "", manual: bool = False) -> str | None:
    """Make the due attempt of a delivery; its outcome, or None when it was not due."""
    now = timezone.now()
    if not claim(delivery_id, now):
        return None  # done, not due, or another worker holds it
    delivery = (WebhookDelivery.objects.select_related("webhook", "event")
                .get(id=delivery_id))
    hook, event = delivery.webhook, delivery.event
    body = json.dumps(event.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {"StepStudio-Event-Id": str(event.id), "StepStudio-Delivery-Id": str(delivery.id),
               "StepStudio-Attempt": str(delivery.attempts)}
    result, snippet, duration = post(hook.url, hook.secret, body, headers)
    first = delivery.first_attempt_at or now
    decision = retry.decide(delivery.attempts, first, timezone.now(), result, policy(),
                            key=str(delivery.id))
    error = result.error
    if decision.outcome == retry.GAVE_UP:
        error = f"{error} ({decision.reason})" if error else decision.reason
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, number=delivery.attempts, started_at=now, duration_ms=duration,
            status_code=result.status_code, response_snippet=snippet, error=error,
            outcome=decision.outcome, manual=manual, task_id=task_id[:64])
        done = decision.outcome != retry.RETRY
        # dispatched_at cleared: the message that led here is spent, so the sweep sends the
        # retry as soon as it is due. Left set, the sweep's RESEND_AFTER guard held every
        # retry back to 30 s after the last send, whatever the back-off said.
        WebhookDelivery.objects.filter(id=delivery.id).update(
            status={retry.SUCCEEDED: DeliveryStatus.SUCCEEDED, retry.GAVE_UP:
                    DeliveryStatus.FAILED}.get(decision.outcome, DeliveryStatus.PENDING),
            next_attempt_at=decision.next_attempt_at, lease_until=None,
            first_attempt_at=first, last_status_code=result.status_code,
            completed_at=timezone.now() if done else None, dispatched_at=None)
    log.info("webhook %s delivery %s attempt %d: %s %s", hook.name, delivery.id,
             delivery.attempts, result.status_code or result.error[:80], decision.outcome)
    return decision.outcome


def redeliver(delivery: WebhookDelivery) -> None:
    """Reopen a delivery now (the app's and the admin's "redeliver"): a fresh retry budget."""
    from .fanout import send_delivery

    now = timezone.now()
    WebhookDelivery.objects.filter(id=delivery.id).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now, lease_until=None,
        dispatched_at=now, first_attempt_at=None, completed_at=None)
    transaction.on_commit(lambda: send_delivery(delivery.id), robust=True)
