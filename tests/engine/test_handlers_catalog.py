"""GET /api/task-handlers/ (the designer's palette): the user's handlers with their
descriptions, kinds and queues, each with a Task template that runs as dropped."""
import json

import pytest

from engine.asl import handlers, run_state_machine
from engine.asl.handlers import register_lambda, task_handler

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    names = []
    yield names
    for name in names:
        handlers.unregister(name)


def listed(client) -> dict:
    return {r["name"]: r for r in client.get("/api/task-handlers/").json()["results"]}


def test_the_palette_lists_user_handlers_with_description_kind_and_queue(logged_in_client, registered):
    @task_handler("catalog-resize", description="Resize an image to a thumbnail", queue="media")
    def resize(payload):
        return payload

    def lambda_handler(event, context):
        """Create a task in the job service."""
        return {"taskId": "t"}
    register_lambda("catalog-create-task", lambda_handler)
    registered += ["catalog-resize", "catalog-create-task"]

    by_name = listed(logged_in_client)
    assert by_name["catalog-resize"] | {"state_template": None} == {
        "name": "catalog-resize", "description": "Resize an image to a thumbnail", "kind": "handler",
        "queue": "media", "origin": f"{__name__}.test_the_palette_lists_user_handlers_with_description_kind_and_queue.<locals>.resize",
        "state_template": None}
    assert by_name["catalog-create-task"]["kind"] == "lambda"
    assert by_name["catalog-create-task"]["description"] == "Create a task in the job service."
    assert by_name["http:invoke"]["kind"] == "http"
    assert [r for r in by_name if r == "http:invoke"] == ["http:invoke"]  # listed once


def test_a_handler_without_a_docstring_is_described_by_its_origin(logged_in_client, registered):
    task_handler("catalog-bare")(lambda payload: payload)
    registered.append("catalog-bare")
    assert listed(logged_in_client)["catalog-bare"]["description"].startswith("Task handler tests.engine")


def test_a_dropped_handler_runs_as_dropped_and_passes_on_its_value(logged_in_client, registered):
    register_lambda("catalog-double", lambda event, context: {"n": event["n"] * 2})
    task_handler("catalog:echo")(lambda params: {"echo": params})
    registered += ["catalog-double", "catalog:echo"]
    by_name = listed(logged_in_client)
    template = by_name["catalog-double"]["state_template"]
    assert template["OutputPath"] == "$.Payload"
    result = run_state_machine({"StartAt": "Dropped", "States": {"Dropped": template}}, {"n": 21})
    assert (result.status, result.output) == ("SUCCEEDED", {"n": 42})
    assert by_name["catalog:echo"]["state_template"]["Resource"] == "arn:aws:states:::catalog:echo"
    assert json.dumps(by_name["catalog-double"]["state_template"])  # plain JSON for the designer
