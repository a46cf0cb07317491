"""The home page's views: the list as HTML, create, delete, load the samples (engine/machines).

Anonymous visitors are refused by tests/security/test_anonymous.py (it walks every URL);
bob-versus-alice ownership is in tests/security/test_ownership_home.py.
"""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.db.models.signals import pre_delete
from django.test import Client

from engine.machines.views import BLANK_DEFINITION
from engine.models import Execution, ExecutionStatus, Frame, StateMachine

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def rows(html: str) -> list[str]:
    return re.findall(r'<tr data-machine="([^"]*)"', html)


def test_the_home_page_and_state_machines_are_the_same_list(logged_in_client, user,
                                                            make_machine, make_execution):
    machine = make_machine(user, "job-poller", versions=2)
    execution = make_execution(machine, "FAILED", ago=timedelta(minutes=3))
    for path in ("/", "/state-machines/"):
        html = html_of(logged_in_client.get(path))
        assert rows(html) == ["job-poller"]
        assert 'href="/designer/job-poller/"' in html
        assert f'href="/executions/{execution.id}/"' in html
        assert "3 min ago" in html and "status-failed" in html
        assert 'href="/executions/?state_machine=job-poller"' in html
        assert 'href="/executions/?state_machine=job-poller&amp;status=FAILED"' in html
        assert ">v2<" in html
        assert '<script id="home-config" type="application/json">' in html
        assert 'src="/static/designer/home.js"' in html


def test_sort_links_and_pages_work_without_javascript(logged_in_client, user, make_machine):
    for n in range(30):
        make_machine(user, f"m{n:02d}")
    html = html_of(logged_in_client.get("/?sort=-name"))
    assert rows(html)[:2] == ["m29", "m28"]
    # The current column's header reverses it; the others sort their own way first.
    assert 'href="?" data-sort="name"' in html
    assert 'href="?sort=-updated" data-sort="updated"' in html
    assert 'aria-sort="descending"' in html
    assert 'href="?sort=-name&amp;page=2" rel="next"' in html
    page2 = html_of(logged_in_client.get("/?sort=-name&page=2"))
    assert rows(page2) == ["m04", "m03", "m02", "m01", "m00"]
    assert "26–30 of 30" in page2
    searched = html_of(logged_in_client.get("/?q=m1"))
    assert rows(searched) == [f"m1{n}" for n in range(10)]
    assert 'value="m1"' in searched


def test_nothing_yet_offers_create_and_the_samples(logged_in_client):
    html = html_of(logged_in_client.get("/"))
    assert 'data-testid="empty-state"' in html
    assert "Create a state machine" in html and "Load the samples" in html
    assert 'action="/state-machines/samples/"' in html


def test_a_search_without_match_says_so_and_keeps_the_list_controls(logged_in_client, user,
                                                                    make_machine):
    make_machine(user, "alpha")
    html = html_of(logged_in_client.get("/?q=%3Cb%3Ezz"))
    assert "No state machine matches “&lt;b&gt;zz”." in html
    assert 'data-testid="empty-state"' not in html


def test_loading_the_samples_creates_them_with_their_example_inputs(logged_in_client, user):
    response = logged_in_client.post("/state-machines/samples/")
    assert response.status_code == 302 and response["Location"] == "/"
    poller = StateMachine.objects.get(owner=user, name="job-poller")
    assert poller.example_input == {"waitSeconds": 2, "checksNeeded": 3, "fail": False,
                                    "flaky": False}
    assert "Input:" not in poller.definition["Comment"]
    listed = html_of(logged_in_client.get("/"))
    assert len(rows(listed)) == 5 and "Loaded 5 sample state machines" in listed
    logged_in_client.post("/state-machines/samples/")
    assert "The samples are already loaded." in html_of(logged_in_client.get("/"))
    assert logged_in_client.get("/state-machines/samples/").status_code == 405


def test_creating_opens_the_designer_on_a_valid_one_state_machine(logged_in_client, user):
    response = logged_in_client.post("/state-machines/new/", {"name": "orders",
                                                               "type": "EXPRESS"})
    assert response.status_code == 302 and response["Location"] == "/designer/orders/"
    machine = StateMachine.objects.get(owner=user, name="orders")
    assert machine.type == "EXPRESS" and machine.definition == BLANK_DEFINITION
    assert machine.states_count == 1
    assert logged_in_client.get("/designer/orders/").status_code == 200


@pytest.mark.parametrize("name, type_, message", [
    ("", "STANDARD", "Give the state machine a name."),
    ("has space", "STANDARD", "A name is 1 to 80 characters"),
    ("x" * 81, "STANDARD", "A name is 1 to 80 characters"),
    ("taken", "STANDARD", "You already have a state machine named “taken”."),
    ("fine", "WEIRD", "The type is STANDARD or EXPRESS."),
])
def test_creating_refuses_with_a_reason(logged_in_client, user, make_machine, name, type_,
                                        message):
    make_machine(user, "taken")
    response = logged_in_client.post("/state-machines/new/", {"name": name, "type": type_})
    assert response.status_code == 400
    assert message in response.content.decode()
    answer = logged_in_client.post("/state-machines/new/", {"name": name, "type": type_},
                                   headers={"Accept": "application/json"})
    assert answer.status_code == 400 and message in answer.json()["error"]
    assert StateMachine.objects.filter(owner=user).count() == 1


