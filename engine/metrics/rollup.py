"""The rollup: executions that started or stopped before the watermark, in buckets and totals.

One pass moves the watermark from `lo` to `hi` (at most a day, and never closer to now than
the lag) and adds, in the same transaction, what started in [lo, hi) and what stopped in
[lo, hi): executions by status and duration into five-minute buckets, their histories'
states into hourly and daily buckets, and everything into each machine's totals. Each
execution start and stop is so counted exactly once, whoever runs the pass and however
many run it at once: one pass at a time holds the rollup (an advisory lock on PostgreSQL,
the RollupState row elsewhere; a second one gives way), and it moves the watermark by
conditional update in the transaction that adds the counts.

A redriven execution that stops again is counted again (as CloudWatch counts its second
close), its history only from the redrive on.

The pass is incremental by construction: each history is read once, when its execution's
stop passes the watermark (the stop attributes its states to an hour), never by the passes
before or after. What a history read costs is kept small: the state names and errors come
from columns written with the rows (no JSON parsed), each execution's events are read from
its (execution, seq) index in order (no sort), and the passes of all processes share a
budget of events per period (STEPSTUDIO_METRICS_ROLLUP_EVENTS per
STEPSTUDIO_METRICS_ROLLUP_PERIOD_SECONDS): a burst of executions delays the metrics instead
of taking the workers' CPU. Pages, scrapes and the scheduler keep to it; roll_up() called
plainly (tests, a catch-up) does not. Each pass also prunes buckets past their retention,
a bounded batch at a time.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from engine.models import (Execution, ExecutionBucket, Granularity, HistoryEvent,
                           MetricTotal, RollupState, StateBucket)
from engine.runtime import history

from . import config, histogram, row_updates, tracing
from .history_stats import ExecutionStats, analyse

FIVE_MINUTES = 300
MAX_WINDOW = dt.timedelta(days=1)
EVENT_CHUNK = 200  # executions whose histories are read in one query
STATUS_FIELD = {"SUCCEEDED": "succeeded", "FAILED": "failed", "TIMED_OUT": "timed_out",
                "ABORTED": "aborted"}
STATUS_METRIC = {"SUCCEEDED": "ExecutionsSucceeded", "FAILED": "ExecutionsFailed",
                 "TIMED_OUT": "ExecutionsTimedOut", "ABORTED": "ExecutionsAborted"}
_UTC = dt.timezone.utc
EXECUTION_GRAINS = ((Granularity.FIVE_MINUTES, FIVE_MINUTES), (Granularity.HOUR, 3600),
                    (Granularity.DAY, 86400))


def floor(when: dt.datetime, seconds: int) -> dt.datetime:
    stamp = int(when.timestamp()) // seconds * seconds
    return dt.datetime.fromtimestamp(stamp, _UTC)


def roll_up(now: dt.datetime | None = None, max_passes: int = 400,
            budgeted: bool = False) -> int:
    """Catch the rollup up to now − lag; how many starts and stops it counted. Returns at
    once when another process is at it, and, `budgeted`, when the period's budget is
    spent."""
    total = 0
    for _ in range(max_passes):
        counted, caught_up = one_pass(now, budgeted)
        total += counted
        if caught_up:
            break
    return total


PASS_EVERY = 5.0  # seconds between the scheduler's rollup passes
_last_pass = [0.0]


def scheduler_pass() -> int:
    """For `workflows scheduler`'s loop: keep the rollup near now so pages and scrapes
    only ever add a few seconds' worth."""
    if time.monotonic() - _last_pass[0] >= PASS_EVERY:
        _last_pass[0] = time.monotonic()
        roll_up(max_passes=2, budgeted=True)
    return 0  # not "work done": the loop still sleeps between passes


