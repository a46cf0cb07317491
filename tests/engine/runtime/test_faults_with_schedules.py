"""The fault campaign with schedules and webhooks active ("run it like a service").

Everything runs on a private PostgreSQL cluster (tests/stepstudio/pgcluster.py) and a
private redis-server as the broker: two Celery workers, two `workflows scheduler` processes
and this test itself. Twenty one-time `at()` schedules fall due 2 s apart; each starts an
execution that runs two Tasks on a worker (one takes a second) and a Wait; a webhook takes
every status change to a receiver run by the test. While the slots fall due: the receiver
goes down; a worker (preferably mid-handler) and a scheduler are SIGKILLed and started
again, as a supervisor would; then the other worker; PostgreSQL is stopped for 5 s (a worker
and a scheduler killed meanwhile, their replacements started on the dead database) and
started again; the broker is SIGKILLed and started again empty. Once every execution has
finished, PostgreSQL is restarted once more while only deliveries are left, and the receiver
comes back.

Afterwards: every slot started exactly one execution, every execution succeeded with a well
formed history (no step run twice where it shows), every status change reached the receiver
signed, and every process the test did not kill is still running.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit

import pytest
import redis
from django.db import connections
from django.db import utils as db_utils
from django.utils import timezone

from tests.engine.events.receiver import Receiver
from tests.engine.runtime.conftest import KNOBS, SLACK, Runtime, lambda_arn
from tests.stepstudio.pgcluster import Cluster
from tests.support import REPO, child_env, free_port, service_missing, wait_until

pytestmark = [pytest.mark.services, pytest.mark.subprocess]

SLOTS = 20
EVENT_KNOBS = {"WEBHOOK_ALLOWED_HOSTS": "127.0.0.1", "WEBHOOK_RETRY_BASE_SECONDS": "1",
               # The receiver is down for ~45 s: attempts every 3 s at most stay well
               # under the default budget of 30.
               "WEBHOOK_RETRY_MAX_SECONDS": "3",
               # A delivery's lease is the timeout + 20 s: a worker killed mid-POST has its
               # delivery retried after that, inside the test's time.
               "WEBHOOK_TIMEOUT_SECONDS": "2"}
TERMINAL_EVENTS = {"ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted",
                   "ExecutionTimedOut"}


class Campaign(Runtime):
    """The runtime's workers plus any number of schedulers, each killed or stopped by id."""

    def __init__(self, *args):
        super().__init__(*args)
        self.schedulers: list[subprocess.Popen] = []
        self.killed: list[subprocess.Popen] = []

    def start_scheduler(self) -> subprocess.Popen:
        process = self._spawn("scheduler", [sys.executable, "manage.py", "workflows",
                                            "scheduler"])
        self.schedulers.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        for group in (self.workers, self.schedulers):
            if process in group:
                group.remove(process)
        self.killed.append(process)

    def dead(self) -> list[str]:
        """Processes that exited without the test killing them."""
        return [f"{kind} pid {p.pid} exited {p.returncode}"
                for kind, group in (("worker", self.workers), ("scheduler", self.schedulers))
                for p in group if p.poll() is not None]

    def stop(self) -> None:
        self.workers += self.schedulers
        self.schedulers = []
        super().stop()


@contextlib.contextmanager
def database_at(url: str, blocker):
    """This process's default connection on `url` for the block (the cluster's database)."""
    parts = urlsplit(url)
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    with blocker.unblock():
        connection.close()
        connection.settings_dict.update(NAME=parts.path.lstrip("/"), HOST=parts.hostname,
                                        PORT=str(parts.port), USER=parts.username or "postgres",
                                        PASSWORD="")
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)


def db(read, default=None):
    """`read()`, or `default` while the database is down (the connection is dropped).

    Error, not DatabaseError: a cut connection raises InterfaceError too."""
    try:
        return read()
    except db_utils.Error:
        connections["default"].close()
        return default


class Broker:
    """A redis-server of the test's own, without persistence: a restart loses every message."""

    def __init__(self, directory):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            service_missing("redis-server is not installed")
        self.directory, self.port, self.process = directory, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.pings, 10, what="redis-server")

    def pings(self):
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
        except redis.RedisError:
            return False

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def broker(tmp_path):
    broker = Broker(tmp_path)
    try:
        broker.start()
        yield broker
    finally:
        broker.kill()


