"""/api/schedules/ and /api/webhooks/: create, read, change, pause/resume, delete, errors
naming the field, ownership (staff list everyone's), and the OpenAPI schema."""
import pytest
from django.test import Client

from engine.models import Schedule, StateMachine, Webhook

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
pytestmark = pytest.mark.django_db


@pytest.fixture
def api(user):
    client = Client()
    client.force_login(user)
    StateMachine.objects.create(owner=user, name="nightly", definition=PASS)
    return client


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_create_read_change_pause_resume_delete(api):
    r = post(api, "/api/schedules/", {"name": "noon", "target": "nightly",
                                      "expression": "cron(0 12 * * ? *)",
                                      "timezone": "Europe/Paris", "input": {"a": 1},
                                      "flexible_time_window": {"mode": "FLEXIBLE",
                                                               "maximum_window_minutes": 15}})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["state"] == "ENABLED" and len(body["next_fire_times"]) == 5
    assert body["target"].endswith(":stateMachine:nightly")
    assert body["flexible_time_window"] == {"mode": "FLEXIBLE", "maximum_window_minutes": 15}
    r = api.patch("/api/schedules/noon/", {"expression": "rate(2 hours)"},
                  content_type="application/json")
    assert r.status_code == 200 and r.json()["expression"] == "rate(2 hours)"
    assert post(api, "/api/schedules/noon/pause/", {}).json()["state"] == "DISABLED"
    assert post(api, "/api/schedules/noon/resume/", {}).json()["state"] == "ENABLED"
    assert api.get("/api/schedules/noon/executions/").json() == {"results": []}
    assert api.delete("/api/schedules/noon/").status_code == 204
    assert not Schedule.objects.exists()


def test_a_bad_expression_names_the_field(api):
    r = post(api, "/api/schedules/", {"name": "bad", "target": "nightly",
                                      "expression": "cron(0 12 * * * *)"})
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == "expression"
    assert body["message"] == ("cron(0 12 * * * *): day-of-month and day-of-week cannot both "
                               "be specified; use ? in one of them")
    assert body["code"] == "invalid" and body["detail"].startswith("expression: ")


@pytest.mark.parametrize("body,field", [
    ({"start_date": "tomorrow"}, "start_date"),
    ({"flexible_time_window": {"mode": "SOMETIMES"}}, "flexible_time_window"),
    ({"enabled": "yes"}, "enabled"),
    ({"timezone": "Moon/Base"}, "timezone"),
    ({"target": "someone-elses"}, "target"),
    ({"bogus": 1}, "bogus"),
])
def test_other_bad_fields(api, body, field):
    base = {"name": "x", "target": "nightly", "expression": "rate(1 hour)"}
    r = post(api, "/api/schedules/", {**base, **body})
    assert r.status_code == 400 and r.json()["field"] == field


def test_owners_only_and_staff_list_all(api, other_user, staff_user):
    post(api, "/api/schedules/", {"name": "mine", "target": "nightly",
                                  "expression": "rate(1 hour)"})
    bob = Client()
    bob.force_login(other_user)
    assert bob.get("/api/schedules/").json()["results"] == []
    assert bob.get("/api/schedules/mine/").status_code == 404
    alice_machine = StateMachine.objects.get(name="nightly")
    r = post(bob, "/api/schedules/", {"name": "steal", "target": alice_machine.arn,
                                      "expression": "rate(1 hour)"})
    assert r.status_code == 400 and r.json()["field"] == "target"
    staff = Client()
    staff.force_login(staff_user)
    assert [s["name"] for s in staff.get("/api/schedules/").json()["results"]] == ["mine"]


def test_webhooks_secret_is_shown_once(api):
    r = post(api, "/api/webhooks/", {"name": "ops", "url": "https://hooks.example.com/x",
                                     "statuses": ["FAILED", "TIMED_OUT"],
                                     "state_machines": ["nightly"]})
    assert r.status_code == 201
    secret = r.json()["secret"]
    assert secret.startswith("whsec_") and len(secret) > 40
    assert "secret" not in api.get("/api/webhooks/ops/").json()
    assert "secret" not in api.get("/api/webhooks/").json()["results"][0]
    rolled = post(api, "/api/webhooks/ops/roll-secret/", {}).json()["secret"]
    assert rolled != secret and Webhook.objects.get().secret == rolled
    bad = post(api, "/api/webhooks/", {"name": "b", "url": "ftp://x", "statuses": ["DONE"]})
    assert bad.status_code == 400 and bad.json()["field"] == "url"
    bad = post(api, "/api/webhooks/", {"name": "b", "url": "https://x.example",
                                       "statuses": ["DONE"]})
    assert bad.json()["field"] == "statuses"


def test_the_schema_documents_schedules_and_webhooks(api):
    schema = api.get("/api/schema/?format=json").json()
    assert "/api/schedules/" in schema["paths"] and "/api/webhooks/" in schema["paths"]
    assert "/api/webhooks/{name}/deliveries/{delivery_id}/redeliver/" in schema["paths"]


def test_cli_schedule_commands(api, user):
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("workflows", "schedule", "create", "cli", "--target", "nightly",
                 "--expression", "rate(10 minutes)", "--owner", user.username, stdout=out)
    assert json.loads(out.getvalue())["name"] == "cli"
    out = StringIO()
    call_command("workflows", "schedule", "next", "cli", "--count", "3", "--owner",
                 user.username, stdout=out)
    assert len(json.loads(out.getvalue())) == 3
    for action in ("pause", "resume", "list", "executions"):
        args = ["workflows", "schedule", action] + ([] if action == "list" else ["cli"])
        call_command(*args, "--owner", user.username, stdout=StringIO())
    with pytest.raises(CommandError, match="expression: cron"):
        call_command("workflows", "schedule", "create", "bad", "--target", "nightly",
                     "--expression", "cron(0 12 * * * *)", "--owner", user.username)
    call_command("workflows", "schedule", "delete", "cli", "--owner", user.username,
                 stdout=StringIO())
    assert not Schedule.objects.exists()
