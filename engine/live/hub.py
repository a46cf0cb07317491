"""One reader per process per execution, fanning the same encoded frames out to every socket.

Fifty pages open on one execution each heard every bell (fifty channel-layer messages per
step), re-read the database and JSON-encoded the same events themselves. Now the sockets of
one execution in one process (one event loop) share an `ExecutionFeed`: it alone joins the
execution's doorbell group, with one channel of its own, so the layer delivers one bell per
process; on a bell for a new seq it reads the events after its position once
(`seq > feed.seq`), encodes each once, and sends the text to every live socket. Sockets
join a feed only after their auth and ownership checks (engine.consumers).

Guarantees (no gap, no duplicate, resume from `?after=`):
  * a socket joins at its own `last_seq`: it replays (last_seq, feed.seq] on its own, the
    long part outside the feed's lock so the others keep following, the rest under it, and
    only then becomes live; from there on the feed sends it every event > feed.seq;
  * every send is filtered by `seq > socket.last_seq`, so a socket that claims to be ahead
    (`after` beyond the history) gets nothing twice either;
  * a read never goes past the execution row's seq read just before (committed together),
    and bells come after COMMIT, so a read started for a bell sees that bell's events.

The feed also runs the safety poll (one per execution per process, not one per socket): a
running execution with no bell for SAFETY_POLL_SECONDS is read anyway, so a lost bell costs
a delay, never an event.
"""
from __future__ import annotations

import asyncio
import json
import logging
import weakref

from channels.layers import get_channel_layer

from . import feed, reads
from .groups import execution_group

log = logging.getLogger(__name__)

SAFETY_POLL_SECONDS = 3.0
# Group memberships expire in the layers (a day by default): renew well before.
REJOIN_SECONDS = 3600.0

# event loop → execution id → feed. Sockets of one process share a loop (daphne, uvicorn);
# tests run each scenario on a loop of its own, and asyncio locks belong to one loop.
_feeds: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, ExecutionFeed]] = (
    weakref.WeakKeyDictionary())


def encode(message: dict) -> str:
    return json.dumps(message)  # what AsyncJsonWebsocketConsumer.send_json sends


class Subscriber:
    """What a feed needs of a socket (engine.consumers.ExecutionConsumer provides it)."""

    last_seq: int                       # last history event sent to this socket
    last_status: tuple | None           # (status, redrive count) last sent

    async def send_text(self, text: str) -> None: ...

    async def gone(self) -> None:
        """The execution was deleted while watched."""


