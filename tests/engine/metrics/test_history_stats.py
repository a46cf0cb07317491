"""engine.metrics.history_stats on histories the in-process driver writes and on hand-made
ones (branches side by side, a retried task, a redrive)."""
from __future__ import annotations

import datetime as dt

from engine.asl import run_state_machine
from engine.asl.clock import parse_iso
from engine.metrics import histogram
from engine.metrics.history_stats import analyse

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def at(ms):
    return T0.timestamp() * 1000 + ms


def rows(events):
    out = []
    for e in events:
        details = e.get("stateEnteredEventDetails") or {}
        out.append((e["id"], e["previousEventId"], e["type"],
                    parse_iso(e["timestamp"]).timestamp() * 1000, details.get("name")))
    return out


def test_branches_side_by_side_keep_their_states_apart():
    events = [
        (1, 0, "ExecutionStarted", at(0), None),
        (2, 0, "ParallelStateEntered", at(0), "Both"),
        (3, 2, "ParallelStateStarted", at(1), None),
        (4, 3, "TaskStateEntered", at(2), "Left"),
        (5, 3, "TaskStateEntered", at(2), "Right"),
        (6, 4, "TaskScheduled", at(3), None),
        (7, 5, "TaskScheduled", at(3), None),
        (8, 6, "TaskStarted", at(13), None),
        (9, 7, "TaskStarted", at(5), None),
        (10, 9, "TaskFailed", at(30), None),
        (11, 10, "TaskScheduled", at(1030), None),    # Right retried
        (12, 11, "TaskStarted", at(1031), None),
        (13, 8, "TaskSucceeded", at(100), None),
        (14, 13, "TaskStateExited", at(101), None),
        (15, 12, "TaskSucceeded", at(1100), None),
        (16, 15, "TaskStateExited", at(1102), None),
        (17, 3, "ParallelStateSucceeded", at(1103), None),
        (18, 3, "ParallelStateExited", at(1104), None),
        (19, 18, "ExecutionSucceeded", at(1105), None),
    ]
    stats = analyse(events)
    assert stats.states["Left"].entered == 1 and stats.states["Left"].duration_ms_sum == 99
    assert stats.states["Right"].retries == 1 and stats.states["Right"].failures == 1
    assert stats.states["Right"].duration_ms_max == 1100
    assert stats.states["Left"].retries == 0 and stats.states["Left"].failures == 0
    assert stats.states["Both"].duration_ms_sum == 1104 and stats.states["Both"].state_type == \
        "Parallel"
    assert stats.counts == {"ServiceIntegrationsScheduled": 3, "ServiceIntegrationsStarted": 3,
                            "ServiceIntegrationsFailed": 1, "ServiceIntegrationsSucceeded": 2}
    assert sorted(stats.times["ServiceIntegrationScheduleTime"]) == [1, 2, 10]
    assert sorted(stats.times["ServiceIntegrationRunTime"]) == [25, 69, 87]
    # From event 11 on (as after a redrive): only the retry and what followed.
    later = analyse(events, count_from=11)
    assert later.counts["ServiceIntegrationsScheduled"] == 1
    assert later.states["Right"].retries == 1 and later.states["Right"].entered == 0
    assert "Left" in later.states and later.states["Left"].entered == 0


def test_a_failing_pass_and_a_fail_state_count_once_each():
    failing = {"StartAt": "Shape", "States": {
        "Shape": {"Type": "Pass", "Next": "Stop"},
        "Stop": {"Type": "Fail", "Error": "Nope", "Cause": "stopped"}}}
    run = run_state_machine(failing, {"x": 1})
    stats = analyse(rows(run.events))
    assert stats.states["Shape"].failures == 0 and stats.states["Shape"].exits == 1
    assert stats.states["Stop"].failures == 1 and stats.states["Stop"].state_type == "Fail"
    assert stats.counts == {}


def test_percentiles_from_fine_buckets_are_within_a_tenth():
    values = [3, 40, 41, 42, 250, 900, 1500, 60000, 61000, 3_600_000]
    counts = {}
    for v in values:
        histogram.merge(counts, {histogram.fine_index(v): 1})
    for q, exact in ((0.5, 250), (0.9, 61000), (0.1, 3)):
        assert abs(histogram.percentile(counts, q) - exact) / exact < 0.1
    assert histogram.percentile({}, 0.5) is None
