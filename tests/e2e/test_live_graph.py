"""The live graph zooms, pans, fits and centres like the designer canvas, in a real Chromium
against `manage.py serve`; a 300-state execution opens readable (on its Start, not at 5 %).
"""
from __future__ import annotations

import json

import pytest

from tests.e2e.test_live_job_poller import START, page, python, server, shot  # noqa: F401
from tests.e2e.test_live_outcomes import CREATE
from tests.designer.browser import chromium  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.subprocess]

N = 300
CHAIN = {"StartAt": "Step1", "States": {
    f"Step{i}": ({"Type": "Pass", "Next": f"Step{i + 1}"} if i < N else {"Type": "Pass", "End": True})
    for i in range(1, N + 1)}}


def zoom(page) -> float:
    return float(page.locator("#live-graph").get_attribute("data-zoom"))


def box(page, name):
    return page.locator(f'[data-state-name="{name}"] .box').bounding_box()


def test_the_live_graph_zooms_pans_fits_and_centres_on_300_states(page, server):  # noqa: F811
    base, env = server
    python(env, CREATE, "three-hundred", json.dumps(CHAIN))
    execution_id = python(env, START, "three-hundred", "{}")
    page.goto(f"{base}/executions/{execution_id}/", wait_until="domcontentloaded")
    # A loading state while the layout runs, never "needs JavaScript".
    assert "JavaScript" not in page.locator("#live-graph").inner_text()
    page.wait_for_selector(f'[data-state-name="Step{N}"][data-status="succeeded"]',
                           state="attached", timeout=60_000)
    pane = page.locator("#live-graph").bounding_box()

    # Fit on a big graph: a readable zoom on its start, not the whole chain at a few %.
    fitted = zoom(page)
    assert fitted >= 0.69
    first = box(page, "Step1")
    assert pane["y"] <= first["y"] and first["y"] + first["height"] <= pane["y"] + pane["height"]
    assert first["height"] >= 0.69 * 40  # a state box on screen is tall enough to read
    shot(page, "graph-300-fit")

    # Zoom in with the button: boxes grow.
    page.click('[data-zoom="in"]')
    assert zoom(page) == pytest.approx(fitted * 1.25, rel=1e-3)
    assert box(page, "Step1")["width"] == pytest.approx(first["width"] * 1.25, rel=0.02)

    # The wheel zooms at the pointer: the point under it stays put.
    target = box(page, "Step2")
    x, y = target["x"] + target["width"] / 2, target["y"] + target["height"] / 2
    page.mouse.move(x, y)
    before = zoom(page)
    page.mouse.wheel(0, -200)
    page.wait_for_function(f"Number(document.getElementById('live-graph').dataset.zoom) > {before}")
    after = box(page, "Step2")
    assert after["x"] + after["width"] / 2 == pytest.approx(x, abs=2)
    assert after["y"] + after["height"] / 2 == pytest.approx(y, abs=2)

    # Dragging the background pans by the drag.
    start = box(page, "Step2")
    bx, by = pane["x"] + 30, pane["y"] + 30
    page.mouse.move(bx, by)
    page.mouse.down()
    page.mouse.move(bx + 60, by + 120, steps=5)
    page.mouse.up()
    moved = box(page, "Step2")
    assert (moved["x"] - start["x"], moved["y"] - start["y"]) == \
        (pytest.approx(60, abs=2), pytest.approx(120, abs=2))
    # …and does not select what the drag ended on; a plain click does.
    assert page.locator('#step-details [data-live="step-name"]').count() == 0
    page.locator('[data-state-name="Step3"]').click()
    assert page.locator('#step-details [data-live="step-name"]').text_content() == "Step3"

    # Centre brings the selected state to the middle; Fit goes back.
    page.click('[data-zoom="out"]')
    page.click('[data-zoom="centre"]')
    pane = page.locator("#live-graph").bounding_box()  # the clicks may have scrolled the page
    centred = box(page, "Step3")
    assert centred["x"] + centred["width"] / 2 == pytest.approx(pane["x"] + pane["width"] / 2, abs=2)
    assert centred["y"] + centred["height"] / 2 == pytest.approx(pane["y"] + pane["height"] / 2,
                                                                 abs=2)
    page.click('[data-zoom="fit"]')
    assert zoom(page) == pytest.approx(fitted, rel=1e-3)
    shot(page, "graph-300-zoomed")


def test_a_small_graph_fits_whole(page, server):  # noqa: F811
    base, env = server
    execution_id = python(env, START, "job-poller", json.dumps({"waitSeconds": 1}))
    page.goto(f"{base}/executions/{execution_id}/", wait_until="domcontentloaded")
    page.wait_for_selector('[data-state-name="TaskCompleted"]')
    pane = page.locator("#live-graph").bounding_box()
    for name in ("ApplyDefaults", "TaskCompleted", "TaskFailed"):
        b = box(page, name)
        assert pane["x"] <= b["x"] and b["x"] + b["width"] <= pane["x"] + pane["width"]
        assert pane["y"] <= b["y"] and b["y"] + b["height"] <= pane["y"] + pane["height"]
    page.locator("#live-graph").focus()
    before = zoom(page)
    page.keyboard.press("+")
    assert zoom(page) > before
