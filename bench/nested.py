"""Nested executions on the durable runtime (PostgreSQL + Redis), 2 worker processes.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/nested.py

Measures, in one run and against the same worker:
  * plain: executions of a one-Pass child machine started alone (first step in a worker);
  * nested: executions of a parent whose `.sync:2` Task starts that child and waits for its
    end (the child's end answers the parent's token: no polling, no sleeping worker);
and reports nested ÷ plain executions per second. A nested run is two executions plus the
parent's Task hop and its answer, so about 0.5 is the ceiling; a polling design would sit
far below it. Uses bench/runtime.py's database (<DATABASE_URL name>_bench, recreated) and a
queue of its own; stops the worker it started by its process id.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.runtime import (QUEUE, bench_database, recreate_database, start_worker,  # noqa: E402
                           stop_worker, wait_all)

CHILD = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def rate(machine, executions: int) -> float:
    from engine import services

    started = time.time()
    ids = [services.start_execution(machine, {"n": i}, inline=False).id
           for i in range(executions)]
    ended = wait_all(ids)
    return executions / (ended - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executions", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        sys.exit("bench/nested.py needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    url = bench_database(base)
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["STEPSTUDIO_QUEUE"] = QUEUE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from engine.models import StateMachine

    call_command("migrate", verbosity=0)
    owner, _ = get_user_model().objects.get_or_create(username="bench")
    child = StateMachine.objects.create(owner=owner, name="child", definition=CHILD)
    parent = StateMachine.objects.create(owner=owner, name="parent", definition={
        "StartAt": "Nest", "States": {"Nest": {
            "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
            "Parameters": {"StateMachineArn": child.arn, "Input.$": "$"}, "End": True}}})
    worker = start_worker(args.workers, dict(os.environ))
    try:
        rate(child, 20)  # warm up: worker ready, connections open
        plain = rate(child, args.executions)
        nested = rate(parent, args.executions)
    finally:
        stop_worker(worker)
    print(json.dumps({"worker_processes": args.workers, "executions": args.executions,
                      "plain_executions_per_s": round(plain, 1),
                      "nested_sync_executions_per_s": round(nested, 1),
                      "nested_vs_plain": round(nested / plain, 2)}), flush=True)


if __name__ == "__main__":
    main()
