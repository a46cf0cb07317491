"""The designer pages: login required, the built app referenced, the name passed safely."""

import json
import re

import pytest
from django.urls import reverse

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


def test_existing_machine_page_passes_its_name(logged_in_client):
    response = logged_in_client.get("/designer/JobPoller/")
    assert response.status_code == 200
    assert config_of(response)["name"] == "JobPoller"


def test_machine_name_is_escaped_in_the_page(logged_in_client):
    name = "<script>alert(1)"
    response = logged_in_client.get(reverse("designer-edit", args=[name]))
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert config_of(response)["name"] == name
