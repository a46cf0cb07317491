""""Open in test" on the real page: a failed execution (its history recorded by the
evaluator) opens in the designer's Test tab as a case of its input and its task results; the
run reproduces the failure without calling anything; after the definition is edited (a
Catch), the same case runs to the fallback."""
import json

import pytest
from django.utils.dateparse import parse_datetime

from engine.asl import run_state_machine
from engine.models import Execution, HistoryEvent, StateMachine
from tests.designer.browser import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLAKY = {
    "StartAt": "Charge",
    "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
                   "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 1, "IntervalSeconds": 5}],
                   "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}
RECORDED = {"StateMachines": {"m": {"TestCases": {"t": {"Charge": "Busy"}}}},
            "MockedResponses": {"Busy": {"0": {"Throw": {"Error": "Busy", "Cause": "card processor busy"}}}}}


def failed_execution(user):
    machine = StateMachine.objects.create(owner=user, name="checkout", definition=FLAKY)
    result = run_state_machine(FLAKY, {"order": 7}, RECORDED, "m", "t")
    assert result.status == "FAILED"
    events = result.events
    ex = Execution.objects.create(
        state_machine=machine, name="failed-run", status="FAILED", input={"order": 7},
        definition=FLAKY, seq=len(events), error=result.error, cause=result.cause or "",
        start_date=parse_datetime(events[0]["timestamp"]), stop_date=parse_datetime(events[-1]["timestamp"]))
    core = ("id", "previousEventId", "timestamp", "type")
    HistoryEvent.objects.bulk_create([
        HistoryEvent(execution=ex, seq=e["id"], previous_event_id=e["previousEventId"], type=e["type"],
                     timestamp=parse_datetime(e["timestamp"]),
                     details={k: v for k, v in e.items() if k not in core}) for e in events])
    return ex


def test_open_in_test_reproduces_the_failure_then_the_fix_runs(designer, user):
    ex = failed_execution(user)
    d = designer
    d.page.goto(f"{d.base_url}/designer/checkout/?test_execution={ex.id}")
    d.page.wait_for_function("window.stepstudio && window.stepstudio.designer")
    d.node("Charge").wait_for()
    panel = d.page.locator('[data-testid="test-panel"]')
    panel.wait_for()  # the Test tab is open
    d.page.locator('[data-testid="opened-execution"]').wait_for()
    assert panel.locator('[data-field="case-name"]').input_value() == "From failed-run"
    assert json.loads(panel.locator('[data-field="input"]').input_value()) == {"order": 7}
    charge = panel.locator('[data-mock-state="Charge"]')
    assert charge.locator("[data-attempt]").count() == 2
    for i in (0, 1):
        attempt = charge.locator(f'[data-attempt="{i}"]')
        assert attempt.locator('[data-field="kind"]').input_value() == "throw"
        assert attempt.locator('[data-field="error"]').input_value() == "Busy"
        assert attempt.locator('[data-field="cause"]').input_value() == "card processor busy"

    # Reproduced: the same failure, drawn on the canvas.
    panel.locator('[data-action="run-test"]').click()
    result = panel.locator('[data-testid="test-result"]')
    result.wait_for()
    assert result.get_attribute("data-status") == "FAILED"
    assert "Busy" in result.inner_text()
    assert d.node("Charge").get_attribute("data-run-status") == "failed"
    assert d.node("Done").get_attribute("data-run-status") == "not-reached"
    d.screenshot("tdd-open-in-test-reproduced")

    # The fix: catch Busy into a fallback. The same case now succeeds through it.
    fixed = json.loads(json.dumps(FLAKY))
    fixed["States"]["Charge"]["Catch"] = [{"ErrorEquals": ["Busy"], "Next": "Later"}]
    fixed["States"]["Later"] = {"Type": "Pass", "Result": {"queued": True}, "End": True}
    d.load(fixed)
    panel.locator('[data-action="run-test"]').click()
    d.page.wait_for_selector('[data-testid="test-result"][data-status="SUCCEEDED"]')
    assert d.node("Charge").get_attribute("data-run-status") == "caught"
    assert d.node("Later").get_attribute("data-run-status") == "succeeded"
    d.screenshot("tdd-open-in-test-fixed")


def test_someone_elses_execution_does_not_open(designer, user, other_user):
    ex = failed_execution(other_user)
    StateMachine.objects.create(owner=user, name="mine", definition=FLAKY)
    d = designer
    d.page.goto(f"{d.base_url}/designer/mine/?test_execution={ex.id}")
    d.page.wait_for_function("window.stepstudio && window.stepstudio.designer")
    problem = d.page.locator('[data-testid="test-problem"]')
    problem.wait_for()
    assert "Open in test" in problem.inner_text()
    assert d.page.locator('[data-field="case-name"]').input_value() == "Case 1"
