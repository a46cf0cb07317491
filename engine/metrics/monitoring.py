"""What the monitoring pages show, read from the rollup (never from history rows).

Executions over time (by status, and duration percentiles per point) come from the
execution buckets (five-minute ones for 1 h and 24 h, hourly for 7 d, daily for 30 d),
merged into the range's display step; the summary (counts, failure rate, p50/p95/p99)
merges the range's buckets, so its cost is the number of buckets (at most 288), never the
number of executions. The state tables come from hourly
buckets for 1 h and 24 h and daily ones for 7 d and 30 d (whole hours / UTC days that
overlap the range). Percentiles are read from log buckets 19 % wide: within 10 %.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Max, Sum
from django.utils import timezone

from engine.models import ExecutionBucket, Granularity, StateBucket

from . import histogram, rollup

STATUSES = ("succeeded", "failed", "timed_out", "aborted")


@dataclass(frozen=True)
class Range:
    key: str
    label: str
    span: dt.timedelta
    step: int          # seconds per chart point
    grain: str         # execution buckets read
    state_grain: str   # state buckets read


RANGES = {r.key: r for r in (
    Range("1h", "1 hour", dt.timedelta(hours=1), 300, Granularity.FIVE_MINUTES,
          Granularity.HOUR),
    Range("24h", "24 hours", dt.timedelta(hours=24), 1800, Granularity.FIVE_MINUTES,
          Granularity.HOUR),
    Range("7d", "7 days", dt.timedelta(days=7), 3 * 3600, Granularity.HOUR, Granularity.DAY),
    Range("30d", "30 days", dt.timedelta(days=30), 86400, Granularity.DAY, Granularity.DAY),
)}
DEFAULT_RANGE = "24h"
TOP = 10


def report(*, owner_ids: list[int] | None, machine_id: int | None, range_key: str,
           now: dt.datetime | None = None) -> dict:
    """The page's numbers. `machine_id`: one machine; else the machines of `owner_ids`
    (None: everyone's, for staff)."""
    rollup.roll_up(budgeted=True)
    now = now or timezone.now()
    rng = RANGES[range_key]
    end = rollup.floor(now, rng.step) + dt.timedelta(seconds=rng.step)
    start = end - dt.timedelta(seconds=int(rng.span.total_seconds()) // rng.step * rng.step)
    buckets = ExecutionBucket.objects.filter(granularity=rng.grain, bucket__gte=start,
                                             bucket__lt=end)
    if machine_id is not None:
        buckets = buckets.filter(state_machine_id=machine_id)
    else:
        buckets = buckets.filter(state_machine__isnull=True)
        if owner_ids is not None:
            buckets = buckets.filter(owner_id__in=owner_ids)
    points = int((end - start).total_seconds()) // rng.step
    series = [{"t": (start + dt.timedelta(seconds=i * rng.step)).isoformat(), "started": 0,
               **{s: 0 for s in STATUSES}, "durations": {}} for i in range(points)]
    summary = {"started": 0, **{s: 0 for s in STATUSES}, "duration_ms_sum": 0}
    merged: dict = {}
    for index, started, *counts, ms_sum, durations in _per_point(buckets, start, rng.step):
        point = series[index]
        point["started"] += started
        summary["started"] += started
        for status, n in zip(STATUSES, counts):
            point[status] += n
            summary[status] += n
        summary["duration_ms_sum"] += ms_sum
        into = point["durations"]
        for key, n in durations.items():  # keys are text already (JSON)
            into[key] = into.get(key, 0) + n
    for point in series:
        counts = point.pop("durations")
        point["p50"], point["p95"], point["p99"] = histogram.percentiles(counts)
        for key, n in counts.items():
            merged[key] = merged.get(key, 0) + n
    finished = sum(summary[s] for s in STATUSES)
    summary.update(
        finished=finished,
        failure_rate=(summary["failed"] + summary["timed_out"]) / finished if finished else None,
        mean_ms=summary["duration_ms_sum"] / finished if finished else None,
        **dict(zip(("p50", "p95", "p99"), histogram.percentiles(merged))))
    step_label = f"{rng.step // 3600} h" if rng.step >= 3600 else f"{rng.step // 60} min"
    return {"range": rng.key, "range_label": rng.label, "step_seconds": rng.step,
            "step_label": step_label,
            "start": start.isoformat(), "end": end.isoformat(), "series": series,
            "summary": summary, **_states(owner_ids, machine_id, rng, start, end)}


_SUMS_SQL = """
SELECT floor(extract(epoch FROM bucket - %s) / %s)::int AS point, sum(started), sum(succeeded),
       sum(failed), sum(timed_out), sum(aborted), sum(duration_ms_sum)
FROM engine_executionbucket WHERE id IN ({ids}) GROUP BY point
"""
_DURATIONS_SQL = """
SELECT floor(extract(epoch FROM b.bucket - %s) / %s)::int AS point, d.key, sum(d.value::bigint)
FROM engine_executionbucket AS b CROSS JOIN LATERAL jsonb_each_text(b.durations) AS d
WHERE b.id IN ({ids}) GROUP BY point, d.key
"""


def _per_point(buckets, start, step: int):
    """(point index, started, succeeded, failed, timed_out, aborted, ms sum, durations) per
    chart point. PostgreSQL adds the buckets up itself (a 7-day page has 168 hourly rows of a
    few dozen histogram counts each: summing them in Python took most of the request)."""
    if connection.vendor != "postgresql":
        for row in buckets.values_list("bucket", "started", *STATUSES, "duration_ms_sum",
                                       "durations"):
            yield (int((row[0] - start).total_seconds()) // step, *row[1:])
        return
    ids, params = buckets.values("id").query.sql_with_params()
    durations: dict[int, dict] = {}
    with connection.cursor() as cursor:
        cursor.execute(_DURATIONS_SQL.format(ids=ids), [start, step, *params])
        for point, key, n in cursor.fetchall():
            durations.setdefault(point, {})[key] = int(n)
        cursor.execute(_SUMS_SQL.format(ids=ids), [start, step, *params])
        for point, *sums in cursor.fetchall():
            yield (point, *(int(v or 0) for v in sums), durations.get(point, {}))


def _states(owner_ids, machine_id, rng: Range, start, end) -> dict:
    seconds = 3600 if rng.state_grain == Granularity.HOUR else 86400
    rows = StateBucket.objects.filter(granularity=rng.state_grain,
                                      bucket__gte=rollup.floor(start, seconds), bucket__lt=end)
    if machine_id is not None:
        rows = rows.filter(state_machine_id=machine_id)
    elif owner_ids is not None:
        rows = rows.filter(owner_id__in=owner_ids)
    per_state = list(rows.values("state_machine_id", "state_machine__name", "state_name")
                     .annotate(type=Max("state_type"), entered=Sum("entered"),
                               failures=Sum("failures"), retries=Sum("retries"),
                               exits=Sum("exits"), ms_sum=Sum("duration_ms_sum"),
                               ms_max=Max("duration_ms_max"))
                     .order_by())
    for s in per_state:
        s["machine"] = s.pop("state_machine__name")
        s["mean_ms"] = s["ms_sum"] / s["exits"] if s["exits"] else None

    def top(key, keep):
        chosen = [s for s in per_state if keep(s)]
        return sorted(chosen, key=key)[:TOP]

    return {
        "failing_states": top(lambda s: (-s["failures"], s["machine"], s["state_name"]),
                              lambda s: s["failures"] > 0),
        "retried_states": top(lambda s: (-s["retries"], s["machine"], s["state_name"]),
                              lambda s: s["retries"] > 0),
        "slowest_states": top(lambda s: (-s["mean_ms"], s["machine"], s["state_name"]),
                              lambda s: s["mean_ms"] is not None),
        "state_window": ("whole hours" if rng.state_grain == Granularity.HOUR
                         else "whole UTC days"),
    }
