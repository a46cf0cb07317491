"""The app's frame in a real Chromium: one top bar on every page (State machines, Executions,
Schedules, Webhooks, Monitoring, API docs, Admin for staff), the account menu (Access keys, Change password, Log out), 404
pages in the layout, and the access keys page with its copy buttons. Screenshots land in
test-artifacts/frame/.
"""
from __future__ import annotations

import json

import pytest

from engine.models import Execution, StateMachine
from tests.designer.browser import chromium  # noqa: F401 (fixture)
from tests.e2e.app_browser import ARTIFACTS as HOME_ARTIFACTS, browse, machine  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = HOME_ARTIFACTS.parent / "frame"
NAV = ["State machines", "Executions", "Schedules", "Webhooks", "Monitoring", "API docs"]


def pages(user) -> list[tuple[str, str, str]]:
    """(path, current section, what the page shows) of every app page."""
    m = machine(user, "framed", example_input={"x": 1})
    execution = Execution.objects.create(state_machine=m, name="one", input={},
                                         definition=m.definition)
    return [
        ("/", "State machines", "tr[data-machine]"),
        ("/state-machines/", "State machines", "tr[data-machine]"),
        ("/state-machines/new/", "State machines", "form.form-card"),
        ("/state-machines/framed/delete/", "State machines", "form.form-card"),
        ("/designer/", "State machines", ".react-flow"),
        ("/designer/framed/", "State machines", '[data-state-name="Pass"]'),
        ("/executions/", "Executions", "#executions"),
        (f"/executions/{execution.id}/", "Executions", "#execution-name"),
        ("/schedules/", "Schedules", "main"),
        ("/webhooks/", "Webhooks", "main"),
        ("/monitoring/", "Monitoring", "#executions-chart"),
        (f"/monitoring/{m.id}/", "Monitoring", "#executions-chart"),
        ("/api/docs/", "API docs", "#swagger-ui .info"),
        ("/accounts/keys/", None, "table.data-table"),
        ("/accounts/password/", None, "form.auth-card"),
        ("/designer/nope/", "State machines", ".error-card"),
    ]


def shot(b, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    b.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_every_page_has_the_top_bar_and_the_account_menu(browse, user):
    b = browse(user)
    for path, current, content in pages(user):
        b.open(path)
        b.page.wait_for_selector(content)
        bar = b.page.locator("header.topbar")
        assert bar.count() == 1, path
        assert bar.locator("nav.topnav a").all_inner_texts() == NAV, path
        active = bar.locator('nav.topnav a[aria-current="page"]')
        assert (active.inner_text() if active.count() else None) == current, path
        # The favicon is ours, on every page.
        icons = b.page.eval_on_selector_all("link[rel=icon]", "ls => ls.map(l => l.href)")
        assert any(i.endswith("/static/favicon.svg") for i in icons), path
        # The account menu opens and holds the account's pages.
        bar.locator(".user-menu summary").click()
        menu = bar.locator(".user-menu .menu")
        menu.wait_for()
        assert menu.locator("a").all_inner_texts() == ["Access keys", "Change password"], path
        assert menu.locator("button").inner_text() == "Log out"
        shot(b, "page-" + (path.strip("/").replace("/", "-") or "home"))
        b.page.keyboard.press("Escape")
        menu.wait_for(state="hidden")
    assert b.page.evaluate("document.title").startswith("Not found")


def test_staff_also_get_the_admin_and_the_menu_closes_on_an_outside_click(browse, staff_user):
    b = browse(staff_user).open("/")
    assert b.page.locator("nav.topnav a").all_inner_texts() == NAV + ["Admin"]
    b.page.click(".user-menu summary")
    b.page.locator(".user-menu .menu").wait_for()
    b.page.click("h1")
    b.page.locator(".user-menu .menu").wait_for(state="hidden")
    b.page.click("nav.topnav >> text=Admin")
    b.page.wait_for_url("**/admin/")


def test_the_account_menu_leads_to_the_keys_the_password_and_out(browse, user):
    b = browse(user).open("/")
    b.page.click(".user-menu summary")
    b.page.click(".user-menu >> text=Change password")
    b.page.wait_for_url("**/accounts/password/")
    b.page.click(".user-menu summary")
    b.page.click(".user-menu >> text=Access keys")
    b.page.wait_for_url("**/accounts/keys/")
    b.page.click(".user-menu summary")
    b.page.click(".user-menu >> text=Log out")  # a POST with the CSRF token
    b.page.wait_for_url("**/accounts/login/")
    assert b.page.locator("input[name=password]").count() == 1
    b.page.goto(b.base_url + "/")
    b.page.wait_for_url("**/accounts/login/?next=/")


def test_unknown_machines_and_executions_are_404_pages_in_the_layout(browse, user):
    b = browse(user)
    for path in ("/designer/no-such-machine/",
                 "/executions/00000000-0000-0000-0000-000000000009/",
                 "/nothing/here/"):
        response = b.page.goto(b.base_url + path)
        assert response.status == 404, path
        card = b.page.locator(".error-card")
        assert card.locator("h1").inner_text() == "Not found"
        assert b.page.locator("header.topbar nav.topnav a").count() == len(NAV)
        # The designer never opens an editor on a machine that does not exist.
        assert b.page.locator(".react-flow, #designer-root").count() == 0
    b.page.goto(b.base_url + "/designer/no-such-machine/")
    assert "no state machine named “no-such-machine”" in b.page.locator(".error-card").inner_text()
    shot(b, "404-designer")
    b.page.click(".error-card >> text=Go to the state machines")
    b.page.wait_for_url(b.base_url + "/")


def test_the_access_keys_page_copies_the_one_time_secret(browse, user, live_server):
    b = browse(user)
    b.page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                     origin=live_server.url)
    b.open("/accounts/keys/")
    b.page.fill('input[name="description"]', "laptop")
    b.page.click("text=Create access key")
    b.page.wait_for_selector('[data-testid="new-key"]')
    secret = b.page.locator('[data-testid="secret"]').inner_text()
    key_id = b.page.locator('[data-testid="key-id"]').inner_text()
    b.page.click('[data-action="copy-secret"]')
    b.page.wait_for_selector('[data-action="copy-secret"]:has-text("Copied")')
    assert b.page.evaluate("navigator.clipboard.readText()") == secret
    snippet = b.page.locator('[data-testid="snippet"]').inner_text()
    assert f'aws_access_key_id="{key_id}"' in snippet
    assert f'aws_secret_access_key="{secret}"' in snippet
    assert "config=Config(inject_host_prefix=False)" in snippet
    assert f'endpoint_url="{live_server.url}"' in snippet
    shot(b, "keys-new")
    b.open("/accounts/keys/")  # (not a reload: that would post the form again)
    assert secret not in b.page.content()
    assert b.page.locator("table.data-table tbody tr").count() == 1
    shot(b, "keys")
    assert json.dumps(secret) not in b.page.content()
    assert StateMachine.objects.count() == 0
