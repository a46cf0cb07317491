"""Webhook delivery knobs: Django settings first, then the environment (typed, loud)."""
from __future__ import annotations

from django.conf import settings

from stepstudio.env import env_int, env_list, env_str


def _int(name: str, default: int, minimum: int = 0) -> int:
    value = getattr(settings, name, None)
    if value is not None:
        return int(value)
    return env_int(name, default, minimum=minimum)


def retry_base_seconds() -> int:
    return _int("WEBHOOK_RETRY_BASE_SECONDS", 10, 1)


def retry_max_seconds() -> int:
    return _int("WEBHOOK_RETRY_MAX_SECONDS", 3600, 1)


def max_attempts() -> int:
    return _int("WEBHOOK_MAX_ATTEMPTS", 30, 1)


def max_age_seconds() -> int:
    # A delivery gives up this long after its first attempt (24 h, as EventBridge's default
    # MaximumEventAgeInSeconds), or after max_attempts, whichever comes first.
    return _int("WEBHOOK_MAX_AGE_SECONDS", 86400, 1)


def timeout_seconds() -> int:
    return _int("WEBHOOK_TIMEOUT_SECONDS", 10, 1)


def lease_seconds() -> int:
    # A worker holds a delivery this long while it sends; a killed worker's is retried after.
    return timeout_seconds() + 20


def allowed_hosts() -> list[str]:
    value = getattr(settings, "WEBHOOK_ALLOWED_HOSTS", None)
    if value is None:
        value = env_list("WEBHOOK_ALLOWED_HOSTS")
    return [str(e).strip().lower().rstrip(".") for e in value or [] if str(e).strip()]


def queue() -> str | None:
    return getattr(settings, "STEPSTUDIO_QUEUE", None) or env_str("STEPSTUDIO_QUEUE")
