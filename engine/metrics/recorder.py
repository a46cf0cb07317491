"""Counters no table holds, kept per process and added to shared rows now and then.

Step latency is observed in the worker (a few hundred nanoseconds: a clock read and a list
increment), and flushed to RuntimeCounter rows at most every flush_seconds, after the step
committed and outside any transaction: `UPDATE … SET value = value + n`, so every process
on every machine adds to the same numbers. What a process observed since its last flush is
lost if it is killed (a latency sample, never an execution count: those come from rows).
"""
from __future__ import annotations

import logging
import os
import threading
import time

from celery.signals import worker_process_shutdown
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from engine.models import RuntimeCounter

from . import config
from .histogram import STEP_BOUNDS, bound_index

log = logging.getLogger(__name__)

STEP_LATENCY = "step_latency_seconds"
SWEEPER_RESENT = "sweeper_redispatches"


class _Pending:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.pid = os.getpid()
        self.values: dict[tuple[str, str], float] = {}
        self.last_flush = time.monotonic()


_pending = _Pending()


def _add(name: str, key: str, amount: float) -> None:
    with _pending.lock:
        if _pending.pid != os.getpid():  # forked: the parent's numbers are the parent's
            _pending.reset()
        values = _pending.values
        values[(name, key)] = values.get((name, key), 0) + amount


_enabled: list = []  # [bool] once read: a step does not look settings up


def observe_step(seconds: float) -> None:
    if not _enabled:
        _enabled.append(config.step_latency())
    if not _enabled[0]:
        return
    _add(STEP_LATENCY, f"le{bound_index(STEP_BOUNDS, seconds)}", 1)
    _add(STEP_LATENCY, "sum", seconds)
    maybe_flush()


def count(name: str, amount: float = 1) -> None:
    """Add to a counter now (rare events: a sweep that re-sent something)."""
    if amount:
        _add(name, "", amount)
        flush()


def maybe_flush() -> None:
    if time.monotonic() - _pending.last_flush >= config.flush_seconds():
        flush()


def flush() -> None:
    """Add this process's numbers to the rows; kept for the next flush if that fails."""
    if connection.in_atomic_block:
        return  # never inside someone's transaction (a step's): the next call does it
    with _pending.lock:
        values, _pending.values = _pending.values, {}
        _pending.last_flush = time.monotonic()
    try:
        for (name, key), amount in sorted(values.items()):
            _increment(name, key, amount)
    except Exception:
        log.warning("metrics flush failed; kept for the next one", exc_info=True)
        for (name, key), amount in values.items():
            _add(name, key, amount)


def _increment(name: str, key: str, amount: float) -> None:
    if RuntimeCounter.objects.filter(name=name, key=key).update(value=F("value") + amount):
        return
    try:
        with transaction.atomic():
            RuntimeCounter.objects.create(name=name, key=key, value=amount)
    except IntegrityError:  # another process created it first
        RuntimeCounter.objects.filter(name=name, key=key).update(value=F("value") + amount)


@worker_process_shutdown.connect
def _flush_on_exit(**_):
    flush()
