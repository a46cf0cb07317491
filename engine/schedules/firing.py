"""Firing due schedules: one execution per slot, however many schedulers run.

Each pass lists the schedules whose next fire time has come, then takes them one at a time,
each in its own transaction:

1. lock the row with SELECT … FOR UPDATE SKIP LOCKED (a row another scheduler holds is
   skipped, never waited on) and re-check it is still due at the slot that was listed;
2. decide (plan.decide: the slot to start, the missed ones, the next slot);
3. start the slot's execution under its deterministic name (plan.execution_name) through
   engine.services.start_execution, inside the same transaction (a savepoint);
4. move the schedule to its next slot by a conditional update on the slot it was at, and
   append the ScheduleFiring row (unique per slot).

A scheduler killed anywhere before COMMIT leaves nothing behind (the execution, the firing
and the move commit together), so the next pass of any scheduler fires that slot again,
and a start that does reach the database twice (it cannot, but a redelivered start could)
finds the name taken and links the execution that exists. SQLite has no row locks: there,
its single writer and the conditional update on next_slot give the same one-winner rule.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from engine import services
from engine.models import Execution
from stepstudio.env import env_int

from . import plan, service, targets
from .errors import ScheduleError
from .models import FiringOutcome, Schedule, ScheduleFiring

log = logging.getLogger(__name__)


def missed_grace() -> dt.timedelta:
    """How late a slot may start and still count as on time (else it was missed)."""
    from django.conf import settings

    seconds = getattr(settings, "SCHEDULE_MISSED_GRACE_SECONDS", None)
    if seconds is None:
        seconds = env_int("SCHEDULE_MISSED_GRACE_SECONDS", 300, minimum=0)
    return dt.timedelta(seconds=int(seconds))


def fire_due(now: dt.datetime | None = None, limit: int = 100) -> int:
    """One pass: fire every due schedule (up to `limit`); returns how many slots started."""
    now = now or timezone.now()
    due = list(Schedule.objects.filter(enabled=True, next_fire_at__lte=now)
               .order_by("next_fire_at").values_list("id", "next_slot")[:limit])
    started = 0
    for schedule_id, slot in due:
        started += fire_one(schedule_id, slot, now)
    return started


def _start(schedule: Schedule, slot: dt.datetime) -> tuple[Execution | None, str, str]:
    """(execution, its name, error) of the slot's start, inside the caller's transaction."""
    name = plan.execution_name(schedule.name, slot)
    try:
        target = targets.resolve(schedule.owner, schedule.target_arn)
        execution = services.start_execution(target.machine, schedule.input, name=name,
                                             version=target.version, inline=False,
                                             alias_name=targets.alias_name(target))
        return execution, name, ""
    except services.ServiceError as exc:
        if exc.code == "ExecutionAlreadyExists":
            existing = Execution.objects.filter(state_machine=schedule.state_machine,
                                                name=name).first()
            return existing, name, ""
        return None, name, f"{exc.code}: {exc}"
    except ScheduleError as exc:
        return None, name, f"{exc.field}: {exc.message}"


def fire_one(schedule_id: int, slot: dt.datetime, now: dt.datetime) -> bool:
    """Take one due schedule at `slot`; False if another scheduler has it or did it."""
    with transaction.atomic():
        schedule = (Schedule.objects.select_for_update(skip_locked=True)
                    .select_related("owner", "state_machine")
                    .filter(id=schedule_id, enabled=True, next_slot=slot,
                            next_fire_at__lte=now).first())
        if schedule is None:
            return False  # another scheduler process got there first (or holds it now)
        spec = service.spec_of(schedule)
        decision = plan.decide(spec, slot, now, schedule.missed_policy, missed_grace())
        if decision is None:
            return False
        execution, error = None, ""
        if decision.fire is not None:
            execution, name, error = _start(schedule, decision.fire)
        following = decision.next_slot
        moved = Schedule.objects.filter(id=schedule.id, next_slot=slot).update(
            next_slot=following,
            next_fire_at=spec.fire_at(following) if following is not None else None,
            missed_count=F("missed_count") + decision.missed,
            last_error=error,
            **({"last_slot": decision.fire, "last_fired_at": now}
               if decision.fire is not None else {}))
        if not moved:  # cannot happen while the row is locked; the guard for SQLite
            transaction.set_rollback(True)
            return False
        if decision.fire is None:
            log.info("schedule %s skipped %d missed slot(s)", schedule.name, decision.missed)
            return False
        ScheduleFiring.objects.create(
            schedule=schedule, slot=decision.fire, fired_at=now, execution=execution,
            execution_name=name, late=decision.late, missed=decision.missed, error=error,
            outcome=FiringOutcome.STARTED if execution is not None else FiringOutcome.FAILED)
        if error:
            log.warning("schedule %s could not start slot %s: %s", schedule.name,
                        decision.fire.isoformat(), error)
        return execution is not None
