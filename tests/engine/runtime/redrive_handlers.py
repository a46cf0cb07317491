"""Task handlers of test_redrive_fanout.py (its workers import this module too).

Every call is counted in Redis per key and item id, so a test can prove which Map
iterations / Parallel branches a redrive ran again. An id in the key's `fail` set fails
(`ItemFailed`), one in its `slow` set sleeps first; the test flips the sets between attempts.
"""
from __future__ import annotations

import os
import time

import redis

from engine.asl.handlers import TaskFailure, task_handler


def _redis():
    return redis.Redis.from_url(os.environ["RUNTIME_TEST_REDIS"])


@task_handler("test-redrive-item")
def item(payload):
    r = _redis()
    key, ident = payload["key"], str(payload["id"])
    r.hincrby(f"rd:{key}:calls", ident, 1)
    if r.sismember(f"rd:{key}:slow", ident):
        time.sleep(float(payload.get("slow", 3)))
    if r.sismember(f"rd:{key}:fail", ident):
        time.sleep(float(payload.get("fail_after", 0)))
        raise TaskFailure("ItemFailed", f"item {ident} failed")
    r.hincrby(f"rd:{key}:done", ident, 1)
    return {"id": ident, "v": payload.get("value")}


@task_handler("test-redrive-heal")
def heal(payload):
    """Clears the key's failures (a loop's fix-up step)."""
    _redis().delete(f"rd:{payload['key']}:fail")
    return "healed"
