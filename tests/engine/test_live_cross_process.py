"""A real worker in another process advances an execution; the socket hears every event in order.

Two layers, the two deployments: channels-redis (REDIS_URL; CI sets it and a missing Redis
fails there) and the embedded SQLite layer with the embedded SQLite broker. Both share
pytest-django's PostgreSQL test database with the worker (a SQLite test database lives in
this process's memory and cannot be shared).
"""
from __future__ import annotations

import asyncio
import json
import sys
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from engine import samples
from engine.models import Execution, HistoryEvent, StateMachine
from stepstudio.asgi import application
from tests.engine.runtime import conftest as runtime_support
from tests.engine.test_live_support import sqlite_layer
from tests.support import child_env, require_postgres, require_redis, run_python

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

START = """
import django, json, sys
django.setup()
from engine import services
from engine.models import StateMachine
machine = StateMachine.objects.get(id=int(sys.argv[1]))
print(services.start_execution(machine, json.loads(sys.argv[2])).id)
"""


def redis_layer(url):
    return {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                        "CONFIG": {"hosts": [url]}}}


@pytest.fixture(params=["redis", "embedded"])
def deployment(request, tmp_path):
    """(child environment, channel layer settings) of one deployment, with its own queue."""
    database_url = runtime_support.test_database_url(require_postgres())
    queue = f"live-test-{uuid.uuid4().hex[:10]}"
    extra = dict(runtime_support.KNOBS, DATABASE_URL=database_url, STEPSTUDIO_QUEUE=queue)
    if request.param == "redis":
        url = require_redis()
        return child_env(var_dir=tmp_path, redis_url=url, RUNTIME_TEST_REDIS=url, **extra), \
            redis_layer(url), queue
    return child_env(var_dir=tmp_path, **extra), sqlite_layer(tmp_path), queue


@pytest.fixture
def processes(deployment, tmp_path):
    env, layer, queue = deployment
    runtime = runtime_support.Runtime(env, queue, tmp_path)
    # The runtime tests' handlers module needs Redis; the samples' handlers are enough here.
    runtime.start_worker = lambda concurrency=2: runtime.workers.append(runtime._spawn(
        "worker", [sys.executable, "-m", "celery", "-A", "stepstudio", "worker", "--loglevel=WARNING",
                   f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
                   "--without-heartbeat", "-Q", queue])) or runtime.workers[-1]
    runtime.start_worker()
    runtime.start_scheduler()
    yield env, layer
    runtime.stop()


def start_in_another_process(env, machine, value) -> str:
    code = f"import sys; sys.argv[1:] = [{str(machine.id)!r}, {json.dumps(value)!r}]\n" + START
    done = run_python(code, env, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_the_socket_hears_every_event_a_worker_commits_in_order(processes, user, asgi_headers):
    env, layer = processes
    samples.load(user)
    machine = StateMachine.objects.get(owner=user, name="job-poller")
    headers = asgi_headers(user)

    async def scenario(execution_id):
        ws = WebsocketCommunicator(application, f"/ws/executions/{execution_id}/",
                                   headers=headers)
        connected, _ = await ws.connect(timeout=10)
        assert connected
        messages = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 90
        while True:
            message = await ws.receive_json_from(timeout=max(0.1, deadline - loop.time()))
            messages.append(message)
            if message["type"] == "execution.status" and message["status"] != "RUNNING":
                break
        await ws.disconnect()
        return messages

    with override_settings(CHANNEL_LAYERS=layer):
        execution_id = start_in_another_process(
            env, machine, {"waitSeconds": 1, "checksNeeded": 2, "flaky": True})
        messages = async_to_sync(scenario)(execution_id)

    execution = Execution.objects.get(id=execution_id)
    assert execution.status == "SUCCEEDED", (execution.error, execution.cause)
    events = [m for m in messages if m["type"] != "execution.status"]
    stored = list(HistoryEvent.objects.filter(execution=execution).order_by("seq"))
    assert [m["seq"] for m in events] == [e.seq for e in stored] == list(range(1, len(stored) + 1))
    assert [m["type"] for m in events] == [e.type for e in stored]
    # It followed live, not one replay at the end: statuses arrived while it ran.
    assert messages[-1]["seq"] == execution.seq
    assert len([m for m in messages if m["type"] == "execution.status"]) >= 2