def one_pass(now=None, budgeted: bool = False) -> tuple[int, bool]:
    """One step of the watermark; (starts and stops counted, nothing more to do now)."""
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=config.lag_seconds())
    RollupState.objects.get_or_create(id=1)
    with transaction.atomic():
        _no_jit()
        state = _claim()
        if state is None:
            return 0, True  # another process holds it
        lo = state.watermark
        if lo is None:
            first = Execution.objects.aggregate(first=Min("start_date"))["first"]
            lo = floor(first, FIVE_MINUTES) if first else limit
        hi = min(limit, lo + MAX_WINDOW)
        if hi <= lo:
            return 0, True
        clock = timezone.now()
        period_start, spent = state.period_start, state.period_events
        if period_start is None or not (
                dt.timedelta(0) <= clock - period_start
                < dt.timedelta(seconds=config.rollup_period_seconds())):
            period_start, spent = clock, 0
        budget = config.rollup_events()
        if budgeted and budget:
            if spent >= budget:
                return 0, True  # the period's budget is spent: the next period goes on
            hi = _within_budget(lo, hi, budget - spent)
        counted, events, tally = _count(lo, hi)
        # The pass's first write: until here it only read, each statement on a snapshot of
        # its own and no transaction id (see _claim).
        if not RollupState.objects.filter(id=1, watermark=state.watermark).update(
                watermark=hi, passes=state.passes + 1, period_start=period_start,
                period_events=spent + events):
            transaction.set_rollback(True)  # nor any span of it sent
            return 0, True  # moved meanwhile (SQLite has no row locks)
        _write(tally, lo, hi)
        prune(hi)
    return counted, hi >= limit


ROLLUP_LOCK = 0x5354455053545544  # an advisory lock key of the rollup's own


def _claim() -> RollupState | None:
    """The rollup's state, for this pass alone; None when another process is at it.

    On PostgreSQL an advisory lock rather than a row lock: locking a row (FOR UPDATE)
    takes a transaction id at once, and a transaction holding one keeps every table's
    dead row versions from being pruned until it ends, the workers' execution rows too,
    updated at every step. The pass reads for most of its time; it takes its id only when
    it writes, at the end."""
    if connection.vendor != "postgresql":
        return RollupState.objects.select_for_update(skip_locked=True).filter(id=1).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ROLLUP_LOCK])
        if not cursor.fetchone()[0]:
            return None
    return RollupState.objects.filter(id=1).first()