def test_the_create_dialog_gets_json(logged_in_client):
    answer = logged_in_client.post("/state-machines/new/", {"name": "a-b_c"},
                                   headers={"Accept": "application/json"})
    assert answer.status_code == 201 and answer.json() == {"url": "/designer/a-b_c/"}
    assert html_of(logged_in_client.get("/state-machines/new/")).count('name="type"') == 2


def test_deleting_asks_first_then_deletes_and_stops_running_executions(
        logged_in_client, user, make_machine, make_execution):
    machine = make_machine(user, "doomed", versions=1)
    make_execution(machine, "SUCCEEDED")
    running = make_execution(machine, "RUNNING")
    Frame.objects.create(execution=running, status="RUNNING", waiting="CALLBACK")
    keep = make_machine(user, "kept")

    confirm = html_of(logged_in_client.get("/state-machines/doomed/delete/?next=/%3Fpage%3D1"))
    assert "Delete doomed?" in confirm
    assert "1 execution is running." in confirm and "Aborted" in confirm
    assert 'name="next" value="/?page=1"' in confirm

    seen = []

    def record(sender, instance, **kwargs):
        seen.append((instance.name, instance.status, instance.cause))

    pre_delete.connect(record, sender=Execution)
    try:
        response = logged_in_client.post("/state-machines/doomed/delete/", {"next": "/?page=1"})
    finally:
        pre_delete.disconnect(record, sender=Execution)
    assert response.status_code == 302 and response["Location"] == "/?page=1"
    # The running execution was stopped (ABORTED, with a cause) before it was deleted.
    assert (running.name, ExecutionStatus.ABORTED, "The state machine was deleted.") in seen
    assert not StateMachine.objects.filter(pk=machine.pk).exists()
    assert not Execution.objects.filter(state_machine_id=machine.pk).exists()
    assert StateMachine.objects.filter(pk=keep.pk).exists()
    listed = html_of(logged_in_client.get("/"))
    assert "Deleted doomed. 1 running execution was stopped." in listed


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/",
                                    "/admin/", "/\\evil.example"])
def test_after_deleting_the_page_never_goes_off_the_list(logged_in_client, user, make_machine,
                                                         target):
    make_machine(user, "gone")
    response = logged_in_client.post("/state-machines/gone/delete/", {"next": target})
    assert response["Location"] == "/"


def test_the_pages_refuse_forms_without_a_csrf_token(user, make_machine):
    make_machine(user, "safe")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    for path, data in (("/state-machines/new/", {"name": "x"}),
                       ("/state-machines/safe/delete/", {}),
                       ("/state-machines/samples/", {})):
        response = client.post(path, data)
        assert response.status_code == 403, path
        assert "This form has expired" in response.content.decode()
    assert StateMachine.objects.filter(owner=user).count() == 1


def test_staff_see_everyones_machines_with_their_owner_but_act_on_their_own(
        client, user, staff_user, make_machine):
    make_machine(user, "alices")
    make_machine(staff_user, "staffs")
    client.force_login(staff_user)
    html = html_of(client.get("/"))
    assert rows(html) == ["alices", "staffs"]
    assert 'data-sort="owner"' in html and ">alice</td>" in html
    alices = html[html.index('data-machine="alices"'):html.index('data-machine="staffs"')]
    # Not in the staff member's namespace: no designer, start or delete; the admin instead.
    assert "/designer/alices/" not in alices and 'data-action="delete"' not in alices
    assert 'data-action="admin"' in alices
    assert client.post("/state-machines/alices/delete/").status_code == 404
    assert StateMachine.objects.filter(name="alices").exists()


def test_an_ordinary_user_has_no_owner_column_or_sort(logged_in_client, user, make_machine):
    make_machine(user, "mine")
    html = html_of(logged_in_client.get("/?sort=owner"))
    assert 'data-sort="owner"' not in html and 'aria-sort="ascending"' in html


def test_the_rest_api_reads_and_writes_the_example_input(logged_in_client, user, make_machine):
    make_machine(user, "m", example_input={"a": 1})
    api = "/api/state-machines/m/"
    assert logged_in_client.get(api).json()["example_input"] == {"a": 1}
    patched = logged_in_client.patch(api, {"example_input": [1, "two"]},
                                     content_type="application/json")
    assert patched.status_code == 200 and patched.json()["example_input"] == [1, "two"]
    definition = logged_in_client.get(api).json()["definition"]
    assert "example_input" not in json.dumps(definition)  # never part of the ASL
    cleared = logged_in_client.patch(api, {"example_input": None},
                                     content_type="application/json")
    assert cleared.json()["example_input"] is None
    created = logged_in_client.post("/api/state-machines/", {
        "name": "n", "definition": BLANK_DEFINITION, "example_input": {"b": 2}},
        content_type="application/json")
    assert created.status_code == 201 and created.json()["example_input"] == {"b": 2}
    too_big = logged_in_client.patch(api, {"example_input": "x" * 300_000},
                                     content_type="application/json")
    assert too_big.status_code == 400
