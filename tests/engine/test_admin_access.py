"""Who gets into the engine's admin, and that nobody can edit the records there."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from engine.models import Activity, Execution, HistoryEvent, TaskToken

from .test_admin_support import ADMIN, client_for, execution

pytestmark = pytest.mark.django_db

LISTS = ["statemachine", "statemachineversion", "execution", "historyevent", "tasktoken",
         "activity"]


@pytest.fixture
def world(user):
    ex = execution(user)
    event = HistoryEvent.objects.get(execution=ex, seq=2)
    activity = Activity.objects.create(owner=user, name="approve")
    return {"execution": ex, "historyevent": event, "statemachine": ex.state_machine,
            "activity": activity}


@pytest.mark.parametrize("model", LISTS)
def test_every_list_renders_for_a_staff_member_who_is_not_a_superuser(model, staff_user, world):
    response = client_for(staff_user).get(f"{ADMIN}/{model}/")
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["execution", "historyevent", "statemachine", "activity"])
def test_change_pages_render_read_only(model, staff_user, world):
    obj = world[model]
    html = client_for(staff_user).get(f"{ADMIN}/{model}/{obj.pk}/change/").content.decode()
    assert 'name="_save"' not in html  # no save button: a view-only page
    form = html.split(f'id="{model}_form"')[1].split("</form>")[0]
    # No editable field: the only input is the hidden CSRF token.
    assert re.findall(r"<(input|textarea|select)\b[^>]*>", form) == ["input"]
    assert 'type="hidden" name="csrfmiddlewaretoken"' in form


@pytest.mark.parametrize("model", LISTS)
def test_anonymous_visitors_are_sent_to_the_login(model):
    response = Client().get(f"{ADMIN}/{model}/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_user_who_is_not_staff_is_refused(user, world):
    client = client_for(user)
    response = client.get(f"{ADMIN}/execution/")
    assert response.status_code == 302 and "login" in response["Location"]
    ex = world["execution"]
    response = client.post(f"{ADMIN}/execution/{ex.pk}/operate/stop/")
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(f"{ADMIN}/execution/{ex.pk}/history.json").status_code == 302


def test_history_cannot_be_added_changed_or_deleted(staff_user, world):
    client = client_for(staff_user)
    event = world["historyevent"]
    assert client.get(f"{ADMIN}/historyevent/add/").status_code == 403
    response = client.post(f"{ADMIN}/historyevent/{event.pk}/change/", {"type": "Forged"})
    assert response.status_code == 403
    assert client.post(f"{ADMIN}/historyevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(f"{ADMIN}/historyevent/", {
        "action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    event.refresh_from_db()
    assert event.type == "PassStateEntered"
    assert HistoryEvent.objects.filter(execution=world["execution"]).count() == 3


def test_executions_cannot_be_edited_or_deleted_even_by_a_superuser(make_user, world):
    root = make_user("root", staff=True, is_superuser=True)
    client = client_for(root)
    ex = world["execution"]
    assert client.post(f"{ADMIN}/execution/{ex.pk}/change/",
                       {"status": "RUNNING"}).status_code == 403
    assert client.post(f"{ADMIN}/execution/{ex.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{ADMIN}/execution/add/").status_code == 403
    ex.refresh_from_db()
    assert ex.status == "SUCCEEDED"
    assert Execution.objects.filter(pk=ex.pk).exists()


def test_the_delete_action_is_not_offered(staff_user, world):
    html = client_for(staff_user).get(f"{ADMIN}/execution/").content.decode()
    assert "delete_selected" not in html
    assert 'value="stop"' in html and 'value="export_history"' in html


def test_task_tokens_are_listed_read_only(staff_user, world):
    from engine.models import Frame

    ex = world["execution"]
    frame = Frame.objects.create(execution=ex)
    TaskToken.objects.create(token="t" * 64, execution=ex, frame=frame, frame_step=0,
                             activity=world["activity"])
    client = client_for(staff_user)
    html = client.get(f"{ADMIN}/tasktoken/").content.decode()
    assert "tttttttttttttttt…" in html and "approve" in html
    assert client.get(f"{ADMIN}/tasktoken/{'t' * 64}/change/").status_code == 200
    assert client.post(f"{ADMIN}/tasktoken/{'t' * 64}/delete/", {"post": "yes"}).status_code == 403
