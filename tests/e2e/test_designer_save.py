"""Save as a new version, the version list with its diff, reopening a saved machine, and
starting an execution from the designer — against the real REST API."""

import json

import pytest

from tests.designer.browser import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HELLO = {
    "Comment": "hello",
    "StartAt": "Greet",
    "States": {
        "Greet": {"Type": "Pass", "Result": {"greeting": "hi"}, "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}


def api_get(d, path: str):
    return d.page.evaluate("async (p) => (await fetch(p)).json()", path)


def save(d, description: str, name: str | None = None) -> None:
    d.page.click('[data-action="save"]')
    if name is not None:
        d.page.fill('[data-field="save-name"]', name)
    d.page.fill('[data-field="save-description"]', description)
    d.page.click('[data-action="do-save"]')
    d.page.wait_for_selector(".sd-modal", state="detached")


def test_save_versions_and_reopen(designer):
    d = designer.open()
    d.load(HELLO)

    save(d, "first cut", name="hello-world")
    d.page.wait_for_url("**/designer/hello-world/")
    assert d.page.locator('[data-testid="machine-name"]').inner_text() == "hello-world"
    machine = api_get(d, "/api/state-machines/hello-world/")
    assert machine["definition"] == HELLO or json.loads(machine["definition"]) == HELLO

    # Edit, save again: a second version with its own description.
    d.select("Greet")
    d.fill("Name", "SayHello")
    d.node("SayHello").wait_for()
    save(d, "renamed the greeting")
    versions = api_get(d, "/api/state-machines/hello-world/versions/")
    versions = versions["results"] if isinstance(versions, dict) else versions
    assert sorted(v["description"] for v in versions) == ["first cut", "renamed the greeting"]

    # The version list shows both; picking the first shows a side-by-side diff with the editor.
    d.page.click('[data-action="versions"]')
    d.page.wait_for_selector("[data-version]")
    assert d.page.locator("[data-version]").count() == 2
    first = min(v["version"] for v in versions)
    d.page.click(f'[data-version="{first}"]')
    diff = d.page.locator('[data-testid="diff-view"]')
    diff.wait_for()
    assert "Greet" in diff.inner_text() and "SayHello" in diff.inner_text()
    d.screenshot("versions-diff")
    d.page.keyboard.press("Escape")

    # Reopening the page loads the saved definition (and opening is not an undoable edit).
    d.open("/designer/hello-world/")
    d.page.wait_for_function("window.stepstudio.designer.toASL().StartAt === 'SayHello'")
    assert d.asl()["States"]["SayHello"] == HELLO["States"]["Greet"]
    assert d.page.locator('[data-action="undo"]').is_disabled()


def test_start_execution_opens_the_live_view(designer):
    d = designer.open()
    d.load(HELLO)
    save(d, "v1", name="starter")
    d.page.click('[data-action="execute"]')
    d.page.fill('[data-field="execution-input"]', '{"who": "world"')
    assert d.page.locator('[data-action="do-execute"]').is_disabled()
    d.page.fill('[data-field="execution-input"]', '{"who": "world"}')
    d.page.click('[data-action="do-execute"]')
    d.page.wait_for_url("**/executions/*/")
    execution_id = d.page.url.rstrip("/").split("/")[-1]
    execution = api_get(d, f"/api/executions/{execution_id}/")
    assert execution["input"] in ({"who": "world"}, '{"who": "world"}')


def test_save_refuses_an_invalid_definition_and_says_why(designer):
    d = designer.open()
    d.load({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})
    d.page.click('[data-action="save"]')
    d.page.fill('[data-field="save-name"]', "broken")
    refusal = d.page.locator('[data-testid="save-refusal"]')
    refusal.wait_for()
    assert 'Next: there is no state named "Nowhere"' in refusal.inner_text()
    assert d.page.locator('[data-action="do-save"]').is_disabled()
    d.screenshot("save-refused")
    d.page.keyboard.press("Escape")
    # The diagnostic sits on the node and in its inspector.
    badge = d.page.locator('.react-flow__node:has([data-state-name="A"]) [data-testid="node-diagnostics"]')
    badge.wait_for()
    d.select("A")
    assert d.page.locator('[data-testid="inspector-diagnostics"]').count() == 1
    assert api_get(d, "/api/state-machines/")["results"] == []
