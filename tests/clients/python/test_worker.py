"""stepstudio_worker (clients/python) against a running StepStudio: tasks completed with the
function's result, failures in Lambda's shape, heartbeats, N at once, SIGTERM, and that the
library installs with pip from the repository."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from stepstudio_worker import TaskFailure, Worker
from tests.support import REPO, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services, pytest.mark.subprocess]

ROLE = "arn:aws:iam::123456789012:role/demo"


def activity_machine(sfn, activity_arn, *, name, heartbeat=None, map_items=False, catch=None):
    task = {"Type": "Task", "Resource": activity_arn, "TimeoutSeconds": 120, "End": True}
    if heartbeat:
        task["HeartbeatSeconds"] = heartbeat
    if catch:
        task["Catch"] = [{"ErrorEquals": catch, "Next": "Caught"}]
    states = {"Work": task}
    if catch:
        states["Caught"] = {"Type": "Pass", "End": True}
    definition = {"StartAt": "Work", "States": states}
    if map_items:
        definition = {"StartAt": "Each", "States": {"Each": {
            "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 0, "End": True,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, **definition}}}}
    return sfn.create_state_machine(name=name, definition=json.dumps(definition),
                                    roleArn=ROLE)["stateMachineArn"]


def finished(sfn, arn, timeout=90):
    def done():
        described = sfn.describe_execution(executionArn=arn)
        return described if described["status"] != "RUNNING" else None
    return wait_until(done, timeout, interval=0.2, what=f"{arn} to finish")


@pytest.fixture
def serving(server):
    """serving(worker): run `worker` in a thread for the test; stopped (cleanly) after it."""
    started = []

    def serve(worker: Worker) -> Worker:
        thread = threading.Thread(target=worker.run, kwargs={"install_signal_handlers": False},
                                  daemon=True)
        thread.start()
        started.append((worker, thread))
        return worker
    yield serve
    for worker, thread in started:
        worker.stop()
        thread.join(30)
        assert not thread.is_alive(), "the worker did not stop"


def worker_for(server, **kwargs) -> Worker:
    return Worker(server.url, client=server.sfn(), **kwargs)


def test_a_worker_answers_tasks_with_its_functions_result(server, serving):
    worker = worker_for(server, worker_name="billing-worker-1")

    @worker.activity("approve")
    def approve(input, task):
        assert task.token and not task.cancelled
        return {"approved": input["amount"] < 100, "amount": input["amount"]}
    serving(worker)
    sfn = server.sfn()
    arn = sfn.create_activity(name="approve")["activityArn"]
    machine = activity_machine(sfn, arn, name="approvals")
    runs = [sfn.start_execution(stateMachineArn=machine, input=json.dumps({"amount": n}))["executionArn"]
            for n in (20, 500)]
    outputs = [json.loads(finished(sfn, run)["output"]) for run in runs]
    assert outputs == [{"approved": True, "amount": 20}, {"approved": False, "amount": 500}]
    events = sfn.get_execution_history(executionArn=runs[0])["events"]
    assert [e["type"] for e in events if e["type"].startswith("Activity")] == [
        "ActivityScheduled", "ActivityStarted", "ActivitySucceeded"]


def test_exceptions_fail_the_task_and_task_failure_names_the_error(server, serving):
    worker = worker_for(server)

    @worker.activity("check-stock")
    def check_stock(input):
        if input["sku"] == "gone":
            raise TaskFailure("OutOfStock", f"no {input['sku']} left")
        raise LookupError(f"warehouse has no sku {input['sku']}")
    serving(worker)
    sfn = server.sfn()
    arn = sfn.create_activity(name="check-stock")["activityArn"]
    plain = activity_machine(sfn, arn, name="stock")
    caught = activity_machine(sfn, arn, name="stock-caught", catch=["OutOfStock"])

    crashed = finished(sfn, sfn.start_execution(stateMachineArn=plain, input='{"sku": "x1"}')["executionArn"])
    assert (crashed["status"], crashed["error"]) == ("FAILED", "LookupError")
    cause = json.loads(crashed["cause"])
    assert cause["errorMessage"] == "warehouse has no sku x1" and cause["errorType"] == "LookupError"
    assert any("check_stock" in line for line in cause["stackTrace"])

    declined = finished(sfn, sfn.start_execution(stateMachineArn=caught, input='{"sku": "gone"}')["executionArn"])
    assert declined["status"] == "SUCCEEDED"
    assert json.loads(declined["output"]) == {"Error": "OutOfStock", "Cause": "no gone left"}


def test_heartbeats_keep_a_task_longer_than_heartbeat_seconds_alive(server, serving):
    worker = worker_for(server, heartbeat_every=0.5)
    gone = []

    @worker.activity("render")
    def render(input, task):
        deadline = time.monotonic() + 6  # three times the state's HeartbeatSeconds
        while time.monotonic() < deadline:
            time.sleep(0.2)
        gone.append(task.cancelled)
        return {"frames": input["frames"]}
    serving(worker)
    sfn = server.sfn()
    arn = sfn.create_activity(name="render")["activityArn"]
    machine = activity_machine(sfn, arn, name="render", heartbeat=2)
    done = finished(sfn, sfn.start_execution(stateMachineArn=machine, input='{"frames": 24}')["executionArn"])
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == {"frames": 24}
    assert gone == [False]


def test_without_heartbeats_the_same_task_times_out_and_the_function_learns_it(server, serving):
    worker = worker_for(server, heartbeat_every=None)
    seen = []

    @worker.activity("render-silently")
    def render(input, task):
        time.sleep(6)
        seen.append(task.heartbeat())  # the task is gone by now: False, and cancelled
        seen.append(task.cancelled)
        return {"frames": input["frames"]}
    serving(worker)
    sfn = server.sfn()
    arn = sfn.create_activity(name="render-silently")["activityArn"]
    machine = activity_machine(sfn, arn, name="render-silently", heartbeat=2)
    done = finished(sfn, sfn.start_execution(stateMachineArn=machine, input='{"frames": 24}')["executionArn"])
    assert (done["status"], done["error"]) == ("FAILED", "States.HeartbeatTimeout")
    wait_until(lambda: len(seen) == 2, 30, what="the function to finish")
    assert seen == [False, True]


def test_it_runs_n_tasks_at_once(server, serving):
    worker = worker_for(server, concurrency=3)
    # All three must be running together to pass the barrier: with fewer slots it breaks.
    together = threading.Barrier(3, timeout=60)

    @worker.activity("thumbnail")
    def thumbnail(input):
        together.wait()
        return input * 10
    serving(worker)
    sfn = server.sfn()
    arn = sfn.create_activity(name="thumbnail")["activityArn"]
    machine = activity_machine(sfn, arn, name="thumbnails", map_items=True)
    done = finished(sfn, sfn.start_execution(stateMachineArn=machine,
                                             input='{"items": [1, 2, 3]}')["executionArn"])
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == [10, 20, 30]


# -- SIGTERM, on a worker process of its own --------------------------------------------------

WORKER_SCRIPT = """
import logging, pathlib, sys, time
from stepstudio_worker import Worker

