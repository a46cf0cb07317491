"""Run the job poller on a running StepStudio with boto3, as any AWS SDK client would.

    python -m examples.job_poller --endpoint http://127.0.0.1:8000

Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from an access key of yours
(`manage.py workflows create-access-key USERNAME`, or /accounts/keys/ in the browser).
It creates (or updates) the state machine `job-poller-example` from job_poller.asl.json,
starts an execution, waits for it and prints its output and the state events.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

DEFINITION = Path(__file__).with_name("job_poller.asl.json")


def client(endpoint: str, region: str):
    import boto3
    from botocore.config import Config

    return boto3.client("stepfunctions", endpoint_url=endpoint, region_name=region,
                        config=Config(inject_host_prefix=False))


def deploy(sfn, name: str) -> str:
    definition = DEFINITION.read_text()
    role = "arn:aws:iam::123456789012:role/StepStudioExecutionRole"  # required by the API, unused
    for machine in sfn.get_paginator("list_state_machines").paginate().search("stateMachines[]"):
        if machine["name"] == name:
            sfn.update_state_machine(stateMachineArn=machine["stateMachineArn"], definition=definition)
            return machine["stateMachineArn"]
    return sfn.create_state_machine(name=name, definition=definition, roleArn=role)["stateMachineArn"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", default="http://127.0.0.1:8000")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--name", default="job-poller-example")
    parser.add_argument("--input", default='{"checksNeeded": 2, "flakyChecks": 1, "waitSeconds": 1}')
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args(argv)

    sfn = client(args.endpoint, args.region)
    arn = deploy(sfn, args.name)
    execution = sfn.start_execution(stateMachineArn=arn, input=args.input)["executionArn"]
    print(f"started {execution}", flush=True)
    deadline = time.monotonic() + args.timeout
    while (described := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
        if time.monotonic() > deadline:
            print("still running; see the live view", file=sys.stderr)
            return 2
        time.sleep(1)
    events = sfn.get_execution_history(executionArn=execution)["events"]
    for event in events:
        detail = event.get("stateEnteredEventDetails") or event.get("taskFailedEventDetails") or {}
        print(f"{event['id']:>3} {event['type']:<28} {detail.get('name') or detail.get('error') or ''}")
    print(json.dumps({"status": described["status"],
                      "output": json.loads(described.get("output") or "null")}, indent=2))
    return 0 if described["status"] == "SUCCEEDED" else 1


if __name__ == "__main__":
    sys.exit(main())
