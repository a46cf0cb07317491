"""/api/task-handlers/: the designer palette's list — each handler once, and a template that
runs as dropped (the state's output is what the handler returned)."""
import pytest

from engine.api import handlers_catalog
from engine.asl import run_state_machine

pytestmark = pytest.mark.django_db


def test_every_handler_is_listed_once(logged_in_client):
    names = [r["name"] for r in logged_in_client.get("/api/task-handlers/").json()["results"]]
    assert "http:invoke" in names, "the HTTP task is registered by the runtime and listed"
    assert len(names) == len(set(names))


def test_the_http_task_keeps_its_request_template():
    (http,) = [r for r in handlers_catalog.catalog() if r["name"] == "http:invoke"]
    assert http["state_template"]["Parameters"] == {"ApiEndpoint": "https://example.com", "Method": "GET"}


def test_a_dropped_handler_passes_its_result_on_to_a_choice():
    """greet → Choice on $.greeting, built from the palette's template, succeeds."""
    greet = handlers_catalog.state_template("greet")
    greet.pop("End")
    definition = {"StartAt": "greet", "States": {
        "greet": {**greet, "Next": "Greeted?"},
        "Greeted?": {"Type": "Choice", "Choices": [
            {"Variable": "$.greeting", "IsPresent": True, "Next": "Done"}], "Default": "Nope"},
        "Done": {"Type": "Succeed"},
        "Nope": {"Type": "Fail", "Error": "NoGreeting"},
    }}
    result = run_state_machine(definition, {"name": "Ada"})
    assert result.status == "SUCCEEDED", result
    assert result.output == {"greeting": "Hello, Ada!"}
