"""RabbitMQ as the broker (CELERY_BROKER_URL=amqp://…): quorum queues, publisher confirms.

The settings test runs everywhere (a child interpreter with the variable set). The runtime
test runs when this test run itself is on RabbitMQ (`make test-rabbitmq`, which CI runs:
it sets CELERY_BROKER_URL to a vhost of its own and runs this module with a subset of the
runtime suite); it checks that the runtime's queue really is a quorum queue on the broker.
"""
from __future__ import annotations

import json

import pytest
from django.conf import settings

from engine import samples, services
from engine.models import StateMachine
from stepstudio.celery import app
from tests.support import child_env, run_python

from .conftest import assert_history_contiguous, wait_for_execution

SETTINGS = """
import django, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")
django.setup()
from django.conf import settings
from stepstudio.celery import app
print(json.dumps({"broker": app.conf.broker_url, "queue_type": app.conf.task_default_queue_type,
                  "missing": app.conf.task_create_missing_queue_type,
                  "detect": app.conf.worker_detect_quorum_queues,
                  "options": app.conf.broker_transport_options,
                  "transport": app.conf.broker_transport,
                  "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
                  "results": app.conf.result_backend}))
"""


def test_an_amqp_url_makes_rabbitmq_the_broker_with_quorum_queues(tmp_path):
    url = "amqp://guest:guest@127.0.0.1:5672/somewhere"
    done = run_python(SETTINGS, child_env(var_dir=tmp_path, redis_url="redis://127.0.0.1:6379/9",
                                          CELERY_BROKER_URL=url))
    assert done.returncode == 0, done.stderr
    conf = json.loads(done.stdout.strip().splitlines()[-1])
    assert conf["broker"] == url
    assert (conf["queue_type"], conf["missing"], conf["detect"]) == ("quorum", "quorum", True)
    assert conf["options"] == {"confirm_publish": True}
    assert conf["transport"] is None
    # The channel layer and results stay on Redis.
    assert conf["layer"] == "channels_redis.core.RedisChannelLayer"
    assert conf["results"] == "redis://127.0.0.1:6379/9"


def test_a_broker_url_of_another_scheme_is_refused(tmp_path):
    done = run_python(SETTINGS, child_env(var_dir=tmp_path, CELERY_BROKER_URL="http://x/"))
    assert done.returncode != 0
    assert "CELERY_BROKER_URL must be a URL with scheme amqp or amqps or pyamqp" in done.stderr


on_rabbitmq = pytest.mark.skipif(not getattr(settings, "AMQP_BROKER_URL", None),
                                 reason="this run's broker is not RabbitMQ (make test-rabbitmq)")


@on_rabbitmq
@pytest.mark.services
@pytest.mark.subprocess
@pytest.mark.django_db(transaction=True)
def test_the_runtime_runs_on_quorum_queues_with_confirms(runtime, user):
    samples.load(user)
    poller = StateMachine.objects.get(owner=user, name="job-poller")
    # Waits (timers), a retried flaky check, and a failed job: the runtime's whole round trip.
    runs = [services.start_execution(poller, {"waitSeconds": 1, "checksNeeded": 2,
                                              "flaky": i == 0, "fail": i == 2})
            for i in range(3)]
    runs = [wait_for_execution(ex, 90) for ex in runs]
    assert [ex.status for ex in runs] == ["SUCCEEDED", "SUCCEEDED", "FAILED"]
    for ex in runs:
        assert_history_contiguous(ex)
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        assert conn.transport_options.get("confirm_publish") is True
        # Declaring a queue again with other arguments fails (PRECONDITION_FAILED): so this
        # succeeding says the runtime's queue is a durable quorum queue…
        channel.queue_declare(queue=runtime.queue, durable=True, auto_delete=False,
                              arguments={"x-queue-type": "quorum"})
        # …and this failing says the check can fail.
        with pytest.raises(conn.channel_errors):
            conn.channel().queue_declare(queue=runtime.queue, durable=True, auto_delete=False,
                                         arguments={"x-queue-type": "classic"})
        conn.default_channel.queue_delete(runtime.queue)
