"""Replay on the live page, in a real Chromium against `manage.py serve` (embedded mode): an
execution of 25,000 history events (a loop whose Task fails once and is retried each lap)
is stepped through event by event, jumped to a state's Nth visit, played at 100×; the graph,
step details and events table show the execution as it was, and the page stays live.
On the same server's real worker: "Redrive with the new definition" from the page."""
from __future__ import annotations

import json

import pytest

from tests.designer.browser import chromium  # noqa: F401 (fixture)
from tests.e2e.served import served_app
from tests.support import REPO, run_python

pytestmark = [pytest.mark.browser, pytest.mark.subprocess]

ARTIFACTS = REPO / "test-artifacts" / "live"
PASSWORD = "replay-password"

# Each lap: Step (2 events), Work (entered, failed attempt, back-off, succeeded attempt,
# exited: 8), Count (2), More? (2) = 14; 1,785 laps + start + 3 Pass + Done + end = 25,000.
SETUP = f"""
import django, json
django.setup()
from django.contrib.auth import get_user_model
from django.utils.dateparse import parse_datetime
from engine.asl import run_state_machine
from engine.models import Execution, HistoryEvent, StateMachine
user = get_user_model().objects.create_user("replayer", password={PASSWORD!r})
definition = {{"StartAt": "Step", "States": {{
    "Step": {{"Type": "Pass", "Next": "Work"}},
    "Work": {{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {{"FunctionName": "work", "Payload.$": "$"}}, "ResultPath": None,
              "Retry": [{{"ErrorEquals": ["Busy"], "IntervalSeconds": 1}}], "Next": "Count"}},
    "Count": {{"Type": "Pass", "Parameters": {{"i.$": "States.MathAdd($.i, 1)"}}, "Next": "More?"}},
    "More?": {{"Type": "Choice", "Choices": [{{"Variable": "$.i", "NumericLessThan": 1785, "Next": "Step"}}],
               "Default": "Tail1"}},
    "Tail1": {{"Type": "Pass", "Next": "Tail2"}}, "Tail2": {{"Type": "Pass", "Next": "Tail3"}},
    "Tail3": {{"Type": "Pass", "Next": "Done"}}, "Done": {{"Type": "Succeed"}}}}}}
mocks = {{"StateMachines": {{"m": {{"TestCases": {{"t": {{"Work": "BusyOnce"}}}}}}}},
         "MockedResponses": {{"BusyOnce": {{"0": {{"Throw": {{"Error": "Busy", "Cause": "later"}}}},
                                          "1": {{"Return": {{"Payload": 1}}}}}}}}}}
result = run_state_machine(definition, {{"i": 0}}, mocks, "m", "t")
assert result.status == "SUCCEEDED", result
events = result.events
machine = StateMachine.objects.create(owner=user, name="long-loop", definition=definition)
ex = Execution.objects.create(state_machine=machine, name="long", status="SUCCEEDED",
    input={{"i": 0}}, output=result.output, definition=definition, seq=len(events),
    start_date=parse_datetime(events[0]["timestamp"]), stop_date=parse_datetime(events[-1]["timestamp"]))
core = ("id", "previousEventId", "timestamp", "type")
HistoryEvent.objects.bulk_create([HistoryEvent(execution=ex, seq=e["id"], previous_event_id=e["previousEventId"],
    type=e["type"], timestamp=parse_datetime(e["timestamp"]), details={{k: v for k, v in e.items() if k not in core}})
    for e in events], batch_size=2000)
print(ex.id, len(events))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with served_app(tmp_path_factory.mktemp("replay-var"), SETUP,
                    setup_timeout=300) as (url, env, printed):
        execution_id, count = printed.split()[-2:]
        assert count == "25000"
        yield url, execution_id, env


@pytest.fixture
def page(chromium, server):  # noqa: F811
    base = server[0]
    context = chromium.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "replayer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "last-tdd-replay.png"))
    context.close()
    assert not errors, errors


def status(page, name):
    return page.evaluate("(n) => window.stepstudio.live.shownStatus(n)", name)


def node(page, name):
    return page.locator(f'#live-graph g.state[data-state-name="{name}"]')


def scrub_to(page, n):
    """Drag the scrubber to event n (a range input: set its value as a drag does, then input)."""
    page.eval_on_selector('[data-replay="scrubber"]',
                          "(el, n) => { el.value = String(n); el.dispatchEvent(new Event('input', {bubbles: true})); }", n)
    page.wait_for_function("(n) => window.stepstudio.live.replay.position() === n", arg=n)
    page.wait_for_timeout(50)  # the redraw happens on the next animation frame


def test_replay_of_a_25000_event_execution(page, server):
    base, execution_id, _ = server
    page.goto(f"{base}/executions/{execution_id}/")
    # The whole history streams in first (slow only on a busy machine).
    page.wait_for_function("window.stepstudio && window.stepstudio.live && window.stepstudio.live.lastSeq() === 25000",
                           timeout=240_000)
    page.wait_for_selector('#live-graph g.state[data-state-name="Done"][data-status="succeeded"]')

    # From a finished execution: Open in test links the designer's Test tab with it; Redrive
    # with the new definition is only offered for a failed, aborted or timed-out one.
    href = page.locator('[data-action="open-in-test"]').get_attribute("href")
    assert href == f"/designer/long-loop/?test_execution={execution_id}"
    assert page.locator('[data-action="redrive-new-definition"]').is_hidden()

    page.click('[data-action="replay"]')
    bar = page.locator('[data-replay="bar"]')
    bar.wait_for()
    assert bar.locator('[data-replay="position"]').inner_text().startswith("Event 25000 of 25000 · ExecutionSucceeded")

    # Event by event from the start: after event 3 Step is done and Work has begun.
    page.click('[data-action="replay-first"]')
    for _ in range(3):
        page.click('[data-action="replay-next"]')
    page.wait_for_function("window.stepstudio.live.replay.position() === 3")
    page.wait_for_timeout(50)
    assert node(page, "Step").get_attribute("data-status") == "succeeded"
    assert node(page, "Done").get_attribute("data-status") == "not-reached"
    assert page.locator('[data-live="shown-count"]').inner_text() == "3 of 3"

    # Mid-history, after Work's first attempt failed: Work is in progress, Done not reached.
    scrub_to(page, 7)
    assert page.locator('[data-replay="position"]').inner_text().startswith("Event 7 of 25000 · TaskFailed")
    assert node(page, "Work").get_attribute("data-status") == "in-progress"
    page.click('[data-action="replay-prev"]')
    page.wait_for_function("window.stepstudio.live.replay.position() === 6")

    # Far back and forth over the 25,000 events.
    for n in (24_990, 120, 17_001, 25_000, 9_999):
        scrub_to(page, n)
    assert status(page, "Done") == "not-reached"
    assert page.locator('[data-live="shown-count"]').inner_text() == "9999 of 9999"

    # Jump to the 1,000th visit of Work: the details show that visit, in progress.
    page.select_option('[data-replay="jump-state"]', label="Work (1785 visits)")
    page.fill('[data-replay="jump-visit"]', "1000")
    page.click('[data-action="replay-jump"]')
    page.wait_for_timeout(100)
    position = page.evaluate("window.stepstudio.live.replay.position()")
    assert page.locator('[data-replay="position"]').inner_text().startswith(f"Event {position} of 25000 · TaskStateEntered")
    assert node(page, "Work").get_attribute("data-status") == "in-progress"
    assert node(page, "Work").locator(".badge").text_content() == "↻ 999 retries  ×1000"
    details = page.locator("#step-details")
    assert details.locator('[data-live="step-name"]').inner_text() == "Work"
    assert details.locator(".sd-visit select").evaluate("s => s.selectedOptions[0].textContent") == "Visit 1000 of 1000"
    page.screenshot(path=str(ARTIFACTS / "tdd-replay-jump.png"))

    # Play at 100× from the start: the position moves on by itself, then pauses.
    page.select_option('[data-replay="speed"]', "100")
    scrub_to(page, 0)
    page.click('[data-action="replay-play"]')
    page.wait_for_function("window.stepstudio.live.replay.position() > 40")
    page.click('[data-action="replay-play"]')  # pause
    assert page.evaluate("window.stepstudio.live.replay.playing()") is False
    paused_at = page.evaluate("window.stepstudio.live.replay.position()")
    page.wait_for_timeout(300)
    assert page.evaluate("window.stepstudio.live.replay.position()") == paused_at

    # Leaving the replay shows the execution as it is now.
    page.click('[data-action="replay"]')
    assert bar.is_hidden()
    page.wait_for_selector('#live-graph g.state[data-state-name="Done"][data-status="succeeded"]')
    assert page.locator('[data-live="shown-count"]').inner_text() == "25000 of 25000"


CHARGE = "arn:aws:lambda:us-east-1:000000000000:function:charge-card"

START_FAILING = f"""
import django, json
django.setup()
from django.contrib.auth import get_user_model
from engine import services
from engine.models import StateMachine
definition = {{"StartAt": "Charge", "States": {{
    "Charge": {{"Type": "Task", "Resource": "{CHARGE}", "Parameters": {{"amount": 500, "card": "4242"}}, "End": True}}}}}}
