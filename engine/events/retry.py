"""Retry or give up: decided here and nowhere else (style habit 5).

Exponential backoff: attempt n failed → the next one after base · 2^(n-1) seconds (capped at
`max_seconds`), with a deterministic ±10 % spread per delivery so a receiver that comes back
is not hit by every delivery in the same second. A delivery gives up after `max_attempts`
attempts or once `max_age` has passed since its first attempt, whichever comes first
(defaults: 30 attempts, 24 h — docs/api.md "Webhooks").

Permanent failures give up at once (no retry can help): the target was refused by the
outbound guard (a private address not allowed), or the receiver answered 3xx (redirects are
not followed) or 4xx other than 408, 409, 425 and 429. Everything else retries: no
connection, a timeout, 5xx, 408/409/425/429.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

SUCCEEDED, RETRY, GAVE_UP = "SUCCEEDED", "RETRY", "GAVE_UP"
RETRYABLE_4XX = {408, 409, 425, 429}


@dataclass(frozen=True)
class Policy:
    base_seconds: int = 10
    max_seconds: int = 3600
    max_attempts: int = 30
    max_age: dt.timedelta = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Result:
    status_code: int | None = None
    error: str = ""
    refused: bool = False  # the outbound guard refused the target


@dataclass(frozen=True)
class Decision:
    outcome: str
    next_attempt_at: dt.datetime | None = None
    reason: str = ""


def permanent(result: Result) -> str:
    """Why no retry can help, or "" when one can."""
    if result.refused:
        return "the target was refused"
    code = result.status_code
    if code is not None and 300 <= code < 400:
        return f"HTTP {code}: redirects are not followed"
    if code is not None and 400 <= code < 500 and code not in RETRYABLE_4XX:
        return f"HTTP {code}"
    return ""


def delay(attempt: int, policy: Policy, key: str = "") -> dt.timedelta:
    seconds = min(policy.base_seconds * 2 ** min(attempt - 1, 30), policy.max_seconds)
    spread = int.from_bytes(hashlib.sha256(f"{key}|{attempt}".encode()).digest()[:2], "big")
    factor = 0.9 + 0.2 * spread / 65535
    return dt.timedelta(seconds=seconds * factor)


def decide(attempt: int, first_attempt_at: dt.datetime, now: dt.datetime, result: Result,
           policy: Policy, key: str = "") -> Decision:
    code = result.status_code
    if code is not None and 200 <= code < 300:
        return Decision(SUCCEEDED)
    why = permanent(result)
    if why:
        return Decision(GAVE_UP, reason=f"gave up: {why}")
    if attempt >= policy.max_attempts:
        return Decision(GAVE_UP, reason=f"gave up after {attempt} attempts")
    next_at = now + delay(attempt, policy, key)
    if next_at - first_attempt_at > policy.max_age:
        hours = policy.max_age.total_seconds() / 3600
        return Decision(GAVE_UP, reason=f"gave up: the next attempt would be more than "
                                        f"{hours:g} h after the first")
    return Decision(RETRY, next_at)
