"""The monitoring page in Chromium: the charts drawn by the bundled Chart.js carry the
seeded history's numbers, the range tabs and the machine selector move between pages.
Screenshots: test-artifacts/monitoring/ (and $SCREENSHOT_DIR when set)."""
from __future__ import annotations

import datetime as dt
import os

import pytest
from django.test import override_settings
from django.utils import timezone

from engine.models import StateMachine
from tests.e2e.app_browser import browse  # noqa: F401 (fixture)
from tests.engine.metrics.test_monitoring import DEFINITION, seed_execution
from tests.support import REPO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = REPO / "test-artifacts" / "monitoring"


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], f"{name}.png"),
                        full_page=True)


@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_the_page_draws_the_seeded_history(browse, user):  # noqa: F811
    now = timezone.now()
    orders = StateMachine.objects.create(owner=user, name="orders", definition=DEFINITION)
    StateMachine.objects.create(owner=user, name="refunds", definition=DEFINITION)
    for i in range(30):
        status = "FAILED" if i % 6 == 0 else "TIMED_OUT" if i == 7 else "SUCCEEDED"
        seed_execution(orders, f"e{i}", now - dt.timedelta(minutes=40 * i + 5), 300 + 97 * i,
                       status, fetch_ms=150 + 40 * i, fetch_fails=1 if status == "FAILED"
                       else (1 if i % 4 == 1 else 0), retried=0 if status == "FAILED" else 1)
    b = browse(user)
    page = b.open(f"/monitoring/{orders.id}/?range=24h").page
    page.wait_for_function("window.stepstudio && window.stepstudio.monitoring.charts")
    drawn = page.evaluate("""() => {
        const {executions, duration} = window.stepstudio.monitoring.charts;
        const sum = (label) => executions.data.datasets.find(d => d.label === label)
            .data.reduce((a, b) => a + b, 0);
        const canvas = document.getElementById('executions-chart');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let coloured = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) coloured++;
        return {succeeded: sum('Succeeded'), failed: sum('Failed'), timedOut: sum('Timed out'),
                started: sum('Started'), p95: duration.data.datasets[1].data.filter(v => v).length,
                coloured, width: canvas.width};
    }""")
    # 30 executions over 20 hours: 5 failed (i = 0, 6, 12, 18, 24), 1 timed out (i = 7).
    assert drawn["started"] == 30 and drawn["succeeded"] == 24
    assert drawn["failed"] == 5 and drawn["timedOut"] == 1
    assert drawn["p95"] > 10 and drawn["width"] > 300
    assert drawn["coloured"] > 2000  # bars and axes really were drawn
    assert page.locator('[data-stat="failure_rate"]').inner_text() == "20.0 %"
    assert page.locator("#failing-states tbody tr").first.inner_text().startswith("Fetch")
    assert page.locator("nav.topnav a[aria-current=page]").inner_text() == "Monitoring"
    shot(page, "machine-24h")

    page.locator(".mon-ranges a", has_text="7d").click()
    page.wait_for_url("**range=7d")
    page.wait_for_function("window.stepstudio && window.stepstudio.monitoring.charts")
    assert page.locator('[data-stat="started"]').inner_text() == "30"
    page.select_option("#mon-machine", label="All state machines")
    page.wait_for_url("**/monitoring/?range=7d")
    page.wait_for_function("window.stepstudio && window.stepstudio.monitoring.charts")
    assert page.locator("h1").inner_text() == "Monitoring: all state machines"
    shot(page, "all-7d")
