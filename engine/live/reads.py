"""The live view's database reads: one thread per process, one connection kept while watched.

Through `database_sync_to_async` every read queued on Django's single thread-sensitive sync
thread (shared with every synchronous view of the process) and, with CONN_MAX_AGE=0, opened
and closed a PostgreSQL connection: 8 ms of a 13 ms bell-to-socket path measured here, 2 ms
with a kept connection. The live reads are short autocommitted SELECTs with no request
state, so they run on a thread of their own whose connection stays open while any socket of
this process watches an execution (`hold`/`release`), and is closed when the last one goes
(so an idle process holds none, and a test database can be dropped).

A broken connection (database restarted) is closed and the read tried once more.
"""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import DatabaseError, InterfaceError, OperationalError, connection

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-reads")
_lock = threading.Lock()
_holders = 0


def _call(fn, args):
    try:
        return fn(*args)
    except (OperationalError, InterfaceError):
        connection.close()
        return fn(*args)
    except DatabaseError:
        connection.close()
        raise


async def read(fn, *args):
    """fn(*args) on the live-reads thread (fn: a feed function; synchronous ORM code)."""
    return await asyncio.get_running_loop().run_in_executor(_executor, _call, fn, args)


def hold() -> None:
    """A socket started watching: keep the reads' connection open."""
    global _holders
    with _lock:
        _holders += 1


def release() -> None:
    """A socket stopped watching; the last one closes the reads' connection."""
    global _holders
    with _lock:
        _holders -= 1
        if _holders == 0:
            _executor.submit(_close_if_unheld)


def _close_if_unheld() -> None:
    with _lock:
        if _holders:
            return
    connection.close()
