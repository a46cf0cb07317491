"""Queues per handler: `@task_handler("acme-resize", queue=…)` runs only on workers consuming
that queue; a queue no worker consumes leaves the Task scheduled (not failed), without the
sweeper filling the queue with copies, until a worker for it starts."""
from __future__ import annotations

import subprocess
import sys

import pytest
from django.test import Client

from engine import services
from engine.models import Frame, Waiting
from engine.runtime import dispatch
from tests.support import MANAGE_PY, REPO, wait_until

from .conftest import assert_history_contiguous, lambda_arn, wait_for_execution
from .user_code import user_code  # noqa: F401 — fixture

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

# greet (default queue) → resize (the media queue) → greet again.
RELAY = {"StartAt": "Greet", "States": {
    "Greet": {"Type": "Task", "Resource": lambda_arn("acme-greet"), "ResultPath": "$.first",
              "Next": "Resize"},
    "Resize": {"Type": "Task", "Resource": lambda_arn("acme-resize"), "ResultPath": "$.resize",
               "Next": "GreetAgain"},
    "GreetAgain": {"Type": "Task", "Resource": lambda_arn("acme-greet"), "ResultPath": "$.again",
                   "End": True}}}


def media_pool(runtime, media_queue: str) -> subprocess.Popen:
    """A second pool as an operator starts one: `manage.py serve --no-web --queues <media>`,
    with only the media package's code."""
    env = {**runtime.env, "STEPSTUDIO_HANDLERS": "acme_media", "POOL_NAME": "media"}
    log = open(runtime.log_dir / "media-pool.log", "w")
    proc = subprocess.Popen([sys.executable, str(MANAGE_PY), "serve", "--no-web", "--no-scheduler",
                             "--queues", media_queue], cwd=REPO, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    runtime.workers.append(proc)  # stopped (by its process group) with the runtime
    return proc


@pytest.fixture
def default_pool(user_code, runtime_env):  # noqa: F811
    """The runtime's pool (its default queue only) is named "default" in handler results."""
    runtime_env[0]["POOL_NAME"] = "default"
    return runtime_env


def test_two_pools_each_run_only_their_own_handlers(user_code, default_pool, runtime,  # noqa: F811
                                                    make_machine):
    _, media_queue = user_code
    media_pool(runtime, media_queue)
    runs = [services.start_execution(make_machine(RELAY), {"name": f"n{i}", "image": "cat.png"})
            for i in range(3)]
    for run in runs:
        done = wait_for_execution(run, timeout=120)
        assert done.status == "SUCCEEDED", (done.error, done.cause)
        out = done.output
        assert [out["first"]["pool"], out["resize"]["pool"], out["again"]["pool"]] == \
            ["default", "media", "default"]
        assert out["resize"]["resized"] == "cat.png"
        assert_history_contiguous(done)


def test_a_queue_nobody_serves_leaves_the_task_scheduled_until_a_worker_comes(
        user_code, default_pool, runtime, make_machine, staff_user):  # noqa: F811
    _, media_queue = user_code
    run = services.start_execution(make_machine(RELAY), {"name": "Ada", "image": "dog.png"})

    def stranded():
        return next((f for f in Frame.objects.filter(execution=run, waiting=Waiting.TASK)
                     if (f.request or {}).get("handler") == "acme-resize"), None)
    frame = wait_until(stranded, 60, what="the Resize task to be scheduled")
    first_sent = frame.dispatched_at
    # The sweeper looks at it again and again (STEPSTUDIO_SWEEP_AFTER_SECONDS=2 here)…
    for _ in range(3):
        seen = frame.dispatched_at
        wait_until(lambda: stranded().dispatched_at > seen, 60, what="the sweeper to look again")
        frame = stranded()
    # …but neither fails the task nor piles copies into the queue nobody consumes.
    run.refresh_from_db()
    assert run.status == "RUNNING" and frame.dispatched_at > first_sent
    # Counted by the run's broker (Redis or RabbitMQ): messages waiting, not yet taken.
    assert dispatch.queued(media_queue) == 1
    assert frame.request["queue"] == media_queue
    assert frame.request["scheduled_at"] < frame.dispatched_at.isoformat()

    # Visible as scheduled: the admin's execution page and the live page name the queue.
    client = Client()
    client.force_login(staff_user)
    admin_page = client.get(f"/admin/engine/execution/{run.id}/change/").content.decode()
    assert "Waiting for a worker" in admin_page and media_queue in admin_page
    owner = Client()
    owner.force_login(run.state_machine.owner)
    live_page = owner.get(f"/executions/{run.id}/").content.decode()
    assert "Waiting for a worker" in live_page and f"worker -Q {media_queue}" in live_page

    media_pool(runtime, media_queue)
    done = wait_for_execution(run, timeout=120)
    assert done.status == "SUCCEEDED", (done.error, done.cause)
    assert done.output["resize"]["pool"] == "media"
    assert_history_contiguous(done)
    assert dispatch.queued(media_queue) == 0  # taken, not duplicated
