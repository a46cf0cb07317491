"""Undo/redo, keyboard shortcuts, copy/paste, and the code view kept in sync both ways."""

import pytest

from tests.designer.browser import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHAIN = {
    "Comment": "three passes",
    "StartAt": "First",
    "States": {
        "First": {"Type": "Pass", "Next": "Second"},
        "Second": {"Type": "Pass", "Result": {"n": "${Count}"}, "Next": "Third"},
        "Third": {"Type": "Succeed"},
    },
}


def code_text(d) -> str:
    return d.page.evaluate("document.querySelector('.sd-code-host').cmView.state.doc.toString()")


def type_code(d, text: str) -> None:
    """Replace the code editor's text as a user would (select all, type)."""
    d.page.click('[data-tab="code"]')
    d.page.click(".sd-code-host .cm-content")
    d.page.keyboard.press("Control+A")
    d.page.keyboard.insert_text(text)


def test_delete_then_undo_and_redo_with_the_keyboard(designer):
    d = designer.open()
    d.load(CHAIN)
    d.select("Second")
    d.page.keyboard.press("Delete")
    d.settle()
    assert d.state_names() == ["First", "Third"]
    # The predecessor now skips to the deleted state's successor.
    assert d.asl()["States"]["First"]["Next"] == "Third"

    d.page.keyboard.press("Control+z")
    d.settle()
    assert d.asl() == CHAIN
    d.page.keyboard.press("Control+Shift+z")
    d.settle()
    assert sorted(d.asl()["States"]) == ["First", "Third"]
    d.page.click('[data-action="undo"]')
    d.settle()
    assert d.asl() == CHAIN


def test_every_inspector_edit_is_one_undo_step(designer):
    d = designer.open()
    d.load(CHAIN)
    d.select("First")
    d.fill("Comment", "hello")
    d.fill("Name", "Begin")
    d.node("Begin").wait_for()
    assert d.asl()["StartAt"] == "Begin"
    d.page.click('[data-action="undo"]')
    d.settle()
    assert d.asl()["States"]["First"]["Comment"] == "hello"
    d.page.click('[data-action="undo"]')
    d.settle()
    assert d.asl() == CHAIN


def test_duplicate_copy_and_paste(designer):
    d = designer.open()
    d.load(CHAIN)
    d.select("First")
    d.page.keyboard.press("Control+d")
    d.settle()
    assert "First 2" in d.asl()["States"]
    d.select("Third")
    d.page.keyboard.press("Control+c")
    d.page.keyboard.press("Control+v")
    d.node("Third 2").wait_for()
    d.settle()
    assert d.asl()["States"]["Third 2"] == {"Type": "Succeed"}
    # Both pastes undo one at a time.
    d.page.keyboard.press("Control+z")
    d.page.keyboard.press("Control+z")
    d.settle()
    assert d.asl() == CHAIN


def test_the_code_view_follows_the_graph_and_the_graph_follows_valid_code(designer):
    d = designer.open()
    d.load(CHAIN)
    d.page.click('[data-tab="code"]')
    assert '"${Count}"' in code_text(d), "placeholders are kept as written"

    # Graph → code.
    d.select("Second")
    d.page.keyboard.press("Delete")
    d.settle()
    assert '"Second"' not in code_text(d)
    d.page.keyboard.press("Control+z")
    d.settle()

    # Invalid text: the graph waits and the text stays.
    broken = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}'
    type_code(d, broken)
    d.page.wait_for_timeout(600)
    assert code_text(d) == broken
    assert d.state_names() == ["First", "Second", "Third"]
    d.page.wait_for_selector(".cm-lint-marker-error")

    # Valid text: the graph follows.
    type_code(d, broken + "}}")
    d.page.wait_for_function("document.querySelectorAll('[data-state-name]').length === 1")
    d.settle()
    assert d.asl() == {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    d.screenshot("code-view")


def test_alt_c_centres_the_selection(designer):
    d = designer.open()
    d.load(CHAIN)
    d.page.evaluate("document.querySelector('.react-flow__pane')")  # canvas present
    d.select("Third")
    d.page.keyboard.press("Alt+c")
    d.page.wait_for_timeout(400)
    pane = d.page.locator(".react-flow__pane").bounding_box()
    x, y = d.centre_of(d.node("Third"))
    assert abs(x - (pane["x"] + pane["width"] / 2)) < 40
    assert abs(y - (pane["y"] + pane["height"] / 2)) < 40


def test_clicking_palette_items_chains_states_after_the_selection(designer):
    d = designer.open()
    d.page.click('[data-palette-item="Pass"]')
    d.settle()
    d.page.click('[data-palette-item="Wait"]')  # the new Pass is selected: Wait goes after it
    d.settle()
    assert d.asl() == {"StartAt": "Pass", "States": {
        "Pass": {"Type": "Pass", "Next": "Wait"}, "Wait": {"Type": "Wait", "Seconds": 5, "End": True}}}