def _no_jit() -> None:
    """Turn PostgreSQL's JIT off for the pass's transaction. The history query's cost
    estimate is always past jit_above_cost (its row estimate per execution is the table's
    average, thousands), so each chunk of 200 histories was compiled afresh: the compiling
    took 3.6 µs of the backend's CPU per event read, three quarters of what the pass cost
    the database (bench/metrics.py). What the pass reads is an index walk that JIT cannot
    speed up."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _within_budget(lo, hi, events: int):
    """The end of a window from `lo` whose stopped executions' histories hold at most
    `events` events (at least the executions stopped at `lo` itself, so a pass always
    moves on): the stop date of the first execution, in stop order, past the budget."""
    read = 0
    stops = (Execution.objects.filter(stop_date__gte=lo, stop_date__lt=hi)
             .order_by("stop_date", "id").values_list("stop_date", "seq"))
    for stopped, seq in stops.iterator(chunk_size=2000):
        read += seq
        if read > events:
            if stopped > lo:
                return stopped
            later = (Execution.objects.filter(stop_date__gt=lo, stop_date__lt=hi)
                     .order_by("stop_date").values_list("stop_date", flat=True).first())
            return later or hi
    return hi


FINE_RETENTION = dt.timedelta(days=30)  # the longest range shown (30 d) reads daily rows
PRUNE_BATCH = 2000  # rows of one table and granularity deleted per pass


def prune(upto: dt.datetime) -> int:
    """Delete buckets past their retention, counted back from the watermark `upto`: five-
    minute and hourly ones after 30 days, daily ones after STEPSTUDIO_METRICS_RETENTION_DAYS.
    At most PRUNE_BATCH rows of each kind per pass (the rest go with the next passes), so a
    first prune of a long history never holds the pass long. Totals are never pruned."""
    fine = (Granularity.FIVE_MINUTES, Granularity.HOUR)
    kinds = [(fine, upto - FINE_RETENTION)]
    days = config.retention_days()
    if days:
        kinds.append(((Granularity.DAY,), upto - dt.timedelta(days=days)))
    deleted = 0
    for model in (ExecutionBucket, StateBucket):
        for grains, cutoff in kinds:
            ids = list(model.objects.filter(granularity__in=grains, bucket__lt=cutoff)
                       .values_list("id", flat=True)[:PRUNE_BATCH])
            if ids:
                deleted += model.objects.filter(id__in=ids).delete()[0]
    return deleted


class _Tally:
    def __init__(self):
        self.buckets = defaultdict(lambda: {"started": 0, "succeeded": 0, "failed": 0,
                                            "timed_out": 0, "aborted": 0,
                                            "duration_ms_sum": 0, "durations": {}})
        self.states = defaultdict(lambda: {"state_type": "", "entered": 0, "failures": 0,
                                           "retries": 0, "exits": 0, "duration_ms_sum": 0,
                                           "duration_ms_max": 0})
        self.totals = defaultdict(float)  # (machine, key) -> increment

    def execution(self, owner, machine, when, field, ms=None):
        index = str(histogram.fine_index(ms)) if ms is not None else None
        for grain, seconds in EXECUTION_GRAINS:
            bucket = floor(when, seconds)
            for key in ((owner, machine, grain, bucket), (owner, None, grain, bucket)):
                row = self.buckets[key]
                row[field] += 1
                if index is not None:
                    row["duration_ms_sum"] += ms
                    row["durations"][index] = row["durations"].get(index, 0) + 1

    def timing(self, machine, name, ms):
        self.totals[(machine, f"{name}:sum")] += ms
        self.totals[(machine, f"{name}:count")] += 1
        self.totals[(machine, f"{name}:le{histogram.bound_index(histogram.MS_BOUNDS, ms)}")] += 1


def _count(lo, hi) -> tuple[int, int, "_Tally"]:
    """(starts and stops counted, history events read, what to add) of the window [lo, hi):
    reads only."""
    tally = _Tally()
    # A Distributed Map's child executions are not executions of the machine (AWS counts
    # them under the labelled `<machine>/<label>` ARN, which has no page here).
    starts = Execution.objects.filter(start_date__gte=lo, start_date__lt=hi,
                                      map_run__isnull=True).values_list(
        "state_machine_id", "state_machine__owner_id", "start_date")
    n = 0
    for machine, owner, started in starts.iterator(chunk_size=5000):
        tally.execution(owner, machine, started, "started")
        tally.totals[(machine, "ExecutionsStarted")] += 1
        n += 1
    stops = list(Execution.objects.filter(stop_date__gte=lo, stop_date__lt=hi,
                                          map_run__isnull=True).values_list(
        "id", "state_machine_id", "state_machine__owner_id", "status", "start_date",
        "stop_date", "redrive_date", "redrive_count", "name", "error",
        "state_machine__name", "seq"))
    for ex_id, machine, owner, status, started, stopped, redriven, *_ in stops:
        if status not in STATUS_FIELD:
            continue
        ms = max(0, round((stopped - (redriven or started)).total_seconds() * 1000))
        tally.execution(owner, machine, stopped, STATUS_FIELD[status], ms)
        tally.totals[(machine, STATUS_METRIC[status])] += 1
        tally.timing(machine, "ExecutionTime", ms)
        n += 1
    events = 0
    for i in range(0, len(stops), EVENT_CHUNK):
        events += _histories(tally, stops[i:i + EVENT_CHUNK])
    return n, events, tally


# The histories of the executions a pass counts, read as plainly as the database allows:
# this is the rollup's one read proportional to events (each is read once, after its
# execution stopped). PostgreSQL hands over epoch milliseconds (in integers: EXTRACT's
# numeric arithmetic was a third of the query's time) and the state name or error from
# their columns: no JSON parsed, no per-row test of the type. Each execution's events come
# from the (execution, seq) index in order: a plan the statistics cannot turn into a scan
# of the whole table (with `execution_id = ANY(…)` a table never analysed since a burst got
# one per chunk), and no sort. An execution's events are read up to the seq it stopped at
# (a redrive may be appending more): seq runs 1, 2, … with no gap, so the rows of the n-th
# execution are the next `seq` rows and Python never looks at a row to place it. Rows
# written without the columns (seeders, tests' bulk_create, histories the migration that
# added them left) get their labels from the details in SQL, as engine.runtime.history.
# labels does: COALESCE stops at the first column for every row written by the runtime.
_EVENTS_SQL = """
SELECT {n}h.seq, h.previous_event_id, h.type,
       ((date_part('epoch', h.timestamp) * 1000000)::bigint + 500) / 1000,
       COALESCE(h.state_name, h.error, CASE
         WHEN h.type LIKE '%%StateEntered'
           THEN h.details -> 'stateEnteredEventDetails' ->> 'name'
         WHEN h.type LIKE '%%Failed' OR h.type LIKE '%%TimedOut'
           THEN (SELECT d.value ->> 'error' FROM json_each(h.details) AS d
                 WHERE json_typeof(d.value -> 'error') = 'string' LIMIT 1) END)
FROM unnest(%s::uuid[], %s::int[]) WITH ORDINALITY AS x(id, last, n)
CROSS JOIN LATERAL (SELECT seq, previous_event_id, type, timestamp, state_name, error, details
                    FROM engine_historyevent WHERE execution_id = x.id AND seq <= x.last
                    ORDER BY seq) AS h
