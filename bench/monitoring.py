"""The monitoring pages at 1,000,000 executions on PostgreSQL, against a 500 ms ceiling.

    DATABASE_URL=postgres://… .venv/bin/python bench/monitoring.py [--repeat 5] [--reseed]

Seeds its own database (DATABASE_URL's name + `_monitoring_bench`, created when missing,
reused afterwards): one user owning 20 machines and `--executions` (1,000,000) executions
over the last 30 days, denser towards now and skewed towards the first machines, each with
a history like a Task-then-Pass machine writes (9 events; the failed ones fail in the Task
after one retried failure), 75 % succeeded, 15 % failed, 5 % timed out, 4 % aborted, 1 %
running. Then catches the metrics rollup up (timed and reported: it is the one-off cost of
turning metrics on over an existing history; afterwards the scheduler keeps it current),
and requests the pages through Django's test client as the owner (whole request: session,
rollup check, queries, template): best and median of `--repeat` after a warm-up, and the
median's ratio to 500 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
CEILING_MS = 500.0
MACHINES = 20

SEED_SQL = """
WITH g AS (
    SELECT n, gen_random_uuid() AS id,
           now() - interval '30 days' * power(random(), 2) - interval '1 minute' AS start_date,
           exp(ln(50) + random() * ln(12000)) AS ms,
           CASE WHEN n %% 100 < 75 THEN 'SUCCEEDED' WHEN n %% 100 < 90 THEN 'FAILED'
                WHEN n %% 100 < 95 THEN 'TIMED_OUT' WHEN n %% 100 < 99 THEN 'ABORTED'
                ELSE 'RUNNING' END AS status
    FROM generate_series(%(low)s, %(high)s - 1) AS n
), ins AS (
    INSERT INTO engine_execution (id, state_machine_id, name, status, input, output, error,
        cause, definition, start_date, stop_date, redrive_count, seq, parent_call,
        parent_state, parent_pattern, parent_token, parent_notified, alias_name)
    SELECT id, (%(machines)s::bigint[])[1 + floor(power(random(), 2) * %(count)s)::int],
           id::text, status, '{}'::json, NULL, '', '', %(definition)s::json, start_date,
           CASE WHEN status <> 'RUNNING'
                THEN start_date + ms * interval '1 millisecond' END,
           0, CASE WHEN status = 'FAILED' THEN 9 WHEN status = 'RUNNING' THEN 4 ELSE 9 END,
           '', '', '', '', false, ''
    FROM g
    RETURNING id, status, start_date, stop_date, seq
)
INSERT INTO engine_historyevent (execution_id, seq, previous_event_id, type, timestamp,
                                 state_name, details)
SELECT ins.id, s, CASE WHEN s <= 2 THEN 0 ELSE s - 1 END, t.type,
       ins.start_date + (coalesce(ins.stop_date, now()) - ins.start_date) * (s - 1) / 8.0,
       CASE t.type WHEN 'TaskStateEntered' THEN 'Fetch' WHEN 'PassStateEntered' THEN 'Store' END,
       (CASE WHEN t.type = 'TaskStateEntered'
             THEN '{"stateEnteredEventDetails": {"name": "Fetch", "input": "{}"}}'
             WHEN t.type = 'PassStateEntered'
             THEN '{"stateEnteredEventDetails": {"name": "Store", "input": "{}"}}'
             ELSE '{}' END)::json
FROM ins
CROSS JOIN LATERAL generate_series(1, ins.seq) AS s
CROSS JOIN LATERAL (SELECT CASE
    WHEN ins.status = 'FAILED' THEN (ARRAY['ExecutionStarted', 'TaskStateEntered',
        'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed',
        'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed',
        'ExecutionFailed'])[s]
    ELSE (ARRAY['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled',
        'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited',
        'PassStateEntered', 'PassStateExited',
        CASE ins.status WHEN 'SUCCEEDED' THEN 'ExecutionSucceeded'
             WHEN 'TIMED_OUT' THEN 'ExecutionTimedOut' ELSE 'ExecutionAborted' END])[s]
    END AS type) AS t
"""
DEFINITION = {"StartAt": "Fetch", "States": {
    "Fetch": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:f",
              "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}], "Next": "Store"},
    "Store": {"Type": "Pass", "End": True}}}


def bench_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_monitoring_bench"))


def ensure_database(url: str, reseed: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reseed:
            c.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or reseed:
            c.execute(f'CREATE DATABASE "{name}"')


def seed(owner, executions: int) -> None:
    from django.db import connection, transaction

    from engine.models import Execution, StateMachine

    have = Execution.objects.filter(state_machine__owner=owner).count()
    if have >= executions:
        print(f"reusing {have} executions", flush=True)
        return
    machines = [StateMachine.objects.get_or_create(
        owner=owner, name=f"busy-{i:02d}", defaults={"definition": DEFINITION})[0].id
        for i in range(MACHINES)]
    started = time.monotonic()
    for low in range(have, executions, 20_000):
        high = min(low + 20_000, executions)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(SEED_SQL, {"low": low, "high": high, "machines": machines,
                                      "count": MACHINES, "definition": json.dumps(DEFINITION)})
        print(f"  seeded {high}/{executions}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE engine_execution")
        cursor.execute("ANALYZE engine_historyevent")
    print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)


def timed(client, url: str, repeat: int) -> tuple[float, float]:
    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return min(times), statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/monitoring.py needs DATABASE_URL (PostgreSQL)")
    url = bench_url(base)
    ensure_database(url, args.reseed)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from engine.metrics import rollup
    from engine.models import StateMachine

    settings.ALLOWED_HOSTS.append("testserver")
    call_command("migrate", verbosity=0)
    owner, _ = get_user_model().objects.get_or_create(username="monitoring-bench")
    seed(owner, args.executions)
    began = time.monotonic()
    counted = rollup.roll_up(max_passes=10_000)
    print(f"rollup caught up: {counted} starts and stops in {time.monotonic() - began:.0f} s",
          flush=True)

    client = Client()
    client.force_login(owner)
    busiest = StateMachine.objects.get(owner=owner, name="busy-00")
    rows = []
    for label, path in (("all machines", "/monitoring/"),
                        ("busiest machine", f"/monitoring/{busiest.id}/")):
        for key in ("1h", "24h", "7d", "30d"):
            best, median = timed(client, f"{path}?range={key}", args.repeat)
            rows.append((f"{label}, {key}", best, median))
            print(json.dumps({"page": f"{label}, {key}", "best_ms": round(best, 1),
                              "median_ms": round(median, 1),
                              "ratio_to_500ms": round(median / CEILING_MS, 3)}), flush=True)
    print("\n| page | best (ms) | median (ms) | ratio to 500 ms |\n| --- | ---: | ---: | ---: |")
    for page, best, median in rows:
        print(f"| {page} | {best:.1f} | {median:.1f} | {median / CEILING_MS:.2f} |")


if __name__ == "__main__":
    main()
