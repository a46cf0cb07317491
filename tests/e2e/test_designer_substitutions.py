"""A SAM-style definition with `${Name}` placeholders, quoted and bare, through the designer in
Chromium: import, edit one state, export — the file comes back byte for byte except where it
was edited; saved, reloaded and started with the Start dialog's substitutions."""
from pathlib import Path

import pytest

from engine.models import Execution, StateMachine
from tests.designer.browser import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAM = """{
    "Comment": "Orders for ${Env}",
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Pass",
            "Parameters": { "table": "${TableName}", "order.$": "$.order" },
            "Next": "Pause"
        },
        "Pause": { "Type": "Wait", "Seconds": ${WaitSeconds}, "Next": "Done" },
        "Done": {
            "Type": "Succeed"
        }
    }
}
"""


def import_text(d, text: str) -> None:
    d.page.click('[data-action="import"]')
    d.page.fill('[data-testid="import-text"]', text, timeout=30_000)
    d.page.click('[data-action="do-import"]')
    d.settle()


def exported_text(d) -> str:
    d.page.click('[data-action="export"]')
    with d.page.expect_download() as download:
        d.page.click('[data-export="json"]')
    d.page.keyboard.press("Escape")
    return Path(download.value.path()).read_text()


def code_text(d) -> str:
    d.page.click('[data-tab="code"]')
    text = d.page.evaluate("document.querySelector('.sd-code-host').cmView.state.doc.toString()")
    d.page.click('[data-tab="inspector"]')
    return text


def test_import_edit_one_state_export_keeps_every_other_byte(designer):
    d = designer.open()
    import_text(d, SAM)
    assert d.state_names() == ["Charge", "Pause", "Done"]
    assert d.asl()["States"]["Pause"]["Seconds"] == "${WaitSeconds}"
    assert exported_text(d) == SAM                      # unedited: the file itself

    d.select("Done")
    d.fill("Comment", "shipped")
    d.page.wait_for_function("window.stepstudio.designer.toASL().States.Done.Comment === 'shipped'")
    expected = SAM.replace('"Done": {\n            "Type": "Succeed"\n        }',
                           '"Done": {\n            "Type": "Succeed",\n            "Comment": "shipped"\n        }')
    assert exported_text(d) == expected
    assert code_text(d) == expected                    # the code view shows the same text
    # Placeholders are warnings; nothing is an error.
    d.page.wait_for_function("document.querySelector('[data-testid=validation-status]').textContent.includes('warning')")
    d.screenshot("substitutions-imported")

    d.page.click('[data-action="undo"]')
    d.settle()
    assert exported_text(d) == SAM


def test_saved_with_placeholders_then_started_with_their_values(designer, user):
    d = designer.open()
    import_text(d, SAM)
    d.page.click('[data-action="save"]')
    d.page.fill('[data-field="save-name"]', "orders")
    d.page.click('[data-action="do-save"]')
    d.page.wait_for_function("document.querySelector('[data-testid=machine-name]').textContent === 'orders'")
    machine = StateMachine.objects.get(owner=user, name="orders")
    assert machine.definition_text == SAM               # bare ${WaitSeconds} stored as written

    d = designer.open("/designer/orders/")              # reopened: the same text
    d.settle()
    assert exported_text(d) == SAM

    d.page.click('[data-action="execute"]')
    d.page.fill('[data-field="execution-input"]', '{"order": 7}')
    d.page.wait_for_selector('[data-substitution="WaitSeconds"]')
    assert d.page.locator('[data-action="do-execute"]').is_disabled()   # values are missing
    d.page.fill('[data-substitution="Env"]', "prod")
    d.page.fill('[data-substitution="TableName"]', "orders-prod")
    d.page.fill('[data-substitution="WaitSeconds"]', "0")
    d.screenshot("substitutions-start-dialog")
    d.page.click('[data-action="do-execute"]')
    d.page.wait_for_url("**/executions/**")
    execution = Execution.objects.get(state_machine=machine)
    assert execution.definition["States"]["Pause"]["Seconds"] == 0
    assert execution.definition["Comment"] == "Orders for prod"
