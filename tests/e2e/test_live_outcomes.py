"""The live view tells how an execution ended, in a real Chromium against `manage.py serve`:
a failed job poller's Fail state is red with its error, a failed Map's other iterations end
aborted (not "running"), and the callback sample is finished from the page itself.
Screenshots land in test-artifacts/live/ (look at them).
"""
from __future__ import annotations

import json

import pytest

from tests.e2e.test_live_job_poller import HISTORY, START, page, python, server, shot  # noqa: F401
from tests.designer.browser import chromium  # noqa: F401 (fixture)
from tests.support import REPO

pytestmark = [pytest.mark.browser, pytest.mark.subprocess]

WAIT_OR_FAIL = {"StartAt": "Each", "States": {"Each": {
    "Type": "Map", "ItemsPath": "$.items", "End": True,
    "ItemProcessor": {"StartAt": "Bad?", "States": {
        "Bad?": {"Type": "Choice", "Choices": [
            {"Variable": "$", "NumericEquals": 1, "Next": "Broken"}], "Default": "Hold"},
        "Broken": {"Type": "Fail", "Error": "ItemBroken", "Cause": "item 1 is broken"},
        "Hold": {"Type": "Wait", "Seconds": 3600, "End": True}}}}}}

CREATE = """
import django, json, sys
django.setup()
from engine.models import StateMachine
from django.contrib.auth import get_user_model
owner = get_user_model().objects.get(username="watcher")
StateMachine.objects.get_or_create(owner=owner, name=sys.argv[1],
                                   defaults={"definition": json.loads(sys.argv[2])})
print("ok")
"""


def open_page(page, base, execution_id):
    page.goto(f"{base}/executions/{execution_id}/", wait_until="domcontentloaded")
    page.wait_for_selector("#live-graph svg")


def test_a_failed_job_poller_shows_its_fail_state_red_with_the_error(page, server):  # noqa: F811
    base, env = server
    execution_id = python(env, START, "job-poller",
                          json.dumps({"waitSeconds": 1, "checksNeeded": 1, "fail": True}))
    open_page(page, base, execution_id)
    page.wait_for_selector('[data-live="status"]:text("FAILED")', timeout=60_000)
    fail = page.locator('[data-state-name="TaskFailed"]')
    page.wait_for_selector('[data-state-name="TaskFailed"][data-status="failed"]')
    # The graph's red is the legend's "Failed" red.
    stripe = fail.locator(".stripe").evaluate("(el) => getComputedStyle(el).fill")
    legend = page.locator(".legend .sw.failed").evaluate("(el) => getComputedStyle(el).borderColor")
    assert stripe == legend
    assert page.locator('[data-state-name="IsTaskDone"]').get_attribute("data-status") == \
        "succeeded"
    fail.click()
    details = page.locator("#step-details")
    assert details.locator(".chip").text_content() == "Failed"
    assert details.locator(".error-box code").first.text_content() == "JobFailed"
    assert "The external job reported FAILED" in details.locator(".error-box").text_content()
    shot(page, "job-poller-failed")


def test_a_failed_maps_iterations_end_aborted(page, server):  # noqa: F811
    base, env = server
    python(env, CREATE, "wait-or-fail", json.dumps(WAIT_OR_FAIL))
    # The broken item last: the others wait by the time it fails.
    execution_id = python(env, START, "wait-or-fail", json.dumps({"items": [0, 2, 1]}))
    open_page(page, base, execution_id)
    page.wait_for_selector('[data-live="status"]:text("FAILED")', timeout=60_000)
    page.wait_for_selector('[data-state-name="Hold"][data-status="aborted"]')
    assert page.locator('[data-state-name="Broken"]').get_attribute("data-status") == "failed"
    progress = page.locator('[data-state-name="Each"] .progress-label').text_content()
    assert "2 aborted" in progress and "running" not in progress, progress
    page.locator('[data-state-name="Each"]').click(position={"x": 20, "y": 12})
    strip = page.locator(".iter-strip .iter")
    assert [strip.nth(i).get_attribute("class").split()[1] for i in range(3)] == \
        ["aborted", "aborted", "failed"]
    assert "running" not in page.locator(".sd-iterations").text_content().replace("0 running", "")
    stored = json.loads(python(env, HISTORY, execution_id))
    assert [t for _, t in stored["events"]].count("MapIterationAborted") == 2
    shot(page, "map-failed-aborted")


