"""A real browser renders the layout: header links, user, styles from our own CSS."""

import pytest

pytestmark = pytest.mark.browser


def test_the_home_page_renders_with_header_and_styles(logged_in_page, live_server):
    page = logged_in_page
    page.goto(live_server.url + "/")
    nav = page.locator("nav.topnav a")
    assert nav.all_inner_texts() == ["State machines", "Executions", "Schedules", "Webhooks",
                                    "Monitoring", "API docs"]
    assert page.locator(".user-menu .username").inner_text() == "alice"
    # The stylesheet loaded (served by WhiteNoise to a logged-in page, no CDN): the header is dark.
    background = page.eval_on_selector(".topbar", "e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(31, 38, 51)"


def test_logging_out_from_the_header_returns_to_the_login_form(logged_in_page, live_server):
    page = logged_in_page
    page.goto(live_server.url + "/")
    page.click(".user-menu summary")
    page.click("text=Log out")
    page.wait_for_url("**/accounts/login/")
    assert page.locator("input[name=password]").count() == 1
