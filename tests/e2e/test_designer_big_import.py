"""A 300-state definition pasted into the Import dialog is drawn and editable, and Fit keeps it
readable (a region at a readable zoom, not the whole machine at 5 %). How fast: bench/designer_layout.py."""
import json
import re
import sys
from pathlib import Path

import pytest

from tests.designer.browser import *  # noqa: F403 (fixtures)

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.designer_layout import count_states, definition  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READABLE = 0.7  # canvas/viewport.ts READABLE_ZOOM


def zoom(d) -> float:
    transform = d.page.evaluate("document.querySelector('.react-flow__viewport').style.transform")
    return float(re.search(r"scale\(([\d.]+)\)", transform).group(1))


def test_a_300_state_import_through_the_dialog_is_drawn_editable_and_readable(designer):
    d = designer.open()
    big = definition(300)
    d.page.click('[data-action="import"]')
    d.paste('[data-testid="import-text"]', json.dumps(big, indent=1))
    assert d.page.locator('[data-testid="import-summary"]').inner_text() == f"{count_states(big)} states"
    d.page.click('[data-action="do-import"]')

    start = big["StartAt"]
    d.node(start).wait_for()
    d.settle()
    assert zoom(d) >= READABLE, "drawn from its start at a readable zoom, not shrunk to fit"
    assert 10 <= len(d.state_names()) < count_states(big)  # what is on screen is mounted
    d.screenshot("big-import")

    # Editable at once: select, edit, one undo.
    d.select(start)
    d.page.locator(f'[data-inspector-state="{start}"]').wait_for()
    d.fill("Comment", "first")
    assert d.asl()["States"][start]["Comment"] == "first"
    d.page.click('[data-action="undo"]')
    assert "Comment" not in d.asl()["States"][start]

    # Fit: still readable, around the selection.
    d.page.click('[data-action="fit"]')
    d.settle()
    assert zoom(d) >= READABLE
    pane = d.page.locator(".react-flow__pane").bounding_box()
    x, y = d.centre_of(d.node(start))
    assert abs(x - (pane["x"] + pane["width"] / 2)) < 60 and abs(y - (pane["y"] + pane["height"] / 2)) < 60

    # Panning mounts what comes into view; the whole definition is there to export.
    assert d.asl() == big
    d.page.click('[data-action="undo"]')
    d.settle()
    assert d.asl() == {"StartAt": "", "States": {}}
