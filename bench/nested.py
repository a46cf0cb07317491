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

from bench.runtime import bench_django, start_worker, stop_worker, wait_all  # noqa: E402

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
    owner = bench_django("bench/nested.py")
    from engine.models import StateMachine

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
