"""The designer's Test tab, on the real page and the real REST API: a retrying Task mocked to
fail twice then succeed (with hour-long back-offs) runs in under a second of real time and
is drawn on the canvas as the live view draws executions; cases run all at once ("1 of 2
pass"), are saved with the machine and exported as a Step Functions Local mock config."""
import json
import time

import pytest

from engine.models import StateMachine
from tests.designer.browser import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RETRYING = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
            "OutputPath": "$.Payload",
            "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 3600, "MaxAttempts": 3}],
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}


def open_test_tab(d):
    d.page.click('[data-tab="test"]')
    return d.page.locator('[data-testid="test-panel"]')


def attempt(panel, state, index):
    return panel.locator(f'[data-mock-state="{state}"] [data-attempt="{index}"]')


def mock_fail_twice_then_succeed(panel):
    add = panel.locator('[data-mock-state="Charge"] [data-action="add-attempt"]')
    for _ in range(3):
        add.click()
    for i in (0, 1):
        attempt(panel, "Charge", i).locator('[data-field="kind"]').select_option("throw")
        attempt(panel, "Charge", i).locator('[data-field="error"]').fill("Busy")
        attempt(panel, "Charge", i).locator('[data-field="cause"]').fill("try again later")
    attempt(panel, "Charge", 2).locator('[data-field="value"]').fill('{"Payload": {"charged": true}}')


def test_retrying_task_mocked_to_fail_twice_then_succeed(designer, user):
    StateMachine.objects.create(owner=user, name="checkout", definition=RETRYING)
    d = designer.open("/designer/checkout/")
    d.node("Charge").wait_for()
    d.settle()
    panel = open_test_tab(d)
    panel.locator('[data-field="input"]').fill('{"order": 42}')
    mock_fail_twice_then_succeed(panel)

    started = time.monotonic()
    panel.locator('[data-action="run-test"]').click()
    d.page.wait_for_selector('[data-testid="test-result"][data-passed="true"]')
    d.node("Done").locator("xpath=self::*[@data-run-status='succeeded']").wait_for()
    elapsed = time.monotonic() - started
    # Two back-offs of an hour each on the virtual clock: no real time.
    assert elapsed < 1.0, f"the test run took {elapsed:.2f} s of real time"
    assert d.page.evaluate("window.stepstudio.testPanel.lastRunMs()") < 1000

    # Drawn as the live view draws: status colours and the retry badge.
    assert d.node("Charge").get_attribute("data-run-status") == "succeeded"
    assert d.node("Done").get_attribute("data-run-status") == "succeeded"
    assert d.node("Charge").locator('[data-testid="run-badge"]').inner_text() == "↻ 2 retries"
    assert panel.locator('[data-testid="test-summary"]').inner_text() == "1 of 1 pass"

    # Step details of the Task: three attempts, two failed with the mocked error.
    d.select("Charge")
    details = panel.locator('[data-testid="test-step-details"]')
    details.locator("table.sd-attempts").wait_for()
    rows = details.locator("table.sd-attempts tbody tr:not(.attempt-error)")
    assert rows.count() == 3
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(3)] == ["failed", "failed", "succeeded"]
    assert "try again later" in details.locator("tr.attempt-error").first.inner_text()
    assert json.loads(details.locator("section.sd-section pre.json").first.inner_text()) == {"order": 42}
    d.screenshot("tdd-test-panel-retry")


def test_cases_run_all_at_once_saved_and_exported(designer, user):
    StateMachine.objects.create(owner=user, name="checkout", definition=RETRYING)
    d = designer.open("/designer/checkout/")
    d.node("Charge").wait_for()
    panel = open_test_tab(d)
    mock_fail_twice_then_succeed(panel)
    panel.locator('[data-field="expect-status"]').select_option("SUCCEEDED")
    panel.locator('[data-field="expect-output"]').fill('{"charged": true}')

    # A second case: always busy, expected (wrongly) to succeed.
    panel.locator('[data-action="new-case"]').click()
    panel.locator('[data-field="case-name"]').fill("Always busy")
    panel.locator('[data-mock-state="Charge"] [data-action="add-attempt"]').click()
    attempt(panel, "Charge", 0).locator('[data-field="kind"]').select_option("throw")
    attempt(panel, "Charge", 0).locator('[data-field="error"]').fill("Busy")

    panel.locator('[data-action="run-all"]').click()
    summary = panel.locator('[data-testid="test-summary"]')
    summary.wait_for()
    assert summary.inner_text() == "1 of 2 pass"
    result = panel.locator('[data-testid="test-result"]')
    assert result.get_attribute("data-passed") == "false"
    assert "expected SUCCEEDED, got FAILED" in result.inner_text()
    # The canvas shows the case being edited: Charge failed after its retries.
    assert d.node("Charge").get_attribute("data-run-status") == "failed"
    assert d.node("Done").get_attribute("data-run-status") == "not-reached"
    d.screenshot("tdd-test-panel-run-all")

    panel.locator('[data-action="save-cases"]').click()
    d.page.wait_for_selector(".sd-toast")
    saved = StateMachine.objects.get(name="checkout").test_cases
    cases = saved["StateMachines"]["checkout"]["TestCases"]
    assert set(cases) == {"Case 1", "Always busy"}
    assert cases["Case 1"]["Expect"] == {"Status": "SUCCEEDED", "Output": {"charged": True}}
    assert saved["MockedResponses"][cases["Case 1"]["Charge"]] == {
        "0-1": {"Throw": {"Error": "Busy", "Cause": "try again later"}},
        "2": {"Return": {"Payload": {"charged": True}}},
    }

    with d.page.expect_download() as download:
        panel.locator('[data-action="export-cases"]').click()
    exported = json.loads(open(download.value.path()).read())
    assert exported == saved

    # Reopened, the saved cases are there, and the same file imports back.
    d.open("/designer/checkout/")
    panel = open_test_tab(d)
    panel.locator('[data-field="case"] option').nth(1).wait_for(state="attached")
    assert panel.locator('[data-field="case"] option').all_inner_texts() == ["Case 1", "Always busy"]
