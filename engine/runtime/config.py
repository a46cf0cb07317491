"""Runtime knobs, read once from Django settings or the environment (typed, failing loudly).

Settings win over the environment so tests can override them; the environment lets a worker
subprocess started by a test get short timings without a settings module of its own.
"""
from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from stepstudio.env import env_int, env_secret, env_str


def _knob(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is not None:
        return int(value)
    return env_int(name, default, minimum=0)


def task_lease_seconds() -> int:
    # How long a worker's claim on a running task lasts without renewal; a killed worker's
    # task is re-dispatched by the sweeper at most this long after it died.
    return _knob("STEPSTUDIO_TASK_LEASE_SECONDS", 20)


def sweep_after_seconds() -> int:
    # A dispatched step not taken within this long is sent again (its message may be lost:
    # broker restart, worker killed with prefetched messages, crash between commit and send).
    return _knob("STEPSTUDIO_SWEEP_AFTER_SECONDS", 15)


def inline_budget() -> int:
    # Evaluator steps one transaction may take before it commits and continues in a new
    # message: keeps transactions short and lets other workers share a big Map.
    return _knob("STEPSTUDIO_INLINE_BUDGET", 500)


def fanout_concurrency_cap() -> int:
    # Children running at once when a Map/Parallel sets no MaxConcurrency (memory bound).
    return _knob("STEPSTUDIO_FANOUT_CAP", 200)


def queue() -> str | None:
    # The broker queue of the runtime's messages (None: Celery's default queue). Tests give
    # each run its own so concurrent runs sharing one Redis never take each other's steps.
    return getattr(settings, "STEPSTUDIO_QUEUE", None) or env_str("STEPSTUDIO_QUEUE")


def lock_timeout_ms() -> int:
    # A worker's or the scheduler's statement waiting this long for a row lock gives up
    # (PostgreSQL lock_timeout): the step is retried later instead of one stuck holder (a
    # frozen process, a row locked by hand) holding up the process, and so the cluster.
    return _knob("STEPSTUDIO_LOCK_TIMEOUT_MS", 5000)


def idle_in_transaction_timeout_ms() -> int:
    # PostgreSQL ends a runtime session left idle inside a transaction this long (its
    # process frozen or hung mid-step), which rolls the step back and frees its locks; the
    # step is then taken again. Steps never wait on anything but the database inside their
    # transaction (handlers run outside it), so a healthy one is never idle near this long.
    return _knob("STEPSTUDIO_IDLE_IN_TRANSACTION_TIMEOUT_MS", 30000)


def step_attempts() -> int:
    # How many times one step may fail for a reason that is not the database's availability
    # (a value the database refuses, a bug) before its execution fails with States.Runtime
    # instead of being retried, and re-sent by the sweeper, forever.
    return max(_knob("STEPSTUDIO_STEP_ATTEMPTS", 5), 1)


def task_token_secret() -> bytes:
    # The key of task tokens (engine/asl/task_tokens.py); every process of a deployment
    # (web, workers) must have the same. STEPSTUDIO_TASK_TOKEN_SECRET (or _FILE), else
    # derived from SECRET_KEY, so that rotating SECRET_KEY also retires open tokens.
    own = getattr(settings, "STEPSTUDIO_TASK_TOKEN_SECRET", None) \
        or env_secret("STEPSTUDIO_TASK_TOKEN_SECRET")
    if own:
        if len(own) < 16:
            raise ImproperlyConfigured("STEPSTUDIO_TASK_TOKEN_SECRET has at least 16 characters")
        return own.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"stepstudio task tokens",
                    hashlib.sha256).digest()


def fair_lanes() -> int:
    # Broker queues the runtime's messages are spread over by owner (lanes.py): workers
    # take from them in turn, so one owner's burst cannot starve another's executions.
    # 1 (or 0): a single queue, first come first served.
    return _knob("STEPSTUDIO_FAIR_LANES", 8)