def test_the_callback_sample_is_finished_from_the_live_page(page, server):  # noqa: F811
    base, env = server
    execution_id = python(env, START, "callback-approval", json.dumps({"request": "deploy v2"}))
    open_page(page, base, execution_id)
    card = page.locator('.cb-card[data-token-state="RequestApproval"]')
    card.wait_for(timeout=60_000)
    token = card.locator('[data-live="task-token"]').input_value()
    assert len(token) >= 32
    shot(page, "callback-waiting")
    # The Task's own details say it waits for that token, and lead to its answer.
    page.locator('[data-state-name="RequestApproval"]').click()
    note = page.locator('[data-live="step-callback"]')
    assert note.locator("code").text_content() == token
    note.get_by_role("button", name="Answer…").click()
    page.wait_for_function("document.activeElement?.closest('.cb-card') !== null")
    card.locator("textarea").fill('{"approved": true, "by": "Grace"}')
    card.get_by_role("button", name="Send success").click()
    page.wait_for_selector('[data-live="status"]:text("SUCCEEDED")', timeout=60_000)
    page.wait_for_selector('[data-state-name="Approved"][data-status="succeeded"]')
    assert json.loads(page.locator('[data-live="output"]').text_content()) == \
        {"approved": True, "by": "Grace"}
    # Answered: the token is no longer offered.
    page.wait_for_selector('[data-live="callbacks"]', state="hidden")
    shot(page, "callback-finished")


def test_an_event_expands_and_new_execution_starts_with_the_same_input_edited(page, server):  # noqa: F811
    base, env = server
    execution_id = python(env, START, "job-poller",
                          json.dumps({"waitSeconds": 1, "checksNeeded": 1}))
    open_page(page, base, execution_id)
    page.wait_for_selector('[data-live="status"]:text("SUCCEEDED")', timeout=60_000)
    # The events panel is as tall as its rows, not a fixed empty box.
    rows = page.locator("#live-events .ev-rows [data-seq]").count()
    height = page.locator(".ev-viewport").evaluate("(v) => v.clientHeight")
    assert height <= rows * 30 + 2, (height, rows)
    exited = page.locator('#live-events [data-seq]', has_text="TaskStateExited").first
    exited.click()
    detail = page.locator("[data-event-detail]")
    detail.wait_for()
    text = detail.locator("pre").text_content()
    assert '"stateExitedEventDetails"' in text and '"jobId"' in text  # output unfolded as JSON
    assert exited.get_attribute("aria-expanded") == "true"
    shot(page, "event-expanded")
    exited.click()
    detail.wait_for(state="detached")

    page.click('[data-action="new-execution"]')
    field = page.locator('[data-field="execution-input"]')
    page.wait_for_function("""() => document.querySelector('[data-field="execution-input"]')
                                     ?.value.includes('waitSeconds')""")
    assert json.loads(field.input_value()) == {"waitSeconds": 1, "checksNeeded": 1}
    field.fill('{"waitSeconds": 1, "checksNeeded": 2}')
    shot(page, "new-execution-dialog")
    page.click('[data-action="do-execute"]')
    page.wait_for_url(lambda url: "/executions/" in url and execution_id not in url)
    page.wait_for_selector('pre[data-live="input"]')
    assert json.loads(page.locator('pre[data-live="input"]').text_content()) == \
        {"waitSeconds": 1, "checksNeeded": 2}


def test_a_handler_traceback_is_a_folded_stack_trace_without_server_paths(page, server):  # noqa: F811
    base, env = server
    # square("a") raises TypeError inside the sample's handler.
    execution_id = python(env, START, "map-squares", json.dumps({"numbers": ["a"]}))
    open_page(page, base, execution_id)
    page.wait_for_selector('[data-live="status"]:text("FAILED")', timeout=60_000)
    header = page.locator('[data-live="error-box"]')
    assert "TypeError: can't multiply sequence" in header.locator(".cause").first.text_content()
    stack = header.locator("details.stack")
    assert not stack.evaluate("(d) => d.open")
    stack.locator("summary").click()
    trace = stack.locator("pre").text_content()
    assert 'File "engine/samples/handlers.py"' in trace and "in square" in trace
    assert str(REPO) not in page.content()
    shot(page, "handler-traceback")