class ExecutionFeed:
    def __init__(self, execution_id: str):
        self.execution_id = execution_id
        self.members: set[Subscriber] = set()   # joined or joining
        self.live: set[Subscriber] = set()      # caught up: served by refresh()
        self.seq: int | None = None             # events up to here were sent to `live`
        self.status: tuple | None = None
        self.lock = asyncio.Lock()
        self.loop = asyncio.get_running_loop()
        self.last_read = self.loop.time()
        self.poller: asyncio.Task | None = None
        self.layer = get_channel_layer()
        self.channel: str | None = None
        self.listener: asyncio.Task | None = None
        self.joined = asyncio.Event()

    # -- joining and leaving ------------------------------------------------------------

    async def join(self, sub: Subscriber) -> None:
        """Replay what `sub` has not seen, make it live, send it the status."""
        self.members.add(sub)
        if self.poller is None:
            self.poller = asyncio.ensure_future(self._safety_poll())
            # Join the group before the first read: a step committed between the read and
            # the join would ring nobody. Bells for what was read already cost nothing.
            self.listener = asyncio.ensure_future(self._listen())
        await self.joined.wait()
        if self.seq is None:
            async with self.lock:
                if self.seq is None:  # the first socket: start where the history is now
                    seq = await reads.read(feed.execution_seq, self.execution_id)
                    if seq is None:
                        await self._gone(sub)
                        return
                    self.seq = seq
        # The bulk of a replay without the lock; then the last few events under it.
        while self.seq - sub.last_seq > feed.PAGE:
            if not await self._replay(sub, self.seq):
                return
        async with self.lock:
            if self.seq > sub.last_seq and not await self._replay(sub, self.seq):
                return
            if sub in self.members:
                self.live.add(sub)
        await self.refresh(force=True)  # anything newer, and the status message

    async def _replay(self, sub: Subscriber, upto: int) -> bool:
        """Send `sub` its events in (last_seq, upto]; False if it cannot progress."""
        while sub.last_seq < upto and sub in self.members:
            page = await reads.read(feed.events_page, self.execution_id, sub.last_seq, upto)
            if not page:
                return False  # rows missing below the execution's seq: give up, not spin
            for message in page:
                await sub.send_text(encode(message))
            sub.last_seq = page[-1]["seq"]
        return sub in self.members

    def leave(self, sub: Subscriber) -> None:
        self.members.discard(sub)
        self.live.discard(sub)
        if not self.members:
            feeds = _feeds.get(self.loop, {})
            if feeds.get(self.execution_id) is self:
                del feeds[self.execution_id]
                reads.release()
            for task in (self.poller, self.listener):
                if task is not None:
                    task.cancel()
            if self.channel is not None:
                asyncio.ensure_future(self._discard(self.channel))

    # -- reading once for everyone ------------------------------------------------------

    async def refresh(self, target: int | None = None, force: bool = False) -> None:
        """Read events after self.seq once and send them to every live socket.

        `target`: the seq a bell announced; nothing to do if already read. `force`: read
        (and send changed statuses) even so.
        """
        async with self.lock:
            if not force and target is not None and self.seq is not None and target <= self.seq:
                return
            if self.seq is None or not self.live:
                return
            self.last_read = self.loop.time()
            execution, page = await reads.read(feed.read_head, self.execution_id, self.seq)
            if execution is None:  # deleted while watched
                for sub in list(self.members):
                    await self._gone(sub)
                return
            while page:
                frames = [(m["seq"], encode(m)) for m in page]
                for sub in list(self.live):
                    for seq, text in frames:
                        if seq > sub.last_seq:
                            await self._send(sub, text)
                    sub.last_seq = max(sub.last_seq, frames[-1][0])
                self.seq = frames[-1][0]
                page = (await reads.read(feed.events_page, self.execution_id, self.seq,
                                         execution.seq)) if self.seq < execution.seq else []
            self.status = (execution.status, execution.redrive_count)
            encoded: dict[int, str] = {}
            for sub in list(self.live):
                if sub.last_status != self.status:
                    sub.last_status = self.status
                    if sub.last_seq not in encoded:
                        encoded[sub.last_seq] = encode(feed.status_message(execution, sub.last_seq))
                    await self._send(sub, encoded[sub.last_seq])

    async def _gone(self, sub: Subscriber) -> None:
        self.leave(sub)
        await sub.gone()

    async def _send(self, sub: Subscriber, text: str) -> None:
        try:
            await sub.send_text(text)
        except Exception:  # one broken socket must not stop the others' stream
            log.warning("live feed: dropping a socket that failed to send", exc_info=True)
            self.live.discard(sub)

    async def _listen(self) -> None:
        """Hear the execution's bells for every socket of this process."""
        try:
            if self.layer is not None:
                self.channel = await self.layer.new_channel()
                await self.layer.group_add(execution_group(self.execution_id), self.channel)
        except Exception:  # layer down: the safety poll still brings every event
            log.warning("live feed: could not join the doorbell group", exc_info=True)
            self.layer = None
        finally:
            self.joined.set()
        while self.layer is not None:
            try:
                bell = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("live feed: doorbell receive failed", exc_info=True)
                await asyncio.sleep(1.0)
                continue
            seq = bell.get("seq")
            if isinstance(seq, int) and self.seq is not None and seq <= self.seq:
                continue  # read already (bells queued behind a read that covered them)
            try:
                await self.refresh(seq if isinstance(seq, int) else None)
            except Exception:
                log.warning("live feed: read after a bell failed", exc_info=True)

    async def _discard(self, channel: str) -> None:
        try:
            await self.layer.group_discard(execution_group(self.execution_id), channel)
        except Exception:  # it expires anyway
            log.warning("live feed: could not leave the doorbell group", exc_info=True)

    async def _safety_poll(self) -> None:
        rejoined = self.loop.time()
        while True:
            await asyncio.sleep(SAFETY_POLL_SECONDS / 2)
            if self.channel is not None and self.loop.time() - rejoined >= REJOIN_SECONDS:
                rejoined = self.loop.time()
                try:
                    await self.layer.group_add(execution_group(self.execution_id), self.channel)
                except Exception:
                    log.warning("live feed: could not renew the doorbell group", exc_info=True)
            running = self.status is None or self.status[0] == "RUNNING"
            if running and self.loop.time() - self.last_read >= SAFETY_POLL_SECONDS:
                try:
                    await self.refresh(force=True)
                except Exception:  # the database away for a moment: try again next round
                    log.warning("live feed: safety poll failed", exc_info=True)


def feed_for(execution_id) -> ExecutionFeed:
    """This process's (this loop's) feed of one execution, made on first use."""
    feeds = _feeds.setdefault(asyncio.get_running_loop(), {})
    key = str(execution_id)
    if key not in feeds:
        feeds[key] = ExecutionFeed(key)
        reads.hold()
    return feeds[key]
