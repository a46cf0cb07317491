"""What keeps the rollup cheap and bounded: the history columns it reads instead of the
JSON, its budget of events per period, and the pruning of old buckets."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from engine import services
from engine.metrics import monitoring, rollup
from engine.models import (Execution, ExecutionBucket, Granularity, HistoryEvent,
                           MetricTotal, RollupState, StateBucket, StateMachine)
from engine.runtime import history

from .test_monitoring import DEFINITION, seed_execution

FAILING = {"StartAt": "Prepare", "States": {
    "Prepare": {"Type": "Pass", "Next": "Give up"},
    "Give up": {"Type": "Fail", "Error": "Orders.Rejected", "Cause": "no stock"}}}


def test_labels_name_the_entered_state_and_the_failure():
    assert history.labels("TaskStateEntered",
                          {"stateEnteredEventDetails": {"name": "Fetch", "input": "{}"}}) == \
        ("Fetch", None)
    assert history.labels("LambdaFunctionFailed",
                          {"lambdaFunctionFailedEventDetails": {"error": "Boom"}}) == \
        (None, "Boom")
    assert history.labels("ExecutionTimedOut", {"executionTimedOutEventDetails": {}}) == \
        (None, None)
    assert history.labels("TaskStateExited",
                          {"stateExitedEventDetails": {"name": "Fetch"}}) == (None, None)


@pytest.mark.django_db
def test_the_runtime_writes_the_state_names_and_errors_with_the_rows(user):
    machine = StateMachine.objects.create(owner=user, name="orders", definition=FAILING)
    ex = services.start_execution(machine, {"order": 1})
    assert ex.status == "FAILED"
    rows = list(HistoryEvent.objects.filter(execution=ex).order_by("seq")
                .values_list("type", "state_name", "error"))
    assert rows == [("ExecutionStarted", None, None), ("PassStateEntered", "Prepare", None),
                    ("PassStateExited", None, None), ("FailStateEntered", "Give up", None),
                    ("ExecutionFailed", None, "Orders.Rejected")]


def _reset_rollup():
    RollupState.objects.all().delete()
    ExecutionBucket.objects.all().delete()
    StateBucket.objects.all().delete()
    MetricTotal.objects.all().delete()


def _seed(machine, now, n=6):
    for i in range(n):
        seed_execution(machine, f"e{i}", now - dt.timedelta(hours=2, minutes=i), 400 + 100 * i,
                       "FAILED" if i == 0 else "SUCCEEDED", fetch_ms=200,
                       fetch_fails=1, retried=0 if i == 0 else 1)


@pytest.mark.django_db
@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_the_rollup_reads_the_columns_and_counts_as_from_the_json(user):
    machine = StateMachine.objects.create(owner=user, name="orders", definition=DEFINITION)
    _seed(machine, timezone.now())
    # Rows written as a seeder writes them (no columns): the rollup reads the details.
    from_json = monitoring.report(owner_ids=None, machine_id=machine.id, range_key="24h")
    assert {r["state_name"] for r in from_json["slowest_states"]} == {"Fetch", "Store"}
    assert from_json["failing_states"][0]["state_name"] == "Fetch"

    # As the runtime writes them: the columns filled and, to show they are what is read,
    # the names and errors gone from the details.
    _reset_rollup()
    for row in HistoryEvent.objects.all():
        name, error = history.labels(row.type, row.details)
        if row.type.endswith("StateEntered"):
            name = name or row.details["stateEnteredEventDetails"]["name"]
        HistoryEvent.objects.filter(id=row.id).update(
            state_name=name, error=error,
            details={"stateEnteredEventDetails": {}} if name else row.details)
    from_columns = monitoring.report(owner_ids=None, machine_id=machine.id, range_key="24h")
    for key in ("summary", "series", "failing_states", "retried_states", "slowest_states"):
        assert from_columns[key] == from_json[key], key


def _state_rows(machine):
    return sorted(StateBucket.objects.filter(state_machine=machine, granularity=Granularity.HOUR)
                  .values_list("state_name", "entered", "exits", "failures", "retries"))


@pytest.mark.django_db
@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_a_history_is_read_up_to_where_its_execution_stopped_gap_or_not(user):
    machine = StateMachine.objects.create(owner=user, name="orders", definition=DEFINITION)
    now = timezone.now()
    executions = [seed_execution(machine, f"e{i}", now - dt.timedelta(hours=2, minutes=i), 500,
                                 "SUCCEEDED", fetch_ms=200, fetch_fails=1, retried=1)
                  for i in range(3)]
    rollup.roll_up()
    whole = _state_rows(machine)
    assert whole == [("Fetch", 3, 3, 3, 3), ("Store", 3, 3, 0, 0)]

    # Events past an execution's seq (a redrive appending while the pass reads) are not
    # its stopped run's: they are left for when it stops again.
    _reset_rollup()
    later = executions[1]
    HistoryEvent.objects.create(execution=later, seq=later.seq + 1, previous_event_id=later.seq,
                                type="PassStateEntered", timestamp=later.stop_date,
                                details={"stateEnteredEventDetails": {"name": "Again"}},
                                state_name="Again")
    rollup.roll_up()
    assert _state_rows(machine) == whole

    # A history with a gap (a row gone) is still read, each row under its own execution:
    # the others' counts are untouched.
    _reset_rollup()
    HistoryEvent.objects.filter(execution=executions[0], type="PassStateExited").delete()
    rollup.roll_up()
    assert _state_rows(machine) == [("Fetch", 3, 3, 3, 3), ("Store", 3, 2, 0, 0)]


@pytest.mark.django_db(transaction=True)
@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_passes_racing_in_many_threads_count_each_start_and_stop_once(user):
    machine = StateMachine.objects.create(owner=user, name="orders", definition=DEFINITION)
    now = timezone.now()
    for i in range(12):  # across hours, so the catch-up takes several windows
        seed_execution(machine, f"e{i}", now - dt.timedelta(hours=2 + i * 3), 400, "SUCCEEDED",
                       fetch_ms=200)
    counted, errors = [], []

    def racer():
        try:
            for _ in range(50):
                counted.append(rollup.roll_up(max_passes=1))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    rollup.roll_up()
    assert sum(counted) == 24  # 12 starts and 12 stops, each once, whoever counted it
    totals = dict(MetricTotal.objects.filter(state_machine=machine)
                  .values_list("key", "value"))
    assert totals["ExecutionsStarted"] == 12 and totals["ExecutionsSucceeded"] == 12
    entered = {}
    for name, count, *_ in _state_rows(machine):
        entered[name] = entered.get(name, 0) + count
    assert entered == {"Fetch": 12, "Store": 12}


@pytest.mark.django_db
@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0, STEPSTUDIO_METRICS_ROLLUP_EVENTS=20,
                   STEPSTUDIO_METRICS_ROLLUP_PERIOD_SECONDS=60)
def test_a_budgeted_rollup_stops_at_its_budget_and_goes_on_in_the_next_period(user):
    machine = StateMachine.objects.create(owner=user, name="orders", definition=DEFINITION)
    now = timezone.now()
    _seed(machine, now)
    per_history = max(Execution.objects.values_list("seq", flat=True))
    assert per_history <= 20  # so the budget is spent after a few stops, not one

    counted = rollup.roll_up(budgeted=True)
    state = RollupState.objects.get()
    assert state.period_events <= 20 + per_history
    stops_counted = Execution.objects.filter(stop_date__lt=state.watermark).count()
    assert 1 <= stops_counted < 6
    # The same period: spent, nothing more (pages and scrapes show what is counted).
    assert rollup.roll_up(budgeted=True) == 0
    assert RollupState.objects.get().watermark == state.watermark

    # Each new period takes the rollup further, until it has caught up.
    for _ in range(20):
        RollupState.objects.update(period_start=timezone.now() - dt.timedelta(minutes=2))
        counted += rollup.roll_up(budgeted=True)
    assert counted == 12  # 6 starts and 6 stops, each once
    budgeted = monitoring.report(owner_ids=None, machine_id=machine.id, range_key="24h")

    # The same numbers as one unbudgeted catch-up.
    _reset_rollup()
    assert rollup.roll_up() == 12
    plain = monitoring.report(owner_ids=None, machine_id=machine.id, range_key="24h")
    for key in ("summary", "series", "failing_states", "retried_states", "slowest_states"):
        assert budgeted[key] == plain[key], key


def _bucket(model, owner, machine, grain, when, **extra):
    if model is StateBucket:
        return StateBucket.objects.create(owner=owner, state_machine=machine, granularity=grain,
                                          bucket=when, state_name="Fetch", entered=1)
    return ExecutionBucket.objects.create(owner=owner, state_machine=machine, granularity=grain,
                                          bucket=when, started=1)


@pytest.mark.django_db
@pytest.mark.parametrize("model", [ExecutionBucket, StateBucket])
def test_buckets_past_their_retention_are_pruned_in_batches(user, model, monkeypatch):
    machine = StateMachine.objects.create(owner=user, name="orders", definition=DEFINITION)
    now = rollup.floor(timezone.now(), 86400)
    days = lambda n: now - dt.timedelta(days=n)  # noqa: E731
    year_old = _bucket(model, user, machine, Granularity.DAY, days(399)).id
    kept = {_bucket(model, user, machine, Granularity.HOUR, days(29)).id, year_old,
            _bucket(model, user, machine, Granularity.DAY, days(31)).id}
    old_fine = {_bucket(model, user, machine, grain, days(31 + i)).id
                for i in range(3) for grain in (Granularity.FIVE_MINUTES, Granularity.HOUR)}
    old_daily = {_bucket(model, user, machine, Granularity.DAY, days(401 + i)).id
                 for i in range(3)}
    monkeypatch.setattr(rollup, "PRUNE_BATCH", 2)

    assert rollup.prune(now) == 4  # two of each kind a pass
    left = set(model.objects.values_list("id", flat=True))
    assert kept <= left and len(left & old_fine) == 4 and len(left & old_daily) == 1
    while rollup.prune(now):
        pass
    assert set(model.objects.values_list("id", flat=True)) == kept

    with override_settings(STEPSTUDIO_METRICS_RETENTION_DAYS=0):  # daily rows kept forever
        forever = _bucket(model, user, machine, Granularity.DAY, days(1000)).id
        assert rollup.prune(now) == 0
    with override_settings(STEPSTUDIO_METRICS_RETENTION_DAYS=5):  # never under 31 days
        assert rollup.prune(now) == 2
    assert set(model.objects.values_list("id", flat=True)) == kept - {year_old}


@pytest.mark.django_db
@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_a_rollup_pass_prunes_from_its_watermark(user):
    machine = StateMachine.objects.create(owner=user, name="orders", definition=DEFINITION)
    now = timezone.now()
    stale = _bucket(ExecutionBucket, user, machine, Granularity.FIVE_MINUTES,
                    rollup.floor(now - dt.timedelta(days=40), 300))
    seed_execution(machine, "e", now - dt.timedelta(hours=1), 500, "SUCCEEDED", fetch_ms=100)
    assert rollup.roll_up() == 2
    assert not ExecutionBucket.objects.filter(id=stale.id).exists()
    assert ExecutionBucket.objects.filter(state_machine=machine, started=1).count() == 3


@pytest.mark.django_db
def test_event_milliseconds_are_the_exact_rounding_of_their_microseconds():
    """The rollup's integer epoch milliseconds (a float's microseconds, rounded) against
    PostgreSQL's exact numeric ones, at the half-millisecond boundaries and far dates."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's expression")
    base = dt.datetime(2026, 12, 6, 19, 54, 24, tzinfo=dt.timezone.utc)
    stamps = [base + dt.timedelta(microseconds=us) for us in
              (0, 1, 499, 500, 501, 999, 1500, 2500, 123_456_500, 86_399_999_500)]
    stamps += [dt.datetime(y, 1, 1, 0, 0, 0, us, tzinfo=dt.timezone.utc)
               for y in (1971, 2000, 2038, 2099) for us in (499, 500, 501, 999_500)]
    expression = rollup._EVENTS_SQL.split("\n")[2].strip().rstrip(",").replace("h.", "")
    with connection.cursor() as cursor:
        for ts in stamps:
            cursor.execute(f"SELECT {expression}, (EXTRACT(EPOCH FROM timestamp) * 1000)::bigint "
                           "FROM (SELECT %s::timestamptz AS timestamp) AS t", [ts])
            fast, exact = cursor.fetchone()
            assert fast == exact, ts
