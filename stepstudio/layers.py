"""A channel layer that works across processes without a server: one SQLite file.

Embedded mode runs the web server and the Celery worker as separate processes, and the worker
must ring the websocket consumers' doorbell; the in-memory layer cannot cross that boundary.
Messages are rows; `receive` polls its channel every `poll_interval` seconds (default 50 ms),
so delivery latency is up to one interval plus a few milliseconds of SQLite. Good for a
handful of live views on one machine; production uses channels-redis (REDIS_URL).

Semantics follow channels' InMemoryChannelLayer: messages and group memberships expire,
`send` raises ChannelFull at capacity, `group_send` skips full channels silently.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import msgpack
from channels.exceptions import ChannelFull
from channels.layers import BaseChannelLayer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: ids never reused, so order = send order
    channel TEXT NOT NULL,
    body BLOB NOT NULL,
    expires REAL NOT NULL
);
-- receive: the oldest message of one channel; send: the channel's queue length.
CREATE INDEX IF NOT EXISTS message_channel ON message (channel, id);
-- send: dropping expired messages.
CREATE INDEX IF NOT EXISTS message_expires ON message (expires);
CREATE TABLE IF NOT EXISTS membership (
    grp TEXT NOT NULL,
    channel TEXT NOT NULL,
    expires REAL NOT NULL,
    PRIMARY KEY (grp, channel)  -- group_send: the members of one group
);
"""


class SQLiteChannelLayer(BaseChannelLayer):
    extensions = ["groups", "flush"]

    def __init__(self, path, expiry=60, group_expiry=86400, capacity=100,
                 channel_capacity=None, poll_interval=0.05):
        super().__init__(expiry=expiry, capacity=capacity, channel_capacity=channel_capacity)
        self.path = Path(path)
        self.group_expiry = group_expiry
        self.poll_interval = poll_interval
        # sqlite3 connections belong to the thread that made them; the executor has several.
        self._local = threading.local()

    # --- storage (runs in a worker thread: sqlite3 blocks) ------------------------------

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN ourselves, every other statement autocommits.
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            self._local.db = db
        return db

    def _insert(self, db, channel: str, body: bytes, now: float) -> bool:
        (queued,) = db.execute("SELECT COUNT(*) FROM message WHERE channel = ? AND expires >= ?",
                               (channel, now)).fetchone()
        if queued >= self.get_capacity(channel):
            return False
        db.execute("INSERT INTO message (channel, body, expires) VALUES (?, ?, ?)",
                   (channel, body, now + self.expiry))
        return True

    def _send_sync(self, channels: list[str] | None, group: str | None, body: bytes,
                   strict: bool) -> None:
        db = self._db()
        now = time.time()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM message WHERE expires < ?", (now,))
            if group is not None:
                channels = [row[0] for row in db.execute(
                    "SELECT channel FROM membership WHERE grp = ? AND expires >= ?", (group, now))]
            for channel in channels:
                if not self._insert(db, channel, body, now) and strict:
                    raise ChannelFull(channel)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _take_sync(self, channel: str) -> bytes | None:
        db = self._db()
        while True:
            # A plain read first: an idle consumer polling must not take the write lock.
            row = db.execute(
                "SELECT id, body FROM message WHERE channel = ? AND expires >= ? ORDER BY id LIMIT 1",
                (channel, time.time())).fetchone()
            if row is None:
                return None
            # The DELETE is the claim: if another receiver got there first, look again.
            if db.execute("DELETE FROM message WHERE id = ?", (row[0],)).rowcount == 1:
                return row[1]

    def _execute(self, sql: str, params=()) -> None:
        self._db().execute(sql, params)

    async def _run(self, func, *args):
        return await asyncio.to_thread(func, *args)

    # --- channel layer API ---------------------------------------------------------------

    async def send(self, channel, message):
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        await self._run(self._send_sync, [channel], None, _pack(message), True)

    async def receive(self, channel):
        self.require_valid_channel_name(channel)
        while True:
            body = await self._run(self._take_sync, channel)
            if body is not None:
                return msgpack.unpackb(body, raw=False)
            await asyncio.sleep(self.poll_interval)

    async def new_channel(self, prefix="specific."):
        return f"{prefix}sqlite!{uuid.uuid4().hex}"

    async def group_add(self, group, channel):
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        await self._run(
            self._execute,
            "INSERT INTO membership (grp, channel, expires) VALUES (?, ?, ?) "
            "ON CONFLICT (grp, channel) DO UPDATE SET expires = excluded.expires",
            (group, channel, time.time() + self.group_expiry))

    async def group_discard(self, group, channel):
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        await self._run(self._execute, "DELETE FROM membership WHERE grp = ? AND channel = ?",
                        (group, channel))

    async def group_send(self, group, message):
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_group_name(group)
        await self._run(self._send_sync, None, group, _pack(message), False)

    async def flush(self):
        await self._run(self._execute, "DELETE FROM message")
        await self._run(self._execute, "DELETE FROM membership")

    async def close(self):
        # Connections are per thread and die with it; nothing is held across calls.
        pass


def _pack(message: dict) -> bytes:
    return msgpack.packb(message, use_bin_type=True)
