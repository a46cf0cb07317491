"""Celery autodiscovery looks for `<app>.tasks`: the runtime's tasks live in engine/runtime.

Task handlers are registered with the app (engine.apps → engine.handler_modules), in every
process.
"""
from engine.runtime.tasks import advance, run_task  # noqa: F401
