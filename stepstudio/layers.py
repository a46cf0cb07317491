"""A channel layer that works across processes without a server: one SQLite file.

Embedded mode runs the web server and the Celery worker as separate processes, and the worker
must ring the websocket consumers' doorbell; the in-memory layer cannot cross that boundary.
Messages are rows. Receiving: one poller per layer instance (per process), whatever the
number of channels waiting, never one per channel (fifty sockets used to poll 1,000 times a
second through a thread pool). Every `poll_interval` (default 5 ms) it asks SQLite whether
any other connection committed since it last looked (`PRAGMA data_version`: microseconds, no
table read, on the event loop); only then, in its own thread, it claims the messages of every
waiting channel in one transaction. Delivery latency is so a few ms; an idle layer costs
~200 cheap pragma calls a second while anything waits. Good for a handful of live views on one
machine; production uses channels-redis (REDIS_URL).

Semantics follow channels' InMemoryChannelLayer: messages and group memberships expire,
`send` raises ChannelFull at capacity, `group_send` skips full channels silently.
"""

from __future__ import annotations

import asyncio
import collections
import sqlite3
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
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
                 channel_capacity=None, poll_interval=0.005):
        super().__init__(expiry=expiry, capacity=capacity, channel_capacity=channel_capacity)
        self.path = Path(path)
        self.group_expiry = group_expiry
        self.poll_interval = poll_interval
        # sqlite3 connections belong to the thread that made them; the executor has several.
        self._local = threading.local()
        # Receiving: futures waiting per channel, messages claimed but not yet received, the
        # poller task, the thread (one connection) it claims on, and its change detector.
        self._waiters: dict[str, collections.deque[asyncio.Future]] = {}
        self._buffers: dict[str, collections.deque[bytes]] = {}
        self._poller: asyncio.Task | None = None
        self._claimer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-layer")
        self._watch: sqlite3.Connection | None = None  # data_version, on the poller's loop
        self._version: int | None = None
        self._dirty = True  # a channel started waiting: claim even if nothing changed

    # --- storage (runs in a worker thread: sqlite3 blocks) ------------------------------

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN ourselves, every other statement autocommits.
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            # Doorbells are ephemeral: no fsync per message (WAL + NORMAL stays consistent;
            # a power cut may lose the last bells, which the consumers' safety poll covers).
            # With the default FULL, every send and every claim waited for the disk.
            db.execute("PRAGMA synchronous=NORMAL")
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

    def _claim_sync(self, channels: list[str]) -> list[tuple[str, bytes]]:
        """Take every live message of `channels`, oldest first, in one transaction."""
        db = self._db()
        now = time.time()
        out: list[tuple[int, str, bytes]] = []
        db.execute("BEGIN IMMEDIATE")  # the claim: no other receiver can take the same rows
        try:
            for i in range(0, len(channels), 500):
                part = channels[i:i + 500]
                marks = ",".join("?" * len(part))
                rows = db.execute(
                    f"SELECT id, channel, body FROM message WHERE channel IN ({marks}) "
                    "AND expires >= ? ORDER BY id", (*part, now)).fetchall()
                if rows:
                    db.execute(f"DELETE FROM message WHERE id IN ({','.join('?' * len(rows))})",
                               [r[0] for r in rows])
                    out.extend(rows)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        out.sort()
        return [(channel, body) for _, channel, body in out]

    def _changed(self) -> bool:
        """Whether another connection committed to the file since the last call (cheap)."""
        try:
            if self._watch is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # timeout=0: never block the event loop on a lock; "busy" counts as changed.
                self._watch = sqlite3.connect(self.path, timeout=0, isolation_level=None,
                                              check_same_thread=False)
            (version,) = self._watch.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return True
        changed, self._version = version != self._version, version
        return changed

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
        buffered = self._buffers.get(channel)
        if buffered:
            body = buffered.popleft()
            if not buffered:
                del self._buffers[channel]
            return msgpack.unpackb(body, raw=False)
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._waiters.setdefault(channel, collections.deque()).append(future)
        self._dirty = True
        if self._poller is None or self._poller.done() or self._poller.get_loop() is not loop:
            self._poller = loop.create_task(self._poll())
        try:
            body = await future
        except asyncio.CancelledError:
            waiting = self._waiters.get(channel)
            if waiting is not None and future in waiting:
                waiting.remove(future)
                if not waiting:
                    del self._waiters[channel]
            elif future.done() and not future.cancelled():
                # Delivered just as we were cancelled: keep it for the next receive.
                self._buffers.setdefault(channel, collections.deque()).appendleft(future.result())
            raise
        return msgpack.unpackb(body, raw=False)

    async def _poll(self) -> None:
        """The one poller: claims messages for every channel with a waiter."""
        loop = asyncio.get_running_loop()
        last_claim = 0.0
        while self._waiters:
            # A full look now and then even without a change seen (a lost wake-up costs 1 s).
            if self._changed() or self._dirty or loop.time() - last_claim > 1.0:
                self._dirty = False
                last_claim = loop.time()
                channels = list(self._waiters)
                try:
                    claimed = await loop.run_in_executor(self._claimer, self._claim_sync, channels)
                except sqlite3.Error:
                    claimed = []  # locked for 30 s or the file gone: try again next round
                for channel, body in claimed:
                    self._deliver(channel, body)
            await asyncio.sleep(self.poll_interval)

    def _deliver(self, channel: str, body: bytes) -> None:
        waiting = self._waiters.get(channel)
        while waiting:
            future = waiting.popleft()
            if not waiting:
                del self._waiters[channel]
            if not future.done() and not future.get_loop().is_closed():
                future.set_result(body)
                return
            waiting = self._waiters.get(channel)
        self._buffers.setdefault(channel, collections.deque()).append(body)

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
        # Connections are per thread and die with it; the watcher is ours to close.
        if self._watch is not None:
            self._watch.close()
            self._watch = None


def _pack(message: dict) -> bytes:
    return msgpack.packb(message, use_bin_type=True)
