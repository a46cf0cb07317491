"""The doorbell: tell websocket consumers that something changed, once it is committed.

A consumer that hears the bell reads the database, so ringing before COMMIT would let it read
the old state and miss the change. Call from synchronous code (views, tasks, services); from
async code wrap the caller in database_sync_to_async.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def ring(group: str, message: dict, using: str | None = None) -> None:
    """Send `message` (a dict with a dotted "type") to `group` after the current transaction commits.

    Outside a transaction it is sent at once. A failed send is logged, never raised: the
    data is already committed and a consumer catches up on its next read.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    # Checked now, not at commit time, so a bad call fails at its call site.
    layer.require_valid_group_name(group)
    if not isinstance(message.get("type"), str):
        raise ValueError("a channel-layer message needs a 'type' naming the consumer handler")

    def send():
        async_to_sync(layer.group_send)(group, message)

    transaction.on_commit(send, using=using, robust=True)
