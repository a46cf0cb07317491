"""The live view pages: login, ownership, the server-rendered header and table, escaping."""
from __future__ import annotations

import json

import pytest
from django.test import Client

from engine.models import Execution
from tests.engine.test_live_support import append, make_execution

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


def test_pages_need_a_login(user):
    ex = make_execution(user, events=1)
    for path in ("/executions/", f"/executions/{ex.id}/"):
        response = Client().get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_someone_elses_execution_is_404_but_staff_see_it(user, other_user, staff_user):
    ex = make_execution(user, events=1)
    other, staff = Client(), Client()
    other.force_login(other_user)
    staff.force_login(staff_user)
    assert other.get(f"/executions/{ex.id}/").status_code == 404
    assert staff.get(f"/executions/{ex.id}/").status_code == 200
    assert "run-1" not in other.get("/executions/").content.decode()


def test_the_header_and_first_events_are_rendered_and_user_text_is_escaped(
        user, logged_in_client):
    ex = make_execution(user, events=3)
    Execution.objects.filter(id=ex.id).update(status="FAILED", error=XSS, cause=XSS,
                                              input={"html": XSS})
    ex.definition = {"StartAt": XSS, "States": {XSS: {"Type": "Pass", "End": True}}}
    ex.save(update_fields=["definition"])
    html = logged_in_client.get(f"/executions/{ex.id}/").content.decode()
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'data-seq="3"' in html and "ExecutionStarted" in html
    assert 'href="/designer/greeter/"' in html
    # The definition snapshot travels in a json_script block, escaped for HTML.
    config = html.split('id="live-config" type="application/json">')[1].split("</script>")[0]
    assert json.loads(config)["definition"]["StartAt"] == XSS


def test_the_list_filters_by_state_machine_and_status(user, logged_in_client):
    a = make_execution(user, name="a-run", machine="alpha", events=1)
    make_execution(user, name="b-run", machine="beta", events=1)
    append(a, 1, status="SUCCEEDED")
    assert "b-run" not in logged_in_client.get("/executions/?state_machine=alpha").content.decode()
    html = logged_in_client.get("/executions/?status=RUNNING").content.decode()
    assert "b-run" in html and "a-run" not in html


# -- the socket's HTTP fallback (/executions/<id>/feed/) ----------------------------------

def test_the_feed_sends_what_the_socket_would_then_the_status(user, other_user, monkeypatch):
    ex = make_execution(user, events=3)
    client, other = Client(), Client()
    client.force_login(user)
    other.force_login(other_user)
    url = f"/executions/{ex.id}/feed/"
    assert Client().get(url).status_code == 302  # login first
    assert other.get(url).status_code == 404  # someone else's: as if it did not exist

    body = client.get(url, {"after": 0}).json()
    assert body["more"] is False
    *events, status = body["messages"]
    assert [m["seq"] for m in events] == [1, 2, 3]
    assert events[1]["type"] == "PassStateEntered" and events[1]["id"] == 2
    assert (status["type"], status["status"], status["seq"]) == ("execution.status", "RUNNING", 3)

    append(ex, 2, status="SUCCEEDED")
    body = client.get(url, {"after": 3}).json()
    assert [m["seq"] for m in body["messages"]] == [4, 5, 5]
    assert body["messages"][-1]["status"] == "SUCCEEDED"

    # A history longer than a page comes a page at a time; the status once it is all sent.
    monkeypatch.setattr("engine.live.feed.PAGE", 2)
    first = client.get(url, {"after": 0}).json()
    assert ([m["seq"] for m in first["messages"]], first["more"]) == ([1, 2], True)

    for bad in ("-1", "x", "1" * 19, "²"):
        response = client.get(url, {"after": bad})
        assert response.status_code == 400, bad
        assert response.json()["error"] == "InvalidParameterValue"
    assert client.post(url).status_code == 405


def test_the_list_feed_sends_what_the_list_socket_would(user, other_user):
    import time

    mine = make_execution(user, name="mine-1")
    make_execution(other_user, name="theirs-1", machine="other")
    client = Client()
    client.force_login(user)
    assert Client().get("/executions/feed/").status_code == 302
    cursor = int(time.time() * 1_000_000) - 60_000_000  # a minute ago
    body = client.get("/executions/feed/", {"after": cursor}).json()
    assert [m["name"] for m in body["messages"]] == ["mine-1"]  # never someone else's
    assert body["messages"][0]["type"] == "execution.summary"
    assert body["messages"][0]["url"] == f"/executions/{mine.id}/"
    assert client.get("/executions/feed/", {"after": cursor,
                                            "state_machine": "nothing"}).json()["messages"] == []
    assert client.get("/executions/feed/", {"after": 0}).json()["messages"] == []  # from now on
    for bad in ("x", "-5", "9" * 18):
        response = client.get("/executions/feed/", {"after": bad})
        assert response.status_code == 400, bad
        assert response.json()["error"] == "InvalidParameterValue"
