"""Faults: a worker SIGKILLed at any moment, the broker (Redis, RabbitMQ) restarted mid-run,
a burst of executions.

After each fault the executions finish with the right output and a history whose event
ids run 1..N with no gap and no duplicate.
"""
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings

from engine import samples, services
from engine.models import Execution, StateMachine

from .conftest import Runtime, assert_history_contiguous, lambda_arn, wait_for_execution
from tests.support import REPO, free_port, wait_until

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]


def job_poller(user):
    samples.load(user)
    return StateMachine.objects.get(owner=user, name="job-poller")


def test_a_worker_killed_during_a_task_loses_nothing(runtime, make_machine, redis_url):
    key = f"kill-task-{time.monotonic_ns()}"
    r = redis.Redis.from_url(redis_url)
    machine = make_machine({"StartAt": "Before", "States": {
        "Before": {"Type": "Pass", "Result": 1, "ResultPath": "$.before", "Next": "Slow"},
        "Slow": {"Type": "Task", "Resource": lambda_arn("test-slow"),
                 "Parameters": {"key": key, "seconds": 2}, "ResultPath": "$.slow", "Next": "After"},
        "After": {"Type": "Pass", "Result": 2, "ResultPath": "$.after", "End": True}}})
    ex = services.start_execution(machine, {})
    wait_until(lambda: r.llen(f"started:{key}") >= 1, 30, what="the handler to start")
    runtime.kill_worker(runtime.workers[0])  # mid-handler: the step was never committed
    runtime.start_worker()
    ex = wait_for_execution(ex, 60)
    assert ex.output == {"before": 1, "slow": {"slept": 2, "key": key}, "after": 2}
    # At-least-once: the task ran again after the kill (a re-sent message may have found the
    # dead worker's lease still valid, or a live one's, and left it alone).
    assert r.llen(f"started:{key}") >= 2
    assert ex.events.filter(type="LambdaFunctionSucceeded").count() == 1
    assert_history_contiguous(ex)


