"""EventBridge's six-field cron: `minutes hours day-of-month month day-of-week year`.

AWS, "Cron expressions reference" (EventBridge user guide, eb-cron-expressions):

    Field         Values            Wildcards
    Minutes       0-59              , - * /
    Hours         0-23              , - * /
    Day-of-month  1-31              , - * ? / L W
    Month         1-12 or JAN-DEC   , - * /
    Day-of-week   1-7 or SUN-SAT    , - * ? L #
    Year          1970-2199         , - * /

  "You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If
  you specify a value or a * in one of the fields, you must use a ? in the other."
  "If using the '#' character, you can define only one expression in the day-of-week field."

It is Quartz's syntax without seconds (unlike Unix cron: a year field, 1 = Sunday, `?`, and
day-of-month and day-of-week never OR-ed together). Where AWS is silent this follows Quartz's
CronExpression: `L-n` (n days before the last), `LW` (last weekday), `nL` in day-of-week
(the last such weekday of the month), `nW` never leaves its month, and a range that runs
past the end of a cyclic field wraps (`FRI-MON`, `22-2`). Deviation, on purpose: `/` is
refused in day-of-week, as the AWS table lists it there no more than Unix does for `L`.

`CronExpression.local_times(start)` yields the matching wall-clock times from `start` on;
turning them into instants (time zones, DST) is expressions.py's job.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Iterator

from .errors import ScheduleError

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
FIELD_NAMES = ("minutes", "hours", "day-of-month", "month", "day-of-week", "year")
YEAR_MIN, YEAR_MAX = 1970, 2199


def cron_weekday(date: dt.date) -> int:
    """1 = Sunday … 7 = Saturday (Python: Monday = 0)."""
    return (date.weekday() + 1) % 7 + 1


@dataclass(frozen=True)
class DaysOfMonth:
    days: frozenset = frozenset()          # plain day numbers
    last_offsets: frozenset = frozenset()  # L (0) and L-n (n)
    nearest_weekday: frozenset = frozenset()  # nW
    last_weekday: bool = False             # LW

    def matching(self, year: int, month: int) -> set[int]:
        length = calendar.monthrange(year, month)[1]
        out = {d for d in self.days if d <= length}
        out.update(length - n for n in self.last_offsets if length - n >= 1)
        for day in self.nearest_weekday:
            if day <= length:
                out.add(_nearest_weekday(year, month, day, length))
        if self.last_weekday:
            out.add(_nearest_weekday(year, month, length, length))
        return out


def _nearest_weekday(year: int, month: int, day: int, length: int) -> int:
    """Quartz `nW`: the weekday nearest to day n, without leaving the month."""
    weekday = cron_weekday(dt.date(year, month, day))
    if weekday == 7:  # Saturday: Friday before, or Monday after when the 1st
        return day - 1 if day > 1 else day + 2
    if weekday == 1:  # Sunday: Monday after, or Friday before when the last day
        return day + 1 if day < length else day - 2
    return day


@dataclass(frozen=True)
class DaysOfWeek:
    weekdays: frozenset = frozenset()      # 1..7
    last_of: frozenset = frozenset()       # nL: the last weekday n of the month
    nth: tuple | None = None               # n#k: the k-th weekday n of the month

    def matching(self, year: int, month: int) -> set[int]:
        length = calendar.monthrange(year, month)[1]
        first = cron_weekday(dt.date(year, month, 1))
        out = set()
        for day in range(1, length + 1):
            weekday = (first - 1 + day - 1) % 7 + 1
            if weekday in self.weekdays:
                out.add(day)
            if weekday in self.last_of and day + 7 > length:
                out.add(day)
            if self.nth and weekday == self.nth[0] and (day - 1) // 7 + 1 == self.nth[1]:
                out.add(day)
        return out


@dataclass(frozen=True)
class CronExpression:
    text: str
    minutes: tuple
    hours: tuple
    months: tuple
    years: tuple
    days_of_month: DaysOfMonth | None = None  # exactly one of these two is set
    days_of_week: DaysOfWeek | None = None
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def days(self, year: int, month: int) -> list[int]:
        key = (year, month)
        found = self._cache.get(key)
        if found is None:
            rule = self.days_of_month or self.days_of_week
            found = self._cache[key] = sorted(rule.matching(year, month))
            if len(self._cache) > 512:
                self._cache.clear()
        return found

    def local_times(self, start: dt.datetime) -> Iterator[dt.datetime]:
        """Matching naive wall-clock times >= `start` (naive, rounded up to the minute)."""
        if start.second or start.microsecond:
            start = start.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        for year in self.years:
            if year < start.year:
                continue
            for month in self.months:
                if (year, month) < (start.year, start.month):
                    continue
                for day in self.days(year, month):
                    date = (year, month, day)
                    if date < (start.year, start.month, start.day):
                        continue
                    same_day = date == (start.year, start.month, start.day)
                    for hour in self.hours:
                        if same_day and hour < start.hour:
                            continue
                        same_hour = same_day and hour == start.hour
                        for minute in self.minutes:
                            if same_hour and minute < start.minute:
                                continue
                            yield dt.datetime(year, month, day, hour, minute)


# -- parsing ---------------------------------------------------------------------------------

class _Field:
    def __init__(self, name: str, lo: int, hi: int, names: list[str] | None = None,
                 cyclic: bool = True, step: bool = True):
        self.name, self.lo, self.hi, self.names = name, lo, hi, names
        self.cyclic, self.step = cyclic, step


MINUTES = _Field("minutes", 0, 59)
HOURS = _Field("hours", 0, 23)
DOM = _Field("day-of-month", 1, 31, cyclic=False)
MONTH = _Field("month", 1, 12, MONTHS)
DOW = _Field("day-of-week", 1, 7, DAYS, step=False)
YEAR = _Field("year", YEAR_MIN, YEAR_MAX, cyclic=False)


class _Bad(Exception):
    pass


def _number(f: _Field, token: str) -> int:
    upper = token.upper()
    if f.names and upper in f.names:
        return f.names.index(upper) + 1
    if not (token.isascii() and token.isdigit()):
        allowed = f"{f.lo}-{f.hi}" + (f" or {f.names[0]}-{f.names[-1]}" if f.names else "")
        raise _Bad(f"{f.name} value '{token}' is not a number ({allowed})")
    value = int(token)
    if not f.lo <= value <= f.hi:
        raise _Bad(f"{f.name} value {value} is out of range {f.lo}-{f.hi}")
    return value


def _range(f: _Field, start: int, end: int, step: int) -> list[int]:
    if end >= start:
        return list(range(start, end + 1, step))
    if not f.cyclic:
        raise _Bad(f"{f.name} range {start}-{end} runs backwards")
    span = (f.hi - f.lo + 1)
    values, value = [], start
    for _ in range(0, (end + span - start) // step + 1):
        values.append(value)
        value = (value - f.lo + step) % span + f.lo
    return values


def _values(f: _Field, text: str) -> set[int]:
    """The plain wildcards: `,` `-` `*` `/`."""
    out: set[int] = set()
    for item in text.split(","):
        if not item:
            raise _Bad(f"{f.name} has an empty list item in '{text}'")
        base, slash, step_text = item.partition("/")
        step = 1
        if slash:
            if not f.step:
                raise _Bad(f"{f.name} does not take '/' (allowed: , - * ? L #)")
            if not (step_text.isascii() and step_text.isdigit()) or int(step_text) < 1:
                raise _Bad(f"{f.name} step '/{step_text}' must be a positive number")
            step = int(step_text)
        if base == "*":
            start, end = f.lo, f.hi
        elif "-" in base:
            a, _, b = base.partition("-")
            if not a or not b:
                raise _Bad(f"{f.name} range '{base}' needs a start and an end")
            start, end = _number(f, a), _number(f, b)
        else:
            start = _number(f, base)
            end = f.hi if slash else start
        out.update(_range(f, start, end, step))
    return out


def _days_of_month(text: str) -> DaysOfMonth:
    days, offsets, nearest, last_weekday = set(), set(), set(), False
    for item in text.split(","):
        upper = item.upper()
        if upper == "L":
            offsets.add(0)
        elif upper == "LW":
            last_weekday = True
        elif upper.startswith("L-"):
            n = upper[2:]
            if not (n.isascii() and n.isdigit()) or not 0 <= int(n) <= 30:
                raise _Bad(f"day-of-month 'L-{n}' needs a number of days from 0 to 30")
            offsets.add(int(n))
        elif upper.endswith("W"):
            day = upper[:-1]
            if "-" in day or "/" in day or "*" in day:
                raise _Bad(f"day-of-month '{item}': W takes a single day (e.g. 15W), not a range")
            nearest.add(_number(DOM, day))
        elif "L" in upper or "W" in upper:
            raise _Bad(f"day-of-month '{item}' is not valid (L, L-3, LW, 15W)")
        else:
            days.update(_values(DOM, item))
    return DaysOfMonth(frozenset(days), frozenset(offsets), frozenset(nearest), last_weekday)


def _days_of_week(text: str) -> DaysOfWeek:
    if "#" in text:
        if "," in text:
            raise _Bad("day-of-week: with '#' only one expression is allowed (e.g. 3#2, "
                       "not 3#1,6#3)")
        day, _, nth = text.partition("#")
        if not (nth.isascii() and nth.isdigit()) or not 1 <= int(nth) <= 5:
            raise _Bad(f"day-of-week '{text}': the number after # must be 1 to 5")
        return DaysOfWeek(nth=(_number(DOW, day), int(nth)))
    weekdays, last_of = set(), set()
    for item in text.split(","):
        upper = item.upper()
        if upper == "L":
            weekdays.add(7)  # Quartz: L alone is the last day of the week, Saturday
        elif upper.endswith("L") and len(upper) > 1:
            last_of.add(_number(DOW, item[:-1]))
        else:
            weekdays.update(_values(DOW, item))
    return DaysOfWeek(frozenset(weekdays), frozenset(last_of))


def parse(body: str) -> CronExpression:
    """Parse the inside of `cron(...)`; ScheduleError(field="expression") when bad."""
    text = f"cron({body})"
    fields = body.split()
    if len(fields) != 6:
        raise ScheduleError("expression", f"{text}: a cron expression has 6 fields (minutes "
                            f"hours day-of-month month day-of-week year), not {len(fields)}")
    minute, hour, dom, month, dow, year = fields
    try:
        if dom == "?" and dow == "?":
            raise _Bad("day-of-month and day-of-week cannot both be ?; use ? in one of them "
                       "only")
        if dom != "?" and dow != "?":
            raise _Bad("day-of-month and day-of-week cannot both be specified; use ? in one "
                       "of them")
        for name, value in zip(FIELD_NAMES, fields):
            if "?" in value and (value != "?" or name not in ("day-of-month", "day-of-week")):
                raise _Bad(f"{name} does not take '?' here" if value != "?" else
                           f"{name} does not take '?' (only day-of-month and day-of-week do)")
        return CronExpression(
            text=text,
            minutes=tuple(sorted(_values(MINUTES, minute))),
            hours=tuple(sorted(_values(HOURS, hour))),
            months=tuple(sorted(_values(MONTH, month))),
            years=tuple(sorted(_values(YEAR, year))),
            days_of_month=_days_of_month(dom) if dom != "?" else None,
            days_of_week=_days_of_week(dow) if dow != "?" else None)
    except _Bad as bad:
        raise ScheduleError("expression", f"{text}: {bad}") from None
