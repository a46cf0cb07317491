"""Import (paste and file) and export: what goes in comes out JSON-equal, placeholders kept."""

import json
from pathlib import Path

import pytest

from tests.designer.browser import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASES = Path(__file__).resolve().parents[2].parent / "shared" / "asl-conformance" / "cases"


def large_definition(states: int = 120) -> dict:
    """A long chain with Choice loops, Catches, a Parallel and a Map, and ${Placeholders}."""
    out = {}
    for i in range(states):
        name = f"Step{i:03d}"
        nxt = f"Step{i + 1:03d}" if i + 1 < states else "Done"
        if i % 10 == 5:
            out[name] = {"Type": "Choice", "Choices": [
                {"Variable": "$.n", "NumericLessThan": i, "Next": f"Step{i - 2:03d}"}], "Default": nxt}
        elif i % 10 == 7:
            out[name] = {"Type": "Parallel", "Next": nxt, "Branches": [
                {"StartAt": f"P{i}a", "States": {f"P{i}a": {"Type": "Pass", "End": True}}},
                {"StartAt": f"P{i}b", "States": {f"P{i}b": {"Type": "Wait", "Seconds": 1, "End": True}}}]}
        elif i % 10 == 9:
            out[name] = {"Type": "Map", "ItemsPath": "$.items", "Next": nxt, "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": f"M{i}",
                "States": {f"M{i}": {"Type": "Task", "Resource": "${ItemFunction}", "End": True}}}}
        else:
            out[name] = {"Type": "Task", "Resource": "arn:stepstudio:task:${Handler}", "Next": nxt,
                         "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}]}
    out["Done"] = {"Type": "Succeed"}
    return {"Comment": "large", "StartAt": "Step000", "States": out}


def import_by_paste(d, definition: dict) -> None:
    d.page.click('[data-action="import"]')
    # 30 s: the first test of a CI run once waited over 10 s for the dialog's textarea to
    # become editable on a loaded machine (the page still loading its bundle).
    d.page.wait_for_selector('[data-testid="import-text"]', timeout=30_000)
    d.paste('[data-testid="import-text"]', json.dumps(definition, indent=1))
    d.page.click('[data-action="do-import"]')
    d.settle()


def export_json(d) -> dict:
    d.page.click('[data-action="export"]')
    with d.page.expect_download() as download:
        d.page.click('[data-export="json"]')
    d.page.keyboard.press("Escape")
    return json.loads(Path(download.value.path()).read_text())


def test_a_large_definition_imports_draws_and_exports_unchanged(designer):
    d = designer.open()
    definition = large_definition()
    import_by_paste(d, definition)
    # A big machine is drawn from its start at a readable zoom; the states out of view are
    # mounted as they come into view.
    d.node("Step000").wait_for()
    assert len(d.state_names()) >= 10
    assert sorted(d.asl()["States"]) == sorted(definition["States"])
    d.screenshot("import-large")
    assert export_json(d) == definition

    # One import is one undo step.
    d.page.click('[data-action="undo"]')
    d.settle()
    assert d.asl() == {"StartAt": "", "States": {}}


def test_import_from_a_file(designer, tmp_path):
    d = designer.open()
    definition = json.loads((CASES / "base__base_wait_seconds_path_0.json").read_text())["definition"]
    path = tmp_path / "machine.asl.json"
    path.write_text(json.dumps(definition))
    d.page.click('[data-action="import"]')
    d.page.set_input_files('[data-testid="import-file"]', str(path))
    d.page.wait_for_function("document.querySelector('[data-testid=import-text]').value.length > 0")
    d.page.click('[data-action="do-import"]')
    d.settle()
    assert d.asl() == definition
    assert d.state_names() == ["WaitState"]


def test_import_refuses_invalid_json_and_keeps_the_canvas(designer):
    d = designer.open()
    d.load({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
    d.page.click('[data-action="import"]')
    d.page.fill('[data-testid="import-text"]', '{"StartAt": ')
    assert d.page.locator('[data-action="do-import"]').is_disabled()
    assert d.page.locator(".sd-modal .sd-error").count() == 1
    d.page.keyboard.press("Escape")
    assert d.state_names() == ["A"]


@pytest.mark.parametrize("case", ["base__base_wait_seconds_path_0"] + sorted(
    p.stem for p in CASES.glob("*map*.json"))[:3] + sorted(p.stem for p in CASES.glob("*parallel*.json"))[:2])
def test_conformance_definitions_round_trip_through_the_page(designer, case):
    d = designer.open()
    definition = json.loads((CASES / f"{case}.json").read_text())["definition"]
    d.load(definition)
    assert d.asl() == definition
    assert export_json(d) == definition


def test_svg_and_png_export(designer):
    d = designer.open()
    d.load({"StartAt": "<b>A</b>", "States": {"<b>A</b>": {"Type": "Succeed"}}})
    d.page.click('[data-action="export"]')
    with d.page.expect_download() as svg:
        d.page.click('[data-export="svg"]')
    text = Path(svg.value.path()).read_text()
    assert text.startswith("<svg") and "&lt;b&gt;A&lt;/b&gt;" in text and "<b>A</b>" not in text
    with d.page.expect_download() as png:
        d.page.click('[data-export="png"]')
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
