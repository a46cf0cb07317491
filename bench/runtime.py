"""Durable runtime throughput on PostgreSQL + Redis, with 1 and 2 worker processes.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/runtime.py

Measures, for each worker count, in one run:
  * bare Celery chain: a task that sends the next hop (one chain per worker process): the
    ceiling any message-per-step design can reach here;
  * a 100-state Pass chain, first step handed to a worker: state transitions per second
    (no-I/O states run in one transaction, so this should be far above the hop rate);
  * the job-poller sample with waitSeconds 0 (CreateTask + 3 checks = 4 task hops):
    executions per second, against the target ½ × (bare hop rate ÷ hops per execution).

It uses its own database (<DATABASE_URL name>_bench, recreated) and its own broker queue, and
stops the workers it started by their process ids.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from celery import shared_task

REPO = Path(__file__).resolve().parent.parent
QUEUE = os.environ.get("STEPSTUDIO_QUEUE") or f"bench-{uuid.uuid4().hex[:8]}"
# Task steps per job-poller execution: CreateTask + CheckTaskStatus × checksNeeded (3); Wait 0
# and Choice run inline. (Broker messages per execution are fewer: a worker runs the next
# Task of a frame itself.)
JOB_HOPS = 4


@shared_task(name="bench.hop", ignore_result=True, acks_late=True)
def hop(remaining: int, key: str, queue: str) -> None:
    """One hop of the bare chain: send the next one, or record the end time."""
    if remaining > 0:
        hop.apply_async((remaining - 1, key, queue), queue=queue)
    else:
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"]).set(key, time.time())


def bench_database(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_bench"))


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def start_worker(processes: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "stepstudio", "worker", "--loglevel=WARNING",
         f"--concurrency={processes}", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-Q", QUEUE, "--include", "bench.runtime"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)


def stop_worker(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def wait_keys(r, keys, timeout=300.0) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        values = r.mget(keys)
        if all(values):
            return max(float(v) for v in values)
        time.sleep(0.01)
    raise TimeoutError("bare chain did not finish")


def bare_chain(processes: int, hops: int) -> float:
    import redis

    r = redis.Redis.from_url(os.environ["REDIS_URL"])
    keys = [f"bench:{uuid.uuid4().hex}" for _ in range(processes)]
    started = time.time()
    for key in keys:
        hop.apply_async((hops - 1, key, QUEUE), queue=QUEUE)
    ended = wait_keys(r, keys)
    return processes * hops / (ended - started)


def wait_all(ids, timeout=600.0) -> float:
    from engine.models import Execution

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Execution.objects.filter(id__in=ids, status="RUNNING").exists():
            last = Execution.objects.filter(id__in=ids).order_by("-stop_date").first()
            bad = Execution.objects.filter(id__in=ids).exclude(status="SUCCEEDED").count()
            if bad:
                raise RuntimeError(f"{bad} executions did not succeed")
            return last.stop_date.timestamp()
        time.sleep(0.05)
    raise TimeoutError("executions did not finish")


def pass_chain(owner, executions: int, states: int) -> float:
    from engine import services
    from engine.models import StateMachine

    names = [f"S{i}" for i in range(states)]
    definition = {"StartAt": names[0], "States": {
        n: ({"Type": "Pass", "Next": names[i + 1]} if i + 1 < states
            else {"Type": "Pass", "End": True}) for i, n in enumerate(names)}}
    machine, _ = StateMachine.objects.update_or_create(
        owner=owner, name=f"pass-chain-{states}", defaults={"definition": definition})
    started = time.time()
    ids = [services.start_execution(machine, {"n": i}, inline=False).id
           for i in range(executions)]
    ended = wait_all(ids)
    return executions * states / (ended - started)


def job_poller(owner, executions: int) -> float:
    from engine import samples, services
    from engine.models import StateMachine

    samples.load(owner)
    machine = StateMachine.objects.get(owner=owner, name="job-poller")
    started = time.time()
    # First step in a worker too: the bench process only writes the rows, as an API would.
    ids = [services.start_execution(machine, {"waitSeconds": 0}, inline=False).id
           for _ in range(executions)]
    ended = wait_all(ids)
    return executions / (ended - started)


def bench_django(script: str, **environ: str):
    """What every runtime benchmark starts with: its own database (<DATABASE_URL name>_bench,
    recreated and migrated), the bench queue, Django set up; the `bench` user."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        sys.exit(f"{script} needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    url = bench_database(base)
    recreate_database(url)
    os.environ.update(DATABASE_URL=url, STEPSTUDIO_QUEUE=QUEUE, **environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return get_user_model().objects.get_or_create(username="bench")[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hops", type=int, default=2000)
    parser.add_argument("--chains", type=int, default=40, help="Pass-chain executions")
    parser.add_argument("--states", type=int, default=100)
    parser.add_argument("--pollers", type=int, default=200, help="job-poller executions")
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    owner = bench_django("bench/runtime.py")
    env = dict(os.environ)

    results = []
    for processes in [int(n) for n in args.workers.split(",")]:
        worker = start_worker(processes, env)
        try:
            bare_chain(processes, 50)  # warm up: worker ready, connections open
            hop_rate = bare_chain(processes, args.hops)
            transitions = pass_chain(owner, args.chains, args.states)
            polls = job_poller(owner, args.pollers)
        finally:
            stop_worker(worker)
        target_poll = hop_rate / JOB_HOPS / 2
        results.append({
            "worker_processes": processes,
            "bare_hops_per_s": round(hop_rate, 1),
            "pass_chain_transitions_per_s": round(transitions, 1),
            "pass_chain_vs_hops": round(transitions / hop_rate, 2),
            "job_poller_executions_per_s": round(polls, 1),
            "job_poller_target_per_s": round(target_poll, 1),
            "targets_met": transitions >= 5 * hop_rate and polls >= target_poll,
        })
        print(json.dumps(results[-1]), flush=True)
    print("\n| workers | bare hops/s | Pass chain transitions/s (× hops) | job poller exec/s (target) |")
    print("| --- | --- | --- | --- |")
    for r in results:
        print(f"| {r['worker_processes']} | {r['bare_hops_per_s']} | "
              f"{r['pass_chain_transitions_per_s']} ({r['pass_chain_vs_hops']}×) | "
              f"{r['job_poller_executions_per_s']} ({r['job_poller_target_per_s']}) |")


if __name__ == "__main__":
    main()
