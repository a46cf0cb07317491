"""EventBridge's six-field cron: syntax, the special characters, and errors naming the field."""
import datetime as dt

import pytest

from engine.schedules import cron
from engine.schedules.errors import ScheduleError
from engine.schedules.expressions import build

UTC = dt.timezone.utc


def fires(expression, after, count=5, tz="UTC"):
    spec = build(expression, tz)
    return [slot.astimezone(spec.tz).replace(tzinfo=None)
            for slot, _ in spec.next_firings(after, count)]


def d(*args):
    return dt.datetime(*args)


def at(*args):
    return dt.datetime(*args, tzinfo=UTC)


def test_every_day_at_noon():
    assert fires("cron(0 12 * * ? *)", at(2026, 3, 1, 12, 0, 1), 2) == [
        d(2026, 3, 2, 12), d(2026, 3, 3, 12)]


def test_a_slot_exactly_now_is_included():
    assert fires("cron(0 12 * * ? *)", at(2026, 3, 1, 12), 1) == [d(2026, 3, 1, 12)]


@pytest.mark.parametrize("expression,after,expected", [
    # lists, ranges, steps, names
    ("cron(0,30 9 * * ? *)", at(2026, 1, 1), [d(2026, 1, 1, 9), d(2026, 1, 1, 9, 30)]),
    ("cron(15 10-11 * * ? *)", at(2026, 1, 1), [d(2026, 1, 1, 10, 15), d(2026, 1, 1, 11, 15)]),
    ("cron(0/20 8 * * ? *)", at(2026, 1, 1), [d(2026, 1, 1, 8), d(2026, 1, 1, 8, 20)]),
    ("cron(1/10 8 * * ? *)", at(2026, 1, 1), [d(2026, 1, 1, 8, 1), d(2026, 1, 1, 8, 11)]),
    ("cron(*/15 8 * * ? *)", at(2026, 1, 1, 8, 20), [d(2026, 1, 1, 8, 30), d(2026, 1, 1, 8, 45)]),
    ("cron(0 10-12/2 * * ? *)", at(2026, 1, 1), [d(2026, 1, 1, 10), d(2026, 1, 1, 12)]),
    ("cron(0 9 1 JAN,jul ? *)", at(2026, 2, 1), [d(2026, 7, 1, 9), d(2027, 1, 1, 9)]),
    ("cron(0 9 ? * MON-FRI *)", at(2026, 3, 6), [d(2026, 3, 6, 9), d(2026, 3, 9, 9)]),
    ("cron(0 9 ? * 2-6 *)", at(2026, 3, 6), [d(2026, 3, 6, 9), d(2026, 3, 9, 9)]),
    ("cron(0 9 ? * SUN *)", at(2026, 3, 2), [d(2026, 3, 8, 9), d(2026, 3, 15, 9)]),
    ("cron(0 9 ? * 1 *)", at(2026, 3, 2), [d(2026, 3, 8, 9), d(2026, 3, 15, 9)]),
    # ranges wrap around cyclic fields (Quartz)
    ("cron(0 9 ? * FRI-MON *)", at(2026, 3, 3), [d(2026, 3, 6, 9), d(2026, 3, 7, 9)]),
    ("cron(0 23-1 * * ? *)", at(2026, 3, 3, 2), [d(2026, 3, 3, 23), d(2026, 3, 4, 0)]),
    # year field
    ("cron(0 0 1 1 ? 2030)", at(2026, 1, 1), [d(2030, 1, 1)]),
    ("cron(0 0 1 1 ? 2027-2028)", at(2026, 1, 1), [d(2027, 1, 1), d(2028, 1, 1)]),
    ("cron(0 0 1 1 ? 2026/2)", at(2026, 1, 2), [d(2028, 1, 1), d(2030, 1, 1)]),
    # day-of-month 31 only in months that have it
    ("cron(0 0 31 * ? *)", at(2026, 4, 1), [d(2026, 5, 31), d(2026, 7, 31)]),
])
def test_fields(expression, after, expected):
    assert fires(expression, after, len(expected)) == expected


