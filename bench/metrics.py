"""What metrics cost the durable runtime: the Pass-chain benchmark with and without them.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/metrics.py

Uses bench/runtime.py's database (<DATABASE_URL name>_bench, recreated), worker and Pass
chain. Rounds alternate the two variants so both see the same machine load:
  * without: workers started with STEPSTUDIO_METRICS_STEP_LATENCY=false and the rollup's
    index on engine_execution (stop_date) dropped;
  * with: step latency observed and flushed, the index in place, and a scraper thread
    reading /metrics every `--scrape-every` seconds during the run (default 5 s, the
    scheduler's rollup period; Prometheus scrapes every 15 s by default), each scrape
    running the rollup (within its budget of events per period) beside the burst: the
    run pays for reading the histories it wrote once more.
The burst must outlast several scrape periods for the rollup to run beside it: with the
default 600 executions of 100 states a round lasts 15 s on an idle 2-core machine (a
40-execution round is over in one second, before the first scrape). Prints per round
transitions/s, scrapes, how many stopped executions and seconds the rollup's watermark was
behind when the burst ended (caught up right after it, in the same accounting: the CPU
figures hold all of a round's rollup work, the throughput only what ran beside the burst),
the load average; then medians, spread and the ratio with/without (the issue's ceiling: a
loss under 5 %, ratio ≥ 0.95). On a machine busy with other work the throughput of single
rounds swings by tens of percent; the CPU per transition, which on saturated cores is what
throughput is the inverse of, is the steadier figure; and the rollup's own CPU over the
runtime's in the same rounds (rollup_cpu_share) is the most direct one.
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


def _backend_cpu(pid: int) -> float:
    """CPU seconds a local PostgreSQL backend has used (its /proc entry)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                out.append(int(entry.name))
    return out


