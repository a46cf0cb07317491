"""The SQLite channel layer receives for all its channels with one poller (not one per
channel), and a message claimed for a receive cancelled at that moment is not lost."""

import asyncio

import msgpack
from asgiref.sync import async_to_sync

from stepstudio.layers import SQLiteChannelLayer


def pollers():
    return [t for t in asyncio.all_tasks()
            if t.get_coro().__qualname__ == "SQLiteChannelLayer._poll" and not t.done()]


def test_one_poller_serves_every_waiting_channel(tmp_path):
    web = SQLiteChannelLayer(tmp_path / "c.sqlite3", poll_interval=0.01)
    worker = SQLiteChannelLayer(tmp_path / "c.sqlite3", poll_interval=0.01)

    async def scenario():
        channels = [await web.new_channel() for _ in range(20)]
        for channel in channels:
            await web.group_add("execution-1", channel)
        receiving = [asyncio.ensure_future(web.receive(c)) for c in channels]
        await asyncio.sleep(0.05)
        waiting_pollers = len(pollers())
        await worker.group_send("execution-1", {"type": "execution.advanced", "seq": 7})
        heard = await asyncio.wait_for(asyncio.gather(*receiving), 5)
        await asyncio.sleep(0.05)
        return waiting_pollers, heard, len(pollers())

    waiting_pollers, heard, idle_pollers = async_to_sync(scenario)()
    assert waiting_pollers == 1
    assert heard == [{"type": "execution.advanced", "seq": 7}] * 20
    assert idle_pollers == 0  # nothing waits: nothing polls


def test_a_message_delivered_to_a_cancelled_receive_goes_to_the_next_one(tmp_path):
    layer = SQLiteChannelLayer(tmp_path / "c.sqlite3", poll_interval=0.01)

    async def scenario():
        channel = await layer.new_channel()
        first = asyncio.ensure_future(layer.receive(channel))
        while channel not in layer._waiters:
            await asyncio.sleep(0)
        # The poller hands the message over, and the receiver is cancelled before it runs.
        layer._deliver(channel, msgpack.packb({"type": "kept"}))
        first.cancel()
        await asyncio.gather(first, return_exceptions=True)
        return first.cancelled(), await asyncio.wait_for(layer.receive(channel), 2)

    assert async_to_sync(scenario)() == (True, {"type": "kept"})


def test_messages_sent_before_anyone_waits_are_received_in_order(tmp_path):
    web = SQLiteChannelLayer(tmp_path / "c.sqlite3", poll_interval=0.01)
    worker = SQLiteChannelLayer(tmp_path / "c.sqlite3", poll_interval=0.01)

    async def scenario():
        a, b = await web.new_channel(), await web.new_channel()
        for n in range(3):
            await worker.send(a, {"type": "n", "n": n})
            await worker.send(b, {"type": "n", "n": 10 + n})
        got_a = [(await asyncio.wait_for(web.receive(a), 2))["n"] for _ in range(3)]
        got_b = [(await asyncio.wait_for(web.receive(b), 2))["n"] for _ in range(3)]
        return got_a, got_b

    assert async_to_sync(scenario)() == ([0, 1, 2], [10, 11, 12])
