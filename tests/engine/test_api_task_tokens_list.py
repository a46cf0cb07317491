"""GET /api/executions/{id}/task-tokens/: the tokens an execution waits on, owner only."""
import pytest
from django.test import Client

from engine.models import Activity, StateMachine

pytestmark = pytest.mark.django_db


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


@pytest.fixture
def waiting(logged_in_client, user):
    activity = Activity.objects.create(owner=user, name="review")
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": activity.arn,
                                                   "End": True}}}
    assert post(logged_in_client, "/api/state-machines/",
                {"name": "reviewed", "definition": definition}).status_code == 201
    started = post(logged_in_client, "/api/state-machines/reviewed/executions/", {"input": {}})
    return started.json()["id"]


def test_the_owner_lists_the_open_token_and_it_is_gone_once_answered(logged_in_client, waiting):
    response = logged_in_client.get(f"/api/executions/{waiting}/task-tokens/")
    assert response.status_code == 200
    [token] = response.json()["tokens"]
    assert (token["state"], token["kind"], token["activity"], token["status"],
            token["iteration"]) == ("T", "activity", "review", "SCHEDULED", "")
    assert len(token["token"]) >= 32
    assert post(logged_in_client, "/api/task-tokens/success/",
                {"token": token["token"], "output": {"ok": True}}).status_code == 200
    assert logged_in_client.get(f"/api/executions/{waiting}/task-tokens/").json() == \
        {"tokens": []}


def test_nobody_else_sees_the_tokens_not_even_staff(waiting, other_user, staff_user, client):
    for someone in (other_user, staff_user):
        other = Client()
        other.force_login(someone)
        response = other.get(f"/api/executions/{waiting}/task-tokens/")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert client.get(f"/api/executions/{waiting}/task-tokens/").status_code == 403
    assert StateMachine.objects.count() == 1