logging.basicConfig(level=logging.INFO)
marks = pathlib.Path(sys.argv[2])
worker = Worker(sys.argv[1], grace_seconds=float(sys.argv[3]), heartbeat_every=1)

@worker.activity("publish")
def publish(input, task):
    (marks / "started").write_text("1")
    while not (marks / "release").exists() and not task.cancelled:
        time.sleep(0.1)
    return {"published": input["id"]}

worker.run()
print("worker stopped cleanly", flush=True)
"""


def start_worker_process(server, tmp_path, grace: float):
    script = tmp_path / "publish_worker.py"
    script.write_text(textwrap.dedent(WORKER_SCRIPT))
    marks = tmp_path / "marks"
    marks.mkdir()
    proc = subprocess.Popen([sys.executable, str(script), server.url, str(marks), str(grace)],
                            cwd=tmp_path, env=server.client_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    return proc, marks


def start_publish(server, name):
    sfn = server.sfn()
    arn = sfn.create_activity(name="publish")["activityArn"]
    machine = activity_machine(sfn, arn, name=name, heartbeat=5)
    return sfn, sfn.start_execution(stateMachineArn=machine, input='{"id": 7}')["executionArn"]


def test_sigterm_lets_the_task_in_hand_finish_then_exits(server, tmp_path):
    proc, marks = start_worker_process(server, tmp_path, grace=60)
    try:
        sfn, run = start_publish(server, "publish")
        wait_until(lambda: (marks / "started").exists(), 60, what="the task to start")
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)  # the signal is handled while the function still runs
        assert proc.poll() is None
        (marks / "release").write_text("1")
        done = finished(sfn, run)
        assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == {"published": 7}
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, out
        assert "worker stopped cleanly" in out and "SIGTERM: finishing the tasks in hand" in out
    finally:
        if proc.poll() is None:
            proc.kill()


def test_sigterm_fails_a_task_that_outlives_the_grace_period_with_a_clear_error(server, tmp_path):
    proc, marks = start_worker_process(server, tmp_path, grace=1)
    try:
        sfn, run = start_publish(server, "publish-slow")
        wait_until(lambda: (marks / "started").exists(), 60, what="the task to start")
        proc.send_signal(signal.SIGTERM)
        done = finished(sfn, run)
        assert (done["status"], done["error"]) == ("FAILED", "Worker.Shutdown")
        assert "stopped before the task finished" in done["cause"]
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, out
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.django_db(transaction=False)
def test_the_library_installs_with_pip_from_the_repository(tmp_path):
    target = tmp_path / "site"
    # A copy: building writes build/ and *.egg-info beside the sources.
    source = shutil.copytree(REPO / "clients" / "python", tmp_path / "src",
                             ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    probe = subprocess.run([sys.executable, "-c", "import stepstudio_worker, sys; "
                            "print(stepstudio_worker.__file__, stepstudio_worker.Worker.__name__)"],
                           env={**os.environ, "PYTHONPATH": str(target)}, cwd=tmp_path,
                           capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.startswith(str(target)) and probe.stdout.split()[-1] == "Worker"
