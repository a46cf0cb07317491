"""A websocket hears a doorbell rung by another process, through the configured channel layer."""

import asyncio
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from stepstudio.asgi import application
from tests.support import child_env, run_python

pytestmark = pytest.mark.django_db(transaction=True)

RING = """
import django, sys
django.setup()
from django.db import transaction
from stepstudio.notify import ring
with transaction.atomic():
    ring("ping", {"type": "ping.message", "token": sys.argv[1]})
    print("rang inside the transaction", flush=True)
"""


def sqlite_layer(var_dir):
    return {"default": {"BACKEND": "stepstudio.layers.SQLiteChannelLayer",
                        "CONFIG": {"path": str(var_dir / "channels.sqlite3")}}}


def redis_layer(url):
    return {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                        "CONFIG": {"hosts": [url]}}}


def ring_from_another_process(env, token):
    # ring() opens a database connection (on_commit asks it about autocommit); the bell's
    # path under test is the channel layer, so the ringing process gets a throwaway SQLite.
    env = dict(env, DATABASE_URL=f"sqlite:///{env['VAR_DIR']}/ring.sqlite3")
    code = f"import sys; sys.argv[1:] = [{token!r}]\n" + RING
    done = run_python(code, env)
    assert done.returncode == 0, done.stderr[-3000:]


async def receive_token(communicator, token, timeout=10):
    """The next ping carrying `token`; pings from other test runs on a shared Redis are skipped."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        message = await communicator.receive_json_from(timeout=max(0.1, deadline - loop.time()))
        if message.get("token") == token:
            return message


def hears_the_bell(headers, env):
    token = uuid.uuid4().hex

    async def scenario():
        listener = WebsocketCommunicator(application, "/ws/ping/", headers=headers)
        connected, _ = await listener.connect(timeout=10)
        assert connected
        try:
            await asyncio.to_thread(ring_from_another_process, env, token)
            return await receive_token(listener, token)
        finally:
            await listener.disconnect()

    return async_to_sync(scenario)()


def test_the_embedded_layer_carries_a_ring_from_another_process(tmp_path, user, asgi_headers):
    with override_settings(CHANNEL_LAYERS=sqlite_layer(tmp_path)):
        message = hears_the_bell(asgi_headers(user), child_env(var_dir=tmp_path))
    assert message["type"] == "ping.message"


@pytest.mark.services
def test_channels_redis_carries_a_ring_from_another_process(tmp_path, user, asgi_headers,
                                                            redis_url):
    with override_settings(CHANNEL_LAYERS=redis_layer(redis_url)):
        message = hears_the_bell(asgi_headers(user),
                                 child_env(var_dir=tmp_path, redis_url=redis_url))
    assert message["type"] == "ping.message"


def test_an_anonymous_websocket_is_refused(tmp_path, asgi_headers):
    async def scenario():
        communicator = WebsocketCommunicator(application, "/ws/ping/", headers=asgi_headers())
        connected, code = await communicator.connect(timeout=10)
        return connected, code

    with override_settings(CHANNEL_LAYERS=sqlite_layer(tmp_path)):
        connected, code = async_to_sync(scenario)()
    assert not connected
    assert code == 4401


def test_a_foreign_origin_is_refused(tmp_path, user, asgi_headers):
    headers = asgi_headers(user, origin="http://evil.example")

    async def scenario():
        communicator = WebsocketCommunicator(application, "/ws/ping/", headers=headers)
        connected, _ = await communicator.connect(timeout=10)
        return connected

    with override_settings(CHANNEL_LAYERS=sqlite_layer(tmp_path)):
        assert not async_to_sync(scenario)()
