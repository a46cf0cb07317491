"""Retry and Catch matching and back-off (spec "Retrying after error", "Fallback states")."""
from __future__ import annotations

import random
from datetime import timedelta

ALL = "States.ALL"
TASK_FAILED = "States.TaskFailed"
TIMEOUT = "States.Timeout"
HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
RUNTIME = "States.Runtime"


def matches(error_equals: list, error: str | None) -> bool:
    for name in error_equals:
        if name == error:
            return True
        # Spec: "States.ALL ... matches any known error name" — except States.Runtime, which
        # "a retry or catch on States.ALL will not catch". An error without a name (a task
        # that failed without one) is matched by States.ALL too (AWS).
        if name == ALL and error != RUNTIME:
            return True
        # Spec: States.TaskFailed "acts as a wildcard that matches any known error name
        # except for States.Timeout".
        if name == TASK_FAILED and error not in (TIMEOUT, HEARTBEAT_TIMEOUT, RUNTIME):
            return True
        # AWS: a heartbeat time-out is a kind of States.Timeout for Retry/Catch.
        if name == TIMEOUT and error == HEARTBEAT_TIMEOUT:
            return True
    return False


def find(retriers: list, error: str | None) -> int | None:
    """Spec: the first Retrier whose ErrorEquals matches applies; if it is exhausted the
    error goes to Catch (later retriers are not consulted)."""
    for i, r in enumerate(retriers):
        if matches(r.get("ErrorEquals") or [], error):
            return i
    return None


def max_attempts(retrier: dict) -> int:
    # Spec: MaxAttempts default 3; "A value of 0 is permitted and means the error is never retried".
    v = retrier.get("MaxAttempts", 3)
    return v if isinstance(v, int) and not isinstance(v, bool) else 3


def delay_seconds(retrier: dict, previous_retries: int, rng: random.Random) -> float:
    """Spec: IntervalSeconds (default 1) × BackoffRate (default 2.0) ^ retries so far,
    capped by MaxDelaySeconds; JitterStrategy FULL draws uniformly in [0, delay]."""
    interval = retrier.get("IntervalSeconds", 1)
    rate = retrier.get("BackoffRate", 2.0)
    delay = float(interval) * (float(rate) ** previous_retries)
    cap = retrier.get("MaxDelaySeconds")
    if isinstance(cap, (int, float)) and not isinstance(cap, bool):
        delay = min(delay, float(cap))
    if retrier.get("JitterStrategy") == "FULL":
        delay = rng.uniform(0, delay)
    return delay


def rng_for(cursor: dict, state_name: str) -> random.Random:
    """Seeded per execution, state entry and attempt: replaying a history gives the same jitter."""
    seed = f"{cursor['ctx'].get('Execution', {}).get('Id')}|{state_name}|{cursor.get('entered_id')}|{cursor.get('attempt', 0)}"
    return random.Random(seed)


def timedelta_seconds(s: float) -> timedelta:
    return timedelta(seconds=s)
