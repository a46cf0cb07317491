"""Unsaved work is never lost silently: a marker, Save clears it, undo back to the saved state
clears it, and leaving asks first — closing or reloading the tab (the browser's prompt), any
link of the page (breadcrumb, top bar) and its forms (Log out) through the designer's dialog."""

import pytest

from tests.designer.browser import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HELLO = {"StartAt": "Greet", "States": {
    "Greet": {"Type": "Pass", "Result": {"greeting": "hi"}, "Next": "Done"},
    "Done": {"Type": "Succeed"}}}


def saved_machine(d, name="hello"):
    """A machine saved through the Save dialog, reopened from the server."""
    d.open()
    d.load(HELLO)
    d.page.click('[data-action="save"]')
    d.page.fill('[data-field="save-name"]', name)
    d.page.click('[data-action="do-save"]')
    d.page.wait_for_url(f"**/designer/{name}/")
    d.open(f"/designer/{name}/")
    d.node("Greet").wait_for()
    d.settle()


def dirty(d) -> bool:
    return d.page.locator('[data-testid="dirty-marker"]').count() == 1


def test_an_edit_marks_the_page_and_save_or_undo_clears_it(designer):
    d = designer
    saved_machine(d)
    assert not dirty(d)
    assert not d.page.title().startswith("●")

    d.select("Greet")
    d.fill("Comment", "says hi")
    assert dirty(d)
    assert d.page.title().startswith("●")
    d.screenshot("unsaved-marker")

    # Undo back to the saved document: clean again; redo: dirty again.
    d.page.click('[data-action="undo"]')
    d.page.wait_for_function("!document.querySelector('[data-testid=dirty-marker]')")
    d.page.click('[data-action="redo"]')
    d.page.locator('[data-testid="dirty-marker"]').wait_for()

    # Save (Ctrl+S opens the dialog) clears it.
    d.page.click(".react-flow__pane", position={"x": 30, "y": 30})
    d.page.keyboard.press("Control+s")
    d.page.fill('[data-field="save-description"]', "comment")
    d.page.click('[data-action="do-save"]')
    d.page.wait_for_selector(".sd-modal", state="detached")
    assert not dirty(d)
    assert not d.page.title().startswith("●")


def test_in_app_links_ask_before_leaving_unsaved_work(designer):
    d = designer
    saved_machine(d)
    d.select("Done")
    d.page.keyboard.press("Delete")
    d.settle()
    assert dirty(d)
    # Starting an execution says which version runs.
    d.page.click('[data-action="execute"]')
    assert "runs the last saved version" in d.page.locator('[data-testid="execute-unsaved"]').inner_text()
    d.page.keyboard.press("Escape")

    # The breadcrumb: stay.
    d.page.click('.sd-toolbar a:text("State machines")')
    d.page.locator('[data-action="leave"]').wait_for()
    d.screenshot("unsaved-leave-dialog")
    d.page.click('[data-action="stay"]')
    assert "/designer/hello/" in d.page.url
    assert d.state_names() == ["Greet"]

    # A link of the page frame (top bar): leave without saving.
    d.page.locator('a[href="/executions/"]').first.click()
    d.page.click('[data-action="leave"]')
    d.page.wait_for_url("**/executions/")


def test_a_form_of_the_page_frame_asks_too(designer):
    d = designer
    saved_machine(d)
    d.select("Greet")
    d.fill("Comment", "changed")
    forms = d.page.locator("form:not(#designer-root form)")
    if forms.count() == 0:
        pytest.skip("the page frame has no form (Log out moved into a menu)")
    forms.first.evaluate("f => f.requestSubmit()")
    d.page.locator('[data-action="leave"]').wait_for()
    d.page.click('[data-action="stay"]')
    assert "/designer/hello/" in d.page.url
    assert dirty(d)


def test_closing_or_reloading_the_tab_asks_the_browser_to_confirm(designer):
    d = designer
    saved_machine(d)
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay

    d.page.on("dialog", answer)
    # Clean: a reload does not ask.
    d.page.reload()
    d.node("Greet").wait_for()
    d.settle()
    assert asked == []

    d.select("Greet")
    d.fill("Comment", "changed")
    with pytest.raises(Exception):  # the navigation never happens: the person stayed
        d.page.reload(timeout=3000)
    assert asked == ["beforeunload"]
    assert d.asl()["States"]["Greet"]["Comment"] == "changed"


def test_a_new_machine_with_states_is_unsaved_work_and_links_still_open_in_new_tabs(designer):
    d = designer.open()
    assert not dirty(d), "an empty new machine has nothing to lose"
    d.page.click('[data-palette-item="Pass"]')
    d.settle()
    assert dirty(d)
    # Ctrl+click opens elsewhere: no question asked, the page stays.
    with d.page.context.expect_page() as other:
        d.page.locator('a[href="/executions/"]').first.click(modifiers=["Control"])
    other.value.close()
    assert d.page.locator('[data-action="leave"]').count() == 0
    assert d.page.url.endswith("/designer/")
