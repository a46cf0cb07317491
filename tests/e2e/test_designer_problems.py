"""The Problems panel: every diagnostic at once, AWS's severities (errors block Save, warnings do
not), messages that name the field, a click that selects the state and focuses the field, invalid
JSON in the Definition tab located by line and column, and a friendly empty canvas."""

import re

import pytest

from tests.designer.browser import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def problem_texts(d) -> list[str]:
    panel = d.open_problems()
    return panel.locator(".sd-problem-text").all_inner_texts()


def test_a_new_machine_opens_on_a_friendly_empty_canvas(designer):
    d = designer.open()
    d.page.locator('[data-testid="empty-canvas"]:text("Drag a state here")').wait_for()
    assert d.validation_status() == "No states yet"
    assert problem_texts(d) == []
    assert d.page.locator(".sd-error, .sd-diag-list").count() == 0
    d.screenshot("problems-empty-canvas")


def test_every_problem_is_listed_and_a_click_goes_to_its_field(designer):
    d = designer.open()
    d.load({"StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "a", "Next": ""}]},
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": {"FunctionName": "greet"}, "End": True,
                 "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Nowhere"}]},
    }})
    d.page.wait_for_function("document.querySelector('[data-testid=validation-status]').innerText.includes('error')")
    # The server's answer (its explanations) replaces the quick local checks.
    d.page.wait_for_timeout(800)
    texts = problem_texts(d)
    assert "Rule #1 Next: choose the state this rule goes to (or drop one on its open end)" in texts
    assert 'Catcher #1 Next: there is no state named "Nowhere"' in texts
    assert "This state is never reached: connect a state to it, or delete it" in texts
    assert not any(re.search(r"target:\s*$", t) for t in texts), texts
    assert d.page.locator('.sd-problem.error').count() == len(texts)
    d.screenshot("problems-panel")

    # Clicking the Catch problem selects Work, opens Error handling and focuses the field.
    d.page.click('.sd-problem:has-text("Catcher #1 Next")')
    d.page.locator('[data-inspector-state="Work"]').wait_for()
    assert d.page.locator('[data-inspector-tab="errors"]').get_attribute("aria-selected") == "true"
    d.page.wait_for_function("document.activeElement?.dataset.field === 'Catch.0.Next'")
    # Clicking the rule problem: the Choice, Configuration, the rule's target.
    d.page.click('.sd-problem:has-text("Rule #1 Next")')
    d.page.locator('[data-inspector-state="Check"]').wait_for()
    d.page.wait_for_function("document.activeElement?.dataset.field === 'Choices.0.Next'")
    d.screenshot("problems-focused-field")


def test_warnings_do_not_block_save(designer):
    d = designer.open()
    d.load({"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x": "$.y"}, "End": True}}})
    d.page.wait_for_function("document.querySelector('[data-testid=validation-status]').innerText === '1 warning'")
    (text,) = problem_texts(d)
    assert text.startswith("Parameters.x:")
    assert d.page.locator(".sd-problem.warning").count() == 1
    d.page.click('[data-action="save"]')
    d.page.fill('[data-field="save-name"]', "warned")
    assert d.page.locator('[data-testid="save-refusal"]').count() == 0
    d.page.click('[data-action="do-save"]')
    d.page.wait_for_url("**/designer/warned/")


def test_invalid_json_in_the_definition_tab_is_an_error_save_explains(designer):
    d = designer.open()
    d.load({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
    d.page.click('[data-tab="code"]')
    d.page.click(".sd-code-host .cm-content")
    # Break it on line 4 (`    "A": {`): a property the next one follows without a comma.
    d.page.keyboard.press("Control+Home")
    for _ in range(3):
        d.page.keyboard.press("ArrowDown")
    d.page.keyboard.press("End")
    d.page.keyboard.type(' "Comment": "x"')
    status = d.page.locator('[data-testid="validation-status"]')
    d.page.wait_for_function("document.querySelector('[data-testid=validation-status]').innerText.startsWith('JSON: line 4')")
    assert "bad" in status.get_attribute("class")
    (text,) = [t for t in problem_texts(d) if t.startswith("JSON:")]
    assert re.match(r"JSON: line 4, column \d+: Expected ',' or '}' after a property value", text)

    d.page.click('[data-tab="inspector"]')
    d.page.click('.sd-problem:has-text("JSON: line 4")')  # back to the text, cursor on it
    assert d.page.locator('[data-tab="code"]').get_attribute("aria-selected") == "true"
    d.page.click('[data-action="save"]')
    refusal = d.page.locator('[data-testid="save-refusal"]')
    assert "Save needs valid JSON" in refusal.inner_text() and "line 4" in refusal.inner_text()
    assert d.page.locator('[data-action="do-save"]').is_disabled()
    d.screenshot("problems-json-save-refused")
