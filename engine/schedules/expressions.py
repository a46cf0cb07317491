"""Schedule expressions and their slots: `rate(…)`, `cron(…)`, `at(…)` in a time zone.

EventBridge Scheduler user guide, "Schedule types" (schedule-types.html), quoted where each
rule is implemented:

* rate: "rate(value unit)", value a positive number, unit minutes | hours | days (the API
  reference also lists minute | hour | day; both are accepted for any value). "If you do not
  provide a StartDate for a rate-based schedule, your schedule starts invoking the target
  immediately"; the StartDate otherwise sets "the first occurrence". Slots are fixed
  intervals from that anchor, in real time: "days represents a 24-hour duration on the
  clock … EventBridge Scheduler evaluates the rate expression 24 hours after the schedule's
  last invocation" (re:Post, eventbridge-scheduler-adjust-dst), whatever DST does.
* cron: evaluated in the schedule's time zone. Daylight saving time: "When the time shifts
  forward in Spring, your schedule invocation gets skipped if the cron expression falls on
  a non-existent date and time. When the time shifts back in the Fall, your schedule runs
  only once and doesn't repeat its invocation." So `cron(30 2 * * ? *)` in America/New_York
  does not run on the spring-forward day (02:30 does not exist), and on the fall-back day a
  time that occurs twice (01:30) runs at its first occurrence only.
* at: "at(yyyy-mm-ddThh:mm:ss)", one invocation at that wall-clock time in the time zone;
  StartDate and EndDate do not apply to one-time schedules. AWS says nothing of an at() time
  that DST skips: it runs at the instant the clock would show it with the old offset (one
  hour later on the new clock), rather than never; an ambiguous one runs at its first
  occurrence, as cron does.
* "All schedule types on EventBridge Scheduler invoke their targets with 60 second
  precision": slots are whole minutes (a rate anchor is rounded down to its minute).
* Flexible time window: with Mode FLEXIBLE and MaximumWindowInMinutes (1–1440) the target
  is invoked within that window after the slot. Here the offset is fixed per slot (a hash of
  the schedule's salt and the slot), so every scheduler process and every retry agree.
* StartDate / EndDate: "the date, in UTC, after which the schedule can begin invoking" and
  "before which the schedule can invoke its target": slots in [start, end).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import cron
from .errors import ScheduleError

UTC = dt.timezone.utc
MAX_FLEXIBLE_MINUTES = 1440

_RATE_RE = re.compile(r"^rate\(\s*(\S+)\s+(\S+)\s*\)$")
_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400,
          "days": 86400}
_AT_RE = re.compile(r"^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$")


@dataclass(frozen=True)
class Rate:
    text: str
    value: int
    unit: str

    @property
    def seconds(self) -> int:
        return self.value * _UNITS[self.unit]


@dataclass(frozen=True)
class At:
    text: str
    when: dt.datetime  # naive wall-clock time in the schedule's zone


Expression = Rate | At | cron.CronExpression


def parse_expression(text: str) -> Expression:
    """`rate(5 minutes)`, `cron(0 12 * * ? *)` or `at(2027-01-01T09:00:00)`."""
    text = (text or "").strip()
    if text.startswith("cron(") and text.endswith(")"):
        return cron.parse(text[5:-1])
    if text.startswith("rate("):
        match = _RATE_RE.match(text)
        if not match:
            raise ScheduleError("expression", f"{text}: a rate expression is "
                                "rate(value unit), e.g. rate(5 minutes)")
        value, unit = match.groups()
        if not (value.isascii() and value.isdigit()) or int(value) < 1:
            raise ScheduleError("expression", f"{text}: the value must be a positive whole "
                                "number")
        if unit.lower() not in _UNITS:
            raise ScheduleError("expression", f"{text}: the unit must be minutes, hours or "
                                "days")
        return Rate(text, int(value), unit.lower().rstrip("s") + "s")
    if text.startswith("at("):
        match = _AT_RE.match(text)
        if not match:
            raise ScheduleError("expression", f"{text}: a one-time expression is "
                                "at(yyyy-mm-ddThh:mm:ss), e.g. at(2027-01-01T09:00:00)")
        try:
            when = dt.datetime(*map(int, match.groups()))
        except ValueError as exc:
            raise ScheduleError("expression", f"{text}: {exc}") from None
        return At(text, when)
    raise ScheduleError("expression", f"'{text}' is not a schedule expression: use "
                        "rate(value unit), cron(minutes hours day-of-month month day-of-week "
                        "year) or at(yyyy-mm-ddThh:mm:ss)")


def zone(name: str) -> ZoneInfo:
    try:
        if not name or name != name.strip() or ".." in name or name.startswith("/"):
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError("timezone", f"'{name}' is not a time zone (an IANA name such as "
                            "UTC or Europe/Paris)") from None


def to_instant(local: dt.datetime, tz: ZoneInfo, *, gap: str = "skip") -> dt.datetime | None:
    """The UTC instant of a wall-clock time; None for a time DST skips when gap == "skip".

    An ambiguous time (fall back) is its first occurrence (fold=0).
    """
    first = local.replace(tzinfo=tz, fold=0)
    instant = first.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local:  # it does not exist
        if gap == "skip":
            return None
    return instant


def floor_minute(value: dt.datetime) -> dt.datetime:
    return value.replace(second=0, microsecond=0)


@dataclass(frozen=True)
class ScheduleSpec:
    """Everything that decides when a schedule's slots are (a pure value).

    `anchor`: a rate schedule's first slot when it has no start date (when it was created).
    `salt`: makes the flexible-window offset differ between schedules (their id).
    """

    expression: Expression
    timezone: str = "UTC"
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    flexible_minutes: int = 0
    anchor: dt.datetime | None = None
    salt: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)

    # -- slots --------------------------------------------------------------------------
    def slots(self, at_or_after: dt.datetime) -> Iterator[dt.datetime]:
        """The schedule's slots (aware UTC, whole minutes) from `at_or_after` on, in order."""
        expr = self.expression
        if isinstance(expr, At):
            instant = to_instant(expr.when, self.tz, gap="shift")
            if instant >= at_or_after:
                yield instant
            return
        lower = at_or_after
        if self.start is not None and self.start > lower:
            lower = self.start
        if isinstance(expr, Rate):
            source = self._rate_slots(lower)
        else:
            source = self._cron_slots(lower)
        for slot in source:
            if self.end is not None and slot >= self.end:
                return
            yield slot

    def _rate_slots(self, lower: dt.datetime) -> Iterator[dt.datetime]:
        anchor = floor_minute(self.start or self.anchor or lower)
        if self.start is not None and self.start.second + self.start.microsecond:
            anchor += dt.timedelta(minutes=1)  # no slot before the start date
        step = self.expression.seconds
        k = max(0, -(-int((lower - anchor).total_seconds()) // step))  # ceil
        while True:
            yield anchor + dt.timedelta(seconds=k * step)
            k += 1

    def _cron_slots(self, lower: dt.datetime) -> Iterator[dt.datetime]:
        tz = self.tz
        local_start = lower.astimezone(tz).replace(tzinfo=None)
        for local in self.expression.local_times(local_start):
            instant = to_instant(local, tz)
            if instant is not None and instant >= lower:
                yield instant

    # -- flexible window ----------------------------------------------------------------
    def offset(self, slot: dt.datetime) -> dt.timedelta:
        if not self.flexible_minutes:
            return dt.timedelta(0)
        digest = hashlib.sha256(f"{self.salt}|{slot.isoformat()}".encode()).digest()
        return dt.timedelta(seconds=int.from_bytes(digest[:8], "big")
                            % (self.flexible_minutes * 60))

    def fire_at(self, slot: dt.datetime) -> dt.datetime:
        return slot + self.offset(slot)

    def next_firings(self, after: dt.datetime, count: int = 5) -> list[tuple]:
        """[(slot, fire_at)] of the next `count` slots at or after `after`."""
        out = []
        for slot in self.slots(after):
            out.append((slot, self.fire_at(slot)))
            if len(out) >= count:
                break
        return out

    def first_slot(self, at_or_after: dt.datetime) -> dt.datetime | None:
        return next(iter(self.slots(at_or_after)), None)


def build(expression: str, timezone: str = "UTC", *, start=None, end=None,
          flexible_minutes: int = 0, anchor=None, salt: str = "") -> ScheduleSpec:
    """Validate every field and return the spec; ScheduleError names the first bad field."""
    expr = parse_expression(expression)
    zone(timezone)
    for name, value in (("start_date", start), ("end_date", end), ("anchor", anchor)):
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise ScheduleError(name, f"{name} must carry a time zone (UTC)")
    if start is not None and end is not None and end <= start:
        raise ScheduleError("end_date", "end_date must be after start_date")
    if isinstance(flexible_minutes, bool) or not isinstance(flexible_minutes, int) or \
            not 0 <= flexible_minutes <= MAX_FLEXIBLE_MINUTES:
        raise ScheduleError("flexible_time_window", "MaximumWindowInMinutes must be a whole "
                            f"number from 1 to {MAX_FLEXIBLE_MINUTES} (or the window OFF)")
    if isinstance(expr, Rate) and flexible_minutes and flexible_minutes * 60 >= expr.seconds:
        raise ScheduleError("flexible_time_window", f"a {flexible_minutes}-minute window does "
                            f"not fit in {expr.text}: make it shorter than the rate")
    return ScheduleSpec(expr, timezone, start, end, flexible_minutes, anchor, salt)
