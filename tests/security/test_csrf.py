"""(3) CSRF: every state-changing request authenticated by the session cookie needs the
token; without it the request is refused and nothing changes. Token-authenticated API calls
(no cookie) and SigV4 calls carry no ambient credentials, so they need none."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import AccessKey
from engine.models import Activity, Execution, ExecutionStatus, StateMachine
from tests.security.conftest import ACTIVITY, MACHINE

pytestmark = pytest.mark.django_db

HELLO = {"StartAt": "S", "States": {"S": {"Type": "Pass", "End": True}}}


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def with_token(client: Client) -> str:
    """Fetch a page so the CSRF cookie is set; return its value (the header/form token)."""
    client.get("/accounts/keys/")
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def api_requests(world):
    m = f"/api/state-machines/{MACHINE}"
    e = f"/api/executions/{world.running.id}"
    return [
        ("post", "/api/state-machines/", {"name": "new", "definition": HELLO}),
        ("patch", f"{m}/", {"definition": HELLO}),
        ("delete", f"{m}/", None),
        ("post", f"{m}/versions/", {"definition": HELLO}),
        ("post", f"{m}/executions/", {"input": {}}),
        ("post", f"{e}/stop/", {}),
        ("post", f"/api/executions/{world.failed.id}/redrive/", None),
        ("post", "/api/activities/", {"name": "new-activity"}),
        ("delete", f"/api/activities/{ACTIVITY}/", None),
        ("post", "/api/task-tokens/heartbeat/", {"token": "x"}),
        ("post", "/api/validate/", {"definition": HELLO}),
    ]


def snapshot(world):
    return (list(StateMachine.objects.values_list("name", "definition")),
            Execution.objects.count(),
            Execution.objects.get(pk=world.running.pk).status,
            Execution.objects.get(pk=world.failed.pk).redrive_count,
            list(Activity.objects.values_list("name", flat=True)))


def test_api_writes_with_a_session_and_no_token_are_refused(world):
    client = csrf_client(world.alice)
    before = snapshot(world)
    for method, path, body in api_requests(world):
        response = getattr(client, method)(path, body or {}, content_type="application/json")
        assert response.status_code == 403, (method, path, response.status_code)
        assert response.json()["code"] == "permission_denied"
        assert "CSRF" in response.json()["detail"]
    assert snapshot(world) == before


def test_api_writes_with_a_wrong_token_are_refused(world):
    client = csrf_client(world.alice)
    with_token(client)
    response = client.post("/api/state-machines/", {"name": "new", "definition": HELLO},
                           content_type="application/json", headers={"X-CSRFToken": "x" * 32})
    assert response.status_code == 403


def test_api_writes_with_the_token_go_through(world):
    client = csrf_client(world.alice)
    token = with_token(client)
    response = client.post("/api/state-machines/", {"name": "new", "definition": HELLO},
                           content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_token_authentication_needs_no_csrf_token(world):
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=world.alice).key
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Token {key}"})
    response = client.post("/api/state-machines/", {"name": "new", "definition": HELLO},
                           content_type="application/json")
    assert response.status_code == 201


@pytest.mark.parametrize("who, path, data", [
    ("alice", "/accounts/keys/", {"description": "forged"}),
    ("alice", "/accounts/keys/{alice_key}/revoke/", {}),
    ("alice", "/accounts/logout/", {}),
    ("alice", "/accounts/password/", {"old_password": "x", "new_password1": "y",
                                      "new_password2": "y"}),
    ("staff", "/admin/engine/execution/", {"action": "stop",
                                            "_selected_action": ["{running}"]}),
    ("staff", "/admin/engine/execution/{running}/operate/stop/", {}),
    ("staff", "/admin/engine/execution/{failed}/operate/start_again/", {}),
    ("staff", "/admin/logout/", {}),
])
def test_form_posts_without_the_token_are_refused(world, who, path, data):
    fill = {"alice_key": world.keys["alice"][0], "running": world.running.pk,
            "failed": world.failed.pk}
    path = path.format(**fill)
    data = {k: [x.format(**fill) for x in v] if isinstance(v, list) else v
            for k, v in data.items()}
    client = csrf_client(getattr(world, who))
    keys_before = AccessKey.objects.count()
    executions_before = Execution.objects.count()
    response = client.post(path, data)
    assert response.status_code == 403, (path, response.status_code)
    assert AccessKey.objects.count() == keys_before
    assert AccessKey.objects.get(key_id=world.keys["alice"][0]).is_active
    assert Execution.objects.count() == executions_before
    assert Execution.objects.get(pk=world.running.pk).status == ExecutionStatus.RUNNING
    # still logged in: the forged logout did nothing
    assert client.get("/accounts/keys/").status_code == 200


def test_the_login_form_needs_the_token_too(world):
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "alice", "password": "correct-horse-battery"})
    assert response.status_code == 403


def test_pages_that_post_carry_the_token(world):
    client = csrf_client(world.alice)
    for path in ("/accounts/keys/", "/executions/", f"/executions/{world.failed.id}/",
                 "/designer/", "/", "/state-machines/new/",
                 f"/state-machines/{world.machine.name}/delete/"):
        html = client.get(path).content.decode()
        if "<form method=\"post\"" in html:
            assert "csrfmiddlewaretoken" in html, path
    # The single-page apps read it from their json_script config.
    assert '"csrfToken"' in client.get("/designer/").content.decode()
