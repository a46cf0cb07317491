"""Parallel and Map are containers: states dropped into a branch land in that branch."""

import pytest

from tests.designer.browser import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drop_states_into_parallel_branches_and_a_map_processor(designer):
    d = designer.open()
    d.drag_palette_item("Parallel", to_edge="#start>end")
    d.drag_palette_item("Pass", to=d.centre_of(d.page.locator('[data-scope-id="Parallel/#b0"]')))
    d.drag_palette_item("Wait", to=d.centre_of(d.page.locator('[data-scope-id="Parallel/#b1"]')))
    d.drag_palette_item("Map", to_edge="Parallel>end")
    d.drag_palette_item("Task", to=d.centre_of(d.page.locator('[data-scope-id="Map/#p"]')))
    d.fill("Resource", "arn:stepstudio:task:item")

    asl = d.asl()
    assert asl["StartAt"] == "Parallel"
    assert asl["States"]["Parallel"]["Next"] == "Map"
    assert asl["States"]["Parallel"]["Branches"] == [
        {"StartAt": "Pass", "States": {"Pass": {"Type": "Pass", "End": True}}},
        {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 5, "End": True}}},
    ]
    assert asl["States"]["Map"]["ItemProcessor"] == {
        "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Task",
        "States": {"Task": {"Type": "Task", "Resource": "arn:stepstudio:task:item", "End": True}}}
    d.page.wait_for_function("document.querySelector('[data-testid=validation-status]').innerText === 'Valid'")
    d.page.click(".react-flow__pane", position={"x": 20, "y": 20})
    d.screenshot("containers")

    # Deleting the Parallel takes its branches along; undo brings them back.
    d.select("Parallel")
    d.page.keyboard.press("Delete")
    d.settle()
    assert d.asl()["StartAt"] == "Map" and "Pass" not in d.state_names()
    d.page.keyboard.press("Control+z")
    d.settle()
    assert d.asl() == asl
