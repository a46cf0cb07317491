"""One database read per bell per process, however many sockets watch the execution.

Fifty pages open on one execution hear each bell fifty times; reading the same events fifty
times (one after another on Django's single sync thread) made the fiftieth page wait half a
second. Consumers at the same `seq` now await one shared read. A read that started before
the committed step it was rung for may miss it: callers pass the bell's `seq` and read again
when the shared answer stops short of it.
"""
from __future__ import annotations

import asyncio

from channels.db import database_sync_to_async

from . import feed

_inflight: dict[tuple[str, int], asyncio.Future] = {}


async def read_after(execution_id, after: int, target: int | None = None):
    """feed.read_after, shared between callers with the same (execution, after)."""
    key = (str(execution_id), after)
    future = _inflight.get(key)
    if future is None:
        future = asyncio.ensure_future(database_sync_to_async(feed.read_after)(execution_id, after))
        _inflight[key] = future
        future.add_done_callback(lambda _f: _inflight.pop(key, None))
    execution, pages = await asyncio.shield(future)
    if execution is not None and target is not None and execution.seq < target:
        # The shared read began before this bell's commit: read on our own.
        return await database_sync_to_async(feed.read_after)(execution_id, after)
    return execution, pages