def test_a_worker_killed_during_a_wait_loses_nothing(runtime, make_machine):
    machine = make_machine({"StartAt": "Hello", "States": {
        "Hello": {"Type": "Task", "Resource": lambda_arn("greet"), "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 2, "Next": "Again"},
        "Again": {"Type": "Task", "Resource": lambda_arn("greet"),
                  "Parameters": {"name": "again"}, "End": True}}})
    ex = services.start_execution(machine, {"name": "x"})
    wait_until(lambda: ex.events.filter(type="WaitStateEntered").exists(), 30, what="the Wait")
    runtime.kill_worker(runtime.workers[0])
    os.killpg(runtime.scheduler.pid, signal.SIGKILL)  # the scheduler too: timers are rows
    runtime.scheduler.wait(10)
    time.sleep(2.5)  # the timer comes due while nothing runs
    runtime.start_worker()
    runtime.start_scheduler()
    ex = wait_for_execution(ex, 60)
    assert ex.output == {"greeting": "Hello, again!"}
    assert_history_contiguous(ex)


def test_workers_killed_at_arbitrary_moments_lose_nothing(runtime, user):
    machine = job_poller(user)
    executions = [services.start_execution(machine, {"waitSeconds": 1, "checksNeeded": 2,
                                                     "flaky": i % 3 == 0})
                  for i in range(30)]
    for pause in (0.7, 1.3, 0.4):
        time.sleep(pause)
        runtime.kill_worker(runtime.workers[0])
        runtime.start_worker()
    for ex in executions:
        ex = wait_for_execution(ex, 90)
        assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
        assert ex.output["checks"] == 2
        assert_history_contiguous(ex)


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own (so restarting it disturbs no one else)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()

    def start():
        proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"redis://127.0.0.1:{port}/0"
        wait_until(lambda: _pings(url), 10, what="redis-server")
        return proc, url

    procs = []

    def restart():
        if procs:
            procs[-1].kill()  # SIGKILL: no persistence, so every queued message is lost
            procs[-1].wait(10)
        proc, url = start()
        procs.append(proc)
        return url

    yield restart
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def _pings(url):
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"  # the node itself, not the su wrapper


@pytest.fixture
def own_rabbitmq(tmp_path):
    """A RabbitMQ node of this test's own (own node name, ports, data and Erlang cookie), so
    killing it disturbs no one else; `restart()` SIGKILLs it, deletes its data (every queue,
    message and delayed-delivery exchange is lost, as with the Redis restart) and starts it
    again. Returns the broker URL."""
    if not os.access(RABBITMQ_SERVER, os.X_OK):
        pytest.skip(f"{RABBITMQ_SERVER} is not installed")
    port, dist_port = free_port(), free_port()
    base = tmp_path / "rabbitmq"
    (base / "home").mkdir(parents=True)
    (base / "rabbitmq.conf").write_text("loopback_users = none\n")
    (base / "enabled_plugins").write_text("[].\n")
    node_env = dict(os.environ, HOME=str(base / "home"),
                    RABBITMQ_NODENAME=f"stepstudio-test-{port}@localhost",
                    RABBITMQ_NODE_PORT=str(port), RABBITMQ_DIST_PORT=str(dist_port),
                    RABBITMQ_MNESIA_BASE=str(base / "data"), RABBITMQ_LOG_BASE=str(base / "log"),
                    RABBITMQ_CONFIG_FILE=str(base / "rabbitmq.conf"),
                    RABBITMQ_ENABLED_PLUGINS_FILE=str(base / "enabled_plugins"),
                    RABBITMQ_CONF_ENV_FILE=str(base / "no-env-file"),
                    RABBITMQ_PID_FILE=str(base / "pid"))
    url = f"amqp://guest:guest@127.0.0.1:{port}//"
    procs = []

    def kill(proc):
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the script and its Erlang VM
        except ProcessLookupError:
            pass
        proc.wait(10)

    def restart():
        if procs:
            kill(procs[-1])
            shutil.rmtree(base / "data", ignore_errors=True)
        log = open(base / f"node-{len(procs)}.log", "w")
        procs.append(subprocess.Popen([RABBITMQ_SERVER], cwd=base, env=node_env, stdout=log,
                                      stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                      start_new_session=True))
        wait_until(lambda: _amqp_answers(url), 120, interval=0.5, what="the RabbitMQ node")
        return url

    yield restart
    for proc in procs:
        if proc.poll() is None:
            kill(proc)


def _amqp_answers(url):
    import kombu

    try:
        with kombu.Connection(url, connect_timeout=2) as conn:
            conn.connect()
            return True
    except Exception:  # noqa: BLE001 - not up yet
        return False


def restarted_mid_run(runtime_env, user, tmp_path, restart, broker_env):
    """Ten job pollers (waits, retried checks) started through the broker `restart()` gives;
    the broker is restarted empty mid-run; every execution still finishes exactly once."""
    env, queue = runtime_env
    env = dict(env, **broker_env(restart()))
    job_poller(user)
    rt = Runtime(env, queue, tmp_path)
    rt.start_worker()
    rt.start_scheduler()
    try:
        started = []
        for i in range(10):
            # Started from a process that uses the test's own broker.
            out = subprocess.run(
                [sys.executable, "manage.py", "workflows", "start", "job-poller", "--owner",
                 user.username, "--input", '{"waitSeconds": 1, "checksNeeded": 3}'],
                cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
            assert out.returncode == 0, out.stderr[-2000:]
            started.append(out.stdout)
        time.sleep(1.5)
        restart()  # SIGKILL and start again, empty
        executions = list(Execution.objects.filter(state_machine__name="job-poller"))
        assert len(executions) == 10

        def all_stopped():
            # Celery 5.7's worker may die on the lost connection ("Unrecoverable error" in
            # kombu's reconnect); in production its supervisor restarts it, so does this test.
            rt.revive()
            return not Execution.objects.filter(id__in=[e.id for e in executions],
                                                status="RUNNING").exists()

        try:
            wait_until(all_stopped, 180, interval=0.5, what="executions after the restart")
        except AssertionError:
            print(rt.logs())
            raise
        for ex in executions:
            ex.refresh_from_db()
            assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
            assert ex.output["checks"] == 3
            assert_history_contiguous(ex)
    finally:
        rt.stop()


def test_restarting_redis_mid_run_loses_nothing(runtime_env, own_redis, user, tmp_path):
    # Redis of the test's own: the broker (unless this run's is RabbitMQ: then only the
    # results and the channel layer go away), results, channel layer, the handlers' traces.
    restarted_mid_run(runtime_env, user, tmp_path, own_redis,
                      lambda url: {"REDIS_URL": url, "RUNTIME_TEST_REDIS": url})


on_rabbitmq = pytest.mark.skipif(not getattr(settings, "AMQP_BROKER_URL", None),
                                 reason="this run's broker is not RabbitMQ (make test-rabbitmq)")


@on_rabbitmq
def test_restarting_rabbitmq_mid_run_loses_nothing(runtime_env, own_rabbitmq, user, tmp_path):
    # The broker only: results and the channel layer stay on the run's Redis.
    restarted_mid_run(runtime_env, user, tmp_path, own_rabbitmq,
                      lambda url: {"CELERY_BROKER_URL": url})


def test_two_hundred_executions_started_at_once_all_complete(runtime, user):
    machine = job_poller(user)
    runtime.start_worker()  # two worker processes, as in production
    executions = [services.start_execution(machine, {"waitSeconds": 0, "checksNeeded": 2})
                  for _ in range(200)]
    for ex in executions:
        ex = wait_for_execution(ex, 120)
        assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
        assert ex.output["checks"] == 2
        assert_history_contiguous(ex)
