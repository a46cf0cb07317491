"""Events in one process: the EventBridge shape, fan-out by filter, signed delivery, retry
with backoff while the receiver is down, give-up rules, the guard, the signal."""
import datetime as dt
import json
import time

import pytest
from django.utils import timezone

from engine.events import delivery, fanout, outbox, retry, signing, sweep
from engine.models import (Execution, StateMachine, StatusEvent, Webhook, WebhookAttempt,
                           WebhookDelivery)
from engine.signals import execution_status_changed
from tests.engine.events.receiver import Receiver
from tests.support import free_port

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
pytestmark = pytest.mark.django_db


@pytest.fixture
def allowed(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_RETRY_BASE_SECONDS = 1


@pytest.fixture
def execution(user):
    machine = StateMachine.objects.create(owner=user, name="m", definition=PASS)
    return Execution.objects.create(state_machine=machine, name="e1", input={"x": 1},
                                    definition=PASS, status="SUCCEEDED", output={"y": 2},
                                    stop_date=timezone.now())


def hook(user, url, **kw):
    from engine.events import webhooks

    return webhooks.save(user, {"name": kw.pop("name", "h"), "url": url, **kw})


def test_the_event_is_shaped_like_eventbridges(execution):
    event = outbox.record(execution)
    body = event.payload
    assert list(body)[:9] == ["version", "id", "detail-type", "source", "account", "time",
                              "region", "resources", "detail"]
    assert body["detail-type"] == "Step Functions Execution Status Change"
    assert body["source"] == "aws.states" and body["version"] == "0"
    assert body["id"] == str(event.id) and body["resources"] == [execution.arn]
    detail = body["detail"]
    assert detail["executionArn"] == execution.arn
    assert detail["stateMachineArn"] == execution.state_machine.arn
    assert detail["status"] == "SUCCEEDED" and detail["name"] == "e1"
    assert detail["input"] == '{"x": 1}' and detail["output"] == '{"y": 2}'
    assert isinstance(detail["startDate"], int) and isinstance(detail["stopDate"], int)
    assert detail["error"] is None and detail["cause"] is None
    assert detail["inputDetails"] == {"included": True}


def test_fan_out_follows_status_and_machine_filters(user, other_user, execution):
    hook(user, "https://a.example/x", name="all")
    hook(user, "https://a.example/x", name="failures", statuses=["FAILED"])
    hook(user, "https://a.example/x", name="this-machine", state_machines=["m"])
    hook(user, "https://a.example/x", name="off", enabled=False)
    hook(other_user, "https://a.example/x", name="bobs")
    event = outbox.record(execution)
    assert fanout.fan_out(event.id) == 2
    assert fanout.fan_out(event.id) == 0  # claimed once
    names = set(WebhookDelivery.objects.values_list("webhook__name", flat=True))
    assert names == {"all", "this-machine"}


def test_signed_delivery_retried_while_the_receiver_is_down(user, execution, allowed):
    port = free_port()
    receiver = Receiver(port)
    h = hook(user, receiver.url)
    event = outbox.record(execution)
    fanout.fan_out(event.id)
    d = WebhookDelivery.objects.get()
    assert delivery.attempt(d.id) == retry.RETRY  # nobody listens
    d.refresh_from_db()
    assert d.status == "PENDING" and d.next_attempt_at > timezone.now()
    assert delivery.attempt(d.id) is None  # not due yet
    receiver.start()
    try:
        WebhookDelivery.objects.filter(id=d.id).update(next_attempt_at=timezone.now())
        assert delivery.attempt(d.id) == retry.SUCCEEDED
    finally:
        receiver.stop()
    attempts = list(WebhookAttempt.objects.order_by("number").values_list(
        "number", "status_code", "outcome"))
    assert attempts == [(1, None, "RETRY"), (2, 200, "SUCCEEDED")]
    request = receiver.requests[0]
    assert signing.verify(h.secret, request["body"], request["headers"]["StepStudio-Signature"],
                          int(time.time()))
    assert not signing.verify("whsec_other", request["body"],
                              request["headers"]["StepStudio-Signature"], int(time.time()))
    assert request["event"]["id"] == str(event.id)
    assert request["headers"]["StepStudio-Event-Id"] == str(event.id)


def test_a_private_address_is_refused_unless_allowed(user, execution, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    hook(user, f"http://127.0.0.1:{free_port()}/x")
    fanout.fan_out(outbox.record(execution).id)
    d = WebhookDelivery.objects.get()
    assert delivery.attempt(d.id) == retry.GAVE_UP
    row = WebhookAttempt.objects.get()
    assert "loopback" in row.error and "WEBHOOK_ALLOWED_HOSTS" in row.error


def test_a_4xx_gives_up_at_once_and_redeliver_reopens(user, execution, allowed):
    receiver = Receiver(free_port(), status=410).start()
    try:
        hook(user, receiver.url)
        fanout.fan_out(outbox.record(execution).id)
        d = WebhookDelivery.objects.get()
        assert delivery.attempt(d.id) == retry.GAVE_UP
        receiver.status = 204
        delivery.redeliver(d)
        assert delivery.attempt(d.id, manual=True) == retry.SUCCEEDED
    finally:
        receiver.stop()
    assert list(WebhookAttempt.objects.order_by("number").values_list("status_code", "manual")) \
        == [(410, False), (204, True)]


def test_the_sweep_fans_out_a_lost_event_and_resends_due_deliveries(
        user, execution, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(fanout, "send_delivery", sent.append)
    hook(user, "https://a.example/x")
    event = outbox.record(execution)
    later = timezone.now() + dt.timedelta(seconds=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep.sweep(later) >= 1
    assert StatusEvent.objects.get().fanned_out_at is not None
    d = WebhookDelivery.objects.get()
    assert sent == [d.id]
    assert sweep.sweep(later) == 0  # just sent: left to the worker for a while
    sweep.sweep(later + dt.timedelta(seconds=60))
    assert sent == [d.id, d.id]
    assert event.id


def test_the_sweep_sends_a_failed_attempts_retry_when_it_is_due(
        user, execution, allowed, monkeypatch, django_capture_on_commit_callbacks):
    # The receiver is down: the attempt fails and the back-off (base 1 s) schedules a retry
    # within seconds, well before the sweep's RESEND_AFTER; the retry must not wait for that.
    sent = []
    monkeypatch.setattr(fanout, "send_delivery", sent.append)
    hook(user, f"http://127.0.0.1:{free_port()}/hook")
    event = outbox.record(execution)
    with django_capture_on_commit_callbacks(execute=True):
        fanout.fan_out(event.id)
    d = WebhookDelivery.objects.get()
    assert sent == [d.id]
    assert delivery.attempt(d.id) == retry.RETRY
    d.refresh_from_db()
    assert d.next_attempt_at < timezone.now() + sweep.RESEND_AFTER / 2
    sweep.sweep(d.next_attempt_at + dt.timedelta(seconds=1))
    assert sent == [d.id, d.id]


@pytest.mark.parametrize("result,outcome", [
    (retry.Result(status_code=200), retry.SUCCEEDED),
    (retry.Result(status_code=503), retry.RETRY),
    (retry.Result(status_code=429), retry.RETRY),
    (retry.Result(error="Connection refused"), retry.RETRY),
    (retry.Result(status_code=404), retry.GAVE_UP),
    (retry.Result(status_code=301), retry.GAVE_UP),
    (retry.Result(error="refused", refused=True), retry.GAVE_UP),
])
def test_retry_or_give_up(result, outcome):
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    assert retry.decide(1, now, now, result, retry.Policy()).outcome == outcome


def test_backoff_doubles_then_caps_and_ends_at_the_limits():
    policy = retry.Policy(base_seconds=10, max_seconds=3600, max_attempts=30)
    delays = [retry.delay(n, policy, "k").total_seconds() for n in range(1, 12)]
    assert 9 <= delays[0] <= 11 and 18 <= delays[1] <= 22 and 36 <= delays[2] <= 44
    assert all(3240 <= d <= 3960 for d in delays[9:])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    fail = retry.Result(status_code=500)
    assert retry.decide(30, start, start, fail, policy).outcome == retry.GAVE_UP
    late = start + dt.timedelta(hours=23, minutes=59)
    decision = retry.decide(5, start, late, fail, policy)
    assert decision.outcome == retry.GAVE_UP and "24 h" in decision.reason


def test_the_signal_is_sent_after_commit(execution, django_capture_on_commit_callbacks,
                                         monkeypatch):
    monkeypatch.setattr(outbox, "send_fan_out", lambda event_id: None)
    heard = []

    def receiver(sender, event, execution_id, status, **kw):
        heard.append((status, execution_id, event["detail"]["executionArn"]))

    execution_status_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            outbox.record(execution)
            assert heard == []  # not before commit
        assert heard == [("SUCCEEDED", str(execution.id), execution.arn)]
    finally:
        execution_status_changed.disconnect(receiver)


def test_signature_scheme():
    header = signing.sign("s3cret", b'{"a":1}', 1767225600)
    assert header.startswith("t=1767225600,v1=") and len(header.split("v1=")[1]) == 64
    assert signing.verify("s3cret", b'{"a":1}', header, 1767225600 + 60)
    assert not signing.verify("s3cret", b'{"a":2}', header, 1767225600)
    assert not signing.verify("s3cret", b'{"a":1}', header, 1767225600 + 3600)  # replayed
