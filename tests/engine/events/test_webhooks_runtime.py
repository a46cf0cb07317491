"""Status-change webhooks with the real runtime: a Celery worker and `workflows scheduler`
on Redis/PostgreSQL, a receiver started by the test that is down for a while. Every status
change of every execution arrives, signed, none lost, none blocking a step."""
import json
import time

import pytest

from engine import services
from engine.events import signing, webhooks
from engine.models import StatusEvent, WebhookDelivery
from tests.engine.events.receiver import Receiver
from tests.engine.runtime.conftest import (  # noqa: F401 (make_machine, runtime_env: fixtures)
    SLACK, Runtime, lambda_arn, make_machine, running, runtime_env, wait_for_execution)
from tests.support import free_port, wait_until

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

EVENT_KNOBS = {"WEBHOOK_ALLOWED_HOSTS": "127.0.0.1", "WEBHOOK_RETRY_BASE_SECONDS": "1",
               "WEBHOOK_RETRY_MAX_SECONDS": "2"}


@pytest.fixture
def event_runtime(runtime_env, tmp_path, request, monkeypatch, settings):
    env, queue = runtime_env
    env.update(EVENT_KNOBS)
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    yield from running(Runtime, (env, queue), tmp_path, request)


def test_a_receiver_that_is_down_for_a_while_loses_no_event(event_runtime, make_machine, user):
    receiver = Receiver(free_port())
    hook = webhooks.save(user, {"name": "all", "url": receiver.url})
    machine = make_machine({"StartAt": "Hello", "States": {
        "Hello": {"Type": "Task", "Resource": lambda_arn("greet"), "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 1, "End": True}}})
    failing = make_machine({"StartAt": "Boom", "States": {
        "Boom": {"Type": "Fail", "Error": "Oops", "Cause": "on purpose"}}})
    long = make_machine({"StartAt": "Wait", "States": {
        "Wait": {"Type": "Wait", "Seconds": 600, "End": True}}})
    done = [services.start_execution(machine, {"name": f"n{i}"}) for i in range(4)]
    failed = services.start_execution(failing, {})
    stopped = services.start_execution(long, {})
    services.stop_execution(stopped, "Halt", "by the test")
    for ex in done + [failed]:
        wait_for_execution(ex, 60)
    # The receiver was down all along: deliveries were attempted and are retrying.
    wait_until(lambda: WebhookDelivery.objects.filter(attempts__gte=2).count() >= 5,
               60 * SLACK, what="failed attempts while the receiver is down")
    receiver.start()
    try:
        expected = 2 * 6  # RUNNING + the end, for each of the six executions
        wait_until(lambda: len({r["event"]["id"] for r in receiver.requests}) >= expected,
                   120 * SLACK, what="every event delivered once the receiver is up")
        wait_until(lambda: not WebhookDelivery.objects.exclude(status="SUCCEEDED").exists(),
                   60 * SLACK, what="every delivery succeeded")
    finally:
        receiver.stop()
    by_execution = {}
    for request in receiver.requests:
        body, header = request["body"], request["headers"]["StepStudio-Signature"]
        assert signing.verify(hook.secret, body, header, int(time.time()), tolerance=600)
        event = json.loads(body)
        assert event["detail-type"] == "Step Functions Execution Status Change"
        by_execution.setdefault(event["detail"]["name"], set()).add(event["detail"]["status"])
    for ex in done:
        assert by_execution[ex.name] == {"RUNNING", "SUCCEEDED"}
    assert by_execution[failed.name] == {"RUNNING", "FAILED"}
    assert by_execution[stopped.name] == {"RUNNING", "ABORTED"}
    assert StatusEvent.objects.count() == expected
    assert WebhookDelivery.objects.count() == expected


def test_a_redrive_emits_running_again(event_runtime, make_machine, user):
    receiver = Receiver(free_port()).start()
    try:
        webhooks.save(user, {"name": "all", "url": receiver.url, "statuses": ["RUNNING"]})
        failing = make_machine({"StartAt": "Boom", "States": {
            "Boom": {"Type": "Fail", "Error": "Oops"}}})
        ex = wait_for_execution(services.start_execution(failing, {}), 60)
        services.redrive_execution(ex)
        wait_until(lambda: len(receiver.requests) >= 2, 60 * SLACK, what="two RUNNING events")
    finally:
        receiver.stop()
    counts = sorted(r["event"]["detail"]["redriveCount"] for r in receiver.requests)
    assert counts == [0, 1]
