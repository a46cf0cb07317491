"""A scheduler on a virtual clock: one start per slot, and what happens to slots missed
while nothing ran (SKIP or RUN_ONCE)."""
import datetime as dt

import pytest

from engine.asl.clock import VirtualClock
from engine.schedules.expressions import build
from engine.schedules.plan import RUN_ONCE, SKIP, decide, execution_name

UTC = dt.timezone.utc
GRACE = dt.timedelta(minutes=5)


def at(*args):
    return dt.datetime(*args, tzinfo=UTC)


class VirtualScheduler:
    """The firing loop's logic, driven by a virtual clock that ticks every `tick` seconds;
    `down` lists [from, to) intervals when no scheduler runs."""

    def __init__(self, spec, clock, policy=SKIP, down=()):
        self.spec, self.clock, self.policy, self.down = spec, clock, policy, down
        self.next_slot = spec.first_slot(clock.now())
        self.started: list[tuple] = []  # (slot, when)
        self.missed = 0

    def run_until(self, end, tick=20):
        while self.clock.now() < end:
            now = self.clock.now()
            if self.next_slot is not None and not any(a <= now < b for a, b in self.down):
                decision = decide(self.spec, self.next_slot, now, self.policy, GRACE)
                if decision is not None:
                    if decision.fire is not None:
                        self.started.append((decision.fire, now))
                    self.missed += decision.missed
                    self.next_slot = decision.next_slot
            self.clock.advance(tick)
        return self


def test_every_slot_starts_once_on_a_running_clock():
    clock = VirtualClock(at(2026, 1, 1))
    run = VirtualScheduler(build("rate(5 minutes)", anchor=clock.now()), clock)
    run.run_until(at(2026, 1, 1, 2))
    slots = [slot for slot, _ in run.started]
    assert slots == [at(2026, 1, 1) + dt.timedelta(minutes=5 * k) for k in range(24)]
    assert all(dt.timedelta(0) <= when - slot < dt.timedelta(seconds=20)
               for slot, when in run.started)
    assert run.missed == 0


def test_downtime_skips_missed_slots_and_resumes_on_the_next():
    clock = VirtualClock(at(2026, 1, 1))
    down = [(at(2026, 1, 1, 0, 12), at(2026, 1, 1, 0, 41))]
    run = VirtualScheduler(build("rate(5 minutes)", anchor=clock.now()), clock, SKIP, down)
    run.run_until(at(2026, 1, 1, 1))
    slots = [slot.minute for slot, _ in run.started]
    # 15, 20, 25, 30, 35 fell in the downtime; 40 is 1 minute late (within grace): it runs.
    assert slots == [0, 5, 10, 40, 45, 50, 55]
    assert run.missed == 5


def test_downtime_with_run_once_starts_one_catch_up_execution():
    clock = VirtualClock(at(2026, 1, 1))
    down = [(at(2026, 1, 1, 0, 12), at(2026, 1, 1, 0, 49))]
    run = VirtualScheduler(build("rate(5 minutes)", anchor=clock.now()), clock, RUN_ONCE,
                           down)
    run.run_until(at(2026, 1, 1, 1))
    slots = [slot.minute for slot, _ in run.started]
    # 15 … 45 missed: one catch-up run for the latest (45) when the scheduler is back.
    assert slots == [0, 5, 10, 45, 50, 55]
    assert run.started[3][1] == at(2026, 1, 1, 0, 49)
    assert run.missed == 6


def test_a_daily_cron_missed_by_hours_is_skipped_or_run_once():
    spec = build("cron(0 3 * * ? *)", "Europe/Berlin")
    down = [(at(2026, 1, 2, 1), at(2026, 1, 2, 9))]  # 03:00 Berlin is 02:00 UTC
    for policy, expected in ((SKIP, [1, 3]), (RUN_ONCE, [1, 2, 3])):
        clock = VirtualClock(at(2026, 1, 1))
        run = VirtualScheduler(spec, clock, policy, down).run_until(at(2026, 1, 3, 12), 60)
        assert [slot.day for slot, _ in run.started] == expected


def test_a_flexible_window_fires_inside_it():
    clock = VirtualClock(at(2026, 1, 1))
    spec = build("cron(0 * * * ? *)", flexible_minutes=30, salt="x")
    run = VirtualScheduler(spec, clock).run_until(at(2026, 1, 2), 10)
    assert len(run.started) == 24
    for slot, when in run.started:
        assert slot <= when < slot + dt.timedelta(minutes=30, seconds=10)


def test_spring_forward_day_on_the_virtual_clock():
    clock = VirtualClock(at(2026, 3, 7))
    spec = build("cron(30 2 * * ? *)", "America/New_York")
    run = VirtualScheduler(spec, clock).run_until(at(2026, 3, 11), 60)
    assert [slot.astimezone(spec.tz).day for slot, _ in run.started] == [7, 9, 10]


def test_fall_back_day_on_the_virtual_clock():
    clock = VirtualClock(at(2026, 10, 31))
    spec = build("cron(*/30 1 * * ? *)", "America/New_York")
    run = VirtualScheduler(spec, clock).run_until(at(2026, 11, 3), 60)
    on_day = [s for s, _ in run.started if s.astimezone(spec.tz).day == 1]
    assert len(on_day) == 2  # 01:00 and 01:30, once each (EDT), not four times


def test_a_one_time_schedule_fires_once_then_has_no_next_slot():
    clock = VirtualClock(at(2026, 1, 1))
    run = VirtualScheduler(build("at(2026-01-01T06:00:00)"), clock).run_until(
        at(2026, 1, 2), 60)
    assert [slot for slot, _ in run.started] == [at(2026, 1, 1, 6)]
    assert run.next_slot is None


def test_end_date_ends_the_schedule():
    clock = VirtualClock(at(2026, 1, 1))
    spec = build("rate(1 hour)", anchor=clock.now(), end=at(2026, 1, 1, 3))
    run = VirtualScheduler(spec, clock).run_until(at(2026, 1, 1, 6))
    assert [slot.hour for slot, _ in run.started] == [0, 1, 2]
    assert run.next_slot is None


def test_not_due_yet():
    spec = build("cron(0 12 * * ? *)")
    assert decide(spec, at(2026, 1, 1, 12), at(2026, 1, 1, 11, 59), SKIP, GRACE) is None


def test_a_year_of_missed_minutes_is_counted_not_started():
    spec = build("rate(1 minute)", anchor=at(2025, 1, 1))
    decision = decide(spec, at(2025, 1, 1), at(2026, 1, 1, 0, 0, 30), SKIP, GRACE)
    assert decision.fire == at(2026, 1, 1)  # the latest is on time
    assert decision.missed == 365 * 24 * 60
    assert decision.next_slot == at(2026, 1, 1, 0, 1)


@pytest.mark.parametrize("name", ["a", "x" * 63])
def test_execution_names_are_valid_and_one_per_slot(name):
    first = execution_name(name, at(2026, 1, 1, 9))
    assert first == f"{name}-20260101T090000Z"
    assert len(first) <= 80
    assert execution_name(name, at(2026, 1, 1, 9, 5)) != first
