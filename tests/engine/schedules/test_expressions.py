"""rate/at expressions, time zones and DST (as EventBridge Scheduler documents), start/end
dates and the flexible window."""
import datetime as dt
import subprocess
import sys

import pytest

from engine.schedules.errors import ScheduleError
from engine.schedules.expressions import build, parse_expression
from tests.support import REPO

UTC = dt.timezone.utc
NY = "America/New_York"


def at(*args):
    return dt.datetime(*args, tzinfo=UTC)


def local(spec, slots):
    return [s.astimezone(spec.tz).replace(tzinfo=None) for s in slots]


def slots(spec, after, n=5):
    return [slot for slot, _ in spec.next_firings(after, n)]


# -- DST (America/New_York: 2026-03-08 02:00 → 03:00, 2026-11-01 02:00 → 01:00) --------------

def test_spring_forward_skips_a_cron_time_that_does_not_exist():
    spec = build("cron(30 2 * * ? *)", NY)
    got = local(spec, slots(spec, at(2026, 3, 7), 3))
    assert got == [dt.datetime(2026, 3, 7, 2, 30), dt.datetime(2026, 3, 9, 2, 30),
                   dt.datetime(2026, 3, 10, 2, 30)]


def test_fall_back_runs_a_repeated_cron_time_once_at_its_first_occurrence():
    spec = build("cron(30 1 * * ? *)", NY)
    got = slots(spec, at(2026, 10, 31, 12), 3)
    assert got == [at(2026, 11, 1, 5, 30),   # 01:30 EDT (UTC-4), not 01:30 EST
                   at(2026, 11, 2, 6, 30), at(2026, 11, 3, 6, 30)]


def test_an_hourly_cron_does_not_repeat_the_fall_back_hour():
    spec = build("cron(0 * * * ? *)", NY)
    got = slots(spec, at(2026, 11, 1, 4), 4)
    # 00:00 EDT, 01:00 EDT, then 02:00 EST: the second 01:00 (EST) does not run.
    assert got == [at(2026, 11, 1, 4), at(2026, 11, 1, 5), at(2026, 11, 1, 7),
                   at(2026, 11, 1, 8)]


def test_an_hourly_cron_has_23_slots_on_spring_forward_day():
    spec = build("cron(0 * * * ? *)", NY)
    day = [s for s in slots(spec, at(2026, 3, 8, 5), 30) if s < at(2026, 3, 9, 4)]
    assert len(day) == 23


def test_a_cron_after_the_time_change_keeps_its_wall_clock_time():
    spec = build("cron(0 12 * * ? *)", "Europe/Paris")
    got = slots(spec, at(2026, 3, 28), 2)
    assert got == [at(2026, 3, 28, 11), at(2026, 3, 29, 10)]  # CET then CEST


def test_a_rate_is_real_time_across_dst():
    spec = build("rate(1 day)", NY, start=at(2026, 3, 7, 17))
    assert slots(spec, at(2026, 3, 7), 3) == [at(2026, 3, 7, 17), at(2026, 3, 8, 17),
                                               at(2026, 3, 9, 17)]


def test_an_at_time_dst_skips_runs_an_hour_later_on_the_new_clock():
    spec = build("at(2026-03-08T02:30:00)", NY)
    assert slots(spec, at(2026, 1, 1)) == [at(2026, 3, 8, 7, 30)]  # 03:30 EDT


def test_an_ambiguous_at_time_is_its_first_occurrence():
    spec = build("at(2026-11-01T01:30:00)", NY)
    assert slots(spec, at(2026, 1, 1)) == [at(2026, 11, 1, 5, 30)]


def test_a_zone_without_dst_and_a_half_hour_offset():
    spec = build("cron(0 9 * * ? *)", "Asia/Kolkata")
    assert slots(spec, at(2026, 6, 1), 1) == [at(2026, 6, 1, 3, 30)]


# -- rate -----------------------------------------------------------------------------------

def test_rate_without_start_date_begins_at_its_anchor_minute():
    spec = build("rate(5 minutes)", anchor=at(2026, 1, 1, 10, 3, 42))
    assert slots(spec, at(2026, 1, 1, 10, 3, 42), 3) == [
        at(2026, 1, 1, 10, 8), at(2026, 1, 1, 10, 13), at(2026, 1, 1, 10, 18)]
    assert slots(spec, at(2026, 1, 1, 10, 3), 1) == [at(2026, 1, 1, 10, 3)]


def test_rate_with_start_date_starts_there():
    spec = build("rate(2 hours)", start=at(2026, 5, 1, 9))
    assert slots(spec, at(2026, 1, 1), 2) == [at(2026, 5, 1, 9), at(2026, 5, 1, 11)]
    assert slots(spec, at(2026, 5, 1, 10), 1) == [at(2026, 5, 1, 11)]


