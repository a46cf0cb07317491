"""Time is injected, never slept (style habit 11).

The evaluator only *asks* a clock what time it is and *returns* "wake me at T"
(`step.Sleep`). The local driver answers with a `VirtualClock` that jumps forward; the
durable runtime uses real time and writes a timer row.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


_last_iso: tuple = (None, "")  # one tuple, replaced atomically (thread-safe memo)


def iso(t: datetime) -> str:
    """AWS renders context-object times as `2024-01-01T00:00:00.000Z` (milliseconds, Z)."""
    global _last_iso
    memo = _last_iso
    if t == memo[0]:  # a virtual clock stands still across many events
        return memo[1]
    u = t.astimezone(timezone.utc)
    text = u.strftime("%Y-%m-%dT%H:%M:%S.") + f"{u.microsecond // 1000:03d}Z"
    _last_iso = (t, text)
    return text


def parse_iso(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


class SystemClock:
    def now(self) -> datetime:
        return utcnow()


class VirtualClock:
    """A clock that only moves when told to; starts at a fixed or the current time."""

    def __init__(self, start: datetime | None = None):
        self._now = start or utcnow()

    def now(self) -> datetime:
        return self._now

    def advance_to(self, t: datetime) -> None:
        if t > self._now:
            self._now = t

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
