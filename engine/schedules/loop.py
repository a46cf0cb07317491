"""The schedules' and webhooks' share of `workflows scheduler`: a thread of that process.

Every `interval` seconds: fire due schedules (engine.schedules.firing) and sweep events and
deliveries (engine.events.sweep). It runs beside the runtime's timer loop in the same
process, on its own database connection, and never exits on an error (the database may be
restarting): it logs, reconnects and carries on, like the timer loop.
"""
from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, connection

from engine.events import sweep

from . import firing

log = logging.getLogger(__name__)


def run(stop, interval: float = 0.5) -> None:
    while not stop():
        try:
            started = firing.fire_due()
            sweep.sweep()
        except Exception:  # noqa: BLE001 - keep the loop alive; the next pass retries
            log.exception("schedules/webhooks pass failed")
            close_old_connections()
            started = 0
            time.sleep(1)
        if not started:
            time.sleep(interval)
    connection.close()


def start_thread(stop) -> threading.Thread:
    thread = threading.Thread(target=run, args=(stop,), name="schedules", daemon=True)
    thread.start()
    return thread
