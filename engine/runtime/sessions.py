"""Database session limits of the runtime's own processes (Celery workers, the scheduler).

One stuck process must never stop the others: on PostgreSQL, every connection a worker or
the scheduler opens sets `lock_timeout` (a statement waiting for a row lock gives up with
an error, and the step is retried later: tasks.TRANSIENT) and
`idle_in_transaction_session_timeout` (the server ends the session of a process frozen
inside a step's transaction, rolling the step back and freeing its rows). The web process
is left alone: its requests are bounded by their own callers.
"""
from __future__ import annotations

from django.db import connections
from django.db.backends.signals import connection_created

from . import config


def _settings() -> list[tuple[str, str]]:
    return [("lock_timeout", str(config.lock_timeout_ms())),
            ("idle_in_transaction_session_timeout",
             str(config.idle_in_transaction_timeout_ms()))]


def _apply(sender=None, connection=None, **_) -> None:
    if connection is None or connection.vendor != "postgresql":
        return
    values = _settings()
    # set_config: a parameterised SET that works with server-side binding as well. Runs in
    # autocommit (connection_created comes before any transaction), so it lasts the session.
    sql = "SELECT " + ", ".join("set_config(%s, %s, false)" for _ in values)
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for pair in values for p in pair])


def limit_this_process() -> None:
    """From now on, every new database connection of this process gets the limits; open
    ones are closed so that the next query opens a limited one."""
    connection_created.connect(_apply, dispatch_uid="stepstudio-runtime-session-limits")
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()