ORDER BY x.n
"""
_PLACED_SQL = _EVENTS_SQL.format(n="")
_NUMBERED_SQL = _EVENTS_SQL.format(n="x.n, ")


def _events(stops: list[tuple]) -> dict:
    """{execution id: its events up to `last`} of `stops`, (execution id, last seq) pairs."""
    ids = [str(i) for i, _ in stops]
    by_execution: dict = {}
    if connection.vendor == "postgresql":
        lasts = [last for _, last in stops]
        with connection.cursor() as cursor:
            cursor.execute(_PLACED_SQL, [ids, lasts])
            rows = cursor.fetchall()
            at = 0
            for ex_id, last in zip(ids, lasts):
                events = rows[at:at + last]
                at += last
                if len(events) != last or (events and events[-1][0] != last):
                    break  # a history with a gap: its rows must be looked at
                if events:
                    by_execution[ex_id] = events
            else:
                if at == len(rows):
                    return by_execution
            by_execution = {}
            cursor.execute(_NUMBERED_SQL, [ids, lasts])
            for row in cursor.fetchall():
                by_execution.setdefault(ids[row[0] - 1], []).append(row[1:])
        return by_execution
    wanted = dict(zip(ids, (last for _, last in stops)))
    rows = (HistoryEvent.objects.filter(execution_id__in=ids).order_by("execution_id", "seq")
            .values_list("execution_id", "seq", "previous_event_id", "type", "timestamp",
                         "state_name", "error", "details"))
    for ex_id, seq, prev, kind, ts, name, error, details in rows.iterator(chunk_size=5000):
        ex_id = str(ex_id)
        if seq > wanted[ex_id]:
            continue
        label = name or error
        if label is None:
            name, error = history.labels(kind, details)
            label = name or error
        by_execution.setdefault(ex_id, []).append((seq, prev, kind, ts.timestamp() * 1000,
                                                   label))
    return by_execution


def _histories(tally: _Tally, stops) -> int:
    """Add the histories of `stops` to the tally; how many events were read."""
    meta = {str(row[0]): row for row in stops}
    traced = []
    read = 0
    # One accumulator per machine and hour: analyse adds each history to it directly.
    hourly: dict[tuple, ExecutionStats] = {}
    for ex_id, events in _events([(s[0], s[-1]) for s in stops]).items():
        _, machine, owner, status, started, stopped, redriven, redrives, name, error, \
            machine_name, _ = meta[ex_id]
        read += len(events)
        count_from = 1
        if redrives:
            count_from = max((e[0] for e in events if e[2] == "ExecutionRedriven"), default=1)
        if tracing.enabled():
            traced.append(({"id": ex_id, "name": name, "machine": machine_name,
                            "status": status, "error": error, "count_from": count_from,
                            "start_ms": (redriven or started).timestamp() * 1000,
                            "stop_ms": stopped.timestamp() * 1000}, events))
        key = (owner, machine, floor(stopped, 3600))
        stats = hourly.get(key)
        if stats is None:
            stats = hourly[key] = ExecutionStats()
        analyse(events, count_from, into=stats)
    if traced:
        # Spans leave once the counts they go with are committed (a pass rolled back is
        # taken again, and would send them twice).
        transaction.on_commit(lambda: _export(traced), robust=True)
    for (owner, machine, hour), stats in hourly.items():
        for key, value in stats.counts.items():
            tally.totals[(machine, key)] += value
        for name, values in stats.times.items():
            for ms in values:
                tally.timing(machine, name, ms)
        for grain, bucket in ((Granularity.HOUR, hour), (Granularity.DAY, floor(hour, 86400))):
            for name, st in stats.states.items():
                row = tally.states[(owner, machine, grain, bucket, name)]
                row["state_type"] = row["state_type"] or st.state_type
                row["entered"] += st.entered
                row["failures"] += st.failures
                row["retries"] += st.retries
                row["exits"] += st.exits
                row["duration_ms_sum"] += st.duration_ms_sum
                row["duration_ms_max"] = max(row["duration_ms_max"], st.duration_ms_max)
    return read


def _export(traced) -> None:
    parents = _parents([execution["id"] for execution, _ in traced])
    for execution, events in traced:
        parent, root = parents.get(execution["id"], (None, None))
        tracing.export_execution(execution, events, parent=parent, trace_root=root)


MAX_NESTING = 20  # as engine.runtime.nested: deeper chains are not walked for the trace


def _parents(ids) -> dict[str, tuple]:
    """Nested executions among `ids`: {id: ((parent id, seq of the parent's StateEntered
    that started it), the outermost execution's id)}, so a child's spans sit under the
    state that started it, in its outermost execution's trace."""
    out = {}
    rows = (Execution.objects.filter(id__in=ids, parent_execution__isnull=False)
            .values_list("id", "parent_execution_id", "parent_state", "start_date"))
    for ex_id, parent_id, state, started in rows:
        seq = _entry_seq(parent_id, state, started)
        if seq is not None:
            out[str(ex_id)] = ((parent_id, seq), _root(parent_id))
    return out


def _entry_seq(parent_id, state: str, started) -> int | None:
    """The parent's last entry into `state` before the child started."""
    entries = (HistoryEvent.objects.filter(execution_id=parent_id, type__endswith="StateEntered",
                                           timestamp__lte=started)
               .order_by("-seq").values_list("seq", "state_name", "type", "details")[:200])
    for seq, name, kind, details in entries:
        if (name if name is not None else history.labels(kind, details)[0]) == state:
            return seq
    return None


def _root(execution_id):
    for _ in range(MAX_NESTING):
        parent = (Execution.objects.filter(id=execution_id)
                  .values_list("parent_execution_id", flat=True).first())
        if parent is None:
            return execution_id
        execution_id = parent
    return execution_id


def _write(tally: _Tally, lo, hi) -> None:
    _write_buckets(tally.buckets, lo, hi)
    _write_states(tally.states, floor(lo, 86400), hi)
    _write_totals(tally.totals)


def _write_buckets(buckets, lo, hi) -> None:
    if not buckets:
        return
    lo = floor(lo, 86400)  # the daily rows' first bucket (shorter ones start later)
    machines = {m for _, m, _, _ in buckets if m is not None}
    owners = {o for o, m, _, _ in buckets if m is None}
    existing = {(r.owner_id, r.state_machine_id, r.granularity, r.bucket): r for r in
                list(ExecutionBucket.objects.filter(state_machine_id__in=machines,
                                                    bucket__gte=lo, bucket__lt=hi))
                + list(ExecutionBucket.objects.filter(owner_id__in=owners,
                                                      state_machine__isnull=True,
                                                      bucket__gte=lo, bucket__lt=hi))}
    new, changed = [], []
    for (owner, machine, grain, bucket), add in buckets.items():
        row = existing.get((owner, machine, grain, bucket))
        if row is None:
            new.append(ExecutionBucket(owner_id=owner, state_machine_id=machine,
                                       granularity=grain, bucket=bucket, **add))
            continue
        changed.append((row, {**add, "durations": histogram.merge(dict(row.durations),
                                                                  add["durations"])}))
    ExecutionBucket.objects.bulk_create(new, batch_size=1000)
    row_updates.add_by_id(ExecutionBucket, changed,
                          add=("started", "succeeded", "failed", "timed_out", "aborted",
                               "duration_ms_sum"), replace=("durations",))


def _write_states(states, lo, hi) -> None:
    if not states:
        return
    machines = {m for _, m, _, _, _ in states}
    existing = {(r.owner_id, r.state_machine_id, r.granularity, r.bucket, r.state_name): r
                for r in StateBucket.objects.filter(state_machine_id__in=machines,
                                                    bucket__gte=lo, bucket__lt=hi)}
    new, changed = [], []
    for key, add in states.items():
        row = existing.get(key)
        if row is None:
            owner, machine, grain, bucket, name = key
            new.append(StateBucket(owner_id=owner, state_machine_id=machine, granularity=grain,
                                   bucket=bucket, state_name=name[:128], **add))
        else:
            changed.append((row, add))
    StateBucket.objects.bulk_create(new, batch_size=1000)
    row_updates.add_by_id(StateBucket, changed,
                          add=("entered", "failures", "retries", "exits", "duration_ms_sum"),
                          greatest=("duration_ms_max",))


def _write_totals(totals) -> None:
    if not totals:
        return
    machines = {m for m, _ in totals}
    existing = {(r.state_machine_id, r.key): r
                for r in MetricTotal.objects.filter(state_machine_id__in=machines)}
    new, changed = [], []
    for (machine, key), add in totals.items():
        row = existing.get((machine, key))
        if row is None:
            new.append(MetricTotal(state_machine_id=machine, key=key, value=add))
        else:
            changed.append((row, {"value": add}))
    MetricTotal.objects.bulk_create(new, batch_size=1000)
    row_updates.add_by_id(MetricTotal, changed, add=("value",))
