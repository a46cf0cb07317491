"""Creating and changing webhooks (REST, the pages and the admin go through here).

The secret is generated here and returned once, with the webhook that was created (or
whose secret was rolled); lists and pages never show it again.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from engine.models import ExecutionStatus, StateMachine, Webhook
from engine.schedules.errors import ScheduleError as FieldError

from . import signing

STATUSES = tuple(ExecutionStatus.values)
FIELDS = ("name", "url", "enabled", "statuses", "state_machines")


def _url(value: str) -> str:
    value = (value or "").strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FieldError("url", "url must be an http:// or https:// URL with a host")
    if parts.username or parts.password:
        raise FieldError("url", "url must not carry a user name or password")
    if len(value) > 2048:
        raise FieldError("url", "url is longer than 2048 characters")
    return value


def _statuses(value) -> list[str]:
    value = list(value or [])
    bad = [s for s in value if s not in STATUSES]
    if bad:
        raise FieldError("statuses", f"unknown status {bad[0]!r}: use {', '.join(STATUSES)}")
    return sorted(set(value), key=STATUSES.index)


def _machines(owner, names) -> list[StateMachine]:
    names = list(names or [])
    found = {m.name: m for m in StateMachine.objects.filter(owner=owner, name__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise FieldError("state_machines", f"You have no state machine named '{missing[0]}'")
    return list(found.values())


def save(owner, values: dict, webhook: Webhook | None = None) -> Webhook:
    """Create or change a webhook; a new one gets a secret (webhook.secret, shown once)."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise FieldError(sorted(unknown)[0], f"unknown field '{sorted(unknown)[0]}'")
    creating = webhook is None
    if creating:
        if not values.get("name"):
            raise FieldError("name", "name is required")
        if not values.get("url"):
            raise FieldError("url", "url is required")
        webhook = Webhook(owner=owner, secret=signing.new_secret())
    if "name" in values:
        name = (values["name"] or "").strip()
        if not 1 <= len(name) <= 80:
            raise FieldError("name", "name must be 1 to 80 characters")
        webhook.name = name
    if "url" in values:
        webhook.url = _url(values["url"])
    if "enabled" in values:
        webhook.enabled = bool(values["enabled"])
    if "statuses" in values:
        webhook.statuses = _statuses(values["statuses"])
    machines = _machines(owner, values["state_machines"]) if "state_machines" in values \
        else None
    try:
        with transaction.atomic():
            webhook.save()
            if machines is not None:
                webhook.state_machines.set(machines)
    except IntegrityError:
        raise FieldError("name", f"You already have a webhook named '{webhook.name}'") from None
    return webhook


def roll_secret(webhook: Webhook) -> Webhook:
    webhook.secret = signing.new_secret()
    webhook.save(update_fields=["secret", "updated"])
    return webhook
