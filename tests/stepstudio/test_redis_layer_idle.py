"""A websocket that hears nothing for a while must still hear the next doorbell.

channels-redis waits on a blocking pop with a 5 s timeout; redis-py 8 reads with a 5 s socket
timeout by default, so without our settings an idle consumer's read dies with
"Timeout reading from ..." just before the pop would return (redis/redis-py#4091).
"""
import asyncio
import importlib
import os
import subprocess
import sys

import pytest

from tests.support import require_redis

pytestmark = pytest.mark.services

PROBE = r"""
import asyncio, django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")
django.setup()
from channels.layers import get_channel_layer

async def main():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("idle-probe", channel)
    waiting = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(6.5)  # longer than both 5 s timeouts
    await layer.group_send("idle-probe", {"type": "probe.ring", "n": 1})
    message = await asyncio.wait_for(waiting, 10)
    print("GOT", message["n"])

asyncio.run(main())
"""


def test_an_idle_consumer_still_receives_after_the_socket_timeout():
    url = require_redis()
    env = dict(os.environ, REDIS_URL=url, DJANGO_SETTINGS_MODULE="stepstudio.settings")
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                          text=True, timeout=60, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert "GOT 1" in done.stdout, done.stderr[-2000:]