@pytest.fixture
def cluster():
    cluster = Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def campaign(cluster, broker, tmp_path, monkeypatch, settings, django_db_blocker, request):
    url = cluster.create_database("campaign")
    redis_url = broker.url
    queue = f"campaign-{uuid.uuid4().hex[:10]}"
    knobs = {**KNOBS, **EVENT_KNOBS, "STEPSTUDIO_QUEUE": queue, "RUNTIME_TEST_REDIS": redis_url}
    # The private redis-server is the broker whatever this run's broker is (under `make
    # test-rabbitmq` too): the campaign kills and restarts its own broker, never a shared one.
    env = child_env(var_dir=tmp_path, redis_url=redis_url, DATABASE_URL=url,
                    CELERY_BROKER_URL="", **knobs)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=REPO, env=env,
                   check=True, timeout=300)
    for name, value in knobs.items():
        monkeypatch.setenv(name, value)
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.STEPSTUDIO_QUEUE = queue
    rt = Campaign(env, queue, tmp_path)
    with database_at(url, django_db_blocker):
        try:
            yield cluster, broker, rt
        finally:
            rt.stop()
            rep = getattr(request.node, "rep_call", None)
            if rep is not None and rep.failed:
                print(rt.logs())
                print((cluster.root / "log").read_text()[-3000:])


