"""Schedules on the real clock: two `workflows scheduler` processes, one SIGKILLed halfway
and started again, a real Celery worker; every slot starts exactly one execution."""
import datetime as dt
import os
import signal
import sys
import time

import pytest
from django.utils import timezone

from engine.models import Execution, Schedule, ScheduleFiring, StateMachine
from engine.schedules import service
from tests.engine.runtime.conftest import SLACK, runtime, runtime_env  # noqa: F401 (fixtures)
from tests.support import wait_until

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def spawn_scheduler(runtime):
    """Another scheduler; kept in runtime.workers so the fixture stops it at teardown."""
    process = runtime._spawn("scheduler", [sys.executable, "manage.py", "workflows",
                                           "scheduler"])
    runtime.workers.append(process)
    return process


def kill(runtime, process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)
    if process in runtime.workers:
        runtime.workers.remove(process)


def test_each_slot_starts_one_execution_across_two_schedulers_and_a_kill(runtime, user):
    machine = StateMachine.objects.create(owner=user, name="tick", definition=PASS)
    second = spawn_scheduler(runtime)  # runtime started the first one
    # A rate's first slot is its creation minute (rounded down): created in a minute's last
    # seconds, that slot and the next could both be due at the first pass a loaded
    # scheduler makes, and the first would rightly count as missed. Not this test's point.
    into_minute = timezone.now().second
    if into_minute >= 45:
        time.sleep(61 - into_minute)
    service.save(user, {"name": "minutely", "target": "tick", "expression": "rate(1 minute)"})
    start = timezone.now().replace(microsecond=0)
    # One-time schedules every 2 s for 50 s (at() keeps its seconds); the rate(1 minute)
    # one's slots are the current minute and the next.
    at_slots = {}
    for i in range(25):
        when = start + dt.timedelta(seconds=6 + 2 * i)
        name = f"once-{i:02d}"
        service.save(user, {"name": name, "target": "tick",
                            "expression": f"at({when:%Y-%m-%dT%H:%M:%S})", "input": {"i": i}})
        at_slots[name] = when
    deadline = time.monotonic()
    # Kill one scheduler while slots are falling due, then bring it back.
    wait_until(lambda: ScheduleFiring.objects.count() >= 5, 60 * SLACK, what="first firings")
    kill(runtime, runtime.scheduler)
    wait_until(lambda: ScheduleFiring.objects.count() >= 12, 60 * SLACK,
               what="firings by the survivor")
    kill(runtime, second)
    time.sleep(3)  # nothing runs: slots fall due meanwhile (within the 5 min grace)
    runtime.start_scheduler()
    spawn_scheduler(runtime)
    minutely = Schedule.objects.get(name="minutely")
    wait_until(lambda: ScheduleFiring.objects.filter(schedule__name__startswith="once-")
               .count() == 25, 90 * SLACK, what="every one-time slot")
    wait_until(lambda: minutely.firings.count() >= 2, 90 * SLACK, what="two minutely slots")
    # Exactly one execution per slot, named for it; none twice, none missing.
    for name, when in at_slots.items():
        firings = list(ScheduleFiring.objects.filter(schedule__name=name))
        assert [f.slot for f in firings] == [when], name
        assert firings[0].execution.name == f"{name}-{when:%Y%m%dT%H%M%S}Z"
    slots = list(minutely.firings.order_by("slot").values_list("slot", flat=True))
    assert slots[1] - slots[0] == dt.timedelta(minutes=1)
    names = list(Execution.objects.filter(state_machine=machine).values_list("name", flat=True))
    assert len(names) == len(set(names)) == ScheduleFiring.objects.count()
    assert not Schedule.objects.filter(missed_count__gt=0).exists()
    # The worker ran them.
    wait_until(lambda: not Execution.objects.filter(status="RUNNING").exists(), 60 * SLACK,
               what="the executions to finish")
    assert set(Execution.objects.values_list("status", flat=True)) == {"SUCCEEDED"}
    assert time.monotonic() > deadline
