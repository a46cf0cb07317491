"""Nested executions on the live pages in a real Chromium: the parent's step links to the
child it started, and the child's page links back to its parent. Screenshots land in
test-artifacts/home/ (nested-parent.png, nested-child.png).
"""
from __future__ import annotations

import pytest

from engine import services
from engine.models import Execution, Frame
from engine.runtime import work
from tests.designer.browser import chromium  # noqa: F401 (fixture)
from tests.e2e.app_browser import browse, machine  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_parent(user) -> tuple[Execution, Execution]:
    child_machine = machine(user, "resize-images", definition={"StartAt": "Resize", "States": {
        "Resize": {"Type": "Pass", "Parameters": {"resized.$": "$.images"}, "End": True}}})
    parent_machine = machine(user, "orders", definition={"StartAt": "Resize images", "States": {
        "Resize images": {"Type": "Task",
                          "Resource": "arn:aws:states:::states:startExecution.sync:2",
                          "Parameters": {"StateMachineArn": child_machine.arn,
                                         "Name": "resize-1", "Input": {"images": [1, 2]}},
                          "Next": "Done"},
        "Done": {"Type": "Succeed"}}})
    parent = services.start_execution(parent_machine, {})
    # The Task's message would go to a worker; this process takes it the same way.
    frame = Frame.objects.get(execution=parent, waiting="TASK")
    work.run_task(parent.id, frame.id, frame.step)
    parent.refresh_from_db()
    return parent, Execution.objects.get(parent_execution=parent)


def test_the_parents_step_links_to_the_child_and_back(browse, user):
    parent, child = run_parent(user)
    assert (parent.status, child.status) == ("SUCCEEDED", "SUCCEEDED")
    b = browse(user).open(f"/executions/{parent.id}/")
    page = b.page
    # The page lists the nested executions by step…
    listed = page.locator('[data-live="children"] a')
    assert listed.inner_text() == "resize-1"
    # …and the step's details (click the state in the graph) link to the child.
    page.locator('.react-flow__node, [data-node-id], .node').filter(
        has_text="Resize images").first.click()
    link = page.locator('[data-live="nested-executions"] a')
    link.wait_for()
    assert link.inner_text() == "resize-1"
    assert link.get_attribute("href") == f"/executions/{child.id}/"
    b.screenshot("nested-parent", full_page=True)
    link.click()
    page.wait_for_url(f"**/executions/{child.id}/")
    started_by = page.locator('[data-live="parent"]')
    assert "orders / " in started_by.inner_text() and "Resize images" in started_by.inner_text()
    assert started_by.locator("a").get_attribute("href") == f"/executions/{parent.id}/"
    b.screenshot("nested-child", full_page=True)
