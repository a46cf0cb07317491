"""Celery autodiscovery looks for `<app>.tasks`: the runtime's tasks live in engine/runtime.

Importing the samples registers their task handlers in every worker.
"""
from engine import samples  # noqa: F401
from engine.runtime.tasks import advance, run_task  # noqa: F401
from engine.events import tasks as _events_tasks  # noqa: F401,E402  (status-change webhooks)
