"""Fault hooks for tests/engine/runtime/test_stuck.py; workers import this module
(`celery --include`), the test process does not need to.

A step that reaches a Wait state creates its Timer row inside the step's transaction, with
the execution row locked and the frame already written. For an execution named
`freeze-…`, the first such step records its process id in Redis (RUNTIME_TEST_REDIS) and
sleeps, so the test can SIGSTOP that pool child while the step's transaction is open.

`test-session-limits` answers with its own connection's limits: the handler runs in the
worker's thread, on the worker's connection.
"""
from __future__ import annotations

import os
import time

import redis
from django.db import connection
from django.db.models.signals import post_save
from django.dispatch import receiver

from engine.asl.handlers import task_handler
from engine.models import Execution, Timer


def _redis():
    return redis.Redis.from_url(os.environ["RUNTIME_TEST_REDIS"])


@receiver(post_save, sender=Timer, dispatch_uid="tests-stuck-freeze")
def _freeze_mid_step(sender, instance: Timer, created: bool, **_):
    if not created:
        return
    name = Execution.objects.filter(id=instance.execution_id).values_list("name", flat=True)
    name = name.first() or ""
    if not name.startswith("freeze-"):
        return
    r = _redis()
    if not r.set(f"froze:{name}", os.getpid(), nx=True):
        return  # the step taken again: let it run
    r.rpush(f"frozen:{name}", os.getpid())
    time.sleep(3)  # the test stops this process meanwhile


@task_handler("test-session-limits")
def session_limits(payload):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout'), "
                       "current_setting('idle_in_transaction_session_timeout')")
        lock, idle = cursor.fetchone()
    return {"lock_timeout": lock, "idle_in_transaction_session_timeout": idle}
