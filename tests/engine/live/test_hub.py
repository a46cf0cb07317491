"""The shared feed (engine.live.hub): one bell channel, one read and one encoding per step
for all the sockets of a process watching an execution, with the per-socket guarantees kept
(resume from `?after=`, no gap, no duplicate, 4403 when the execution goes away)."""
from __future__ import annotations

import sqlite3

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.test import override_settings

from engine.live import feed, hub, reads
from engine.live.groups import execution_group
from engine.models import Execution
from tests.engine.test_live_support import (
    append,
    connect,
    make_execution,
    receive_all,
    run,
    sqlite_layer,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def layer(tmp_path, monkeypatch):
    # No safety-poll reads during a test: every read counted below is a bell's or a join's.
    monkeypatch.setattr(hub, "SAFETY_POLL_SECONDS", 3600)
    with override_settings(CHANNEL_LAYERS=sqlite_layer(tmp_path)):
        yield tmp_path / "channels.sqlite3"


def is_status(message):
    return message["type"] == "execution.status"


def history(messages):
    return [m["seq"] for m in messages if not is_status(m)]


def members(path, group):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM membership WHERE grp = ?", (group,)).fetchone()[0]


def counting(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_five_sockets_share_one_bell_channel_one_read_and_one_encoding_per_step(
        user, asgi_headers, layer, monkeypatch):
    headers = asgi_headers(user)
    ex = make_execution(user, events=2)

    async def scenario():
        sockets, replays = [], []
        for _ in range(5):  # one after another: each join's own read is over before counting
            ws, connected, _ = await connect(f"/ws/executions/{ex.id}/", headers)
            assert connected
            sockets.append(ws)
            replays.append(history(await receive_all(ws, is_status)))
        group_members = members(layer, execution_group(ex.id))
        heads = counting(monkeypatch, feed, "read_head")
        encodings = counting(monkeypatch, hub, "encode")
        live = [[] for _ in sockets]
        for _ in range(3):  # three steps, one transaction and one bell each
            seq = (await database_sync_to_async(append)(ex, 1))[-1]
            for i, ws in enumerate(sockets):
                live[i] += history(await receive_all(ws, lambda m, seq=seq: m["seq"] == seq))
        for ws in sockets:
            assert await ws.receive_nothing(0.2)
            await ws.disconnect()
        return replays, group_members, len(heads), len(encodings), live

    replays, group_members, reads_, encoded, live = run(scenario)
    assert replays == [[1, 2]] * 5
    assert group_members == 1  # the feed's channel, not one per socket
    assert reads_ == 3 and encoded == 3
    assert live == [[3, 4, 5]] * 5


def test_a_socket_joining_a_live_feed_resumes_after_its_seq_without_gap_or_duplicate(
        user, asgi_headers):
    headers = asgi_headers(user)
    ex = make_execution(user, events=3)

    async def scenario():
        first, _, _ = await connect(f"/ws/executions/{ex.id}/", headers)
        seen_first = history(await receive_all(first, is_status))
        await database_sync_to_async(append)(ex, 2)
        seen_first += history(await receive_all(first, lambda m: m["seq"] == 5))
        # Joins at 2 while the feed is at 5: replays 3..5 itself, then shares the feed.
        second, _, _ = await connect(f"/ws/executions/{ex.id}/?after=2", headers)
        seen_second = history(await receive_all(second, is_status))
        # Claims to have seen more than exists: nothing until the history passes it.
        ahead, _, _ = await connect(f"/ws/executions/{ex.id}/?after=6", headers)
        seen_ahead = history(await receive_all(ahead, is_status))
        await database_sync_to_async(append)(ex, 2)
        for ws, seen in ((first, seen_first), (second, seen_second), (ahead, seen_ahead)):
            seen += history(await receive_all(ws, lambda m: m["seq"] == 7))
            assert await ws.receive_nothing(0.2)
            await ws.disconnect()
        return seen_first, seen_second, seen_ahead

    assert run(scenario) == ([1, 2, 3, 4, 5, 6, 7], [3, 4, 5, 6, 7], [7])


def test_a_long_replay_of_a_newcomer_beside_a_live_socket(user, asgi_headers):
    headers = asgi_headers(user)
    ex = make_execution(user, events=1203)  # more than two pages: the unlocked replay path

    async def scenario():
        live, _, _ = await connect(f"/ws/executions/{ex.id}/?after=1203", headers)
        assert history(await receive_all(live, is_status)) == []
        newcomer, _, _ = await connect(f"/ws/executions/{ex.id}/", headers)
        replay = await receive_all(newcomer, is_status, timeout=30)
        await database_sync_to_async(append)(ex, 1, status="SUCCEEDED")
        ends = []
        for ws in (live, newcomer):
            ends.append(await receive_all(ws, is_status))
            await ws.disconnect()
        return history(replay), replay[-1], ends

    replay, status, ends = run(scenario)
    assert replay == list(range(1, 1204))
    assert status["seq"] == 1203 and status["status"] == "RUNNING"
    for end in ends:
        assert history(end) == [1204]
        assert end[-1]["status"] == "SUCCEEDED" and end[-1]["seq"] == 1204


def test_every_socket_of_a_deleted_execution_is_closed_with_4403(user, asgi_headers):
    headers = asgi_headers(user)
    ex = make_execution(user, events=1)

    async def scenario():
        sockets = []
        for _ in range(2):
            ws, _, _ = await connect(f"/ws/executions/{ex.id}/", headers)
            await receive_all(ws, is_status)
            sockets.append(ws)
        await database_sync_to_async(Execution.objects.filter(id=ex.id).delete)()
        await get_channel_layer().group_send(execution_group(ex.id),
                                             {"type": "execution.advanced", "seq": 2})
        closes = [await ws.receive_output(timeout=5) for ws in sockets]
        for ws in sockets:
            await ws.wait()
        return closes

    assert run(scenario) == [{"type": "websocket.close", "code": 4403}] * 2


def test_the_reads_connection_is_closed_when_the_last_socket_leaves(user, asgi_headers):
    headers = asgi_headers(user)
    ex = make_execution(user, events=1)

    def reads_connection_open():
        # Django never closes an in-memory SQLite test database (it would vanish).
        def check():
            return (connection.connection is not None
                    and not getattr(connection, "is_in_memory_db", lambda: False)())
        return reads._executor.submit(check).result()

    async def scenario():
        ws, _, _ = await connect(f"/ws/executions/{ex.id}/", headers)
        await receive_all(ws, is_status)
        while_watched = reads_connection_open()
        await ws.disconnect()
        return while_watched, reads_connection_open()

    while_watched, after = run(scenario)
    assert after is False and reads._holders == 0
    assert while_watched is (connection.vendor != "sqlite")
