"""Interpreter throughput: StepStudio's engine.asl against moto's Step Functions interpreter.

    .venv/bin/python bench/interpreter.py [--size 1000] [--repeat 3] [--skip-moto]

Runs the same three definitions on both and prints, per definition,

    <name>: stepstudio <N> transitions/s, moto <M> transitions/s, ratio: <R>

A transition is a state entry (a `…StateEntered` history event), counted from each side's own
history so both did the same work. StepStudio time is one `run_state_machine` call (parse and
validation included), best of --repeat runs; moto time is StartExecution until
DescribeExecution leaves RUNNING, polled every 5 ms, one run (moto is slow: ~200/s).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from engine.asl import run_state_machine  # noqa: E402


# --- the definitions -----------------------------------------------------------------------------

def pass_chain(n: int) -> tuple[dict, object]:
    states = {f"P{i}": {"Type": "Pass", "Next": f"P{i + 1}"} for i in range(n - 1)}
    states[f"P{n - 1}"] = {"Type": "Pass", "End": True}
    return {"StartAt": "P0", "States": states}, {"hello": "world"}


def inline_map(n: int) -> tuple[dict, object]:
    definition = {"StartAt": "M", "States": {"M": {
        "Type": "Map", "ItemsPath": "$.items", "End": True,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Item",
                          "States": {"Item": {"Type": "Pass", "End": True}}}}}}
    return definition, {"items": list(range(n))}


def choice_loop(n: int) -> tuple[dict, object]:
    definition = {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$.i", "NumericLessThan": n, "Next": "Increment"}], "Default": "Done"},
        "Increment": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"},
                      "Next": "Check"},
        "Done": {"Type": "Succeed"}}}
    return definition, {}


BENCHMARKS = {"pass_chain": pass_chain, "inline_map": inline_map, "choice_loop": choice_loop}


def count_entries(event_types) -> int:
    return sum(1 for t in event_types if t.endswith("StateEntered"))


# --- StepStudio ----------------------------------------------------------------------------------

def run_stepstudio(definition: dict, execution_input, repeat: int) -> tuple[int, float, object]:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = run_state_machine(definition, execution_input)
        best = min(best, time.perf_counter() - start)
    if result.status != "SUCCEEDED":
        raise SystemExit(f"stepstudio: {result.status} {result.error}: {result.cause}")
    return count_entries(e["type"] for e in result.events), best, result.output


# --- moto ----------------------------------------------------------------------------------------

class Moto:
    """moto's Step Functions with real execution (`execute_state_machine`), behind boto3."""

    def __init__(self):
        for key, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                           ("AWS_DEFAULT_REGION", "us-east-1")):
            os.environ.setdefault(key, value)
        import boto3
        from moto import mock_aws

        self._mock = mock_aws(config={"stepfunctions": {"execute_state_machine": True}})
        self._mock.start()
        self.client = boto3.client("stepfunctions", region_name="us-east-1")
        self._n = 0

    def stop(self):
        self._mock.stop()

    def run(self, definition: dict, execution_input) -> tuple[int, float, object]:
        self._n += 1
        arn = self.client.create_state_machine(
            name=f"bench-{self._n}", definition=json.dumps(definition),
            roleArn="arn:aws:iam::123456789012:role/bench")["stateMachineArn"]
        start = time.perf_counter()
        execution = self.client.start_execution(stateMachineArn=arn,
                                                input=json.dumps(execution_input))
        while True:
            described = self.client.describe_execution(executionArn=execution["executionArn"])
            if described["status"] != "RUNNING":
                break
            time.sleep(0.005)
        elapsed = time.perf_counter() - start
        if described["status"] != "SUCCEEDED":
            raise SystemExit(f"moto: {described['status']} {described.get('error')}: "
                             f"{described.get('cause')}")
        return (count_entries(self._history_types(execution["executionArn"])), elapsed,
                json.loads(described.get("output") or "null"))

    def _history_types(self, execution_arn: str):
        kwargs = {"executionArn": execution_arn, "maxResults": 1000}
        while True:
            page = self.client.get_execution_history(**kwargs)
            yield from (e["type"] for e in page["events"])
            if not page.get("nextToken"):
                return
            kwargs["nextToken"] = page["nextToken"]


# --- main ----------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5, help="stepstudio runs (best is kept)")
    parser.add_argument("--skip-moto", action="store_true")
    args = parser.parse_args(argv)

    moto = None if args.skip_moto else Moto()
    try:
        for name, build in BENCHMARKS.items():
            definition, execution_input = build(args.size)
            n, seconds, output = run_stepstudio(definition, execution_input, args.repeat)
            ours = n / seconds
            if moto is None:
                print(f"{name}: stepstudio {ours:.0f} transitions/s ({n} in {seconds:.3f} s)")
                continue
            m, moto_seconds, moto_output = moto.run(definition, execution_input)
            if (m, moto_output) != (n, output):
                print(f"{name}: WARNING the two runs differ: {n} vs {m} transitions, "
                      f"outputs equal: {moto_output == output}", file=sys.stderr)
            theirs = m / moto_seconds
            print(f"{name}: stepstudio {ours:.0f} transitions/s, moto {theirs:.0f} "
                  f"transitions/s, ratio: {ours / theirs:.1f}", flush=True)
    finally:
        if moto is not None:
            moto.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
