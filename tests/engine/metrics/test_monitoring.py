"""The monitoring pages' numbers against a seeded history (executions and their events
written as the runtime writes them, at known times and durations)."""
from __future__ import annotations

import datetime as dt
import math
import re

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from engine.metrics import monitoring, rollup
from engine.models import Execution, HistoryEvent, StateMachine

DEFINITION = {"StartAt": "Fetch", "States": {
    "Fetch": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:f",
              "Next": "Store"},
    "Store": {"Type": "Pass", "End": True}}}


def seed_execution(machine, name, started, ms, status, *, fetch_ms, fetch_fails=0,
                   retried=0):
    """An execution that ran Fetch (a Lambda task failing `fetch_fails` times, `retried` of
    which were retried) then Store, closing with `status` after `ms` milliseconds."""
    stopped = started + dt.timedelta(milliseconds=ms) if status != "RUNNING" else None
    ex = Execution.objects.create(state_machine=machine, name=name, status=status,
                                  definition=DEFINITION, input={}, start_date=started,
                                  stop_date=stopped)
    t = lambda offset: started + dt.timedelta(milliseconds=offset)  # noqa: E731
    events = [("ExecutionStarted", 0, 0, {}),
              ("TaskStateEntered", 0, 1, {"stateEnteredEventDetails": {"name": "Fetch"}})]
    for attempt in range(fetch_fails + 1):
        events.append(("LambdaFunctionScheduled", len(events), 1, {}))
        events.append(("LambdaFunctionStarted", len(events), 2, {}))
        if attempt < fetch_fails:
            events.append(("LambdaFunctionFailed", len(events), 3, {}))
            if attempt >= retried:
                break
        else:
            events.append(("LambdaFunctionSucceeded", len(events), 3, {}))
    if fetch_fails > retried:
        events.append(("ExecutionFailed", len(events), fetch_ms, {}))
    else:
        events.append(("TaskStateExited", len(events), fetch_ms,
                       {"stateExitedEventDetails": {"name": "Fetch"}}))
        events.append(("PassStateEntered", len(events), fetch_ms,
                       {"stateEnteredEventDetails": {"name": "Store"}}))
        events.append(("PassStateExited", len(events), fetch_ms + 1,
                       {"stateExitedEventDetails": {"name": "Store"}}))
    HistoryEvent.objects.bulk_create([
        HistoryEvent(execution=ex, seq=i + 1, previous_event_id=prev, type=kind,
                     timestamp=t(min(offset, ms)), details=details)
        for i, (kind, prev, offset, details) in enumerate(events)])
    ex.seq = len(events)
    ex.save(update_fields=["seq"])
    return ex


def exact_percentile(values, q):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@pytest.fixture
def seeded(user, other_user):
    now = timezone.now()
    machine = StateMachine.objects.create(owner=user, name="orders", definition=DEFINITION)
    quiet = StateMachine.objects.create(owner=user, name="quiet", definition=DEFINITION)
    theirs = StateMachine.objects.create(owner=other_user, name="theirs", definition=DEFINITION)
    durations = [200 + 150 * i for i in range(20)]  # 200 … 3,050 ms
    for i, ms in enumerate(durations):
        seed_execution(machine, f"ok-{i}", now - dt.timedelta(hours=2, minutes=i), ms,
                       "SUCCEEDED", fetch_ms=ms // 2, fetch_fails=1 if i % 5 == 0 else 0,
                       retried=1 if i % 5 == 0 else 0)
    for i in range(3):
        seed_execution(machine, f"bad-{i}", now - dt.timedelta(hours=3, minutes=i), 5000,
                       "FAILED", fetch_ms=4000, fetch_fails=1)
    seed_execution(machine, "late", now - dt.timedelta(hours=5), 60000, "TIMED_OUT",
                   fetch_ms=100)
    seed_execution(machine, "stopped", now - dt.timedelta(hours=6), 1000, "ABORTED",
                   fetch_ms=100)
    seed_execution(machine, "busy", now - dt.timedelta(minutes=20), 0, "RUNNING", fetch_ms=0)
    # Three days ago: in 7 d and 30 d only.
    seed_execution(machine, "old", now - dt.timedelta(days=3), 700, "SUCCEEDED", fetch_ms=300)
    seed_execution(quiet, "q", now - dt.timedelta(hours=1, minutes=30), 400, "SUCCEEDED",
                   fetch_ms=100)
    seed_execution(theirs, "t", now - dt.timedelta(hours=1), 400, "FAILED", fetch_ms=100,
                   fetch_fails=1)
    return {"machine": machine, "quiet": quiet, "theirs": theirs, "durations": durations,
            "now": now}


