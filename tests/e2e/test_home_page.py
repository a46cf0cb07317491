"""The state machines home page in a real Chromium, as a person uses it: the list, search,
sort and pages; create (ends in the designer); delete with the in-app dialog; start an
execution with the designer's dialog, prefilled. Screenshots land in test-artifacts/home/.
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from engine import samples
from engine.machines.views import BLANK_DEFINITION
from engine.models import Execution, ExecutionStatus, Frame, StateMachine
from tests.designer.browser import chromium  # noqa: F401 (fixture)
from tests.e2e.app_browser import browse, machine  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_the_list_searches_sorts_and_pages(browse, user):
    for n in range(30):
        machine(user, f"orders-{n:02d}" if n % 3 else f"billing-{n:02d}")
    b = browse(user).open("/")
    assert b.rows()[:3] == ["billing-00", "billing-03", "billing-06"]
    assert b.page.locator('[data-testid="range"]').inner_text() == "1–25 of 30"
    b.screenshot("list")

    # Search: type a part of a name, press Enter.
    b.page.fill('[data-testid="search"]', "BILL")
    b.page.keyboard.press("Enter")
    b.page.wait_for_url("**/?q=BILL")
    assert b.rows() == [f"billing-{n:02d}" for n in range(0, 30, 3)]

    # Sort: a click on the Name header reverses the order; the search stays.
    b.page.click('th a[data-sort="name"]')
    b.page.wait_for_url("**sort=-name**")
    assert b.rows()[0] == "billing-27"
    assert b.page.locator('th[aria-sort="descending"] a').get_attribute("data-sort") == "name"

    # Pages: clear the search, then go to the next page and back.
    b.page.click("text=Clear search")
    b.page.wait_for_function("document.querySelectorAll('tr[data-machine]').length === 25")
    b.page.click('[data-page="next"]')
    b.page.wait_for_url("**page=2**")
    assert len(b.rows()) == 5
    assert b.page.locator('[data-testid="range"]').inner_text() == "26–30 of 30"
    b.page.click('[data-page="previous"]')
    b.page.wait_for_function("document.querySelectorAll('tr[data-machine]').length === 25")


def test_the_empty_home_page_loads_the_samples(browse, user):
    b = browse(user).open("/")
    empty = b.page.locator('[data-testid="empty-state"]')
    assert "Create a state machine" in empty.inner_text()
    b.screenshot("empty")
    b.page.click('[data-action="load-samples"]')
    b.page.wait_for_selector('tr[data-machine="job-poller"]')
    assert sorted(b.rows()) == sorted(samples.definitions())
    assert "Loaded 5 sample state machines" in b.page.locator(".messages").inner_text()
    b.screenshot("samples")


def test_create_asks_for_a_name_and_type_and_ends_in_the_designer(browse, user):
    machine(user, "taken")
    b = browse(user).open("/")
    b.page.click('.page-head [data-action="create"]')
    dialog = b.page.locator('.sd-modal[aria-label="Create state machine"]')
    dialog.wait_for()
    b.page.fill('[data-field="create-name"]', "taken")
    b.page.click('[data-action="do-create"]')
    error = b.page.locator('[data-testid="create-error"]')
    error.wait_for()
    assert "already have a state machine named “taken”" in error.inner_text()
    b.page.fill('[data-field="create-name"]', "order-intake")
    b.page.click("text=Express")
    b.screenshot("create-dialog")
    b.page.click('[data-action="do-create"]')
    b.page.wait_for_url("**/designer/order-intake/")
    b.page.wait_for_function("window.stepstudio && window.stepstudio.designer")
    b.page.wait_for_selector('[data-state-name="Pass"]')
    assert b.page.locator('[data-testid="machine-name"]').inner_text() == "order-intake"
    assert StateMachine.objects.get(owner=user, name="order-intake").type == "EXPRESS"
    # The designer's breadcrumb leads back to the list, which now has the new machine.
    b.page.click('[data-testid="breadcrumb-home"]')
    b.page.wait_for_selector('tr[data-machine="order-intake"]')


def test_delete_confirms_in_a_dialog_that_names_the_running_executions(browse, user):
    doomed = machine(user, "doomed")
    machine(user, "kept")
    for n in range(2):
        running = Execution.objects.create(state_machine=doomed, name=f"r{n}", input={},
                                           definition=BLANK_DEFINITION)
        Frame.objects.create(execution=running, status="RUNNING", waiting="CALLBACK")
    b = browse(user).open("/?sort=-name")
    b.row("doomed").locator('[data-action="delete"]').click()
    dialog = b.page.locator('[data-testid="delete-dialog"]')
    dialog.wait_for()
    text = dialog.inner_text()
    assert "Delete the state machine doomed?" in text
    assert "2 executions are running." in text and "Aborted" in text
    b.screenshot("delete-dialog")
    # Cancel keeps it (Escape closes the dialog too).
    b.page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert StateMachine.objects.filter(name="doomed").exists()
    b.row("doomed").locator('[data-action="delete"]').click()
    b.page.click('[data-action="do-delete"]')
    b.page.wait_for_selector(".messages")
    assert "Deleted doomed. 2 running executions were stopped." in b.page.locator(
        ".messages").inner_text()
    assert b.rows() == ["kept"]
    assert "sort=-name" in b.page.url  # back to the list as it was
    assert not StateMachine.objects.filter(name="doomed").exists()


def test_start_from_the_home_page_prefills_the_example_or_the_last_input(browse, user):
    samples.load(user)
    repeat = machine(user, "repeat")
    Execution.objects.create(state_machine=repeat, name="before", input={"again": [1, 2]},
                             definition=BLANK_DEFINITION, status=ExecutionStatus.SUCCEEDED,
                             start_date=timezone.now() - timedelta(hours=1))
    b = browse(user).open("/")
    # A sample: its example input.
    b.row("job-poller").locator('[data-action="start"]').click()
    field = b.page.locator('[data-field="execution-input"]')
    b.page.wait_for_function(
        "document.querySelector('[data-field=\"execution-input\"]')?.value.includes('waitSeconds')")
    assert json.loads(field.input_value()) == {"waitSeconds": 2, "checksNeeded": 3,
                                               "fail": False, "flaky": False}
    b.screenshot("start-dialog")
    b.page.click(".sd-modal >> text=Cancel")
    # No example input: the last execution's input, editable; Start opens the live view.
    b.row("repeat").locator('[data-action="start"]').click()
    b.page.wait_for_function(
        "document.querySelector('[data-field=\"execution-input\"]')?.value.includes('again')")
    assert json.loads(field.input_value()) == {"again": [1, 2]}
    field.fill('{"again": [3]}')
    b.page.fill('[data-field="execution-name"]', "from-home")
    b.page.click('[data-action="do-execute"]')
    b.page.wait_for_url("**/executions/*/")
    started = Execution.objects.get(state_machine=repeat, name="from-home")
    assert started.input == {"again": [3]}
    assert b.page.url.endswith(f"/executions/{started.id}/")


def test_the_designers_start_dialog_has_the_same_prefill_and_edits_the_example(browse, user):
    samples.load(user)
    b = browse(user).open("/designer/map-squares/")
    b.page.wait_for_selector('[data-state-name="SquareAll"]')
    b.page.click('[data-action="execute"]')
    b.page.wait_for_function(
        "document.querySelector('[data-field=\"execution-input\"]')?.value.includes('numbers')")
    assert json.loads(b.page.input_value('[data-field="execution-input"]')) == {
        "numbers": [1, 2, 3, 4, 5, 6]}
    b.page.keyboard.press("Escape")
    # The machine form edits the example input; Save stores it with the machine.
    b.page.click(".react-flow__pane", position={"x": 30, "y": 30})
    example = b.page.locator('.sd-inspector [data-field="example-input"]')
    example.fill('{"numbers": [7]}')
    example.press("Tab")
    b.page.click('[data-action="save"]')
    b.page.fill('[data-field="save-description"]', "new example")
    b.page.click('[data-action="do-save"]')
    b.page.wait_for_selector(".sd-modal", state="detached")
    assert StateMachine.objects.get(owner=user, name="map-squares").example_input == {
        "numbers": [7]}
    b.page.click('[data-action="execute"]')
    b.page.wait_for_function(
        "document.querySelector('[data-field=\"execution-input\"]')?.value.includes('7')")
    assert json.loads(b.page.input_value('[data-field="execution-input"]')) == {"numbers": [7]}


def test_the_list_stays_readable_in_a_narrow_window_and_with_long_names(browse, user):
    long_name = "a-very-long-state-machine-name-" + "x" * 49
    machine(user, long_name[:80])
    machine(user, "short")
    b = browse(user, width=760, height=900).open("/")
    b.screenshot("narrow", full_page=True)
    # The page itself never scrolls sideways (the table may, inside its frame).
    assert b.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert b.page.locator("header.topbar").bounding_box()["width"] <= 760
    wide = browse(user).open("/")
    wide.screenshot("long-names")
    box = wide.row(long_name[:80]).locator(".machine-name").bounding_box()
    assert box["width"] < 500  # wraps instead of pushing the other columns out
