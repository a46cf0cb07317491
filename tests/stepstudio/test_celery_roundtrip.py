"""A task goes through a real broker to a real worker process and its result comes back.

Both the producer and the worker are separate processes, as in production (`manage.py` in one
shell, `make worker` in another), and each test uses its own queue so that other test runs
sharing the Redis server cannot take its message.
"""

import json
import subprocess
import sys
import uuid

import pytest

from tests.support import REPO, child_env, stop_process

pytestmark = pytest.mark.subprocess

PRODUCE = """
import django, json, sys
django.setup()
from stepstudio.tasks import ping
result = ping.apply_async(args=[sys.argv[1]], queue=sys.argv[2])
print(json.dumps(result.get(timeout=60)))
"""


def start_worker(env, queue):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "stepstudio", "worker", "--loglevel=INFO",
         "--concurrency=1", "--without-gossip", "--without-mingle", "-Q", queue],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def round_trip(env):
    queue = f"test-{uuid.uuid4().hex[:12]}"
    worker = start_worker(env, queue)
    try:
        token = uuid.uuid4().hex
        done = subprocess.run([sys.executable, "-c", PRODUCE, token, queue], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=90)
        assert done.returncode == 0, done.stderr[-3000:]
        return token, done.stdout, worker
    finally:
        stop_process(worker)
        # The worker's log explains a failure better than a timeout does.
        log = worker.stdout.read()
        if worker.returncode not in (0, -15):
            print(log[-3000:])


def check(token, stdout, worker):
    answer = json.loads(stdout.strip().splitlines()[-1])
    assert answer["pong"] == token
    assert answer["pid"] != worker.pid  # ran in the prefork child, not in the test


def test_a_task_round_trips_through_the_embedded_broker(tmp_path):
    env = child_env(var_dir=tmp_path)
    check(*round_trip(env))
    assert (tmp_path / "broker.sqlite3").exists()


@pytest.mark.services
def test_a_task_round_trips_through_redis(tmp_path, redis_url):
    env = child_env(var_dir=tmp_path, redis_url=redis_url)
    check(*round_trip(env))
    assert not (tmp_path / "broker.sqlite3").exists()


def test_the_producer_really_needs_the_worker(tmp_path):
    # Not eager mode: with no worker running, the result never arrives.
    code = PRODUCE.replace("timeout=60", "timeout=3")
    done = subprocess.run([sys.executable, "-c", code, "x", "nobody-listens"], cwd=REPO,
                          env=child_env(var_dir=tmp_path), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    assert "TimeoutError" in done.stderr


