"""Helpers for tests that need real services or real child processes.

Importable from any test (`from tests.support import ...`); fixtures live in conftest.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
MANAGE_PY = REPO / "manage.py"
CHROMIUM = "/usr/bin/chromium"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def service_missing(reason: str):
    """Skip on a developer machine; in CI a missing service is a broken pipeline, not a skip."""
    if in_ci():
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def reachable(url: str, default_port: int, timeout: float = 2.0) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port),
                                      timeout=timeout):
            return True
    except OSError:
        return False


def require_redis() -> str:
    """REDIS_URL, checked to answer; see service_missing for what happens otherwise."""
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        service_missing("REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        service_missing(f"Redis at {url} does not answer: {exc}")
    return url


def require_postgres() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        service_missing("DATABASE_URL does not point at PostgreSQL")
    if not reachable(url, 5432):
        service_missing(f"PostgreSQL at {url} does not answer")
    return url


def require_chromium() -> str:
    if not Path(CHROMIUM).exists():
        service_missing(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    return CHROMIUM


def child_env(*, var_dir: Path, redis_url: str | None = None, **extra: str) -> dict[str, str]:
    """Environment for a child Django process: this one's, with the broker chosen explicitly.

    `redis_url=None` means embedded mode (SQLite broker and layer under var_dir), even when
    the test run itself has REDIS_URL or a RabbitMQ CELERY_BROKER_URL set (an explicit
    CELERY_BROKER_URL in `extra` still counts); with a `redis_url` the child keeps this
    run's broker (RabbitMQ under `make test-rabbitmq`).
    """
    dropped = {"REDIS_URL", "DJANGO_SETTINGS_MODULE"} | (set() if redis_url else {"CELERY_BROKER_URL"})
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(DJANGO_SETTINGS_MODULE="stepstudio.settings", VAR_DIR=str(var_dir),
               PYTHONUNBUFFERED="1", **extra)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def delete_amqp_queues(names) -> None:
    """On RabbitMQ (this run's CELERY_BROKER_URL is amqp://…), delete the named queues.

    A test's queues (the runtime's, its lanes, a handler's) outlive its worker on RabbitMQ,
    where every quorum queue holds a few of the broker's file handles: a suite leaving
    hundreds behind exhausts the broker's handle budget (1024 descriptors by default), and
    then the broker stops answering new connections. Redis keeps no empty queue; nothing to do.
    """
    from django.conf import settings

    if not getattr(settings, "AMQP_BROKER_URL", None):
        return
    from stepstudio.celery import app

    with app.connection_for_write() as conn:
        channel = conn.channel()
        for name in names:
            channel.queue_delete(name)  # RabbitMQ answers a missing queue with OK too
        channel.close()


def run_python(code: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter at the repository root; returns the finished process."""
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
