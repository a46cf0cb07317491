"""What one execution's history says about its states and tasks (no database here).

Events arrive in id order as (seq, previous_event_id, type, timestamp in epoch
milliseconds, state name of a StateEntered or None).
An event belongs to the state entry of the event its previousEventId names (AWS links each
event to the one before it on the same branch or iteration), a StateEntered starts an entry
and a StateExited ends it; so Parallel branches and Map iterations running side by side
keep their states apart.

Per state: entries, failures (a task's Failed/TimedOut event, or the execution failing in
it), retries (a task scheduled again after a failure within the same entry), and how long
it took from entered to exited. Per task family (CloudWatch's Activities, LambdaFunctions,
ServiceIntegrations): Scheduled, Started, Succeeded, Failed, TimedOut, and ScheduleTime
(scheduled → started) and RunTime (started → closed) in milliseconds.
"""
from __future__ import annotations

import functools

# History event prefix -> CloudWatch family (metric names: <plural><Kind>, <singular><Time>).
FAMILIES = {"Activity": ("Activities", "Activity"),
            "LambdaFunction": ("LambdaFunctions", "LambdaFunction"),
            "Task": ("ServiceIntegrations", "ServiceIntegration")}
KINDS = ("Scheduled", "Started", "Succeeded", "Failed", "TimedOut")
_FAILURE_SUFFIXES = ("Failed", "TimedOut")
_NOT_A_STATE_FAILURE = ("Execution", "MapIteration", "MapRun")


class StateStats:
    __slots__ = ("state_type", "entered", "failures", "retries", "exits", "duration_ms_sum",
                 "duration_ms_max")

    def __init__(self, state_type: str = ""):
        self.state_type = state_type
        self.entered = self.failures = self.retries = self.exits = 0
        self.duration_ms_sum = self.duration_ms_max = 0


class ExecutionStats:
    """What analyse found; one instance may gather several executions (`into`)."""

    __slots__ = ("states", "counts", "times")

    def __init__(self):
        self.states: dict[str, StateStats] = {}   # name -> StateStats
        self.counts: dict[str, int] = {}          # "ActivitiesScheduled" -> n
        self.times: dict[str, list] = {}          # "ActivityRunTime" -> [ms, …]


class _Entry:
    __slots__ = ("name", "type", "entered", "failed", "scheduled", "started")

    def __init__(self, name, state_type, entered):
        self.name, self.type, self.entered = name, state_type, entered
        self.failed = False
        self.scheduled = self.started = None


ENTERED, EXITED, OTHER = 0, 1, 2


def _ms(later, earlier) -> int:
    return max(0, round(later - earlier))


@functools.lru_cache(maxsize=512)
def _classify(event_type: str) -> tuple:
    """(what, state type, family names, kind, is a failure, may start a retry): once per
    event type, not per event."""
    if event_type.endswith("StateEntered"):
        return ENTERED, event_type[:-len("StateEntered")], None, None, False, False
    if event_type.endswith("StateExited"):
        return EXITED, None, None, None, False, False
    family = kind = None
    for prefix, names in FAMILIES.items():
        if event_type.startswith(prefix) and event_type[len(prefix):] in KINDS:
            family, kind = names, event_type[len(prefix):]
    failure = (event_type.endswith(_FAILURE_SUFFIXES)
               and not event_type.startswith(_NOT_A_STATE_FAILURE))
    restart = kind == "Scheduled" or event_type in ("ParallelStateStarted", "MapStateStarted")
    return OTHER, None, family, kind, failure, restart


def analyse(events, count_from: int = 1, into: ExecutionStats | None = None) -> ExecutionStats:
    """Stats of events with seq >= count_from (earlier ones only place later ones: a
    redriven execution's first run was counted when it first stopped); added to `into`."""
    out = into if into is not None else ExecutionStats()
    states, counts, times = out.states, out.counts, out.times
    entry_of: dict = {}
    for seq, prev, event_type, ts, name in events:
        counted = seq >= count_from
        what, state_type, family, kind, is_failure, restart = _classify(event_type)
        if what == ENTERED:
            entry_of[seq] = _Entry(name, state_type, ts)
            if counted:
                stats = states.get(name)
                if stats is None:
                    stats = states[name] = StateStats(state_type)
                stats.entered += 1
            continue
        entry = entry_of.get(prev)
        if what == EXITED:
            entry_of[seq] = None
            if entry is not None and counted:
                stats = states.get(entry.name)
                if stats is None:
                    stats = states[entry.name] = StateStats(entry.type)
                took = ts - entry.entered
                took = round(took) if took > 0 else 0
                stats.exits += 1
                stats.duration_ms_sum += took
                if took > stats.duration_ms_max:
                    stats.duration_ms_max = took
            continue
        entry_of[seq] = entry
        if entry is None:
            continue
        retried = restart and entry.failed
        failed_here = is_failure or event_type == "ExecutionFailed"
        if counted and (retried or failed_here):
            stats = states.get(entry.name)
            if stats is None:
                stats = states[entry.name] = StateStats(entry.type)
            if retried:
                stats.retries += 1
            if is_failure or not entry.failed:
                stats.failures += 1
        if failed_here:
            entry.failed = True
        if retried:
            entry.failed = False  # a new attempt: its own failure counts again
        if family is None:
            continue
        plural, singular = family
        if counted:
            counts[plural + kind] = counts.get(plural + kind, 0) + 1
        if kind == "Scheduled":
            entry.scheduled, entry.started = ts, None
        elif kind == "Started":
            entry.started = ts
            if counted and entry.scheduled is not None:
                times.setdefault(singular + "ScheduleTime", []).append(
                    _ms(ts, entry.scheduled))
        else:
            begun = entry.started or entry.scheduled
            if counted and begun is not None:
                times.setdefault(singular + "RunTime", []).append(_ms(ts, begun))
    return out
