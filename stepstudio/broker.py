"""The embedded Celery broker: kombu's SQLAlchemy transport on a SQLite file under var/.

Chosen over the filesystem transport because SQLite gives us atomic "take the next message"
(kombu wraps it in BEGIN IMMEDIATE) and one file to inspect or delete, and SQLAlchemy is
already needed for Celery's database result backend. Limits are in README.md ("Embedded mode").

kombu hands every transport option to `sqlalchemy.create_engine`, which rejects the virtual
transport's own `polling_interval`; this subclass strips it and adds a lock timeout, since the
web server, the worker and manage.py commands all write to the same file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kombu.transport import sqlalchemy as kombu_sqla

_TRANSPORT_ONLY_OPTIONS = {"polling_interval"}


class Channel(kombu_sqla.Channel):
    def _engine_from_config(self):
        conninfo = self.connection.client
        saved = conninfo.transport_options
        options = {k: v for k, v in saved.items() if k not in _TRANSPORT_ONLY_OPTIONS}
        options.setdefault("connect_args", {"timeout": 30})
        conninfo.transport_options = options
        try:
            return super()._engine_from_config()
        finally:
            conninfo.transport_options = saved


class Transport(kombu_sqla.Transport):
    Channel = Channel


def discard_delivered(path: Path) -> int:
    """Delete the rows of messages already handed to a worker.

    kombu marks a delivered message invisible and never reads or deletes that row again (an
    unacknowledged message is re-published as a new row when its worker shuts down), so the
    table only grows; deleting invisible rows is safe at any time.
    """
    if not path.exists():
        return 0
    with sqlite3.connect(path, timeout=30) as db:
        try:
            return db.execute("DELETE FROM kombu_message WHERE visible = 0").rowcount
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return 0
            raise
