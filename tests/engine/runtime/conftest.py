"""A real runtime for each test: Celery worker + `workflows scheduler` subprocesses on the
run's broker (Redis, or RabbitMQ under `make test-rabbitmq`), sharing pytest-django's
PostgreSQL test database.

Tests are `transaction=True` (the worker must see committed rows). Every test gets its own
queue, so test runs sharing a broker never take each other's messages; on RabbitMQ the
test's queues are deleted after it. Short sweeper
and lease timings make fault recovery fast enough to test.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from tests.support import (REPO, child_env, delete_amqp_queues, require_postgres, require_redis,
                           stop_process, wait_until)

KNOBS = {"STEPSTUDIO_SWEEP_AFTER_SECONDS": "2", "STEPSTUDIO_TASK_LEASE_SECONDS": "3"}


def test_database_url(base_url: str) -> str:
    """DATABASE_URL naming the test database pytest-django created (test_<name>)."""
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path="/" + settings.DATABASES["default"]["NAME"]))


class Runtime:
    """The processes of one test's runtime; started and stopped by id."""

    # Handler modules the workers import (a subclass adds its own).
    includes = ("tests.engine.runtime.handlers",)

    def __init__(self, env: dict, queue: str, log_dir):
        self.env, self.queue, self.log_dir = env, queue, log_dir
        self.workers: list[subprocess.Popen] = []
        self.scheduler: subprocess.Popen | None = None

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}-{time.monotonic_ns()}.log", "w")
        # Own session: a SIGKILL of the group reaches the prefork children too.
        return subprocess.Popen(argv, cwd=REPO, env=self.env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)

    def start_worker(self, concurrency: int = 2) -> subprocess.Popen:
        worker = self._spawn("worker", [
            sys.executable, "-m", "celery", "-A", "stepstudio", "worker", "--loglevel=WARNING",
            # A node name per worker: two workers named celery@<host> share an exclusive
            # remote-control queue on RabbitMQ, and the second dies at start.
            "-n", f"runtime-{uuid.uuid4().hex[:8]}@%h",
            f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-Q", self.queue, "--include", ",".join(self.includes)])
        self.workers.append(worker)
        return worker

    def start_scheduler(self) -> subprocess.Popen:
        self.scheduler = self._spawn("scheduler", [sys.executable, "manage.py", "workflows",
                                                   "scheduler"])
        return self.scheduler

    def revive(self) -> int:
        """Act as the supervisor (systemd, `manage.py serve`): restart workers that exited."""
        dead = [w for w in self.workers if w.poll() is not None]
        for worker in dead:
            self.workers.remove(worker)
            self.start_worker()
        return len(dead)

    def kill_worker(self, worker: subprocess.Popen) -> None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
        self.workers.remove(worker)

    def stop(self) -> None:
        for proc in self.workers + ([self.scheduler] if self.scheduler else []):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def logs(self) -> str:
        return "\n".join(f"== {p.name}\n{p.read_text()[-4000:]}" for p in
                         sorted(self.log_dir.glob("*.log")))


@pytest.fixture
def runtime_env(transactional_db, tmp_path, monkeypatch):
    """Environment for runtime child processes (PostgreSQL test DB + Redis, own queue)."""
    redis_url = require_redis()
    database_url = test_database_url(require_postgres())
    queue = f"runtime-test-{uuid.uuid4().hex[:10]}"
    for name, value in {**KNOBS, "STEPSTUDIO_QUEUE": queue,
                        "RUNTIME_TEST_REDIS": redis_url}.items():
        monkeypatch.setenv(name, value)
    env = child_env(var_dir=tmp_path, redis_url=redis_url, DATABASE_URL=database_url,
                    STEPSTUDIO_QUEUE=queue, RUNTIME_TEST_REDIS=redis_url, **KNOBS)
    yield env, queue
    # After the test's processes stopped (fixtures using this one are torn down first).
    from engine.runtime import config

    delete_amqp_queues([queue] + [f"{queue}.lane{k}" for k in range(config.fair_lanes())])


def running(cls, runtime_env, tmp_path, request):
    """A started worker and scheduler of `cls` for one test; their logs printed if it failed."""
    env, queue = runtime_env
    rt = cls(env, queue, tmp_path)
    rt.start_worker()
    rt.start_scheduler()
    yield rt
    rt.stop()
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        print(rt.logs())


@pytest.fixture
def runtime(runtime_env, tmp_path, request):
    yield from running(Runtime, runtime_env, tmp_path, request)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


# The machine is shared (2 cores): waits are generous, the assertions are what matters.
SLACK = float(os.environ.get("RUNTIME_TEST_SLACK", "3"))


def wait_for_execution(execution, timeout: float = 60.0, status=None):
    """Poll until the execution stops (or reaches `status`); returns it refreshed."""
    timeout *= SLACK
    def done():
        execution.refresh_from_db()
        if status is not None:
            return execution.status == status
        return execution.status != "RUNNING"

    wait_until(done, timeout, interval=0.1, what=f"execution {execution.id} to finish")
    return execution


def assert_history_contiguous(execution):
    """Event ids 1..N with no gap and no duplicate, and N == the execution's seq."""
    seqs = list(execution.events.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert seqs[-1] == execution.seq
    return seqs


@pytest.fixture
def make_machine(user):
    """make_machine(definition, name=None, type="STANDARD") -> StateMachine owned by `user`."""
    from engine.models import StateMachine

    def make(definition, name=None, type="STANDARD"):
        return StateMachine.objects.create(owner=user, name=name or f"m-{uuid.uuid4().hex[:8]}",
                                           definition=definition, type=type)

    return make


def lambda_arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:000000000000:function:{name}"
