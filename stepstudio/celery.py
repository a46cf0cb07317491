"""The Celery application. Configuration lives in settings.py under the CELERY_ prefix."""

import os

from celery import Celery, signals
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")

app = Celery("stepstudio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def drop_broken_connections(**_):
    """Before each task, close a database connection that failed and no longer answers.

    Worker processes keep their connection across tasks (CELERY_DB_REUSE_MAX) and Django
    never reopens a broken one by itself: after a database restart, a process whose
    connection was cut failed every later task with "the connection is closed" until one of
    them happened to retry through close_old_connections (only the runtime's steps do).
    The webhook tasks never did, so deliveries stayed undelivered for good once the workers
    ran nothing else. Only a connection that saw an error is checked (is_usable, a round
    trip), so a healthy one costs nothing.
    """
    for conn in connections.all(initialized_only=True):
        if (conn.connection is not None and conn.errors_occurred and not conn.in_atomic_block
                and not conn.is_usable()):
            conn.close()
