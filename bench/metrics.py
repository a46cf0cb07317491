"""What metrics cost the durable runtime: the Pass-chain benchmark with and without them.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/metrics.py

Uses bench/runtime.py's database (<DATABASE_URL name>_bench, recreated), worker and Pass
chain. Rounds alternate the two variants so both see the same machine load:
  * without: workers started with STEPSTUDIO_METRICS_STEP_LATENCY=false and the rollup's
    index on engine_execution (stop_date) dropped;
  * with: step latency observed and flushed, the index in place, and a scraper thread
    reading /metrics every `--scrape-every` seconds during the run (default 5 s, the
    scheduler's rollup period; Prometheus scrapes every 15 s by default), each scrape
    catching the rollup up: the run pays for reading every history it wrote once more.
Prints transitions/s per round, the medians, and the ratio with/without (the issue's
ceiling: a loss under 5 %, ratio ≥ 0.95).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import runtime as rt  # noqa: E402

INDEX_SQL = ('CREATE INDEX IF NOT EXISTS execution_stop_date ON engine_execution (stop_date) '
             'WHERE stop_date IS NOT NULL')


def scraper(stop: threading.Event, every: float, counts: list) -> None:
    from django.db import connection
    from django.test import Client

    client = Client()
    while not stop.wait(every):
        response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer bench")
        assert response.status_code == 200, response.status_code
        counts.append(1)
    connection.close()


def one_round(owner, with_metrics: bool, args) -> float:
    from django.db import connection

    env = dict(os.environ, STEPSTUDIO_METRICS_STEP_LATENCY="true" if with_metrics else "false")
    with connection.cursor() as cursor:
        cursor.execute(INDEX_SQL if with_metrics else "DROP INDEX IF EXISTS execution_stop_date")
    worker = rt.start_worker(args.processes, env)
    stop, scrapes = threading.Event(), []
    thread = threading.Thread(target=scraper, args=(stop, args.scrape_every, scrapes))
    try:
        rt.bare_chain(args.processes, 50)  # worker ready
        if with_metrics:
            thread.start()
        rate = rt.pass_chain(owner, args.chains, args.states)
    finally:
        stop.set()
        if thread.is_alive():
            thread.join()
        rt.stop_worker(worker)
    return rate, len(scrapes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--chains", type=int, default=40)
    parser.add_argument("--states", type=int, default=100)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--scrape-every", type=float, default=5.0)
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        sys.exit("bench/metrics.py needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    url = rt.bench_database(base)
    rt.recreate_database(url)
    os.environ.update(DATABASE_URL=url, STEPSTUDIO_QUEUE=rt.QUEUE,
                      STEPSTUDIO_METRICS_TOKEN="bench", STEPSTUDIO_METRICS_LAG_SECONDS="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.ALLOWED_HOSTS.append("testserver")
    call_command("migrate", verbosity=0)
    owner, _ = get_user_model().objects.get_or_create(username="bench")
    rates = {False: [], True: []}
    for i in range(args.rounds):
        for with_metrics in ((False, True) if i % 2 == 0 else (True, False)):
            rate, scrapes = one_round(owner, with_metrics, args)
            rates[with_metrics].append(rate)
            print(json.dumps({"round": i, "metrics": with_metrics,
                              "transitions_per_s": round(rate, 1), "scrapes": scrapes}),
                  flush=True)
    without, with_ = statistics.median(rates[False]), statistics.median(rates[True])
    print(json.dumps({"median_without": round(without, 1), "median_with": round(with_, 1),
                      "ratio_with_to_without": round(with_ / without, 3),
                      "ceiling_met": with_ / without >= 0.95}))


if __name__ == "__main__":
    main()
