"""The live view's websockets through the whole ASGI app (origin check, session, routing)."""
from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings

from tests.engine.test_live_support import append, connect, make_execution, receive_all, run, sqlite_layer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def layer(tmp_path):
    with override_settings(CHANNEL_LAYERS=sqlite_layer(tmp_path)):
        yield


def is_status(message):
    return message["type"] == "execution.status"


def history(messages):
    return [m["seq"] for m in messages if not is_status(m)]


def test_it_replays_the_history_then_follows_new_steps(user, asgi_headers):
    H = {user: asgi_headers(user)}
    ex = make_execution(user, events=3)

    async def scenario():
        ws, connected, _ = await connect(f"/ws/executions/{ex.id}/", H[user])
        assert connected
        replay = await receive_all(ws, is_status)
        await database_sync_to_async(append)(ex, 2)
        live = await receive_all(ws, lambda m: m["seq"] == 5)
        await database_sync_to_async(append)(ex, 1, status="SUCCEEDED")
        end = await receive_all(ws, is_status)
        await ws.disconnect()
        return replay, live, end

    replay, live, end = run(scenario)
    assert history(replay) == [1, 2, 3]
    assert replay[0]["type"] == "ExecutionStarted" and replay[0]["id"] == 1
    assert replay[1]["stateEnteredEventDetails"] == {"name": "Hello"}
    assert replay[-1] == {**replay[-1], "type": "execution.status", "seq": 3, "status": "RUNNING"}
    assert history(live) == [4, 5]
    assert history(end) == [6]
    assert end[-1]["status"] == "SUCCEEDED" and end[-1]["seq"] == 6 and end[-1]["stopDate"]


def test_a_client_resuming_after_a_seq_gets_no_gap_and_no_duplicate(user, asgi_headers):
    H = {user: asgi_headers(user)}
    ex = make_execution(user, events=4)

    async def scenario():
        first, _, _ = await connect(f"/ws/executions/{ex.id}/", H[user])
        seen = history(await receive_all(first, is_status))
        await first.disconnect()
        # Steps committed while the client is away…
        await database_sync_to_async(append)(ex, 3)
        second, _, _ = await connect(f"/ws/executions/{ex.id}/?after={seen[-1]}",
                                     H[user])
        seen += history(await receive_all(second, is_status))
        await database_sync_to_async(append)(ex, 1)
        seen += history(await receive_all(second, lambda m: m["seq"] == 8))
        assert await second.receive_nothing(0.3)
        await second.disconnect()
        return seen

    assert run(scenario) == list(range(1, 9))


def test_an_anonymous_socket_is_closed(user, asgi_headers):
    H = {None: asgi_headers()}
    ex = make_execution(user, events=1)

    async def scenario():
        _, connected, code = await connect(f"/ws/executions/{ex.id}/", H[None])
        return connected, code

    assert run(scenario) == (False, 4401)


def test_someone_elses_execution_is_refused_and_hears_nothing(user, other_user, asgi_headers):
    H = {other_user: asgi_headers(other_user), user: asgi_headers(user)}
    ex = make_execution(user, events=1)

    async def scenario():
        owner, connected, _ = await connect(f"/ws/executions/{ex.id}/", H[user])
        assert connected
        await receive_all(owner, is_status)
        intruder, intruder_connected, code = await connect(f"/ws/executions/{ex.id}/",
                                                           H[other_user])
        await database_sync_to_async(append)(ex, 1)
        heard = await receive_all(owner, lambda m: m["seq"] == 2)
        # Refused before group_add: the bell that reached the owner never reached it.
        silent = await intruder.receive_nothing(0.3)
        await owner.disconnect()
        return intruder_connected, code, history(heard), silent

    assert run(scenario) == (False, 4403, [2], True)


def test_staff_may_watch_any_execution_and_unknown_ids_look_like_foreign_ones(
        user, staff_user, asgi_headers):
    H = {staff_user: asgi_headers(staff_user), user: asgi_headers(user)}
    ex = make_execution(user, events=2)

    async def scenario():
        staff, connected, _ = await connect(f"/ws/executions/{ex.id}/", H[staff_user])
        replay = history(await receive_all(staff, is_status))
        await staff.disconnect()
        _, unknown, code = await connect("/ws/executions/00000000-0000-0000-0000-000000000000/",
                                         H[user])
        return connected, replay, unknown, code

    assert run(scenario) == (True, [1, 2], False, 4403)


