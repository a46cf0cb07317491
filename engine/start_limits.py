"""Who may start an execution now: AWS's StartExecution throttling and open-executions quota,
per user (AWS counts per account and Region; here a user is the account).

Throttling is a token bucket: START_EXECUTION_BUCKET tokens, refilled continuously at
START_EXECUTION_REFILL_PER_SECOND, one taken per start; an empty bucket refuses with the
seconds until the next token (Retry-After). With REDIS_URL the bucket lives in Redis and one
Lua script reads, refills and takes atomically, so every web process draws on the same bucket;
embedded mode has one web process and keeps it in memory. One user's bucket never touches
another's, so one user's burst leaves the others' starts alone.

The open-executions quota counts the user's RUNNING Standard executions (Express ones do not
count, as in AWS).
"""
from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass

import redis
from django.conf import settings

from engine.models import Execution, ExecutionStatus

logger = logging.getLogger(__name__)

_TAKE = """
local tokens = tonumber(redis.call('HGET', KEYS[1], 't'))
local stamp = tonumber(redis.call('HGET', KEYS[1], 's'))
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local bucket, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
if tokens == nil then tokens = bucket; stamp = now end
tokens = math.min(bucket, tokens + math.max(0, now - stamp) * rate)
local taken = 0
if tokens >= 1 then tokens = tokens - 1; taken = 1 end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 's', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(bucket / rate) + 1)
return {taken, tostring(tokens)}
"""


@dataclass
class Refused(Exception):
    code: str  # AWS's error name: ThrottlingException or ExecutionLimitExceeded
    message: str
    retry_after: int | None = None  # seconds, for throttling


def admit(user, machine) -> None:
    """Raise Refused when `user` may not start an execution of `machine` now."""
    bucket = settings.START_EXECUTION_BUCKET
    rate = settings.START_EXECUTION_REFILL_PER_SECOND
    taken, left = _take(_key(user), bucket, rate)
    if not taken:
        raise Refused("ThrottlingException", "Rate exceeded",
                      max(1, math.ceil((1 - left) / rate)))
    if machine.type == "STANDARD":
        limit = settings.MAX_OPEN_EXECUTIONS
        # A Distributed Map's child executions run inside their parent's open execution.
        running = Execution.objects.filter(state_machine__owner=user, map_run__isnull=True,
                                           status=ExecutionStatus.RUNNING)[:limit].count()
        if running >= limit:
            raise Refused("ExecutionLimitExceeded",
                          f"Maximum number of running executions ({limit}) reached. Running "
                          "executions must end or be stopped before a new one can start.")


def _key(user) -> str:
    # The join time as well as the id: a user row recreated with a reused id (a restored
    # database, a fresh test database) does not inherit the old row's bucket.
    return f"stepstudio:start-bucket:{user.pk}:{int(user.date_joined.timestamp() * 1e6)}"


def _take(key: str, bucket: int, rate: float) -> tuple[bool, float]:
    if settings.REDIS_URL:
        try:
            taken, left = _redis_script()(keys=[key], args=[bucket, rate])
        except redis.RedisError as error:
            # Throttling protects the service; it must not be what stops it. Redis is back
            # within the broker's own retry window, and the start then needs it anyway.
            logger.warning("start throttling skipped, Redis unavailable: %s", error)
            return True, float(bucket)
        return bool(taken), float(left)
    return _memory.take(key, bucket, rate)


_script = None


def _redis_script():
    global _script
    if _script is None:
        _script = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5).register_script(_TAKE)
    return _script


class _MemoryBuckets:
    def __init__(self):
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str, bucket: int, rate: float) -> tuple[bool, float]:
        with self._lock:
            now = time.monotonic()
            tokens, stamp = self._buckets.get(key, (float(bucket), now))
            tokens = min(bucket, tokens + max(0.0, now - stamp) * rate)
            taken = tokens >= 1
            if taken:
                tokens -= 1
            self._buckets[key] = (tokens, now)
            return taken, tokens


_memory = _MemoryBuckets()
