"""What the palette drops runs as dropped: a machine built with the mouse — the greet handler,
then a Choice on $.greeting whose open rule gets a Succeed dropped on it — is saved and started
from the designer and succeeds on a real worker (`manage.py serve`: daphne, a Celery worker and
the scheduler as separate processes, embedded mode)."""
from __future__ import annotations

import json

import pytest

from tests.designer.browser import DesignerPage, chromium, login  # noqa: F401 (fixture)
from tests.e2e.served import served_app
from tests.support import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.subprocess]

PASSWORD = "palette-run-password"

SETUP = f"""
import django
django.setup()
from django.contrib.auth import get_user_model
get_user_model().objects.create_user("builder", password={PASSWORD!r})
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with served_app(tmp_path_factory.mktemp("palette-run-var"), SETUP) as (url, _, _):
        yield url


@pytest.fixture
def designer(chromium, server):  # noqa: F811
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, server, "builder", PASSWORD)
    d = DesignerPage(page, server)
    yield d
    d.screenshot("last-palette-run")
    context.close()
    assert not d.errors, d.errors


def api_get(d, path):
    return d.page.evaluate("async (p) => (await fetch(p)).json()", path)


def test_a_machine_built_from_the_palette_runs_as_dropped(designer):
    d = designer.open()
    d.drag_palette_item("handler:greet", to_edge="#start>end")
    d.drag_palette_item("Choice", to_edge="greet>end")
    # The new Choice has one rule whose target is open (a drop target on the canvas).
    slot = d.page.locator('[data-slot="Choice/#open0"]')
    slot.wait_for()
    assert d.asl()["States"]["Choice"]["Choices"] == [{"Variable": "$.value", "StringEquals": "", "Next": ""}]
    d.fill("Choices.0.Variable", "$.greeting")
    d.choose("Choices.0.Operator", "IsPresent")
    d.screenshot("palette-run-open-rule")
    d.drag_palette_item("Succeed", to=d.centre_of(slot))
    d.page.wait_for_function("document.querySelector('[data-testid=validation-status]').innerText === 'Valid'")

    # "Add rule" leaves the new rule open; it never points at a state by itself.
    d.select("Choice")
    d.page.click('[data-action="add-rule"]')
    assert d.field("Choices.1.Next").input_value() == ""
    d.page.locator('[data-slot="Choice/#open1"]').wait_for()
    d.page.click('.sd-card[data-rule="1"] button:text("Remove")')
    d.page.locator('[data-slot="Choice/#open1"]').wait_for(state="detached")
    d.settle()
    d.screenshot("palette-run-built")

    built = d.asl()
    assert built["States"]["greet"]["OutputPath"] == "$.Payload"
    assert built["States"]["Choice"]["Choices"] == [{"Variable": "$.greeting", "IsPresent": True, "Next": "Succeed"}]

    d.page.click('[data-action="save"]')
    d.page.fill('[data-field="save-name"]', "greeter")
    d.page.click('[data-action="do-save"]')
    d.page.wait_for_url("**/designer/greeter/")
    assert d.page.locator('[data-testid="dirty-marker"]').count() == 0

    d.page.click('[data-action="execute"]')
    d.page.fill('[data-field="execution-input"]', json.dumps({"name": "Ada"}))
    d.page.click('[data-action="do-execute"]')
    d.page.wait_for_url("**/executions/*/")
    execution_id = d.page.url.rstrip("/").split("/")[-1]
    execution = wait_until(
        lambda: (e := api_get(d, f"/api/executions/{execution_id}/"))["status"] != "RUNNING" and e,
        90, interval=0.5, what="the execution to end")
    assert execution["status"] == "SUCCEEDED", execution
    output = execution["output"] if isinstance(execution["output"], dict) else json.loads(execution["output"])
    assert output == {"greeting": "Hello, Ada!"}
    d.page.wait_for_selector('[data-live="status"]:text("SUCCEEDED")', timeout=30_000)
    d.page.wait_for_selector('[data-state-name="Succeed"]', timeout=30_000)  # the live graph
    d.screenshot("palette-run-succeeded")