def test_a_bad_after_is_refused(user, asgi_headers):
    H = {user: asgi_headers(user)}
    ex = make_execution(user, events=1)

    async def scenario():
        _, connected, code = await connect(f"/ws/executions/{ex.id}/?after=-1",
                                           H[user])
        return connected, code

    assert run(scenario) == (False, 4400)


def test_a_long_history_is_replayed_in_order_across_pages(user, asgi_headers):
    H = {user: asgi_headers(user)}
    ex = make_execution(user, events=1203)

    async def scenario():
        ws, _, _ = await connect(f"/ws/executions/{ex.id}/?after=2", H[user])
        messages = await receive_all(ws, is_status, timeout=30)
        await ws.disconnect()
        return history(messages)

    assert run(scenario) == list(range(3, 1204))


# -- the executions list ------------------------------------------------------------------

def test_the_list_socket_hears_status_changes_of_own_executions_only(
        user, other_user, asgi_headers):
    theirs = make_execution(other_user, name="theirs", events=1)
    H = {user: asgi_headers(user)}

    async def scenario():
        ws, connected, _ = await connect("/ws/executions/", H[user])
        assert connected
        await database_sync_to_async(append)(theirs, 1, status="FAILED")
        mine = await database_sync_to_async(make_execution)(user, "mine", "greeter", 1)
        got = await receive_all(ws, lambda m: True)  # started: RUNNING
        await database_sync_to_async(append)(mine, 1)  # a step: nothing the list shows
        await database_sync_to_async(append)(mine, 1, status="SUCCEEDED")
        got += await receive_all(ws, lambda m: m["status"] == "SUCCEEDED")
        assert await ws.receive_nothing(0.3)
        await ws.disconnect()
        return got, mine

    got, mine = run(scenario)
    assert [(m["type"], m["name"], m["status"]) for m in got] == [
        ("execution.summary", "mine", "RUNNING"), ("execution.summary", "mine", "SUCCEEDED")]
    assert got[1]["seq"] > got[0]["seq"] and got[1]["url"] == f"/executions/{mine.id}/"


def test_the_list_socket_replays_changes_after_the_cursor(user, asgi_headers):
    H = {None: asgi_headers(), user: asgi_headers(user)}
    ex = make_execution(user, name="done", events=1)
    append(ex, 1, status="SUCCEEDED")

    async def scenario():
        ws, _, _ = await connect("/ws/executions/?after=1", H[user])
        got = await receive_all(ws, lambda m: True)
        await ws.disconnect()
        _, anonymous, code = await connect("/ws/executions/", H[None])
        return got, anonymous, code

    got, anonymous, code = run(scenario)
    assert [(m["name"], m["status"]) for m in got] == [("done", "SUCCEEDED")]
    assert (anonymous, code) == (False, 4401)


def test_a_lost_bell_costs_a_delay_not_an_event(user, asgi_headers, monkeypatch):
    """Steps committed without any bell still reach a running execution's socket."""
    from django.db import transaction

    from engine.live import hub
    from engine.models import Execution, HistoryEvent

    monkeypatch.setattr(hub, "SAFETY_POLL_SECONDS", 0.4)
    ex = make_execution(user, events=1)
    H = {user: asgi_headers(user)}

    def append_silently():
        with transaction.atomic():
            HistoryEvent.objects.create(execution=ex, seq=2, previous_event_id=1,
                                        type="PassStateExited")
            Execution.objects.filter(id=ex.id).update(seq=2)

    async def scenario():
        ws, _, _ = await connect(f"/ws/executions/{ex.id}/", H[user])
        await receive_all(ws, is_status)
        await database_sync_to_async(append_silently)()
        got = await receive_all(ws, lambda m: m["seq"] == 2, timeout=5)
        await ws.disconnect()
        return history(got)

    assert run(scenario) == [2]


def test_the_list_socket_catches_a_start_whose_bell_was_lost(user, asgi_headers, monkeypatch):
    from engine import consumers

    monkeypatch.setattr(consumers, "LIST_POLL_SECONDS", 0.4)
    H = {user: asgi_headers(user)}

    async def scenario():
        ws, _, _ = await connect("/ws/executions/", H[user])
        # Created with no bell at all.
        ex = await database_sync_to_async(make_execution)(user, "silent", "greeter", 0)
        got = await receive_all(ws, lambda m: True, timeout=5)
        await ws.disconnect()
        return got, ex

    got, ex = run(scenario)
    assert [(m["id"], m["status"]) for m in got] == [(str(ex.id), "RUNNING")]
