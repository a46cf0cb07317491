"""Celery autodiscovery looks for `<app>.tasks`: the runtime's tasks live in engine/runtime."""
from engine.runtime.tasks import advance, run_task  # noqa: F401
