"""Build the job poller from the palette with the mouse, fill the forms, watch validation,
and export the definition."""

import json

import pytest

from tests.designer.browser import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED = {
    "StartAt": "CreateTask",
    "States": {
        "CreateTask": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:create", "Next": "WaitForTaskCompletion"},
        "WaitForTaskCompletion": {"Type": "Wait", "Seconds": 10, "Next": "CheckTaskStatus"},
        "CheckTaskStatus": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:000000000000:function:status",
            "Next": "IsTaskDone",
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}],
        },
        "IsTaskDone": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.status", "StringEquals": "RUNNING", "Next": "WaitForTaskCompletion"},
                {"Variable": "$.status", "StringEquals": "DONE", "Next": "TaskCompleted"},
            ],
            "Default": "TaskFailed",
        },
        "TaskCompleted": {"Type": "Succeed"},
        "TaskFailed": {"Type": "Fail", "Error": "TaskFailed"},
    },
}


def rename_selected(d, name):
    d.fill("Name", name)
    d.node(name).wait_for()


def test_it_builds_the_job_poller_with_the_mouse(designer):
    d = designer.open()
    assert d.state_names() == []

    # Start → End is the first drop target; each new state is inserted before End.
    d.drag_palette_item("Task", to_edge="#start>end")
    rename_selected(d, "CreateTask")
    d.fill("Resource", "arn:aws:lambda:us-east-1:000000000000:function:create")

    d.drag_palette_item("Wait", to_edge="CreateTask>end")
    rename_selected(d, "WaitForTaskCompletion")
    d.fill("Seconds", "10")

    d.drag_palette_item("Task", to_edge="WaitForTaskCompletion>end")
    rename_selected(d, "CheckTaskStatus")
    d.fill("Resource", "arn:aws:lambda:us-east-1:000000000000:function:status")
    d.page.click('[data-inspector-tab="errors"]')  # Workflow Studio's order: Error handling
    d.page.click('[data-action="add-retrier"]')

    d.drag_palette_item("Choice", to_edge="CheckTaskStatus>end")
    rename_selected(d, "IsTaskDone")
    # A new Choice's rule has no target yet: the validator says so on the node and in the toolbar.
    d.page.wait_for_function("document.querySelector('[data-testid=validation-status]').innerText.includes('error')")
    assert d.page.locator('.react-flow__node:has([data-state-name="IsTaskDone"]) [data-testid="node-diagnostics"]').count() == 1
    d.screenshot("job-poller-invalid")

    d.drag_palette_item("Succeed", to=d.empty_canvas_point())
    rename_selected(d, "TaskCompleted")
    d.drag_palette_item("Fail", to=d.empty_canvas_point())
    rename_selected(d, "TaskFailed")
    d.fill("Error", "TaskFailed")

    d.connect("IsTaskDone", "choice", "WaitForTaskCompletion")
    d.connect("IsTaskDone", "choice", "TaskCompleted")
    d.connect("IsTaskDone", "default", "TaskFailed")
    d.screenshot("job-poller-connected")

    d.select("IsTaskDone")
    d.fill("Choices.0.Variable", "$.status")
    d.fill("Choices.0.Value", "RUNNING")
    d.fill("Choices.1.Variable", "$.status")
    d.fill("Choices.1.Value", "DONE")

    # Valid as the server says (its findings about states an edit did not touch stay shown
    # until its next answer, so this is not the quick local checks' verdict alone).
    d.page.wait_for_function("document.querySelector('[data-testid=validation-status]').innerText === 'Valid'")
    d.page.wait_for_timeout(1000)
    assert d.validation_status() == "Valid"
    assert d.page.locator('[data-testid="node-diagnostics"][data-severity="error"]').count() == 0
    d.page.click(".react-flow__pane", position={"x": 20, "y": 20})
    d.screenshot("job-poller-built")

    assert d.asl() == EXPECTED

    # Export → Download JSON gives the same definition.
    d.page.click('[data-action="export"]')
    with d.page.expect_download() as download:
        d.page.click('[data-export="json"]')
    assert json.loads(open(download.value.path()).read()) == EXPECTED


def test_a_registered_handler_from_the_palette_becomes_its_task_state(designer):
    d = designer.open()
    handlers = d.page.evaluate("async () => (await (await fetch('/api/task-handlers/')).json()).results")
    assert handlers, "the server registers task handlers"
    handler = handlers[0]
    d.drag_palette_item(f"handler:{handler['name']}", to_edge="#start>end")
    (name, state), = d.asl()["States"].items()
    assert name == handler["name"]
    template = handler["state_template"]
    assert state["Type"] == "Task"
    assert state["Resource"] == template["Resource"]
    assert state["End"] is True