@pytest.mark.parametrize("expression,after,expected", [
    # L: the last day of the month, February included (leap and not)
    ("cron(0 10 L * ? *)", at(2026, 1, 31, 11), [d(2026, 2, 28, 10), d(2026, 3, 31, 10)]),
    ("cron(0 10 L 2 ? *)", at(2027, 3, 1), [d(2028, 2, 29, 10)]),
    # L-n: n days before the last
    ("cron(0 10 L-2 * ? *)", at(2026, 2, 1), [d(2026, 2, 26, 10), d(2026, 3, 29, 10)]),
    # W: nearest weekday, never leaving the month
    ("cron(0 10 15W * ? *)", at(2026, 3, 1), [d(2026, 3, 16, 10)]),   # 15th a Sunday
    ("cron(0 10 14W * ? *)", at(2026, 3, 1), [d(2026, 3, 13, 10)]),   # 14th a Saturday
    ("cron(0 10 1W * ? *)", at(2026, 8, 1), [d(2026, 8, 3, 10)]),     # 1st a Saturday → Mon 3rd
    ("cron(0 10 31W * ? *)", at(2026, 5, 1), [d(2026, 5, 29, 10)]),   # 31st a Sunday → Fri 29th
    ("cron(0 10 3W * ? *)", at(2026, 3, 1), [d(2026, 3, 3, 10)]),     # a Tuesday: itself
    # LW: the last weekday
    ("cron(0 10 LW * ? *)", at(2026, 5, 1), [d(2026, 5, 29, 10), d(2026, 6, 30, 10)]),
    # day-of-week L alone is Saturday; nL the last weekday n of the month
    ("cron(0 10 ? * L *)", at(2026, 3, 1), [d(2026, 3, 7, 10)]),
    ("cron(0 10 ? * 6L *)", at(2026, 3, 1), [d(2026, 3, 27, 10), d(2026, 4, 24, 10)]),
    ("cron(0 10 ? * FRIL *)", at(2026, 7, 1), [d(2026, 7, 31, 10)]),
    # #: the n-th weekday of the month
    ("cron(0 10 ? * 3#2 *)", at(2026, 3, 1), [d(2026, 3, 10, 10), d(2026, 4, 14, 10)]),
    ("cron(0 10 ? * MON#1 *)", at(2026, 3, 1), [d(2026, 3, 2, 10)]),
    # a fifth Friday exists only in some months
    ("cron(0 10 ? * 6#5 *)", at(2026, 1, 1), [d(2026, 1, 30, 10), d(2026, 5, 29, 10)]),
])
def test_special_characters(expression, after, expected):
    assert fires(expression, after, len(expected)) == expected


def test_a_date_that_never_comes_has_no_slots():
    assert fires("cron(0 0 30 2 ? *)", at(2026, 1, 1)) == []


@pytest.mark.parametrize("expression,message", [
    ("cron(0 12 * * * *)", "day-of-month and day-of-week cannot both be specified; use ? in "
                           "one of them"),
    ("cron(0 12 1 * MON *)", "cannot both be specified"),
    ("cron(0 12 ? * ? *)", "cannot both be ?"),
    ("cron(0 12 * *)", "6 fields"),
    ("cron(0 12 * * ? * *)", "6 fields"),
    ("cron(60 12 * * ? *)", "minutes value 60 is out of range 0-59"),
    ("cron(0 24 * * ? *)", "hours value 24 is out of range 0-23"),
    ("cron(0 1 0 * ? *)", "day-of-month value 0 is out of range 1-31"),
    ("cron(0 1 1 13 ? *)", "month value 13 is out of range 1-12"),
    ("cron(0 1 1 FOO ? *)", "month value 'FOO' is not a number (1-12 or JAN-DEC)"),
    ("cron(0 1 ? * 8 *)", "day-of-week value 8 is out of range 1-7"),
    ("cron(0 1 1 1 ? 2200)", "year value 2200 is out of range 1970-2199"),
    ("cron(0 1 1 1 ? 2030-2027)", "year range 2030-2027 runs backwards"),
    ("cron(0/0 1 * * ? *)", "step '/0' must be a positive number"),
    ("cron(0 1 ? * 2/2 *)", "day-of-week does not take '/'"),
    ("cron(0 1 ? * 3#1,6#3 *)", "only one expression"),
    ("cron(0 1 ? * 3#6 *)", "must be 1 to 5"),
    ("cron(0 1 1-5W * ? *)", "W takes a single day"),
    ("cron(0 1 L-31 * ? *)", "0 to 30"),
    ("cron(? 1 1 * ? *)", "minutes does not take '?'"),
    ("cron(0 1 1,,2 * ? *)", "empty list item"),
    ("cron(0 1 5- * ? *)", "needs a start and an end"),
    ("cron(a 1 * * ? *)", "minutes value 'a' is not a number"),
])
def test_bad_cron_expressions_name_the_field_and_the_reason(expression, message):
    with pytest.raises(ScheduleError) as error:
        build(expression)
    assert error.value.field == "expression"
    assert message in error.value.message
    assert error.value.message.startswith(expression)


def test_the_error_of_the_issue_reads_exactly():
    with pytest.raises(ScheduleError) as error:
        build("cron(0 12 * * * *)")
    assert error.value.to_dict() == {
        "field": "expression",
        "message": "cron(0 12 * * * *): day-of-month and day-of-week cannot both be "
                   "specified; use ? in one of them"}


def test_weekday_numbering_is_sunday_one():
    assert cron.cron_weekday(dt.date(2026, 3, 8)) == 1   # Sunday
    assert cron.cron_weekday(dt.date(2026, 3, 14)) == 7  # Saturday