def test_schedules_and_webhooks_survive_kills_a_database_restart_and_a_receiver_outage(
        campaign):
    from django.contrib.auth import get_user_model

    from engine.events import signing, webhooks
    from engine.models import (Execution, HistoryEvent, Schedule, ScheduleFiring,
                               StateMachine, StatusEvent, WebhookAttempt, WebhookDelivery)
    from engine.schedules import service

    cluster, broker, rt = campaign
    began = time.monotonic()
    user = get_user_model().objects.create_user("campaign", password="x")
    StateMachine.objects.create(owner=user, name="tick", definition={
        "StartAt": "Hello", "States": {
            "Hello": {"Type": "Task", "Resource": lambda_arn("greet"), "ResultPath": "$.hello",
                      "Next": "Slow"},
            "Slow": {"Type": "Task", "Resource": lambda_arn("test-nap"),
                     "Parameters": {"seconds": 1}, "ResultPath": "$.slow", "Next": "Nap"},
            "Nap": {"Type": "Wait", "Seconds": 1, "End": True}}})
    receiver = Receiver(free_port()).start()
    hook = webhooks.save(user, {"name": "all", "url": receiver.url})
    for _ in range(2):
        rt.start_worker()
        rt.start_scheduler()
    start = timezone.now().replace(microsecond=0)
    slots = {}
    for i in range(SLOTS):
        when = start + dt.timedelta(seconds=8 + 2 * i)
        name = f"once-{i:02d}"
        service.save(user, {"name": name, "target": "tick",
                            "expression": f"at({when:%Y-%m-%dT%H:%M:%S})",
                            "input": {"name": name}})
        slots[name] = when

    def fired():
        return db(lambda: ScheduleFiring.objects.count(), 0)

    def mark(what):
        print(f"{time.monotonic() - began:5.1f}s {what}")

    def in_slow_task():
        # An execution entered Slow and not yet Nap, which follows it.
        return (HistoryEvent.objects.filter(type="TaskStateEntered", state_name="Slow").count()
                > HistoryEvent.objects.filter(type="WaitStateEntered").count())

    try:
        # A worker and a scheduler SIGKILLed while slots fall due; the receiver goes down.
        wait_until(lambda: fired() >= 3, 60 * SLACK, what="the first firings")
        mark("receiver down")
        receiver.stop()
        # Preferably while a handler runs (the slow Task takes 1 s of the 2 between slots).
        with contextlib.suppress(AssertionError):
            wait_until(lambda: db(in_slow_task), 5, interval=0.05, what="a running handler")
        rt.kill(rt.workers[0])
        rt.kill(rt.schedulers[0])
        time.sleep(1)  # slots fall due with one scheduler, tasks wait for one worker
        rt.start_worker()
        rt.start_scheduler()
        wait_until(lambda: fired() >= 6, 60 * SLACK, what="firings after the kills")
        with contextlib.suppress(AssertionError):
            wait_until(lambda: db(in_slow_task), 5, interval=0.05, what="a running handler")
        rt.kill(rt.workers[0])  # the other one (the first was replaced)
        rt.start_worker()
        # PostgreSQL stopped (immediate: every connection cut) for 5 s, then started again;
        # meanwhile a scheduler and a worker are killed and their replacements start on a
        # database that is down (a supervisor does not wait for it).
        wait_until(lambda: fired() >= 8, 60 * SLACK, what="firings after the second kill")
        mark("PostgreSQL stopped")
        cluster.stop()
        time.sleep(2)
        rt.kill(rt.schedulers[0])
        rt.kill(rt.workers[0])
        rt.start_scheduler()
        rt.start_worker()
        time.sleep(3)
        cluster.start()
        # The broker SIGKILLed and started again, empty: every queued message is lost.
        wait_until(lambda: fired() >= 11, 90 * SLACK, what="firings after the restart")
        mark("broker killed")
        broker.kill()
        time.sleep(3)
        broker.start()
        wait_until(lambda: fired() == SLOTS, 90 * SLACK, what="every slot")
        wait_until(lambda: db(lambda: not Execution.objects.filter(status="RUNNING").exists()),
                   90 * SLACK, what="every execution to finish")
        # PostgreSQL restarted once more while only deliveries are left (the workers then run
        # nothing else), and the receiver comes back after it.
        wait_until(lambda: db(lambda: StatusEvent.objects.count() == 2 * SLOTS), 30 * SLACK,
                   what="every status change recorded")
        assert db(lambda: WebhookDelivery.objects.exclude(status="SUCCEEDED").exists())
        mark("every execution finished; PostgreSQL stopped again")
        cluster.stop()
        time.sleep(5)
        cluster.start()
        mark("PostgreSQL back; receiver up")
        receiver.start()
        wait_until(lambda: db(lambda: WebhookDelivery.objects.count() == 2 * SLOTS and not
                              WebhookDelivery.objects.exclude(status="SUCCEEDED").exists()),
                   30 * SLACK, what="every delivery to succeed")
        mark("every delivery succeeded")
    finally:
        receiver.stop()

    # Every slot started exactly one execution, under the slot's name.
    for name, when in slots.items():
        firings = list(ScheduleFiring.objects.filter(schedule__name=name))
        assert [f.slot for f in firings] == [when], name
        assert firings[0].execution.name == f"{name}-{when:%Y%m%dT%H%M%S}Z"
    executions = list(Execution.objects.all())
    names = [ex.name for ex in executions]
    assert len(names) == len(set(names)) == SLOTS
    assert not Schedule.objects.filter(missed_count__gt=0).exists()

    # Every execution succeeded; its history is well formed and shows each step once.
    for ex in executions:
        assert ex.status == "SUCCEEDED", (ex.name, ex.error, ex.cause)
        assert ex.output == {"name": ex.input["name"], "slow": {"napped": 1},
                             "hello": {"greeting": f"Hello, {ex.input['name']}!"}}
        events = list(HistoryEvent.objects.filter(execution=ex).order_by("seq")
                      .values_list("seq", "type"))
        seqs = [seq for seq, _ in events]
        assert seqs == list(range(1, len(seqs) + 1)) and seqs[-1] == ex.seq, ex.name
        types = [kind for _, kind in events]
        assert types.count("ExecutionStarted") == 1, (ex.name, types)
        assert [t for t in types if t in TERMINAL_EVENTS] == ["ExecutionSucceeded"], types
        assert types[-1] == "ExecutionSucceeded", types
        for once, times in (("TaskStateEntered", 2), ("LambdaFunctionScheduled", 2),
                            ("LambdaFunctionSucceeded", 2), ("TaskStateExited", 2),
                            ("WaitStateEntered", 1), ("WaitStateExited", 1)):
            assert types.count(once) == times, (ex.name, once, types)

    # Every status change reached the receiver, signed; duplicates carry the same event id.
    expected = {(name, status) for name in names for status in ("RUNNING", "SUCCEEDED")}
    received, ids = set(), {}
    for request in receiver.requests:
        body, headers = request["body"], request["headers"]
        assert signing.verify(hook.secret, body, headers["StepStudio-Signature"],
                              int(time.time()), tolerance=600)
        event = json.loads(body)
        key = (event["detail"]["name"], event["detail"]["status"])
        received.add(key)
        assert ids.setdefault(headers["StepStudio-Event-Id"], key) == key
        assert event["id"] == headers["StepStudio-Event-Id"]
    assert received == expected
    assert len(ids) == StatusEvent.objects.count() == 2 * SLOTS

    # The receiver's outage was real: attempts failed while it was down.
    assert WebhookAttempt.objects.exclude(error="").exists()

    # Nothing died but what the test killed.
    assert rt.dead() == []
    assert len(rt.workers) == 2 and len(rt.schedulers) == 2
