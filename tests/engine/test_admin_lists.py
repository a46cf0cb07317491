"""The execution and event change lists: columns, filters, search, paging, query counts."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engine.admin import pagination
from engine.models import Execution, HistoryEvent

from .test_admin_support import ADMIN, XSS, client_for, execution

pytestmark = pytest.mark.django_db


def rows(response) -> list[str]:
    """The names in the first column of a change list, in order."""
    html = response.content.decode()
    body = html.split('<tbody>')[1].split('</tbody>')[0] if "<tbody>" in html else ""
    return re.findall(r'<th class="field-(?:short_name|event)"><a href="[^"]*">([^<]*)</a>', body)


@pytest.fixture
def runs(user, other_user):
    now = timezone.now()
    return {
        "ok": execution(user, "ok-run", "alpha", "SUCCEEDED", start=now - timedelta(hours=3)),
        "bad": execution(user, "bad-run", "alpha", "FAILED", error="States.TaskFailed",
                         start=now - timedelta(hours=2)),
        "live": execution(other_user, "live-run", "beta", "RUNNING",
                          start=now - timedelta(hours=1)),
    }


def test_executions_are_listed_newest_first_with_badges_and_links(staff_user, runs):
    response = client_for(staff_user).get(f"{ADMIN}/execution/")
    assert rows(response) == ["live-run", "bad-run", "ok-run"]
    html = response.content.decode()
    assert '<span class="ss-badge ss-status-failed">FAILED</span>' in html
    assert f'href="/executions/{runs["bad"].pk}/"' in html
    assert f'href="/admin/engine/statemachine/{runs["bad"].state_machine_id}/change/"' in html
    assert f'href="/admin/engine/historyevent/?execution={runs["bad"].pk}"' in html
    assert "2.000 s" in html  # duration of a stopped one


def test_the_designer_link_is_offered_for_the_viewers_own_machines_only(staff_user, runs):
    # The designer loads names from the viewer's own namespace.
    mine = execution(staff_user, "mine", "gamma")
    client = client_for(staff_user)
    html = client.get(f"{ADMIN}/statemachine/").content.decode()
    assert 'href="/designer/gamma/"' in html
    assert 'href="/designer/alpha/"' not in html
    assert 'href="/designer/gamma/"' in client.get(
        f"{ADMIN}/execution/{mine.pk}/change/").content.decode()
    assert "/designer/" not in client.get(
        f"{ADMIN}/execution/{runs['ok'].pk}/change/").content.decode()


@pytest.mark.parametrize("query, expected", [
    ("status__exact=FAILED", ["bad-run"]),
    ("status__exact=RUNNING", ["live-run"]),
    ("state_machine__type__exact=EXPRESS", []),
    ("q=bad", ["bad-run"]),
    ("q=beta", ["live-run"]),               # state machine name
    ("q=TaskFailed", ["bad-run"]),          # error
])
def test_execution_filters_and_search(staff_user, runs, query, expected):
    assert rows(client_for(staff_user).get(f"{ADMIN}/execution/?{query}")) == expected


def test_search_by_execution_id_and_arn(staff_user, runs):
    client = client_for(staff_user)
    assert rows(client.get(f"{ADMIN}/execution/?q={runs['ok'].pk}")) == ["ok-run"]
    assert rows(client.get(f"{ADMIN}/execution/?q={runs['live'].arn}")) == ["live-run"]


def test_filter_by_state_machine(staff_user, runs):
    sm = runs["live"].state_machine
    response = client_for(staff_user).get(f"{ADMIN}/execution/?state_machine={sm.pk}")
    assert rows(response) == ["live-run"]
    # Owners tell same-named machines apart in the sidebar.
    assert "beta (bob)" in response.content.decode()


def test_date_hierarchy_narrows_to_a_day(staff_user, runs):
    old = execution(staff_user, "old-run", "alpha", start=timezone.now() - timedelta(days=400))
    day = old.start_date
    client = client_for(staff_user)
    response = client.get(f"{ADMIN}/execution/?start_date__year={day.year}"
                          f"&start_date__month={day.month}&start_date__day={day.day}")
    assert rows(response) == ["old-run"]


def test_user_text_is_escaped_in_the_list(staff_user, user):
    execution(user, "x", "alpha", "FAILED", error=XSS)
    html = client_for(staff_user).get(f"{ADMIN}/execution/?q=script").content.decode()
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_events_are_listed_newest_first_with_state_and_excerpt(staff_user, runs):
    response = client_for(staff_user).get(f"{ADMIN}/historyevent/?execution={runs['ok'].pk}")
    assert rows(response) == ["3", "2", "1"]
    html = response.content.decode()
    assert "Step3" in html  # the state name, computed in SQL
    # The excerpt, without the {"stateEnteredEventDetails": wrapper.
    assert "{&quot;name&quot;: &quot;Step3&quot;" in html
    assert "stateEnteredEventDetails" not in html
    # The sidebar names the selected execution, with an "All" to clear it.
    assert "alpha/ok-run" in html


@pytest.mark.parametrize("query, count", [
    ("type=ExecutionStarted", 3),
    ("kind=entered", 6),
    ("kind=execution", 3),
    ("q=bad-run", 3),
    ("q=beta", 3),
    ("q=TaskFailed", 3),
    ("timestamp__gte=2000-01-01T00:00:00%2B00:00", 9),
])
def test_event_filters_and_search(staff_user, runs, query, count):
    assert len(rows(client_for(staff_user).get(f"{ADMIN}/historyevent/?{query}"))) == count


def test_event_filter_by_state_machine(staff_user, runs):
    sm = runs["ok"].state_machine
    response = client_for(staff_user).get(f"{ADMIN}/historyevent/?state_machine={sm.pk}")
    assert len(rows(response)) == 6


def test_event_search_by_execution_id(staff_user, runs):
    response = client_for(staff_user).get(f"{ADMIN}/historyevent/?q={runs['live'].pk}")
    assert rows(response) == ["3", "2", "1"]
    assert "live-run" in response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [f"{ADMIN}/execution/", f"{ADMIN}/historyevent/",
                                 f"{ADMIN}/tasktoken/", f"{ADMIN}/statemachine/"])
def test_list_queries_do_not_grow_with_the_rows(staff_user, user, url):
    client = client_for(staff_user)
    start = timezone.now() - timedelta(hours=1)
    for index in range(5):
        execution(user, f"few-{index}", f"m{index % 2}", start=start)
    few = _queries(client, url)
    for index in range(45):
        execution(user, f"many-{index}", f"m{index % 2}", start=start)
    assert Execution.objects.count() == 50 and HistoryEvent.objects.count() == 150
    assert _queries(client, url) == few


def test_a_large_table_is_counted_up_to_a_bound(staff_user, user, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 4)
    for index in range(6):
        execution(user, f"r{index}", events=1)
    html = client_for(staff_user).get(f"{ADMIN}/execution/").content.decode()
    assert "4 or more" in html


def test_an_unfiltered_large_table_shows_the_planner_estimate(staff_user, user, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 4)
    monkeypatch.setattr(pagination, "_table_estimate", lambda queryset: 123_456)
    for index in range(6):
        execution(user, f"r{index}", events=1)
    client = client_for(staff_user)
    html = client.get(f"{ADMIN}/execution/").content.decode()
    assert "about 123,456" in html
    # A page past the real end (the estimate is high) is empty, not an error.
    response = client.get(f"{ADMIN}/execution/?p=50")
    assert response.status_code == 200 and rows(response) == []
    # Filtered, the estimate is not used.
    assert "about" not in client.get(f"{ADMIN}/execution/?status__exact=RUNNING").content.decode()


def test_the_date_hierarchy_steps_aside_during_a_text_search(staff_user, runs):
    client = client_for(staff_user)
    assert '<nav class="toplinks">' in client.get(f"{ADMIN}/execution/").content.decode()
    searched = client.get(f"{ADMIN}/execution/?q=run")
    assert '<nav class="toplinks">' not in searched.content.decode()
    assert len(rows(searched)) == 3
    day = runs["ok"].start_date
    picked = client.get(f"{ADMIN}/execution/?q=run&start_date__year={day.year}"
                        f"&start_date__month={day.month}&start_date__day={day.day}")
    assert '<nav class="toplinks">' in picked.content.decode()
