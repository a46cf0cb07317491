"""Admin change lists at scale: 100,000 executions and 1,000,000 history events (PostgreSQL).

    DATABASE_URL=postgres://…/stepstudio_admin_bench .venv/bin/python bench/admin.py
    … bench/admin.py --executions 100000 --events 1000000 --repeat 5

Migrates the database DATABASE_URL names (use one for benchmarks: rows are added to it),
tops it up with `manage.py seed_records` to the asked numbers of executions and events
(reused by later runs), then times admin pages requested by a logged-in staff member
through Django's test client (the whole request: middleware, queries, templates; no
network). One line per page: best and median of --repeat runs after a warm-up, and the
number of SQL queries. The target is under one second for every change list.

--with-start-date-index measures a second time with the index on Execution(start_date, id)
that engine/admin asks for (it serves the list's ORDER BY start_date DESC, id DESC and the
date hierarchy's MIN/MAX), created for the run and dropped after it.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")

TARGET_MS = 1000


def setup(executions: int, events: int) -> None:
    import django

    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database for the benchmark.")
    django.setup()
    from django.core.management import call_command

    from engine.models import Execution, HistoryEvent

    call_command("migrate", verbosity=0)
    have = Execution.objects.count()
    have_events = HistoryEvent.objects.count()
    if have < executions:
        missing = executions - have
        print(f"seeding {missing} executions, {max(0, events - have_events)} events …",
              flush=True)
        call_command("seed_records", executions=missing, events=max(0, events - have_events))
    else:
        print(f"reusing {have} executions and {have_events} events", flush=True)


def pages() -> list[tuple[str, str]]:
    from engine.models import Execution, HistoryEvent, StateMachine

    # Pick real rows for the per-row pages; the newest by start_date is the list's first row.
    machine = StateMachine.objects.filter(name="seed-03").first() or StateMachine.objects.first()
    one = Execution.objects.order_by("start_date").only("id", "name").first()
    last_event = HistoryEvent.objects.order_by("-id").only("id").first()
    ex = "/admin/engine/execution/"
    ev = "/admin/engine/historyevent/"
    return [
        ("executions: list", ex),
        ("executions: page 2", ex + "?p=2"),
        ("executions: page 1000", ex + "?p=1000"),
        ("executions: status FAILED", ex + "?status__exact=FAILED"),
        ("executions: one machine", ex + f"?state_machine={machine.pk}"),
        ("executions: type EXPRESS", ex + "?state_machine__type__exact=EXPRESS"),
        ("executions: year (date hierarchy)", ex + "?start_date__year=2026"),
        ("executions: search 'Error3'", ex + "?q=Error3"),
        ("executions: search by id", ex + f"?q={one.pk}"),
        ("execution: change page", ex + f"{one.pk}/change/"),
        ("events: list", ev),
        ("events: page 2", ev + "?p=2"),
        ("events: one execution", ev + f"?execution={one.pk}"),
        ("events: type ExecutionFailed", ev + "?type=ExecutionFailed"),
        ("events: kind … TimedOut", ev + "?kind=timed_out"),
        ("events: one machine", ev + f"?state_machine={machine.pk}"),
        ("events: past 7 days", ev + "?timestamp__gte=" + _days_ago(7)),
        ("events: search by execution id", ev + f"?q={one.pk}"),
        ("event: change page", ev + f"{last_event.pk}/change/"),
    ]


def _days_ago(days: int) -> str:
    from urllib.parse import quote

    from django.utils import timezone

    return quote((timezone.now() - timezone.timedelta(days=days)).isoformat())


def measure(repeat: int) -> list[tuple[str, float, float, int]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    staff, _ = get_user_model().objects.get_or_create(username="bench-staff",
                                                      defaults={"is_staff": True})
    client = Client(SERVER_NAME="localhost")
    client.force_login(staff)
    results = []
    for label, url in pages():
        with CaptureQueriesContext(connection) as captured:  # warm-up, and the query count
            response = client.get(url)
        # Now: the next request's request_started signal clears the connection's query log.
        queries = len(captured)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        results.append((label, min(times), statistics.median(times), queries))
        print(f"{label:38} best {min(times):7.1f} ms  median {statistics.median(times):7.1f} ms"
              f"  {queries:2d} queries", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executions", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--with-start-date-index", action="store_true")
    args = parser.parse_args()
    setup(args.executions, args.events)
    report(measure(args.repeat))
    if args.with_start_date_index:
        from django.db import connection

        print("\nwith an index on engine_execution (start_date, id):", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {BENCH_INDEX} ON engine_execution (start_date, id)")
            cursor.execute("ANALYZE engine_execution")
        try:
            report(measure(args.repeat))
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP INDEX IF EXISTS {BENCH_INDEX}")


BENCH_INDEX = "bench_admin_execution_start_date"


def report(results) -> None:
    slow = [label for label, _, median, _ in results if median >= TARGET_MS]
    print(f"load average {os.getloadavg()[0]:.1f}; "
          + (f"over {TARGET_MS} ms: {', '.join(slow)}" if slow else
             f"every page under {TARGET_MS} ms (median)"), flush=True)


if __name__ == "__main__":
    main()