@pytest.mark.django_db
@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_a_machine_report_matches_the_seeded_history(seeded):
    machine, durations = seeded["machine"], seeded["durations"]
    data = monitoring.report(owner_ids=None, machine_id=machine.id, range_key="24h")
    s = data["summary"]
    assert (s["started"], s["succeeded"], s["failed"], s["timed_out"], s["aborted"]) == \
        (26, 20, 3, 1, 1)
    assert s["finished"] == 25
    assert s["failure_rate"] == pytest.approx(4 / 25)
    everything = durations + [5000] * 3 + [60000, 1000]
    for q in (50, 95, 99):
        exact = exact_percentile(everything, q / 100)
        assert abs(s[f"p{q}"] - exact) / exact < 0.1, (q, s[f"p{q}"], exact)
    assert s["mean_ms"] == pytest.approx(sum(everything) / 25)
    # The chart's points add up to the summary, each execution in its own half hour.
    assert sum(p["succeeded"] for p in data["series"]) == 20
    assert sum(p["started"] for p in data["series"]) == 26
    assert len(data["series"]) == 48
    failing = {(r["state_name"], r["failures"]) for r in data["failing_states"]}
    assert failing == {("Fetch", 4 + 3)}  # 4 retried attempts + 3 that failed the execution
    assert [(r["state_name"], r["retries"]) for r in data["retried_states"]] == [("Fetch", 4)]
    slowest = data["slowest_states"]
    assert [r["state_name"] for r in slowest] == ["Fetch", "Store"]
    fetch_exits = [ms // 2 - 1 for ms in durations] + [99, 99]  # entered at 1 ms
    assert slowest[0]["mean_ms"] == pytest.approx(sum(fetch_exits) / len(fetch_exits))
    assert slowest[0]["ms_max"] == max(fetch_exits)
    assert slowest[1]["mean_ms"] == pytest.approx(1)

    week = monitoring.report(owner_ids=None, machine_id=machine.id, range_key="7d")
    assert week["summary"]["succeeded"] == 21 and week["summary"]["started"] == 27
    hour = monitoring.report(owner_ids=None, machine_id=machine.id, range_key="1h")
    assert hour["summary"]["started"] == 1 and hour["summary"]["finished"] == 0
    assert len(hour["series"]) == 12


@pytest.mark.django_db
@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_the_all_machines_report_is_the_owners_own(seeded, user):
    mine = monitoring.report(owner_ids=[user.id], machine_id=None, range_key="24h")["summary"]
    assert (mine["started"], mine["succeeded"], mine["failed"]) == (27, 21, 3)
    everyone = monitoring.report(owner_ids=None, machine_id=None, range_key="24h")["summary"]
    assert (everyone["started"], everyone["failed"]) == (28, 4)
    # A second rollup adds nothing: every start and stop is counted once.
    assert rollup.roll_up() == 0
    again = monitoring.report(owner_ids=[user.id], machine_id=None, range_key="24h")
    assert again["summary"]["started"] == 27


@pytest.mark.django_db
@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_the_pages_show_the_numbers_and_keep_to_their_owner(seeded, user, other_user):
    client = Client()
    client.force_login(user)
    page = client.get(f"/monitoring/{seeded['machine'].id}/?range=24h")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'data-stat="failed">3<', html)
    assert re.search(r'data-stat="failure_rate">16\.0 %<', html)
    assert 'id="monitoring-data"' in html and "monitoring.js" in html
    assert 'aria-current="page">Monitoring<' in html
    assert client.get(f"/monitoring/{seeded['theirs'].id}/").status_code == 404
    everything = client.get("/monitoring/?range=30d").content.decode()
    assert re.search(r'data-stat="started">28<', everything)  # 27 + the one 3 days ago
    assert "theirs" not in everything
    assert client.get("/monitoring/?range=bogus").status_code == 200  # the default range
    assert Client().get("/monitoring/").status_code == 302  # to the login page