def runtime_cpu(worker_pid: int, scraper_backend: int | None) -> dict[int, float]:
    """CPU seconds so far of the worker's processes and of the bench database's other
    backends (the workers' persistent connections), by pid."""
    from django.db import connection

    pids = [worker_pid, *_children(worker_pid)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        pids += [pid for (pid,) in cursor.fetchall() if pid != scraper_backend]
    return {pid: _backend_cpu(pid) for pid in pids}


def scraper(stop: threading.Event, every: float, counts: list, cpu: dict) -> None:
    """Scrape every `every` seconds; the CPU the scrapes took, in this thread and in its
    PostgreSQL backend, goes into `cpu` (what the rollup beside the burst costs)."""
    from django.db import connection
    from django.test import Client

    from engine.metrics import rollup

    client = Client()
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cpu["backend"] = cursor.fetchone()[0]
    # A first request imports and sets up what a running server has long had (half a
    # second of CPU): not a cost of the burst.
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer bench").status_code == 200
    thread0, db0 = time.thread_time(), _backend_cpu(backend)
    while not stop.wait(every):
        response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer bench")
        assert response.status_code == 200, response.status_code
        counts.append(1)
    # What the scrapes left behind (the burst's last seconds, or more once the budget
    # held the watermark back) is this round's rollup work too: caught up here, after the
    # burst, so it counts in the CPU figures though not in the throughput.
    cpu["stops_behind_at_end"], cpu["watermark_at_end"] = _stops_after_watermark()
    rollup.roll_up()
    cpu["scrape_cpu_s"] = round(time.thread_time() - thread0, 2)
    cpu["scrape_db_cpu_s"] = round(_backend_cpu(backend) - db0, 2)
    connection.close()


def _stops_after_watermark() -> int:
    from engine.models import Execution, RollupState

    watermark = RollupState.objects.values_list("watermark", flat=True).first()
    stops = Execution.objects.filter(stop_date__isnull=False)
    return (stops.filter(stop_date__gte=watermark) if watermark else stops).count(), watermark


def one_round(owner, with_metrics: bool, args) -> tuple[float, dict]:
    from django.db import connection

    # Persistent connections (both variants), so the workers' PostgreSQL backends live as
    # long as the round and their CPU can be read.
    env = dict(os.environ, STEPSTUDIO_METRICS_STEP_LATENCY="true" if with_metrics else "false",
               CONN_MAX_AGE="600")
    with connection.cursor() as cursor:
        cursor.execute(INDEX_SQL if with_metrics else "DROP INDEX IF EXISTS execution_stop_date")
    from django.utils import timezone

    from engine.metrics import rollup

    rollup.roll_up()  # the previous round's executions: not this round's work
    worker = rt.start_worker(args.processes, env)
    stop, scrapes, cpu = threading.Event(), [], {}
    thread = threading.Thread(target=scraper, args=(stop, args.scrape_every, scrapes, cpu))
    try:
        rt.bare_chain(args.processes, 50)  # worker ready
        if with_metrics:
            thread.start()
        began = time.monotonic()
        cpu0 = runtime_cpu(worker.pid, None)
        rate = rt.pass_chain(owner, args.chains, args.states)
        ended, took = timezone.now(), time.monotonic() - began
        if with_metrics:
            time.sleep(0.2)  # the scraper's backend pid
        cpu1 = runtime_cpu(worker.pid, cpu.get("backend"))
    finally:
        stop.set()
        if thread.is_alive():
            thread.join()
        rt.stop_worker(worker)
    watermark = cpu.pop("watermark_at_end", None)
    behind = round((ended - watermark).total_seconds(), 1) if watermark else None
    cpu.pop("backend", None)
    runtime = sum(v - cpu0.get(pid, 0.0) for pid, v in cpu1.items())
    rollup_cpu = cpu.get("scrape_cpu_s", 0) + cpu.get("scrape_db_cpu_s", 0)
    transitions = args.chains * args.states
    return rate, {"seconds": round(took, 1), "scrapes": len(scrapes), **cpu,
                  "runtime_cpu_s": round(runtime, 2),
                  "cpu_ms_per_1k_transitions": round((runtime + rollup_cpu) * 1e6 / transitions, 1),
                  "rollup_cpu_share": round(rollup_cpu / runtime, 4) if with_metrics else None,
                  "watermark_behind_s": behind if with_metrics else None,
                  "load": [round(x, 2) for x in os.getloadavg()]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--chains", type=int, default=600)
    parser.add_argument("--states", type=int, default=100)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--scrape-every", type=float, default=5.0)
    args = parser.parse_args()

    owner = rt.bench_django("bench/metrics.py", STEPSTUDIO_METRICS_TOKEN="bench",
                            STEPSTUDIO_METRICS_LAG_SECONDS="0")
    from django.conf import settings

    settings.ALLOWED_HOSTS.append("testserver")
    rates, cpus, shares = {False: [], True: []}, {False: [], True: []}, []
    print(json.dumps({"load_at_start": [round(x, 2) for x in os.getloadavg()],
                      "chains": args.chains, "states": args.states,
                      "scrape_every_s": args.scrape_every}), flush=True)
    for i in range(args.rounds):
        for with_metrics in ((False, True) if i % 2 == 0 else (True, False)):
            rate, seen = one_round(owner, with_metrics, args)
            rates[with_metrics].append(rate)
            cpus[with_metrics].append(seen["cpu_ms_per_1k_transitions"])
            if with_metrics:
                shares.append(seen["rollup_cpu_share"])
            print(json.dumps({"round": i, "metrics": with_metrics,
                              "transitions_per_s": round(rate, 1), **seen}), flush=True)
    without, with_ = statistics.median(rates[False]), statistics.median(rates[True])
    pairs = [w / wo for w, wo in zip(rates[True], rates[False])]
    cpu_without = statistics.median(cpus[False])
    cpu_with = statistics.median(cpus[True])
    print(json.dumps({"median_without": round(without, 1), "median_with": round(with_, 1),
                      "spread_without": [round(min(rates[False]), 1), round(max(rates[False]), 1)],
                      "spread_with": [round(min(rates[True]), 1), round(max(rates[True]), 1)],
                      "round_ratios": [round(r, 3) for r in pairs],
                      "ratio_with_to_without": round(with_ / without, 3),
                      "ceiling_met": with_ / without >= 0.95,
                      # CPU (workers, their backends, the scrapes) per transition: what
                      # the throughput ratio is on saturated cores, whatever else runs.
                      "cpu_ms_per_1k_without": round(cpu_without, 1),
                      "cpu_ms_per_1k_with": round(cpu_with, 1),
                      "cpu_ratio_without_to_with": round(cpu_without / cpu_with, 3),
                      # The rollup's CPU (scrapes and their database backend, the catch-up
                      # after the burst) over the runtime's in the same rounds: what it
                      # takes from the workers on saturated cores, measured directly.
                      "rollup_cpu_share_median": round(statistics.median(shares), 4),
                      "load_at_end": [round(x, 2) for x in os.getloadavg()]}))


if __name__ == "__main__":
    main()
