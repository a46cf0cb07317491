"""The Schedules page in a real browser: create with a mistake, fix it, see the next five
fire times, pause and resume; the Webhooks page shows a new secret once. Screenshots go to
$SCREENSHOT_DIR when set (to look at the pages)."""
import os

import pytest

from engine.models import Schedule, StateMachine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def shot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_create_fix_pause_resume(logged_in_page, live_server, user):
    StateMachine.objects.create(owner=user, name="nightly-report", definition=PASS)
    page = logged_in_page
    page.goto(f"{live_server.url}/schedules/")
    form = page.locator("#new-schedule form")
    form.locator('[name="name"]').fill("weekday-noon")
    form.locator('[name="target"]').fill("nightly-report")
    form.locator('[name="expression"]').fill("cron(0 12 * * MON-FRI *)")
    form.locator('[name="timezone"]').fill("America/New_York")
    form.locator('[name="input"]').fill('{"report": "daily"}')
    form.locator("button[type=submit]").click()
    error = page.locator('[data-error-for="expression"]')
    error.wait_for()
    assert "day-of-month and day-of-week cannot both be specified" in error.inner_text()
    # Nothing typed was lost.
    assert form.locator('[name="input"]').input_value() == '{"report": "daily"}'
    assert form.locator('[name="timezone"]').input_value() == "America/New_York"
    shot(page, "schedules-error")
    form.locator('[name="expression"]').fill("cron(0 12 ? * MON-FRI *)")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#next-fire-times")
    times = page.locator("#next-fire-times li").all_inner_texts()
    assert len(times) == 5
    assert all("12:00 E" in t for t in times), times  # 12:00 EST/EDT
    assert not any(t.startswith(("Sat", "Sun")) for t in times)
    shot(page, "schedule-detail")
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Resume").wait_for()
    assert not Schedule.objects.get().enabled
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="Pause").wait_for()
    assert Schedule.objects.get().enabled
    page.goto(f"{live_server.url}/schedules/")
    assert page.locator('tr[data-schedule="weekday-noon"]').count() == 1
    shot(page, "schedules-list")


def test_webhook_secret_shown_once(logged_in_page, live_server, user):
    StateMachine.objects.create(owner=user, name="nightly-report", definition=PASS)
    page = logged_in_page
    page.goto(f"{live_server.url}/webhooks/")
    form = page.locator("#new-webhook form")
    form.locator('[name="name"]').fill("ops-alerts")
    form.locator('[name="url"]').fill("https://hooks.example.com/stepstudio")
    form.locator('input[value="FAILED"]').check()
    form.locator('input[value="TIMED_OUT"]').check()
    form.locator("button[type=submit]").click()
    secret = page.locator("#webhook-secret code").first.inner_text()
    assert secret.startswith("whsec_")
    shot(page, "webhooks-created")
    page.goto(f"{live_server.url}/webhooks/")
    assert secret not in page.content()
    page.locator('tr[data-webhook="ops-alerts"] a').click()
    page.wait_for_selector("#deliveries")
    shot(page, "webhook-detail")
