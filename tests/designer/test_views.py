"""The designer pages: login required, the built app referenced, the name passed safely."""

import json
import re

import pytest
from django.urls import reverse

from engine.models import StateMachine

pytestmark = pytest.mark.django_db


def config_of(response) -> dict:
    match = re.search(r'<script id="designer-config" type="application/json">(.*?)</script>',
                      response.content.decode())
    assert match, "the page carries its config as json_script"
    return json.loads(match.group(1))


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/designer/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_new_designer_page_loads_the_built_app(logged_in_client):
    response = logged_in_client.get("/designer/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'src="/static/designer/designer.js"' in html
    assert 'href="/static/designer/designer.css"' in html
    config = config_of(response)
    assert config["name"] is None
    assert config["csrfToken"]


def machine(owner, name):
    return StateMachine.objects.create(owner=owner, name=name, definition={
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def test_existing_machine_page_passes_its_name(logged_in_client, user):
    machine(user, "JobPoller")
    response = logged_in_client.get("/designer/JobPoller/")
    assert response.status_code == 200
    assert config_of(response)["name"] == "JobPoller"


def test_an_unknown_machine_is_a_404_page_not_an_editor(logged_in_client):
    response = logged_in_client.get("/designer/NoSuchMachine/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "designer-config" not in html and "designer.js" not in html
    assert "You have no state machine named “NoSuchMachine”." in html
    assert 'class="topbar"' in html  # the app's layout


def test_someone_elses_machine_is_a_404_page_for_staff_too(client, user, staff_user):
    machine(user, "alices")
    client.force_login(staff_user)
    # The designer edits the signed-in user's own namespace (as the REST API does).
    assert client.get("/designer/alices/").status_code == 404


def test_machine_name_is_escaped_in_the_page(logged_in_client, user):
    name = "<script>alert(1)"
    machine(user, name)
    response = logged_in_client.get(reverse("designer-edit", args=[name]))
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert config_of(response)["name"] == name


def test_an_unknown_name_is_escaped_on_the_404_page(logged_in_client):
    response = logged_in_client.get(reverse("designer-edit", args=["<img src=x onerror=alert(1)>"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
