"""What a scheduler does with a schedule whose next slot is due: a pure decision.

A schedule remembers one thing, its next slot. When that slot's fire time has come, every
slot due by `now` is gathered: normally just that one; more when nothing ran for a while
(all schedulers down, the database away). The slot to start is the latest due one:

* it is on time (fired within `grace` of its fire time): start it; older ones were missed;
* it is late too: with MISSED "SKIP" start nothing, with "RUN_ONCE" start it, once, for all
  of them (the catch-up run of Airflow, n8n's and Temporal's "run once after downtime").

Either way the schedule moves on to the first slot that is not due yet, so a slot is
considered once: the firing module claims that move with a conditional update.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .expressions import ScheduleSpec

SKIP = "SKIP"
RUN_ONCE = "RUN_ONCE"
MISSED_POLICIES = (SKIP, RUN_ONCE)
# Bounds the walk over missed slots (rate(1 minute) down for a year is 525,600 of them).
MAX_WALK = 1_000_000


@dataclass(frozen=True)
class Decision:
    fire: dt.datetime | None      # the slot to start now (None: start nothing)
    missed: int                   # due slots that get no execution
    next_slot: dt.datetime | None  # the schedule's next slot (None: it has no more)
    late: bool = False            # the started slot was past its grace (RUN_ONCE)


def decide(spec: ScheduleSpec, next_slot: dt.datetime, now: dt.datetime, policy: str,
           grace: dt.timedelta) -> Decision | None:
    """The decision for a schedule whose next slot is `next_slot`; None when not due yet."""
    if spec.fire_at(next_slot) > now:
        return None
    latest, count, following = next_slot, 0, None
    slots = spec.slots(next_slot)
    for slot in slots:
        if spec.fire_at(slot) > now or count >= MAX_WALK:
            following = slot
            break
        latest, count = slot, count + 1
    on_time = now - spec.fire_at(latest) <= grace
    if on_time or policy == RUN_ONCE:
        return Decision(latest, count - 1, following, late=not on_time)
    return Decision(None, count, following)


def execution_name(schedule_name: str, slot: dt.datetime) -> str:
    """The execution a slot starts: one name per (schedule, slot), so a retried start of the
    same slot is ExecutionAlreadyExists, never a second execution. Names are at most 80
    characters of [A-Za-z0-9_-]: schedule names are at most 63 of them."""
    return f"{schedule_name}-{slot.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}"
