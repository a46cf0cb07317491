"""An execution's admin page: pretty, escaped payloads and its history one page at a time."""
from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engine.admin.history import HISTORY_PAGE
from engine.models import Execution, HistoryEvent, StateMachineAlias

from .test_admin_support import ADMIN, XSS, client_for, execution

pytestmark = pytest.mark.django_db


def seqs(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-seq="(\d+)">', html)]


def test_input_output_and_error_are_pretty_printed_and_escaped(staff_user, user):
    ex = execution(user, "x", status="FAILED", error=XSS)
    Execution.objects.filter(pk=ex.pk).update(
        input={"html": XSS, "n": [1, 2]}, output={"ok": True}, cause=XSS)
    html = client_for(staff_user).get(f"{ADMIN}/execution/{ex.pk}/change/").content.decode()
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Indented JSON (json.dumps(indent=2)), HTML-escaped inside <pre>; PostgreSQL's jsonb
    # may order the keys differently.
    assert '<pre class="ss-json">{\n  &quot;' in html
    assert '\n  &quot;html&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;' in html
    assert ex.arn in html
    assert f'href="/executions/{ex.pk}/"' in html


def test_history_is_shown_a_page_at_a_time_by_event_id(staff_user, user):
    events = HISTORY_PAGE * 2 + 5
    ex = execution(user, "long", events=events)
    client = client_for(staff_user)
    url = f"{ADMIN}/execution/{ex.pk}/change/"
    first = client.get(url).content.decode()
    assert seqs(first) == list(range(1, HISTORY_PAGE + 1))
    assert f"page 1 of 3" in first
    last = client.get(url + "?events_page=3").content.decode()
    assert seqs(last) == list(range(HISTORY_PAGE * 2 + 1, events + 1))
    # Out-of-range and malformed page numbers fall back to a real page.
    assert seqs(client.get(url + "?events_page=99").content.decode())[0] == HISTORY_PAGE * 2 + 1
    assert seqs(client.get(url + "?events_page=x").content.decode())[0] == 1


def test_the_history_page_costs_the_same_queries_for_a_short_and_a_long_history(
        staff_user, user):
    client = client_for(staff_user)
    short, long = execution(user, "short", events=3), execution(user, "long", events=400)

    def count(ex, page):
        with CaptureQueriesContext(connection) as captured:
            client.get(f"{ADMIN}/execution/{ex.pk}/change/?events_page={page}")
        return len(captured)

    assert count(short, 1) == count(long, 1)
    # A later page also looks up the state the page starts in: one query more.
    assert count(long, 5) == count(long, 1) + 1


def test_a_page_that_starts_mid_state_names_the_state_it_is_in(staff_user, user):
    ex = execution(user, "mid", events=HISTORY_PAGE + 2)
    # Event HISTORY_PAGE + 1 has no state name of its own (a task event).
    HistoryEvent.objects.filter(execution=ex, seq=HISTORY_PAGE + 1).update(
        type="TaskScheduled", details={"taskScheduledEventDetails": {"resource": "x"}})
    html = client_for(staff_user).get(
        f"{ADMIN}/execution/{ex.pk}/change/?events_page=2").content.decode()
    row = html.split(f'<tr data-seq="{HISTORY_PAGE + 1}">')[1].split("</tr>")[0]
    assert f"Step{HISTORY_PAGE}" in row and "TaskScheduled" in row


def test_event_details_are_escaped_on_the_event_page(staff_user, user):
    ex = execution(user, "e", events=1)
    event = HistoryEvent.objects.get(execution=ex)
    HistoryEvent.objects.filter(pk=event.pk).update(details={"x": XSS})
    html = client_for(staff_user).get(f"{ADMIN}/historyevent/{event.pk}/change/").content.decode()
    assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    list_html = client_for(staff_user).get(f"{ADMIN}/historyevent/").content.decode()
    assert XSS not in list_html


def test_aliases_have_pages_that_link_to_the_executions_started_through_them(
        staff_user, user):
    ex = execution(user, "via-alias")
    other = execution(user, "direct")
    machine = ex.state_machine
    alias = StateMachineAlias.objects.create(
        state_machine=machine, name="prod", description=XSS,
        routing=[{"version": 1, "weight": 90}, {"version": 2, "weight": 10}])
    Execution.objects.filter(pk=ex.pk).update(alias_name="prod")
    client = client_for(staff_user)
    listing = client.get(f"{ADMIN}/statemachinealias/").content.decode()
    assert f"{machine.name}:prod" in listing and XSS not in listing
    page = client.get(f"{ADMIN}/statemachinealias/{alias.pk}/change/").content.decode()
    assert alias.arn in page and "version 1: 90 % · version 2: 10 %" in page
    link = re.search(r'href="([^"]*execution/\?[^"]*)">executions started through it', page)
    assert link, page
    executions = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "via-alias" in executions and "direct" not in executions
    assert other.name == "direct"
    machine_page = client.get(f"{ADMIN}/statemachine/{machine.pk}/change/").content.decode()
    assert "statemachinealias/?state_machine=" in machine_page
