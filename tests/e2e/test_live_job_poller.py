"""The live view in a real Chromium against a real server: `manage.py serve` in embedded mode
(daphne, a Celery worker and the scheduler as separate processes, meeting in SQLite files).

The job poller sample runs while the page watches: its states turn from in progress to
succeeded without a reload, and a connection dropped mid-run resumes with exactly the
database's history. Screenshots land in test-artifacts/live/ (look at them).
"""
from __future__ import annotations

import json

import pytest

from tests.designer.browser import chromium  # noqa: F401 (fixture)
from tests.e2e.served import served_app
from tests.support import REPO, run_python, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.subprocess]

ARTIFACTS = REPO / "test-artifacts" / "live"
PASSWORD = "live-view-password"

SETUP = f"""
import django
django.setup()
from django.contrib.auth import get_user_model
from engine import samples
user = get_user_model().objects.create_user("watcher", password={PASSWORD!r})
samples.load(user)
"""

START = """
import django, json, sys
django.setup()
from engine import services
from engine.models import StateMachine
machine = StateMachine.objects.get(owner__username="watcher", name=sys.argv[1])
print(services.start_execution(machine, json.loads(sys.argv[2])).id)
"""

HISTORY = """
import django, json, sys
django.setup()
from engine.models import Execution
ex = Execution.objects.get(id=sys.argv[1])
print(json.dumps({"status": ex.status,
                  "events": list(ex.events.order_by("seq").values_list("seq", "type"))}))
"""


def python(env, code, *args) -> str:
    done = run_python(f"import sys; sys.argv[1:] = {list(args)!r}\n" + code, env, timeout=90)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # Embedded mode through and through: its own SQLite database too.
    with served_app(tmp_path_factory.mktemp("live-var"), SETUP) as (url, env, _):
        yield url, env


@pytest.fixture
def page(chromium, server):  # noqa: F811
    base, _ = server
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "watcher")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    yield page
    context.close()
    assert not errors, errors


WATCH_STATUSES = """() => {
  // Every (state, status) the graph shows, in order, as it changes.
  window.__seen = [];
  window.__noReload = true;
  const record = (el) => window.__seen.push([el.dataset.stateName, el.dataset.status]);
  new MutationObserver((changes) => changes.forEach((c) => record(c.target)))
    .observe(document.getElementById("live-graph"), {subtree: true, attributes: true, attributeFilter: ["data-status"]});
  document.querySelectorAll("[data-state-name]").forEach(record);
}"""


def open_execution(page, base, execution_id):
    page.goto(f"{base}/executions/{execution_id}/", wait_until="domcontentloaded")
    page.wait_for_selector('[data-state-name="WaitForTaskCompletion"]')
    page.evaluate(WATCH_STATUSES)


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_states_turn_from_in_progress_to_succeeded_without_a_reload(page, server):
    base, env = server
    execution_id = python(env, START, "job-poller",
                          json.dumps({"waitSeconds": 2, "checksNeeded": 2, "flaky": True}))
    open_execution(page, base, execution_id)
    page.wait_for_selector('[data-state-name="WaitForTaskCompletion"][data-status="in-progress"]',
                           timeout=60_000)
    shot(page, "job-poller-running")
    page.wait_for_selector('[data-live="status"]:text("SUCCEEDED")', timeout=60_000)
    page.wait_for_selector('[data-state-name="TaskCompleted"][data-status="succeeded"]')
    shot(page, "job-poller-succeeded")

    seen = page.evaluate("window.__seen")
    for state in ("WaitForTaskCompletion", "CheckTaskStatus"):
        statuses = [s for name, s in seen if name == state]
        assert "in-progress" in statuses and statuses[-1] == "succeeded", (state, statuses)
    assert page.evaluate("window.__noReload") is True
    # The failed first check was retried: the graph says so, the details list both attempts.
    check = page.locator('[data-state-name="CheckTaskStatus"]')
    assert "1 retry" in check.locator(".badge").text_content()
    assert page.locator('[data-state-name="TaskFailed"]').get_attribute("data-status") == \
        "not-reached"
    check.click()
    page.wait_for_selector(".sd-attempts")
    page.locator(".sd-visit select").select_option(index=0)
    assert page.locator(".sd-attempts tbody tr:not(.attempt-error)").count() == 2
    assert "JobStatusFlakyError" in page.locator(".sd-attempts").text_content()
    shot(page, "job-poller-details")

    stored = json.loads(python(env, HISTORY, execution_id))
    assert page.evaluate("window.stepstudio.live.seqs()") == [s for s, _ in stored["events"]]
    assert page.locator('[data-live="shown-count"]').text_content() == \
        f"{len(stored['events'])} of {len(stored['events'])}"


