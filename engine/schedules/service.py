"""Creating, changing, pausing and deleting schedules: the one place REST, the pages, the
`workflows schedule` command and the admin go through. Every field is checked here and a
bad one is a ScheduleError naming it."""
from __future__ import annotations

import datetime as dt
import json
import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from engine.asl.limits import MAX_PAYLOAD_BYTES

from . import expressions, plan, targets
from .errors import ScheduleError
from .models import Schedule

NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,63}$")
# What changes when a schedule's slots are: editing any of these re-plans from now.
TIMING = ("expression", "timezone", "start_date", "end_date", "flexible_window_minutes")
FIELDS = ("name", "description", "target", "expression", "timezone", "input", "start_date",
          "end_date", "flexible_window_minutes", "missed_policy", "enabled")


def spec_of(schedule: Schedule) -> expressions.ScheduleSpec:
    return expressions.build(schedule.expression, schedule.timezone,
                             start=schedule.start_date, end=schedule.end_date,
                             flexible_minutes=schedule.flexible_window_minutes,
                             anchor=schedule.rate_anchor, salt=str(schedule.uid))


def next_firings(schedule: Schedule, count: int = 5, now=None) -> list[tuple]:
    """[(slot, fire_at)] of the next `count` slots (for the page, the API and the CLI)."""
    if schedule.next_slot is None:
        return []
    after = max(schedule.next_slot, now or timezone.now()) if not schedule.enabled \
        else schedule.next_slot
    return spec_of(schedule).next_firings(after, count)


def _input(value):
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except ValueError as exc:
            raise ScheduleError("input", f"input is not valid JSON: {exc}") from None
    size = len(json.dumps(value, ensure_ascii=False).encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        raise ScheduleError("input", f"input is {size} bytes; at most {MAX_PAYLOAD_BYTES} "
                            "(256 KiB) are allowed")
    text = json.dumps(value, ensure_ascii=False)
    if "\x00" in text:
        raise ScheduleError("input", "input contains U+0000")
    return value


def _plan_next(schedule: Schedule, now: dt.datetime) -> None:
    spec = spec_of(schedule)
    # The current minute counts: a rate schedule "starts invoking the target immediately".
    slot = spec.first_slot(expressions.floor_minute(now))
    if slot is None:
        expr = spec.expression
        if isinstance(expr, expressions.At):
            raise ScheduleError("expression", f"{expr.text} is in the past "
                                f"({schedule.timezone})")
        if schedule.end_date is not None and schedule.end_date <= now:
            raise ScheduleError("end_date", "end_date is in the past: the schedule would "
                                "never run")
        raise ScheduleError("expression", f"{expr.text} never matches a future date")
    schedule.next_slot = slot
    schedule.next_fire_at = spec.fire_at(slot)


def save(owner, values: dict, schedule: Schedule | None = None, now=None) -> Schedule:
    """Create (schedule None) or change a schedule from `values` (a subset of FIELDS when
    changing); returns the saved schedule. Raises ScheduleError naming the bad field."""
    now = now or timezone.now()
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ScheduleError(sorted(unknown)[0], f"unknown field '{sorted(unknown)[0]}'")
    with transaction.atomic():
        if schedule is None:
            missing = [f for f in ("name", "target", "expression") if not values.get(f)]
            if missing:
                raise ScheduleError(missing[0], f"{missing[0]} is required")
            schedule = Schedule(owner=owner, rate_anchor=now)
            changed_timing = True
        else:
            schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
            changed_timing = any(f in values and values[f] != getattr(schedule, f)
                                 for f in TIMING) or (
                values.get("enabled") is True and not schedule.enabled)
        if "name" in values:
            if not NAME_RE.match(values["name"] or ""):
                raise ScheduleError("name", "name must be 1 to 63 letters, digits, - or _")
            schedule.name = values["name"]
        if "target" in values:
            target = targets.resolve(schedule.owner, values["target"])
            schedule.target_arn, schedule.state_machine = target.arn, target.machine
        if "input" in values:
            schedule.input = _input(values["input"])
        if "missed_policy" in values:
            if values["missed_policy"] not in plan.MISSED_POLICIES:
                raise ScheduleError("missed_policy", "missed_policy must be SKIP or RUN_ONCE")
            schedule.missed_policy = values["missed_policy"]
        for field in ("description", "expression", "timezone", "start_date", "end_date",
                      "flexible_window_minutes", "enabled"):
            if field in values:
                setattr(schedule, field, values[field])
        schedule.description = schedule.description or ""
        if "expression" in values and schedule.pk and not schedule.start_date:
            schedule.rate_anchor = now  # a new rate counts from when it was set
        spec_of(schedule)  # every field valid together (names the bad one)
        if changed_timing:
            _plan_next(schedule, now)
        try:
            with transaction.atomic():
                schedule.save()
        except IntegrityError:
            raise ScheduleError("name", f"You already have a schedule named "
                                f"'{schedule.name}'") from None
    return schedule


def pause(schedule: Schedule) -> Schedule:
    Schedule.objects.filter(pk=schedule.pk).update(enabled=False, updated=timezone.now())
    schedule.refresh_from_db()
    return schedule


def resume(schedule: Schedule, now=None) -> Schedule:
    """Enable again from now on: slots that fell while it was paused are not missed ones."""
    if schedule.enabled:
        return schedule
    return save(schedule.owner, {"enabled": True}, schedule, now=now)


def delete(schedule: Schedule) -> None:
    schedule.delete()
