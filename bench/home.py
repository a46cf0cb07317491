"""The state machines home page at scale: 10,000 machines, 1,000,000 executions (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ss_x .venv/bin/python bench/home.py
    … bench/home.py --machines 10000 --executions 1000000 --repeat 7 [--explain]

Seeds its own database, named after DATABASE_URL's with `_home_bench` appended (created when
missing, reused by later runs that find it seeded to the asked size; --reseed starts over):
one user owning every machine (definitions of 9 states, 0–4 published versions each) and
executions spread over 90 days, denser towards now (about a tenth in the last 24 hours) and
skewed towards a few busy machines; 2 % are RUNNING. Each machine's last-execution pointer is
set as the app keeps it.

Then requests pages through Django's test client (the whole request: middleware, session,
queries, template; no network), as the owner and as a staff member: the first page with each
sort, a later page, a search. One line per page: best and median of --repeat runs after a
warm-up, the number of SQL queries, and the median as a ratio of the 300 ms ceiling
(< 1.00 is within it). --explain prints the plans of the page's queries.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")

CEILING_MS = 300
OWNER = "bench-owner"
STAFF = "bench-staff"
DEFINITION = {
    "Comment": "A job poller as the benchmark's definition (9 states)",
    "StartAt": "Submit",
    "States": {
        "Submit": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "submit", "Payload.$": "$"},
                   "OutputPath": "$.Payload", "Next": "Wait"},
        "Wait": {"Type": "Wait", "SecondsPath": "$.waitSeconds", "Next": "Check"},
        "Check": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "check", "Payload.$": "$"},
                  "OutputPath": "$.Payload",
                  "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 3}],
                  "Next": "Done?"},
        "Done?": {"Type": "Choice", "Choices": [
            {"Variable": "$.status", "StringEquals": "DONE", "Next": "Fan out"},
            {"Variable": "$.status", "StringEquals": "FAILED", "Next": "Failed"}],
            "Default": "Wait"},
        "Fan out": {"Type": "Parallel", "Next": "Succeeded", "Branches": [
            {"StartAt": "Notify", "States": {"Notify": {"Type": "Pass", "End": True}}},
            {"StartAt": "Archive", "States": {"Archive": {"Type": "Pass", "End": True}}}]},
        "Failed": {"Type": "Fail", "Error": "JobFailed", "Cause": "the job failed"},
        "Succeeded": {"Type": "Succeed"},
    },
}
RUN_DEFINITION = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
# Executions per INSERT … SELECT statement.
CHUNK = 100_000
SPREAD_DAYS = 90


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (its database name is the prefix of "
                 "the benchmark's own database).")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    return urlunsplit(parts._replace(path=f"/{name}_home_bench"))


def create_database(url: str, fresh: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", flush=True)


def setup(machines: int, executions: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from engine.models import Execution, StateMachine

    call_command("migrate", verbosity=0)
    have_machines = StateMachine.objects.filter(owner__username=OWNER).count()
    have = Execution.objects.filter(state_machine__owner__username=OWNER).count()
    if have_machines == machines and have == executions:
        print(f"reusing {have_machines} machines and {have} executions", flush=True)
        return
    if have_machines or have:
        sys.exit(f"the benchmark database holds {have_machines} machines and {have} executions, "
                 f"not {machines} / {executions}: run with --reseed")
    seed(machines, executions)


def seed(machines: int, executions: int) -> None:
    import json

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from engine.machines.definition_stats import count_states
    from engine.machines.rollups import refresh_last_execution
    from engine.models import StateMachine

    started = time.monotonic()
    users = get_user_model().objects
    owner, _ = users.get_or_create(username=OWNER)
    users.get_or_create(username=STAFF, defaults={"is_staff": True})
    print(f"seeding {machines} machines …", flush=True)
    with transaction.atomic(), connection.cursor() as cursor:
        # Names sort in another order than ids; a tenth are EXPRESS; updated over 180 days.
        cursor.execute("""
            INSERT INTO engine_statemachine (owner_id, name, type, definition, description,
                created, updated, states_count, definition_text, region, revision_id,
                role_arn, tags)
            SELECT %(owner)s, 'machine-' || md5(n::text) || '-' || n,
                   CASE WHEN n %% 10 = 0 THEN 'EXPRESS' ELSE 'STANDARD' END,
                   %(definition)s::json, '', now() - interval '200 days',
                   now() - random() * interval '180 days', %(states)s, %(definition)s,
                   'us-east-1', '', '', '{}'::json
            FROM generate_series(1, %(count)s) AS n
        """, {"owner": owner.pk, "definition": json.dumps(DEFINITION), "count": machines,
              "states": count_states(DEFINITION)})
        cursor.execute("""
            INSERT INTO engine_statemachineversion (state_machine_id, version, description,
                definition, created, definition_text, revision_id, role_arn)
            SELECT m.id, v, '', %(definition)s::json, now() - interval '100 days',
                   %(definition)s, '', ''
            FROM engine_statemachine m
            CROSS JOIN LATERAL generate_series(1, (m.id %% 5)::int) AS v
            WHERE m.owner_id = %(owner)s
        """, {"owner": owner.pk, "definition": json.dumps(DEFINITION)})
    ids = list(StateMachine.objects.filter(owner=owner).order_by("id")
               .values_list("id", flat=True))
    for low in range(0, executions, CHUNK):
        high = min(low + CHUNK, executions)
        with transaction.atomic(), connection.cursor() as cursor:
            # Machine: index ids[floor(count * r^3)] (a few busy machines, a long tail);
            # start: now - 90 days * r^2 (denser towards now).
            cursor.execute("""
                WITH g AS (
                    SELECT n, gen_random_uuid() AS id,
                           (%(ids)s::bigint[])[1 + floor(%(count)s * random() ^ 3)::int] AS sm,
                           now() - (random() ^ 2) * make_interval(days => %(days)s) AS start,
                           random() AS r
                    FROM generate_series(%(low)s, %(high)s - 1) AS n
                )
                INSERT INTO engine_execution (id, state_machine_id, name, status, input, output,
                    error, cause, definition, start_date, stop_date, redrive_count, seq,
                    parent_call, parent_state, parent_pattern, parent_token, parent_notified,
                    alias_name)
                SELECT id, sm, id::text,
                       CASE WHEN r < 0.02 THEN 'RUNNING' WHEN r < 0.12 THEN 'FAILED'
                            WHEN r < 0.14 THEN 'TIMED_OUT' WHEN r < 0.16 THEN 'ABORTED'
                            ELSE 'SUCCEEDED' END,
                       json_build_object('waitSeconds', n %% 10),
                       CASE WHEN r >= 0.16 THEN json_build_object('ok', n) END,
                       CASE WHEN r >= 0.02 AND r < 0.12 THEN 'JobFailed' ELSE '' END, '',
                       %(definition)s::json, start,
                       CASE WHEN r >= 0.02 THEN start + interval '3 seconds' END, 0, 5,
                       '', '', '', '', false, ''
                FROM g
            """, {"ids": ids, "count": len(ids), "days": SPREAD_DAYS, "low": low,
                  "high": high, "definition": json.dumps(RUN_DEFINITION)})
        print(f"  {high}/{executions} executions", flush=True)
    refresh_last_execution(StateMachine.objects.filter(owner=owner))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE engine_execution")
        cursor.execute("VACUUM ANALYZE engine_statemachine")
        cursor.execute("VACUUM ANALYZE engine_statemachineversion")
    print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)


def pages() -> list[tuple[str, str, str]]:
    from engine.machines.queries import SORTS

    out = [(OWNER, "first page (default: by name)", "/"),
           (OWNER, "/state-machines/ page 2", "/state-machines/?page=2"),
           (OWNER, "page 200", "/state-machines/?page=200"),
           (OWNER, "search 'abc'", "/state-machines/?q=abc"),
           (OWNER, "search, no match", "/state-machines/?q=zzzz")]
    for key, sort in SORTS.items():
        if sort.staff_only:
            continue
        first = "-" if sort.descending_first else ""
        out.append((OWNER, f"sorted by {sort.label.lower()}", f"/?sort={first}{key}"))
    out += [(STAFF, "staff: first page (owner column)", "/"),
            (STAFF, "staff: sorted by owner", "/?sort=owner")]
    return out


def measure(repeat: int, explain: bool) -> list[tuple]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for username in (OWNER, STAFF):
        client = Client(SERVER_NAME="localhost")
        client.force_login(get_user_model().objects.get(username=username))
        clients[username] = client
    results = []
    for who, label, url in pages():
        client = clients[who]
        with CaptureQueriesContext(connection) as captured:  # warm-up, and the query count
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
        queries = len(captured)
        if explain:
            print_plans(label, captured.captured_queries)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        results.append((label, min(times), median, queries, median / CEILING_MS))
        print(f"{label:36} best {min(times):7.1f} ms  median {median:7.1f} ms  "
              f"{queries:2d} queries  ratio {median / CEILING_MS:.2f}", flush=True)
    return results


def print_plans(label: str, captured) -> None:
    from django.db import connection

    print(f"--- {label}", flush=True)
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if "engine_" not in sql:
                continue  # session and user lookups
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, SUMMARY ON) " + sql)
            print("\n".join(row[0] for row in cursor.fetchall()), flush=True)
            print(flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--machines", type=int, default=10_000)
    parser.add_argument("--executions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reseed", action="store_true", help="drop and seed the database again")
    parser.add_argument("--explain", action="store_true", help="print the queries' plans")
    args = parser.parse_args()
    url = bench_database_url()
    create_database(url, fresh=args.reseed)
    os.environ["DATABASE_URL"] = url
    print(f"database {urlsplit(url).path.lstrip('/')}", flush=True)
    setup(args.machines, args.executions)
    with_load = os.getloadavg()[0]
    results = measure(args.repeat, args.explain)
    worst = max(results, key=lambda r: r[4])
    first = results[0]
    print(f"\nfirst page: median {first[2]:.1f} ms, {first[3]} queries, ratio to the "
          f"{CEILING_MS} ms ceiling {first[4]:.2f}; slowest: {worst[0]} ({worst[4]:.2f}); "
          f"load average {with_load:.2f}", flush=True)


if __name__ == "__main__":
    main()
