"""Give each pytest-xdist worker services of its own, before Django reads its settings.

`make test` runs the suite on two workers (`-n 2`). pytest-django already gives each worker
its own test database (test_<name>_gw0, …); this plugin does the same for what the settings
read from the environment at import time: the Redis database (Celery broker, results, the
channel layer, throttling buckets — keyed by ids that repeat across the workers' databases)
and VAR_DIR. On RabbitMQ (CELERY_BROKER_URL=amqp://…/<vhost>, `make test-rabbitmq`) each
worker gets the vhost `<vhost>_gw<n>` instead: the Makefile creates those next to the base
vhost and deletes them after the run (a vhost is created with rabbitmqctl, which needs the
broker's Erlang cookie: the Makefile runs where the broker does). Loaded with `-p` so it runs
before pytest-django imports the settings; in a run without xdist it changes nothing.
"""
from __future__ import annotations

import os
import tempfile
from urllib.parse import quote, unquote, urlsplit, urlunsplit

REDIS_DATABASES = 16  # Redis's default `databases`


def _redis_for_worker(url: str, worker: int) -> str:
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base + 1 + worker) % REDIS_DATABASES}"))


def _vhost_for_worker(url: str, worker_id: str) -> str:
    parts = urlsplit(url)
    vhost = unquote(parts.path[1:]) if parts.path not in ("", "/") else "/"
    own = f"{'' if vhost == '/' else vhost}_{worker_id}"
    return urlunsplit(parts._replace(path="/" + quote(own, safe="")))


def _isolate() -> None:
    worker_id = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker_id:
        return
    worker = int(worker_id.removeprefix("gw"))
    url = os.environ.get("REDIS_URL")
    if url and urlsplit(url).scheme in ("redis", "rediss"):
        os.environ["REDIS_URL"] = _redis_for_worker(url, worker)
    broker = os.environ.get("CELERY_BROKER_URL")
    if broker and urlsplit(broker).scheme in ("amqp", "amqps", "pyamqp"):
        os.environ["CELERY_BROKER_URL"] = _vhost_for_worker(broker, worker_id)
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix=f"stepstudio-{worker_id}-")


_isolate()
