"""Real task handlers used by the sample state machines (registered with @task_handler).

The job-poller handlers simulate an external job service. They are deterministic (the job's
progress travels in the state data), so any worker may run any check and a retried or
redelivered call gives the same answer: what a handler in a durable runtime must be.
"""
from __future__ import annotations

import hashlib
import json
import logging

from engine.asl.handlers import TaskFailure, task_handler

log = logging.getLogger(__name__)


class JobStatusFlakyError(Exception):
    """The simulated job service's status endpoint failed for a moment (retry helps)."""


@task_handler("job-create")
def create_job(payload):
    config = payload or {}
    digest = hashlib.sha1(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]
    return {"jobId": f"job-{digest}", "status": "RUNNING", "checks": 0,
            "checksNeeded": int(config.get("checksNeeded", 3)),
            "fail": bool(config.get("fail", False)), "flaky": bool(config.get("flaky", False))}


@task_handler("job-check")
def check_job(payload):
    job = dict(payload["job"])
    attempt = int(payload.get("attempt", 0))
    if job["flaky"] and job["checks"] == 0 and attempt == 0:
        # The first status call of a flaky job fails once; Retry on this error recovers.
        raise JobStatusFlakyError(f"status service unavailable for {job['jobId']}")
    job["checks"] += 1
    if job["checks"] >= job["checksNeeded"]:
        job["status"] = "FAILED" if job["fail"] else "SUCCEEDED"
    return job


@task_handler("greet")
def greet(payload):
    return {"greeting": f"Hello, {(payload or {}).get('name', 'world')}!"}


@task_handler("square")
def square(payload):
    return payload * payload


@task_handler("charge-card")
def charge_card(payload):
    """Declines large amounts (permanent); a card ending in 0 times out once (transient)."""
    amount = payload["amount"]
    if amount > 100:
        raise TaskFailure("PaymentDeclined", f"amount {amount} exceeds the card limit")
    if str(payload.get("card", "")).endswith("0") and payload.get("attempt", 0) == 0:
        raise TaskFailure("GatewayTimeout", "the payment gateway did not answer")
    return {"charged": amount, "receipt": f"r-{payload.get('card', 'x')}-{amount}"}


@task_handler("request-approval")
def request_approval(payload):
    """Hands the task token to "a reviewer": here the log; the TaskToken row also lists it.

    The execution waits until someone calls SendTaskSuccess / SendTaskFailure with it
    (`/api/task-tokens/success/`, the AWS API, or `workflows` from a shell).
    """
    log.info("approval requested for %s: token %s", payload.get("request"), payload.get("token"))
    return {"delivered": True}
