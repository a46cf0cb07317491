"""What one execution's history says about its states and tasks (no database here).

Events arrive in id order as (seq, previous_event_id, type, timestamp, state name or None).
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

from dataclasses import dataclass, field

# History event prefix -> CloudWatch family (metric names: <plural><Kind>, <singular><Time>).
FAMILIES = {"Activity": ("Activities", "Activity"),
            "LambdaFunction": ("LambdaFunctions", "LambdaFunction"),
            "Task": ("ServiceIntegrations", "ServiceIntegration")}
KINDS = ("Scheduled", "Started", "Succeeded", "Failed", "TimedOut")
_FAILURE_SUFFIXES = ("Failed", "TimedOut")
_NOT_A_STATE_FAILURE = ("Execution", "MapIteration", "MapRun")


@dataclass
class StateStats:
    state_type: str = ""
    entered: int = 0
    failures: int = 0
    retries: int = 0
    exits: int = 0
    duration_ms_sum: int = 0
    duration_ms_max: int = 0


@dataclass
class ExecutionStats:
    states: dict = field(default_factory=dict)     # name -> StateStats
    counts: dict = field(default_factory=dict)     # "ActivitiesScheduled" -> n
    times: dict = field(default_factory=dict)      # "ActivityRunTime" -> [ms, …]


class _Entry:
    __slots__ = ("name", "type", "entered", "failed", "scheduled", "started")

    def __init__(self, name, state_type, entered):
        self.name, self.type, self.entered = name, state_type, entered
        self.failed = False
        self.scheduled = self.started = None


def _family(event_type: str):
    for prefix, names in FAMILIES.items():
        if event_type.startswith(prefix):
            kind = event_type[len(prefix):]
            if kind in KINDS:
                return names, kind
    return None, None


def _ms(later, earlier) -> int:
    return max(0, round((later - earlier).total_seconds() * 1000))


def analyse(events, count_from: int = 1) -> ExecutionStats:
    """Stats of events with seq >= count_from (earlier ones only place later ones: a
    redriven execution's first run was counted when it first stopped)."""
    out = ExecutionStats()
    entry_of: dict[int, _Entry | None] = {}
    for seq, prev, event_type, ts, name in events:
        counted = seq >= count_from
        if event_type.endswith("StateEntered"):
            entry = _Entry(name, event_type[:-len("StateEntered")], ts)
            entry_of[seq] = entry
            if counted:
                stats = out.states.setdefault(name, StateStats(entry.type))
                stats.entered += 1
            continue
        entry = entry_of.get(prev)
        if event_type.endswith("StateExited"):
            entry_of[seq] = None
            if entry is not None and counted and entry.name == name:
                stats = out.states.setdefault(name, StateStats(entry.type))
                took = _ms(ts, entry.entered)
                stats.exits += 1
                stats.duration_ms_sum += took
                stats.duration_ms_max = max(stats.duration_ms_max, took)
            continue
        entry_of[seq] = entry
        if entry is None:
            continue
        family, kind = _family(event_type)
        is_failure = (event_type.endswith(_FAILURE_SUFFIXES)
                      and not event_type.startswith(_NOT_A_STATE_FAILURE))
        retried = entry.failed and (kind == "Scheduled" or event_type in (
            "ParallelStateStarted", "MapStateStarted"))
        if counted:
            stats = out.states.setdefault(entry.name, StateStats(entry.type))
            if retried:
                stats.retries += 1
            if is_failure or (event_type == "ExecutionFailed" and not entry.failed):
                stats.failures += 1
        if is_failure or event_type == "ExecutionFailed":
            entry.failed = True
        if retried:
            entry.failed = False  # a new attempt: its own failure counts again
        if family is None:
            continue
        plural, singular = family
        if counted:
            out.counts[plural + kind] = out.counts.get(plural + kind, 0) + 1
        if kind == "Scheduled":
            entry.scheduled, entry.started = ts, None
        elif kind == "Started":
            entry.started = ts
            if counted and entry.scheduled is not None:
                out.times.setdefault(singular + "ScheduleTime", []).append(
                    _ms(ts, entry.scheduled))
        else:
            begun = entry.started or entry.scheduled
            if counted and begun is not None:
                out.times.setdefault(singular + "RunTime", []).append(_ms(ts, begun))
    return out
