"""The SQLite channel layer keeps channels' layer semantics across separate layer instances.

Each instance stands for one process (they share nothing but the file); the real
cross-process path is covered in test_websocket_doorbell.py.
"""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.exceptions import ChannelFull

from stepstudio.layers import SQLiteChannelLayer


@pytest.fixture
def layers(tmp_path):
    path = tmp_path / "channels.sqlite3"
    return SQLiteChannelLayer(path, poll_interval=0.01), SQLiteChannelLayer(path, poll_interval=0.01)


def run(coro_fn):
    return async_to_sync(coro_fn)()


def test_a_message_sent_by_one_instance_is_received_by_the_other_once(layers):
    web, worker = layers

    async def scenario():
        channel = await web.new_channel()
        await worker.send(channel, {"type": "hello", "n": 1, "raw": b"\x00\x01"})
        first = await asyncio.wait_for(web.receive(channel), 2)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(web.receive(channel), 0.2)
        return first

    assert run(scenario) == {"type": "hello", "n": 1, "raw": b"\x00\x01"}


def test_messages_arrive_in_send_order(layers):
    web, worker = layers

    async def scenario():
        channel = await web.new_channel()
        for n in range(5):
            await worker.send(channel, {"type": "n", "n": n})
        return [(await web.receive(channel))["n"] for _ in range(5)]

    assert run(scenario) == [0, 1, 2, 3, 4]


def test_group_send_reaches_members_only_until_they_leave(layers):
    web, worker = layers

    async def scenario():
        member, outsider = await web.new_channel(), await web.new_channel()
        await web.group_add("execution-1", member)
        await worker.group_send("execution-1", {"type": "execution.advanced", "seq": 3})
        heard = await asyncio.wait_for(web.receive(member), 2)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(web.receive(outsider), 0.2)
        await web.group_discard("execution-1", member)
        await worker.group_send("execution-1", {"type": "execution.advanced", "seq": 4})
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(web.receive(member), 0.2)
        return heard

    assert run(scenario)["seq"] == 3


def test_a_full_channel_refuses_direct_sends_and_is_skipped_by_group_sends(tmp_path):
    layer = SQLiteChannelLayer(tmp_path / "c.sqlite3", capacity=2)

    async def scenario():
        channel = await layer.new_channel()
        await layer.group_add("g", channel)
        await layer.send(channel, {"type": "a"})
        await layer.send(channel, {"type": "b"})
        with pytest.raises(ChannelFull):
            await layer.send(channel, {"type": "c"})
        await layer.group_send("g", {"type": "d"})  # no error: group sends drop silently
        return [(await layer.receive(channel))["type"] for _ in range(2)]

    assert run(scenario) == ["a", "b"]


def test_expired_messages_are_not_delivered(tmp_path):
    layer = SQLiteChannelLayer(tmp_path / "c.sqlite3", expiry=0.1, poll_interval=0.01)

    async def scenario():
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "stale"})
        await asyncio.sleep(0.3)
        await layer.send(channel, {"type": "fresh"})
        return (await asyncio.wait_for(layer.receive(channel), 2))["type"]

    assert run(scenario) == "fresh"


def test_invalid_names_are_rejected(tmp_path):
    layer = SQLiteChannelLayer(tmp_path / "c.sqlite3")

    async def scenario():
        with pytest.raises(TypeError):
            await layer.group_send("spaces are not allowed", {"type": "x"})
        with pytest.raises(TypeError):
            await layer.send("bad name", {"type": "x"})

    run(scenario)
