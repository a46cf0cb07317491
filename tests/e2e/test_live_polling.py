"""The execution pages where no websocket can open (a proxy that drops the upgrade; here,
Django's live_server, which serves no websockets): after two failed connections the page
asks /executions/<id>/feed/ (the list: /executions/feed/) every two seconds and shows the
history and its changes. Screenshot: test-artifacts/home/live-polling.png.
"""
from __future__ import annotations

import pytest

from engine import services
from engine.models import Activity, HistoryEvent, TaskToken
from tests.designer.browser import chromium  # noqa: F401 (fixture)
from tests.e2e.app_browser import browse, machine  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_without_a_websocket_the_page_polls_and_follows_the_execution(browse, user):
    review = Activity.objects.create(owner=user, name="review")
    reviewed = machine(user, "reviewed", definition={"StartAt": "Review", "States": {
        "Review": {"Type": "Task", "Resource": review.arn, "Next": "Done"},
        "Done": {"Type": "Pass", "End": True}}})
    ex = services.start_execution(reviewed, {"doc": 1})
    token = TaskToken.objects.get(execution=ex).token

    b = browse(user).open(f"/executions/{ex.id}/")
    page = b.page
    page.wait_for_function("window.stepstudio.live.connection() === 'polling'", timeout=20_000)
    stored = list(HistoryEvent.objects.filter(execution=ex).order_by("seq")
                  .values_list("seq", flat=True))
    page.wait_for_function(f"window.stepstudio.live.lastSeq() === {stored[-1]}")
    assert page.evaluate("window.stepstudio.live.seqs()") == stored
    assert page.evaluate("window.stepstudio.live.status()") == "RUNNING"
    badge = page.locator('[data-live="connection"]')
    assert "every 2 s" in badge.inner_text()

    services.send_task_success(token, {"approved": True})
    page.wait_for_function("window.stepstudio.live.status() === 'SUCCEEDED'", timeout=15_000)
    stored = list(HistoryEvent.objects.filter(execution=ex).order_by("seq")
                  .values_list("seq", flat=True))
    assert page.evaluate("window.stepstudio.live.seqs()") == stored  # each once, in order
    assert page.evaluate("window.stepstudio.live.nodeStatus('Done')") == "succeeded"
    assert page.locator("#live-events [role=row][data-seq]").count() == len(stored)
    b.screenshot("live-polling", full_page=True)


def test_without_a_websocket_the_list_polls_and_shows_new_executions(browse, user):
    review = Activity.objects.create(owner=user, name="review")
    reviewed = machine(user, "reviewed", definition={"StartAt": "Review", "States": {
        "Review": {"Type": "Task", "Resource": review.arn, "End": True}}})
    b = browse(user).open("/executions/")
    page = b.page
    badge = page.locator('[data-live="connection"]')
    page.wait_for_function(
        "document.querySelector('[data-live=\"connection\"]').dataset.state === 'polling'",
        timeout=20_000)
    assert "every 2 s" in badge.inner_text()
    ex = services.start_execution(reviewed, {"doc": 2})
    row = page.locator(f'tr[data-id="{ex.id}"]')
    row.wait_for(timeout=15_000)
    assert row.get_attribute("data-status") == "RUNNING"
    services.send_task_success(TaskToken.objects.get(execution=ex).token, {})
    page.wait_for_selector(f'tr[data-id="{ex.id}"][data-status="SUCCEEDED"]', timeout=15_000)
