"""Who may call /api/: session (with CSRF) or token; anonymous callers get 401/403, never a redirect."""
import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

HELLO = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": True}}}
EXECUTION = "00000000-0000-0000-0000-000000000000"


@pytest.mark.parametrize("method, path", [
    ("get", "/api/task-handlers/"),
    ("post", "/api/validate/"),
    ("get", "/api/state-machines/"),
    ("post", "/api/state-machines/"),
    ("get", "/api/state-machines/hello/"),
    ("patch", "/api/state-machines/hello/"),
    ("delete", "/api/state-machines/hello/"),
    ("post", "/api/state-machines/hello/validate/"),
    ("get", "/api/state-machines/hello/versions/"),
    ("get", "/api/state-machines/hello/versions/1/"),
    ("post", "/api/state-machines/hello/executions/"),
    ("get", "/api/executions/"),
    ("get", f"/api/executions/{EXECUTION}/"),
    ("post", f"/api/executions/{EXECUTION}/stop/"),
    ("post", f"/api/executions/{EXECUTION}/redrive/"),
    ("get", f"/api/executions/{EXECUTION}/history/"),
    ("post", "/api/task-tokens/success/"),
    ("post", "/api/task-tokens/failure/"),
    ("post", "/api/task-tokens/heartbeat/"),
    ("get", "/api/activities/"),
])
def test_anonymous_callers_are_refused_without_a_redirect(method, path):
    response = getattr(Client(), method)(path, {}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"
    assert set(response.json()) == {"detail", "code", "diagnostics"}


def test_a_token_authenticates_a_script(user):
    token = Token.objects.create(user=user)
    client = Client(headers={"Authorization": f"Token {token.key}"})
    response = client.post("/api/state-machines/", {"name": "hello", "definition": HELLO},
                           content_type="application/json")
    assert response.status_code == 201


def test_a_wrong_token_is_refused(user):
    client = Client(headers={"Authorization": "Token not-a-real-token"})
    response = client.get("/api/state-machines/")
    # 403, not 401: session authentication comes first in REST_FRAMEWORK's list, and DRF
    # answers 401 only when the first scheme can name a WWW-Authenticate challenge.
    assert response.status_code == 403
    assert response.json()["code"] == "authentication_failed"


def test_a_session_write_without_the_csrf_header_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/api/state-machines/", {"name": "hello", "definition": HELLO},
                           content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["detail"]


def test_a_session_write_with_the_csrf_header_is_accepted(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/accounts/keys/")  # any page that renders a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/api/state-machines/", {"name": "hello", "definition": HELLO},
                           content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_a_session_read_needs_no_csrf_header(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/state-machines/").status_code == 200


def test_the_schema_and_its_ui_are_for_logged_in_users(logged_in_client):
    schema = logged_in_client.get("/api/schema/",
                                  headers={"Accept": "application/vnd.oai.openapi+json"})
    assert schema.status_code == 200
    assert "/api/state-machines/{name}/" in schema.json()["paths"]
    assert logged_in_client.get("/api/docs/").status_code == 200


def test_the_schema_and_its_ui_refuse_anonymous_visitors():
    schema = Client().get("/api/schema/")
    assert schema.status_code == 403
    assert schema.json()["code"] == "not_authenticated"
    docs = Client().get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/")


def test_malformed_json_is_a_400_parse_error(logged_in_client):
    response = logged_in_client.post("/api/validate/", "{not json",
                                     content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("path", ["/api/", "/api/nope/", "/api/validate"])
def test_an_unknown_api_path_is_a_json_404(path, logged_in_client):
    response = logged_in_client.post(path, {}, content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found", "diagnostics": []}