def test_a_dropped_connection_resumes_with_exactly_the_database_history(page, server):
    base, env = server
    execution_id = python(env, START, "job-poller",
                          json.dumps({"waitSeconds": 1, "checksNeeded": 3}))
    open_execution(page, base, execution_id)
    page.wait_for_function("window.stepstudio.live.lastSeq() > 0")
    # The test closes the socket and keeps it closed while steps are committed.
    before = page.evaluate("window.stepstudio.live.dropConnection(2500)")
    page.wait_for_function("window.stepstudio.live.connection() !== 'live'")
    wait_until(lambda: json.loads(python(env, HISTORY, execution_id))["events"][-1][0] > before,
               30, what="steps committed while the page is disconnected")
    page.wait_for_function("window.stepstudio.live.connection() === 'live'", timeout=30_000)
    page.wait_for_selector('[data-live="status"]:text("SUCCEEDED")', timeout=60_000)
    stored = json.loads(python(env, HISTORY, execution_id))
    assert stored["status"] == "SUCCEEDED"
    assert page.evaluate("window.stepstudio.live.seqs()") == [s for s, _ in stored["events"]]
    rows = page.evaluate("""() => [...document.querySelectorAll('#live-events [data-seq]')]
                                      .map((r) => Number(r.dataset.seq))""")
    assert rows == sorted(set(rows))  # the rendered rows: no duplicate
    assert page.locator('[data-live="event-count"]').text_content() == str(len(stored["events"]))
    shot(page, "job-poller-resumed")


def test_the_executions_list_shows_a_new_execution_and_its_end_without_a_reload(page, server):
    base, env = server
    page.goto(f"{base}/executions/?state_machine=job-poller", wait_until="domcontentloaded")
    page.wait_for_selector('[data-live="connection"][data-state="live"]')
    page.evaluate("window.__noReload = true")
    # Long enough to be seen RUNNING even if its start bell is lost with the starting
    # process (the runtime rings from a daemon thread): the socket's 5 s re-read finds it.
    execution_id = python(env, START, "job-poller",
                          json.dumps({"waitSeconds": 8, "checksNeeded": 1}))
    row = f'#executions tr[data-id="{execution_id}"]'
    page.wait_for_selector(f'{row}[data-status="RUNNING"]', timeout=30_000)
    shot(page, "executions-list-running")
    page.wait_for_selector(f'{row}[data-status="SUCCEEDED"]', timeout=60_000)
    assert page.evaluate("window.__noReload") is True
    assert page.locator(f"{row} a").get_attribute("href") == f"/executions/{execution_id}/"
    shot(page, "executions-list")


BIG = """
import django, sys
django.setup()
from engine.models import Execution, HistoryEvent, StateMachine
machine = StateMachine.objects.get(owner__username="watcher", name="map-squares")
n = int(sys.argv[1])
ex = Execution.objects.create(state_machine=machine, name=f"big-{n}", input={}, seq=n,
                              definition=machine.definition, status="SUCCEEDED")
events = [HistoryEvent(execution=ex, seq=1, type="ExecutionStarted")]
events += [HistoryEvent(execution=ex, seq=i, previous_event_id=i - 1, type="PassStateEntered",
                        details={"stateEnteredEventDetails": {"name": f"Step{i}", "input": "{}"}})
           for i in range(2, n + 1)]
HistoryEvent.objects.bulk_create(events, batch_size=5000)
print(ex.id)
"""


def test_a_25000_event_history_loads_and_scrolls(page, server):
    base, env = server
    execution_id = python(env, BIG, "25000")
    page.goto(f"{base}/executions/{execution_id}/", wait_until="domcontentloaded")
    page.wait_for_function("window.stepstudio.live.lastSeq() === 25000", timeout=60_000)
    # Virtualised: a screenful of rows in the DOM, not 25,000.
    assert page.locator("#live-events [data-seq]").count() < 100
    page.locator(".ev-viewport").evaluate("(v) => { v.scrollTop = v.scrollHeight; }")
    page.wait_for_selector('#live-events [data-seq="25000"]')
    page.fill('[data-filter="text"]', "Step24999")
    page.wait_for_selector('[data-live="shown-count"]:text("1 of 25000")')
    shot(page, "history-25000")


def test_stop_and_redrive_from_the_page(page, server):
    base, env = server
    execution_id = python(env, START, "job-poller",
                          json.dumps({"waitSeconds": 60, "checksNeeded": 1}))
    open_execution(page, base, execution_id)
    page.wait_for_selector('[data-state-name="WaitForTaskCompletion"][data-status="in-progress"]',
                           timeout=60_000)
    # An in-app confirmation (a window.confirm would fail the test: nothing accepts it).
    page.on("dialog", lambda dialog: pytest.fail(f"a browser dialog: {dialog.message}"))
    page.click('[data-action="stop"]')
    confirm = page.locator('[role="dialog"] form[data-dialog="stop"]')
    assert "ABORTED" in confirm.text_content()
    shot(page, "stop-confirm")
    confirm.locator('[data-action="confirm-stop"]').click()
    page.wait_for_selector('[data-live="status"]:text("ABORTED")', timeout=30_000)
    page.wait_for_selector('[data-live="action-status"]:text("Stopped")')
    page.wait_for_selector('[data-state-name="WaitForTaskCompletion"][data-status="aborted"]')
    assert page.locator('[data-action="stop"]').is_disabled()
    shot(page, "job-poller-aborted")
    page.click('[data-action="redrive"]')
    page.locator('[data-action="confirm-redrive"]').click()
    page.wait_for_selector('[data-live="status"]:text("RUNNING")', timeout=30_000)
    page.wait_for_selector('[data-live="redrives"]:text("1")')
    page.wait_for_selector('[data-live="action-status"]:text("Redrive 1")')
    stored = json.loads(python(env, HISTORY, execution_id))
    assert stored["status"] == "RUNNING"
    page.wait_for_function(f"window.stepstudio.live.lastSeq() >= {stored['events'][-1][0]}")
    assert page.evaluate("window.stepstudio.live.seqs()")[:len(stored["events"])] == \
        [s for s, _ in stored["events"]]
