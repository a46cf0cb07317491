"""Celery autodiscovery looks for `<app>.tasks`: the runtime's tasks live in engine/runtime.

Task handlers are registered with the app (engine.apps → engine.handler_modules), in every
process.
"""
from engine.runtime.tasks import advance, run_task  # noqa: F401
from engine.events import tasks as _events_tasks  # noqa: F401,E402  (status-change webhooks)
