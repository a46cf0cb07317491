"""The embeddable graph (static/embed/stepstudio-graph.js, docs/embed.md) in a real Chromium:
included with a plain <script> into a page that is not StepStudio's, one call draws an
execution — from a history JSON and a definition, or from an execution id through the API."""
import json

import pytest
from django.utils.dateparse import parse_datetime

from engine.asl import run_state_machine
from engine.models import Execution, HistoryEvent, StateMachine
from tests.designer.browser import *  # noqa: F403 (fixtures)
from tests.designer.browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEFINITION = {
    "StartAt": "Charge",
    "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "charge"},
                   "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2}],
                   "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refund"}], "Next": "Ship"},
        "Ship": {"Type": "Pass", "End": True},
        "Refund": {"Type": "Pass", "End": True},
    },
}
MOCKS = {"StateMachines": {"m": {"TestCases": {"t": {"Charge": "Busy"}}}},
         "MockedResponses": {"Busy": {"0": {"Throw": {"Error": "Busy", "Cause": "<b>later</b>"}}}}}

PAGE = """<!doctype html><html><head><title>Another app</title></head><body>
<h1>Orders dashboard</h1><div id="graph" style="width: 700px; height: 500px"></div>
<script src="%s/static/embed/stepstudio-graph.js"></script></body></html>"""


def history():
    result = run_state_machine(DEFINITION, {"order": 1}, MOCKS, "m", "t")
    assert result.status == "SUCCEEDED"
    return result.events


def test_draws_a_history_and_a_definition_in_another_page(designer, live_server):
    page = designer.page
    page.set_content(PAGE % live_server.url)
    page.wait_for_function("typeof window.StepStudioGraph === 'object'")
    page.evaluate("""([definition, events]) => {
        window.graph = StepStudioGraph.show(document.getElementById('graph'), {definition, history: events});
        return window.graph.ready;
    }""", [DEFINITION, history()])
    svg = page.locator("#graph svg.graph-svg")
    svg.wait_for()
    status = {n: page.locator(f'#graph g.state[data-state-name="{n}"]').get_attribute("data-status")
              for n in ("Charge", "Ship", "Refund")}
    assert status == {"Charge": "caught", "Ship": "not-reached", "Refund": "succeeded"}
    assert page.locator('#graph g.state[data-state-name="Charge"] .badge').text_content() == "↻ 2 retries"
    assert page.evaluate("graph.executionStatus()") == "SUCCEEDED"
    assert page.evaluate("graph.status('Refund')") == "succeeded"
    # Nothing of the host page was touched but the element given.
    assert page.locator("h1").inner_text() == "Orders dashboard"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tdd-embed-history.png"))


def test_draws_an_execution_by_id_through_the_api(designer, live_server, user):
    events = history()
    machine = StateMachine.objects.create(owner=user, name="orders", definition=DEFINITION)
    ex = Execution.objects.create(state_machine=machine, name="run-1", status="SUCCEEDED",
                                  input={"order": 1}, definition=DEFINITION, seq=len(events))
    core = ("id", "previousEventId", "timestamp", "type")
    HistoryEvent.objects.bulk_create([
        HistoryEvent(execution=ex, seq=e["id"], previous_event_id=e["previousEventId"], type=e["type"],
                     timestamp=parse_datetime(e["timestamp"]),
                     details={k: v for k, v in e.items() if k not in core}) for e in events])
    page = designer.page
    # A page of the same site (the session cookie goes with the API calls).
    page.goto(f"{live_server.url}/api/executions/?page_size=1")
    page.set_content(PAGE % "")
    page.wait_for_function("typeof window.StepStudioGraph === 'object'")
    page.evaluate("(id) => (window.graph = StepStudioGraph.show('#graph', {execution: id})).ready", str(ex.id))
    page.locator('#graph g.state[data-state-name="Refund"][data-status="succeeded"]').wait_for()
    assert page.evaluate("graph.status('Charge')") == "caught"
    # Someone else's execution is refused with the API's message.
    other = page.evaluate("""async () => {
        try { await StepStudioGraph.show(document.createElement('div'), {execution: '00000000-0000-0000-0000-000000000000'}).ready; return 'drawn'; }
        catch (e) { return String(e.message); } }""")
    assert "Not found" in other or "No Execution" in other or "404" in other
    assert json.loads(page.evaluate("JSON.stringify(graph.executionStatus())")) == "SUCCEEDED"
