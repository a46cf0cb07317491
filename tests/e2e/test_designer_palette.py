"""The palette lists each handler once and searching hides what does not match (group headings
included, no ghosts left behind); Task nodes name what they call; the inspector keeps Workflow
Studio's order in tabs; the side panel can be widened and remembers it."""

import pytest

from tests.designer.browser import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def palette_keys(d) -> list[str]:
    return d.page.eval_on_selector_all(".sd-palette [data-palette-item]", "els => els.map(e => e.dataset.paletteItem)")


def headings(d) -> list[str]:
    return d.page.locator(".sd-palette h3").all_inner_texts()


def test_each_handler_is_listed_once_and_search_leaves_no_ghosts(designer):
    d = designer.open()
    d.page.locator('[data-palette-item="handler:greet"]').wait_for()
    keys = palette_keys(d)
    assert len(keys) == len(set(keys)), keys
    assert keys.count("handler:http:invoke") == 1

    search = d.page.locator(".sd-palette-filter")
    search.fill("gree")
    assert palette_keys(d) == ["handler:greet"]
    assert [h.lower() for h in headings(d)] == ["task handlers"], "the empty Flow group hides, heading and all"
    d.screenshot("palette-search")
    search.fill("http")
    assert palette_keys(d) == ["handler:http:invoke"]
    search.fill("zzz")
    assert palette_keys(d) == [] and headings(d) == []
    assert d.page.locator('[data-testid="palette-no-match"]').is_visible()
    search.press("Escape")
    assert palette_keys(d) == keys


def test_task_nodes_name_what_they_call(designer):
    d = designer.open()
    d.load({"StartAt": "Hello", "States": {
        "Hello": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "greet", "Payload.$": "$"}, "OutputPath": "$.Payload", "Next": "Put"},
        "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Parameters": {}, "Next": "Call"},
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
                 "Parameters": {"ApiEndpoint": "https://api.example.com/v1", "Method": "POST"}, "End": True}}})
    sub = lambda name: d.node(name).locator(".sd-node-sub").inner_text()  # noqa: E731
    assert sub("Hello") == "greet"
    assert sub("Put") == "dynamodb:putItem"
    assert sub("Call") == "HTTP POST api.example.com"
    assert d.node("Put").locator(".sd-node-sub").get_attribute("title") == "arn:aws:states:::dynamodb:putItem"
    d.screenshot("task-labels")


def test_the_inspector_has_workflow_studios_sections_as_tabs(designer):
    d = designer.open()
    d.drag_palette_item("handler:greet", to_edge="#start>end")
    tabs = d.page.locator("[data-inspector-tab]")
    assert tabs.all_inner_texts() == ["Configuration", "Input/Output", "Error handling"]
    assert d.field("Resource").is_visible()
    d.page.click('[data-inspector-tab="io"]')
    assert d.field("OutputPath").input_value() == "$.Payload"
    d.page.click('[data-inspector-tab="errors"]')
    d.page.click('[data-action="add-retrier"]')
    assert d.asl()["States"]["greet"]["Retry"][0]["ErrorEquals"] == ["States.ALL"]
    d.screenshot("inspector-error-handling")
    # A Fail state has no input/output to set and handles no errors: one tab.
    d.drag_palette_item("Fail", to_edge="greet>end")
    assert d.page.locator("[data-inspector-tab]").all_inner_texts() == ["Configuration"]


def test_the_side_panel_widens_by_dragging_and_remembers(designer):
    d = designer.open()
    side = d.page.locator(".sd-side")
    before = side.bounding_box()["width"]
    handle = d.page.locator('[data-testid="side-resizer"]')
    x, y = d.centre_of(handle)
    d.page.mouse.move(x, y)
    d.page.mouse.down()
    d.page.mouse.move(x - 150, y, steps=6)
    d.page.mouse.up()
    wider = side.bounding_box()["width"]
    assert wider == pytest.approx(before + 150, abs=4)
    d.page.reload()
    d.page.wait_for_selector(".react-flow__node")
    assert d.page.locator(".sd-side").bounding_box()["width"] == pytest.approx(wider, abs=2)
    # The keyboard works too, and a double click goes back to the default width.
    d.page.locator('[data-testid="side-resizer"]').focus()
    d.page.keyboard.press("ArrowRight")
    assert d.page.locator(".sd-side").bounding_box()["width"] == pytest.approx(wider - 24, abs=2)
    d.page.locator('[data-testid="side-resizer"]').dblclick()
    assert d.page.locator(".sd-side").bounding_box()["width"] == pytest.approx(before, abs=2)