def test_rate_start_with_seconds_never_fires_before_it():
    spec = build("rate(1 minute)", start=at(2026, 5, 1, 9, 0, 30))
    assert slots(spec, at(2026, 1, 1), 1) == [at(2026, 5, 1, 9, 1)]


@pytest.mark.parametrize("text,seconds", [
    ("rate(1 minute)", 60), ("rate(1 minutes)", 60), ("rate(5 minutes)", 300),
    ("rate(1 hour)", 3600), ("rate(3 hours)", 10800), ("rate(1 day)", 86400),
    ("rate(7 days)", 604800), ("rate( 5   minutes )", 300),
])
def test_rate_units(text, seconds):
    assert parse_expression(text).seconds == seconds


# -- start and end dates ------------------------------------------------------------------

def test_cron_between_start_and_end_date():
    spec = build("cron(0 12 * * ? *)", start=at(2026, 1, 10), end=at(2026, 1, 12, 12))
    assert slots(spec, at(2026, 1, 1), 5) == [at(2026, 1, 10, 12), at(2026, 1, 11, 12)]


def test_one_time_schedules_ignore_start_and_end():
    spec = build("at(2026-02-01T00:00:00)", start=at(2026, 3, 1), end=at(2026, 4, 1))
    assert slots(spec, at(2026, 1, 1)) == [at(2026, 2, 1)]


def test_an_at_time_in_the_past_has_no_slot():
    assert slots(build("at(2020-01-01T00:00:00)"), at(2026, 1, 1)) == []


# -- flexible window ----------------------------------------------------------------------

def test_flexible_window_offsets_are_inside_the_window_fixed_and_spread():
    spec = build("rate(1 hour)", flexible_minutes=15, anchor=at(2026, 1, 1), salt="s-1")
    got = spec.next_firings(at(2026, 1, 1), 200)
    offsets = [fire - slot for slot, fire in got]
    assert all(dt.timedelta(0) <= o < dt.timedelta(minutes=15) for o in offsets)
    assert len(set(offsets)) > 100  # spread, not one fixed delay
    again = build("rate(1 hour)", flexible_minutes=15, anchor=at(2026, 1, 1), salt="s-1")
    assert again.next_firings(at(2026, 1, 1), 200) == got  # every process agrees
    other = build("rate(1 hour)", flexible_minutes=15, anchor=at(2026, 1, 1), salt="s-2")
    assert other.next_firings(at(2026, 1, 1), 200) != got


def test_window_off_fires_on_the_slot():
    spec = build("cron(0 12 * * ? *)")
    assert all(slot == fire for slot, fire in spec.next_firings(at(2026, 1, 1), 5))


# -- errors name the field --------------------------------------------------------------

@pytest.mark.parametrize("kwargs,field,message", [
    ({"expression": "rate(0 minutes)"}, "expression", "positive whole number"),
    ({"expression": "rate(5 weeks)"}, "expression", "minutes, hours or days"),
    ({"expression": "rate(five minutes)"}, "expression", "positive whole number"),
    ({"expression": "rate(5minutes)"}, "expression", "rate(value unit)"),
    ({"expression": "at(2027-02-30T09:00:00)"}, "expression", "day is out of range"),
    ({"expression": "at(2027-01-01 09:00:00)"}, "expression", "at(yyyy-mm-ddThh:mm:ss)"),
    ({"expression": "every 5 minutes"}, "expression", "is not a schedule expression"),
    ({"expression": ""}, "expression", "is not a schedule expression"),
    ({"expression": "rate(5 minutes)", "timezone": "Mars/Olympus"}, "timezone",
     "is not a time zone"),
    ({"expression": "rate(5 minutes)", "timezone": "../etc/passwd"}, "timezone",
     "is not a time zone"),
    ({"expression": "rate(5 minutes)", "start": at(2026, 2, 1), "end": at(2026, 1, 1)},
     "end_date", "after start_date"),
    ({"expression": "rate(5 minutes)", "start": dt.datetime(2026, 2, 1)}, "start_date",
     "time zone"),
    ({"expression": "rate(5 minutes)", "flexible_minutes": 1441}, "flexible_time_window",
     "1 to 1440"),
    ({"expression": "rate(10 minutes)", "flexible_minutes": 10}, "flexible_time_window",
     "shorter than the rate"),
])
def test_bad_fields(kwargs, field, message):
    kwargs = dict(kwargs)
    expression = kwargs.pop("expression")
    timezone = kwargs.pop("timezone", "UTC")
    with pytest.raises(ScheduleError) as error:
        build(expression, timezone, **kwargs)
    assert error.value.field == field
    assert message in error.value.message


def test_the_schedule_language_imports_nothing_from_django():
    code = ("import sys; import engine.schedules.plan, engine.schedules.expressions; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'celery')]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
