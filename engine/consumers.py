"""Websockets of the live view: one execution's history, and the executions list.

Both follow habit 12 (Baserow ws/consumers.py): the session user is checked, and so is
the right to see the data, BEFORE joining anything (a doorbell group, or the execution's
shared feed, which holds the group membership for all sockets of the process); then the
socket gets from the database what the client has not seen (its `?after=`), and follows
doorbells, the database read again on each. Bells carry no data, only "look again".

Close codes: 4400 bad query string, 4401 not logged in, 4403 not yours (or no such id:
the same answer, so ids cannot be probed).
"""
from __future__ import annotations

import asyncio
import contextlib
import time
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from engine.live import feed, hub
from engine.live.groups import ALL_EXECUTIONS, executions_group

# (The execution socket's safety poll is its feed's: engine.live.hub.SAFETY_POLL_SECONDS.)
LIST_POLL_SECONDS = 5.0


def _query(scope) -> dict[str, str]:
    parsed = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return {k: v[-1] for k, v in parsed.items()}


def _after(query: dict[str, str]) -> int | None:
    raw = query.get("after", "0") or "0"
    # ASCII digits only ("²" is a digit to isdigit, not to int), and small enough for any
    # cursor (microseconds since the epoch have 16 digits).
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


class _Authenticated(AsyncJsonWebsocketConsumer):
    groups_joined: list[str]

    async def join(self, *groups: str) -> None:
        self.groups_joined = list(groups)
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # The sockets are one-way; the client acts through the REST API (with CSRF). Frames
        # are not even decoded: a text frame that is not JSON, or a binary one, is ignored.
        pass


class ExecutionConsumer(_Authenticated):
    """/ws/executions/<id>/?after=<seq>: history events with seq > after, then live ones.

    The process's shared feed of the execution (engine.live.hub) hears the doorbells and
    reads: one bell, one read and one JSON encoding per new event, whatever the number of
    sockets watching it. The socket itself has no channel-layer channel.
    """

    channel_layer_alias = None

    async def connect(self):
        user = self.scope["user"]
        if not user.is_authenticated:
            await self.close(code=4401)
            return
        after = _after(_query(self.scope))
        if after is None:
            await self.close(code=4400)
            return
        self.execution_id = self.scope["url_route"]["kwargs"]["execution_id"]
        if await database_sync_to_async(feed.find_execution)(user, self.execution_id) is None:
            await self.close(code=4403)
            return
        await self.accept()
        self.last_seq = after
        self.last_status = None
        self.feed = hub.feed_for(self.execution_id)
        await self.feed.join(self)

    async def disconnect(self, code):
        feed_ = getattr(self, "feed", None)
        if feed_ is not None:
            feed_.leave(self)
        await super().disconnect(code)

    # -- what the feed calls (engine.live.hub.Subscriber) ---------------------------------

    async def send_text(self, text: str) -> None:
        await self.send(text_data=text)

    async def gone(self) -> None:
        await self.close(code=4403)


class ExecutionListConsumer(_Authenticated):
    """/ws/executions/?after=<cursor>&state_machine=<name>: status changes of visible executions.

    Joins the owner's group and the runtime's all-executions group; bells from the latter
    are filtered by ownership from the database, once per execution id (owners never change).
    """

    async def connect(self):
        self.user = self.scope["user"]
        if not self.user.is_authenticated:
            await self.close(code=4401)
            return
        query = _query(self.scope)
        after = _after(query)
        if after is None or not feed.valid_list_cursor(after):
            await self.close(code=4400)
            return
        self.state_machine = query.get("state_machine", "")
        self.sent: dict[str, str] = {}     # execution id → status last sent
        self.hidden: set[str] = set()      # ids this user may not see (or filtered out)
        await self.join(executions_group(self.user.id), ALL_EXECUTIONS)
        await self.accept()
        # Without a cursor, "changes from now on"; the poll below uses it too.
        self.cursor = after or int(time.time() * 1_000_000)
        await self.replay(after)
        self.poller = asyncio.ensure_future(self.safety_poll())

    async def replay(self, after: int) -> None:
        for message in await database_sync_to_async(feed.list_replay)(
                self.user, after, self.state_machine):
            self.cursor = max(self.cursor, message["seq"])
            if self.sent.get(message["id"]) != message["status"]:
                self.sent[message["id"]] = message["status"]
                await self.send_json(message)

    async def safety_poll(self) -> None:
        # A lost bell (a process that rang and exited at once) must not leave a row stale
        # until reload: re-read the recent changes now and then (one indexed query).
        while True:
            await asyncio.sleep(LIST_POLL_SECONDS)
            await self.replay(self.cursor)

    async def disconnect(self, code):
        poller = getattr(self, "poller", None)
        if poller is not None:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
        await super().disconnect(code)

    async def execution_advanced(self, event):
        """{"type": "execution.advanced", "id": ..., "status": ...}: status may have changed."""
        execution_id = str(event.get("id", ""))
        if not execution_id or execution_id in self.hidden:
            return
        if "status" in event and self.sent.get(execution_id) == event["status"]:
            return  # a step inside a running execution: nothing the list shows changed
        visible, message = await database_sync_to_async(feed.list_summary)(
            self.user, execution_id, self.state_machine)
        if not visible:
            self.hidden.add(execution_id)
            return
        if self.sent.get(execution_id) != message["status"]:
            self.sent[execution_id] = message["status"]
            self.cursor = max(self.cursor, message["seq"])
            await self.send_json(message)