machine = StateMachine.objects.create(owner=get_user_model().objects.get(username="replayer"),
                                      name="checkout", definition=definition)
print(services.start_execution(machine, {{"order": 7}}).id)
"""

FIX = f"""
import django
django.setup()
from engine.models import StateMachine
machine = StateMachine.objects.get(name="checkout")
machine.definition = {{"StartAt": "Charge", "States": {{
    "Charge": {{"Type": "Task", "Resource": "{CHARGE}", "Parameters": {{"amount": 50, "card": "4242"}},
               "Next": "Receipt"}},
    "Receipt": {{"Type": "Pass", "End": True}}}}}}
machine.save()
"""

REDRIVEN = """
import django, json, sys
django.setup()
from engine.models import Execution
ex = Execution.objects.get(id=sys.argv[1])
print(json.dumps([e.details.get("executionRedrivenEventDetails") for e in ex.events.filter(type="ExecutionRedriven")]))
"""


def test_redrive_with_the_new_definition_from_the_execution_page(page, server):
    base, _, env = server
    started = run_python(START_FAILING, env, timeout=120)
    assert started.returncode == 0, started.stderr[-2000:]
    execution_id = started.stdout.split()[-1]
    page.goto(f"{base}/executions/{execution_id}/")
    page.wait_for_selector('[data-live="status"]:text("FAILED")', timeout=120_000)
    button = page.locator('[data-action="redrive-new-definition"]')
    button.wait_for()

    fixed = run_python(FIX, env, timeout=120)
    assert fixed.returncode == 0, fixed.stderr[-2000:]
    button.click()  # the page reloads onto the new definition's graph
    page.wait_for_selector('#live-graph g.state[data-state-name="Receipt"][data-status="succeeded"]', timeout=120_000)
    page.wait_for_selector('[data-live="status"]:text("SUCCEEDED")')
    assert page.locator('#live-graph g.state[data-state-name="Charge"]').get_attribute("data-status") == "succeeded"
    redriven = run_python(f"import sys; sys.argv[1:] = [{execution_id!r}]\n" + REDRIVEN, env, timeout=120)
    assert json.loads(redriven.stdout.split("\n")[-2]) == [{"redriveCount": 1, "definitionUpdated": True}]
    page.screenshot(path=str(ARTIFACTS / "tdd-redrive-new-definition.png"))
