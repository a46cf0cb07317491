"""(2)+(6) Websockets: login required, bob cannot follow alice's executions (neither the
execution socket nor the list socket leaks them), staff can, and a foreign Origin is refused
before anything else (AllowedHostsOriginValidator)."""
from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings

from tests.engine.test_live_support import append, connect, receive_all, run, sqlite_layer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def layer(tmp_path):
    with override_settings(CHANNEL_LAYERS=sqlite_layer(tmp_path)):
        yield


def refused(path, headers):
    async def scenario():
        ws, connected, code = await connect(path, headers)
        if connected:
            await ws.disconnect()
        return connected, code
    return run(scenario)


PATHS = ["/ws/executions/", "/ws/executions/{id}/", "/ws/ping/"]


@pytest.mark.parametrize("path", PATHS)
def test_an_anonymous_socket_is_refused(world, asgi_headers, path):
    connected, code = refused(path.format(id=world.failed.id), asgi_headers(None))
    assert not connected and code == 4401


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "https://localhost.evil.example"])
@pytest.mark.parametrize("path", PATHS)
def test_a_foreign_origin_is_refused_even_with_a_session(world, asgi_headers, path, origin):
    connected, _ = refused(path.format(id=world.failed.id), asgi_headers(world.alice, origin))
    assert not connected


def test_a_missing_origin_is_refused(world, asgi_headers):
    headers = [h for h in asgi_headers(world.alice) if h[0] != b"origin"]
    connected, _ = refused(f"/ws/executions/{world.failed.id}/", headers)
    assert not connected


def test_bob_cannot_follow_alices_execution(world, asgi_headers):
    for execution in (world.failed, world.running):
        connected, code = refused(f"/ws/executions/{execution.id}/", asgi_headers(world.bob))
        assert not connected and code == 4403


def test_an_unknown_id_and_a_foreign_one_get_the_same_answer(world, asgi_headers):
    import uuid

    a = refused(f"/ws/executions/{uuid.uuid4()}/", asgi_headers(world.bob))
    b = refused(f"/ws/executions/{world.failed.id}/", asgi_headers(world.bob))
    assert a == b == (False, 4403)


def test_bobs_list_socket_never_mentions_alices_executions(world, asgi_headers):
    bob = asgi_headers(world.bob)

    async def scenario():
        ws, connected, _ = await connect("/ws/executions/?after=1", bob)
        assert connected
        # alice's execution advances (and finishes): the runtime rings the all-executions
        # group that bob's socket also joined.
        await database_sync_to_async(append)(world.running, 1, status="SUCCEEDED")
        await asyncio.sleep(0.5)
        got = []
        while not await ws.receive_nothing(timeout=0.5):
            got.append(await ws.receive_json_from())
        await ws.disconnect()
        return got

    messages = run(scenario)
    assert not [m for m in messages if m.get("id") in (str(world.running.id),
                                                       str(world.failed.id))], messages


def test_staff_follow_alices_execution_and_list(world, asgi_headers):
    staff = asgi_headers(world.staff)

    async def scenario():
        ws, connected, _ = await connect(f"/ws/executions/{world.failed.id}/", staff)
        assert connected
        replay = await receive_all(ws, lambda m: m["type"] == "execution.status")
        await ws.disconnect()
        lst, connected, _ = await connect("/ws/executions/?after=1", staff)
        assert connected
        summaries = await receive_all(lst, lambda m: m.get("id") == str(world.failed.id))
        await lst.disconnect()
        return replay, summaries

    replay, summaries = run(scenario)
    assert [m["seq"] for m in replay if m["type"] != "execution.status"] == [1, 2, 3, 4, 5]
    assert summaries[-1]["id"] == str(world.failed.id)


def test_the_sockets_ignore_json_a_client_sends(world, asgi_headers):
    alice = asgi_headers(world.alice)

    async def scenario():
        ws, connected, _ = await connect(f"/ws/executions/{world.running.id}/", alice)
        assert connected
        await receive_all(ws, lambda m: m["type"] == "execution.status")
        await ws.send_json_to({"type": "execution.advanced", "id": "x"})
        await ws.send_json_to({"type": "websocket.disconnect"})
        quiet = await ws.receive_nothing(timeout=0.5)
        await ws.disconnect()
        return quiet

    assert run(scenario)


@pytest.mark.parametrize("path", ["/ws/executions/{id}/", "/ws/executions/", "/ws/ping/"])
@pytest.mark.parametrize("frame", [{"text_data": "not json"}, {"bytes_data": b"\x00\xff"}])
def test_a_frame_that_is_not_json_does_not_crash_the_consumer(world, asgi_headers, path, frame):
    alice = asgi_headers(world.alice)

    async def scenario():
        ws, connected, _ = await connect(path.format(id=world.running.id), alice)
        assert connected
        await ws.receive_nothing(timeout=0.3)  # drain the replay
        while not await ws.receive_nothing(timeout=0.2):
            await ws.receive_from()
        await ws.send_to(**frame)
        quiet = await ws.receive_nothing(timeout=0.5)
        await ws.disconnect()
        return quiet

    assert run(scenario)


@pytest.mark.parametrize("query", ["after=%C2%B2", "after=99999999999999999999"])
def test_a_bad_cursor_is_a_4400_not_a_crash(world, asgi_headers, query):
    alice = asgi_headers(world.alice)

    async def scenario():
        results = []
        for path in ("/ws/executions/", f"/ws/executions/{world.failed.id}/"):
            ws, connected, code = await connect(f"{path}?{query}", alice)
            if connected:
                await ws.disconnect()
            results.append(connected or code == 4400)
        return results

    assert all(run(scenario))
