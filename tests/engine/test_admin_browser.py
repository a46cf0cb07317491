"""The execution admin in a real browser: the list's badges, and Stop from the change page
(a POST with the page's CSRF token, outside the read-only change form)."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from engine import services
from engine.models import Execution

from .test_admin_support import LONG_WAIT, machine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_page(page, live_server, staff_user):
    client = Client()
    client.force_login(staff_user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value,
                               "url": live_server.url}])
    return page


def test_stop_from_the_change_page_aborts_the_execution(staff_page, live_server, user, tmp_path):
    running = services.start_execution(machine(user, "napper", LONG_WAIT), {"n": 1},
                                       name="nap-1")
    page = staff_page
    page.goto(f"{live_server.url}/admin/engine/execution/")
    badge = page.locator("td.field-status_error .ss-badge")
    assert badge.inner_text() == "RUNNING"
    # The badge is coloured from the engine's admin styles.
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(37, 99, 235)"

    page.click("text=nap-1")
    page.click("button[data-op=stop]")
    page.wait_for_selector(".messagelist .success")
    assert "Stopped 1 execution(s): nap-1" in page.locator(".messagelist").inner_text()
    assert page.locator(".field-status_badge .ss-badge").inner_text() == "ABORTED"
    assert page.locator("tr[data-seq] td:nth-child(2)").all_inner_texts()[-1] == "ExecutionAborted"
    page.screenshot(path=str(tmp_path / "execution-stopped.png"), full_page=True)
    assert Execution.objects.get(pk=running.pk).status == "ABORTED"
