"""The Schedules and Webhooks pages through Django's test client: forms keep what was
typed on an error, the secret is shown once, ownership."""
import pytest
from django.test import Client

from engine.models import Schedule, StateMachine, Webhook

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
pytestmark = pytest.mark.django_db


@pytest.fixture
def page(user):
    client = Client()
    client.force_login(user)
    StateMachine.objects.create(owner=user, name="nightly", definition=PASS)
    return client


FORM = {"name": "noon", "target": "nightly", "expression": "cron(0 12 * * ? *)",
        "timezone": "UTC", "input": '{"a": 1}', "window": "0", "missed_policy": "SKIP",
        "enabled": "on"}


def test_a_bad_expression_is_shown_next_to_its_field_and_nothing_typed_is_lost(page):
    r = page.post("/schedules/", {**FORM, "expression": "cron(0 12 * * * *)",
                                  "description": "<b>mine</b>"})
    assert r.status_code == 400
    html = r.content.decode()
    assert 'data-error-for="expression"' in html and "cannot both be specified" in html
    assert 'value="cron(0 12 * * * *)"' in html and "&lt;b&gt;mine&lt;/b&gt;" in html
    assert not Schedule.objects.exists()


def test_create_then_detail_shows_five_fire_times_pause_resume_delete(page):
    r = page.post("/schedules/", FORM)
    schedule = Schedule.objects.get()
    assert r.status_code == 302 and r.url == f"/schedules/{schedule.id}/"
    html = page.get(r.url).content.decode()
    assert html.count("<li><span>") == 5
    page.post(r.url, {"action": "pause"})
    assert not Schedule.objects.get().enabled
    page.post(r.url, {"action": "resume"})
    assert Schedule.objects.get().enabled
    page.post(r.url, {"action": "delete"})
    assert not Schedule.objects.exists()


def test_someone_elses_schedule_is_not_found(page, other_user):
    page.post("/schedules/", FORM)
    bob = Client()
    bob.force_login(other_user)
    assert bob.get(f"/schedules/{Schedule.objects.get().id}/").status_code == 404
    assert "noon" not in bob.get("/schedules/").content.decode()


def test_webhook_secret_is_shown_once(page):
    r = page.post("/webhooks/", {"name": "ops", "url": "https://hooks.example.com/x",
                                 "statuses": ["FAILED"], "enabled": "on"})
    hook = Webhook.objects.get()
    assert hook.secret in r.content.decode()
    assert r["Cache-Control"].startswith("max-age=0") or "no-cache" in r["Cache-Control"]
    assert hook.secret not in page.get("/webhooks/").content.decode()
    assert hook.secret not in page.get(f"/webhooks/{hook.id}/").content.decode()


def test_the_top_bar_links_the_pages(page):
    html = page.get("/schedules/").content.decode()
    assert 'href="/schedules/"' in html and 'href="/webhooks/"' in html


def test_the_delivery_log_shows_codes_and_redelivers(page, user, monkeypatch,
                                                     django_capture_on_commit_callbacks):
    from django.utils import timezone

    from engine.events import fanout, outbox
    from engine.models import Execution, WebhookAttempt, WebhookDelivery

    monkeypatch.setattr(outbox, "send_fan_out", lambda event_id: None)
    sent = []
    monkeypatch.setattr(fanout, "send_delivery", sent.append)
    page.post("/webhooks/", {"name": "ops", "url": "https://hooks.example.com/x",
                             "enabled": "on"})
    hook = Webhook.objects.get()
    machine = StateMachine.objects.get(name="nightly")
    execution = Execution.objects.create(state_machine=machine, name="run-<1>", input={},
                                         definition=PASS, status="FAILED",
                                         stop_date=timezone.now())
    event = outbox.record(execution)
    fanout.fan_out(event.id)
    delivery = WebhookDelivery.objects.get()
    WebhookAttempt.objects.create(delivery=delivery, number=1, status_code=503,
                                  response_snippet="<busy>", outcome="GAVE_UP")
    WebhookDelivery.objects.filter(id=delivery.id).update(status="FAILED", attempts=1)
    html = page.get(f"/webhooks/{hook.id}/").content.decode()
    assert "<code>503</code>" in html and "&lt;busy&gt;" in html and "run-&lt;1&gt;" in html
    with django_capture_on_commit_callbacks(execute=True):
        r = page.post(f"/webhooks/{hook.id}/", {"action": "redeliver",
                                                "delivery": str(delivery.id)})
    assert r.status_code == 302
    assert WebhookDelivery.objects.get().status == "PENDING" and sent == [delivery.id]
