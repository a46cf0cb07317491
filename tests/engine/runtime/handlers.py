"""Task handlers only the runtime tests use; workers import this module (`celery --include`).

They leave traces in Redis (RUNTIME_TEST_REDIS) so a test can see what ran where and when.
"""
from __future__ import annotations

import os
import time

import redis

from engine.asl.handlers import TaskFailure, task_handler


def _redis():
    return redis.Redis.from_url(os.environ["RUNTIME_TEST_REDIS"])


@task_handler("test-slow")
def slow(payload):
    """Sleeps `seconds`, recording each start (a SIGKILL test kills the worker meanwhile)."""
    _redis().rpush(f"started:{payload['key']}", os.getpid())
    time.sleep(float(payload.get("seconds", 1)))
    return {"slept": payload.get("seconds", 1), "key": payload["key"]}


@task_handler("test-concurrency")
def concurrency(payload):
    """Records how many calls with the same key were running when each one started."""
    r = _redis()
    key = payload["key"]
    r.rpush(f"levels:{key}", r.incr(f"running:{key}"))
    time.sleep(0.3)
    r.decr(f"running:{key}")
    return payload["value"] * 10


@task_handler("test-nap")
def nap(payload):
    """Sleeps `seconds` and touches nothing else (a fault test kills the worker meanwhile)."""
    time.sleep(float(payload.get("seconds", 1)))
    return {"napped": payload.get("seconds", 1)}


@task_handler("test-silent")
def silent(payload):
    """Runs past its HeartbeatSeconds without a heartbeat."""
    time.sleep(float(payload.get("seconds", 5)))
    return "too late"


@task_handler("test-beating")
def beating(payload, request):
    """Runs longer than HeartbeatSeconds but heartbeats, so it is not timed out."""
    for _ in range(int(payload.get("beats", 4))):
        time.sleep(0.5)
        request["heartbeat"]()
    return "alive"


@task_handler("test-approver")
def approver(payload):
    """A `.waitForTaskToken` Lambda that answers its own token, as AWS's human-approval
    sample's callback Lambda does with SendTaskSuccess; its return value is not the result."""
    from engine.asl.handlers import send_task_success

    send_task_success(payload["token"], '{"Status": "Approved! Task approved by ops@example.com"}')
    return {"statusCode": 302}


@task_handler("test-nul")
def nul(payload):
    """Fails with a NUL character in its error and cause, or returns one in its value."""
    _redis().rpush(f"started:{payload['key']}", os.getpid())
    if payload.get("succeed"):
        return {"text": "before\x00after", "key\x00": 1}
    raise TaskFailure("Bad\x00Error", "a cause with \x00 in it")


@task_handler("test-unsavable")
def unsavable(payload):
    """Returns a string with a lone surrogate: not Unicode, so no database can store it."""
    _redis().rpush(f"started:{payload['key']}", os.getpid())
    return {"text": "\ud800"}


@task_handler("test-idempotency")
def idempotency(payload, request):
    """Records (attempt, idempotency key) of every run; the first run sleeps `seconds` (a
    test kills the worker meanwhile); attempts below `fail_attempts` fail (Retry)."""
    r = _redis()
    key = payload["key"]
    r.rpush(f"keys:{key}", f"{request['attempt']} {request['idempotency_key']}")
    if r.incr(f"runs:{key}") == 1 and payload.get("seconds"):
        time.sleep(float(payload["seconds"]))
    if request["attempt"] < int(payload.get("fail_attempts", 0)):
        raise TaskFailure("Flaky", f"attempt {request['attempt']}")
    return {"key": request["idempotency_key"]}
