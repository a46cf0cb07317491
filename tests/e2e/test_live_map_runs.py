"""A Distributed Map's map run on the live pages in a real Chromium: the Map's step details
list its child executions; a child's page is a live page of its own (its graph is the item
processor, its history its own: tests/engine/test_api_map_runs.py) that links back to the parent. Screenshots land in
test-artifacts/home/ (map-run-parent.png, map-run-child.png).
"""
from __future__ import annotations

import pytest

from engine import services
from engine.models import Execution, MapRun
from tests.designer.browser import chromium  # noqa: F401 (fixture)
from tests.e2e.app_browser import browse, machine  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_maps_step_lists_its_child_executions_and_a_child_links_back(browse, user):
    orders = machine(user, "orders", definition={"StartAt": "Each order", "States": {
        "Each order": {"Type": "Map", "Label": "Orders", "ItemsPath": "$.orders", "End": True,
                       "ItemProcessor": {
                           "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                           "StartAt": "Price", "States": {"Price": {
                               "Type": "Pass", "Parameters": {"price.$": "$.n"}, "End": True}}}}}})
    # Pass-only children: the start runs the whole fan-out inline.
    parent = services.start_execution(orders, {"orders": [{"n": 1}, {"n": 2}, {"n": 3}]})
    parent.refresh_from_db()
    assert parent.status == "SUCCEEDED"
    run = MapRun.objects.get(execution=parent)
    children = {c.name: c for c in Execution.objects.filter(map_run=run)}
    assert len(children) == 3

    b = browse(user).open(f"/executions/{parent.id}/")
    page = b.page
    # The Map is a container: click its header, not the state drawn inside it.
    page.locator('[data-node-id="Each order"]').click(position={"x": 12, "y": 12})
    links = page.locator('[data-live="map-run-executions"] a')
    links.first.wait_for()
    assert sorted(links.all_inner_texts()) == sorted(children)
    assert "3 succeeded" in page.locator('[data-live="map-run-executions"]').inner_text()
    b.screenshot("map-run-parent", full_page=True)
    first = links.first
    child = children[first.inner_text()]
    assert first.get_attribute("href") == f"/executions/{child.id}/"
    first.click()
    page.wait_for_url(f"**/executions/{child.id}/")
    started_by = page.locator('[data-live="parent"]')
    assert "orders / " in started_by.inner_text() and "Each order" in started_by.inner_text()
    assert started_by.locator("a").get_attribute("href") == f"/executions/{parent.id}/"
    assert child.arn in page.content()
    # The child's graph is the Map's item processor.
    page.locator('[data-node-id="Price"]').wait_for()
    assert page.locator('[data-node-id="Each order"]').count() == 0
    b.screenshot("map-run-child", full_page=True)
    # The executions list shows the parent only.
    b.open("/executions/")
    assert page.locator(f'a[href="/executions/{child.id}/"]').count() == 0
    assert page.locator(f'a[href="/executions/{parent.id}/"]').count() >= 1
