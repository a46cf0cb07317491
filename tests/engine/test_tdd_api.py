"""/api/state-machines/<name>/test-cases/ (+ run/) and /api/test-runs/: docs/testing.md."""
import json

import pytest
from django.test import Client

from engine.models import StateMachine

pytestmark = pytest.mark.django_db

FLAKY = {"StartAt": "Call", "States": {"Call": {
    "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    "Parameters": {"FunctionName": "call", "Payload.$": "$"}, "OutputPath": "$.Payload",
    "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "IntervalSeconds": 600}],
    "End": True}}}

CONFIG = {"StateMachines": {"flaky": {"TestCases": {
    "Recovers": {"Call": "FailTwice", "Expect": {"Status": "SUCCEEDED", "Output": {"ok": 1}}},
    "Fails": {"Call": "FailAlways", "Expect": {"Status": "FAILED"}},
    "WrongExpectation": {"Call": "FailAlways"},
}}}, "MockedResponses": {
    "FailTwice": {"0-1": {"Throw": {"Error": "Boom", "Cause": "down"}},
                  "2": {"Return": {"Payload": {"ok": 1}}}},
    "FailAlways": {"0": {"Throw": {"Error": "Boom", "Cause": "down"}}},
}}


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def machine(user):
    return StateMachine.objects.create(owner=user, name="flaky", definition=FLAKY)


def test_put_imports_and_get_exports_the_mock_config_file(logged_in_client, machine):
    url = "/api/state-machines/flaky/test-cases/"
    assert logged_in_client.get(url).json() == {"StateMachines": {}, "MockedResponses": {}}
    response = logged_in_client.put(url, json.dumps(CONFIG), content_type="application/json")
    assert response.status_code == 200
    assert logged_in_client.get(url).json() == CONFIG
    machine.refresh_from_db()
    assert machine.test_cases == CONFIG


def test_put_refuses_a_config_of_the_wrong_shape(logged_in_client, machine):
    bad = {"StateMachines": {"flaky": {"TestCases": {"X": {"Call": "Missing"}}}}}
    response = logged_in_client.put("/api/state-machines/flaky/test-cases/", json.dumps(bad),
                                    content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "StateMachines.flaky.TestCases.X.Call: no MockedResponses entry 'Missing'" in response.json()["detail"]
    machine.refresh_from_db()
    assert machine.test_cases is None


def test_run_saved_cases_counts_passes(logged_in_client, machine):
    machine.test_cases = CONFIG
    machine.save()
    response = post(logged_in_client, "/api/state-machines/flaky/test-cases/run/", {})
    assert response.status_code == 200
    body = response.json()
    assert (body["passed"], body["total"]) == (2, 3)
    by_name = {c["name"]: c for c in body["cases"]}
    assert by_name["Recovers"]["passed"] and by_name["Recovers"]["output"] == {"ok": 1}
    assert by_name["WrongExpectation"]["mismatches"] == ["expected SUCCEEDED, got FAILED"]
    assert "events" not in by_name["Recovers"]
    one = post(logged_in_client, "/api/state-machines/flaky/test-cases/run/",
               {"cases": ["Recovers"], "history": True}).json()
    assert one["total"] == 1
    types = [e["type"] for e in one["cases"][0]["events"]]
    assert types.count("TaskFailed") == 2 and types[-1] == "ExecutionSucceeded"


def test_run_without_saved_cases_is_a_clear_400(logged_in_client, machine):
    response = post(logged_in_client, "/api/state-machines/flaky/test-cases/run/", {})
    assert response.status_code == 400
    assert response.json()["detail"] == "The state machine 'flaky' has no test cases."


def test_someone_elses_machine_is_not_found(other_user, machine):
    client = Client()
    client.force_login(other_user)
    assert client.get("/api/state-machines/flaky/test-cases/").status_code == 404
    assert post(client, "/api/state-machines/flaky/test-cases/run/", {}).status_code == 404
    assert client.put("/api/state-machines/flaky/test-cases/", json.dumps(CONFIG),
                      content_type="application/json").status_code == 404


def test_anonymous_callers_are_refused(machine):
    client = Client()
    assert client.get("/api/state-machines/flaky/test-cases/").status_code in (401, 403)
    assert post(client, "/api/test-runs/", {"definition": FLAKY, "mock_config": CONFIG}).status_code in (401, 403)


def test_csrf_is_enforced(user, machine):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = post(client, "/api/test-runs/", {"definition": FLAKY, "mock_config": CONFIG})
    assert response.status_code == 403


def test_ad_hoc_run_of_an_unsaved_definition(logged_in_client):
    config = {"StateMachines": {"draft": {"TestCases": {"Only": {"Call": "FailTwice"}}}},
              "MockedResponses": CONFIG["MockedResponses"]}
    response = post(logged_in_client, "/api/test-runs/",
                    {"definition": json.dumps(FLAKY), "mock_config": config, "input": {"x": 1}})
    assert response.status_code == 200
    case = response.json()["cases"][0]
    assert case["passed"] and case["status"] == "SUCCEEDED"
    events = case["events"]  # history by default: the designer draws it
    scheduled = [e for e in events if e["type"] == "TaskScheduled"]
    assert len(scheduled) == 3
    assert json.loads(events[0]["executionStartedEventDetails"]["input"]) == {"x": 1}


def test_unticked_unmocked_task_fails_without_calling_anything(logged_in_client):
    config = {"StateMachines": {"draft": {"TestCases": {"NoMocks": {}}}}, "MockedResponses": {}}
    body = post(logged_in_client, "/api/test-runs/",
                {"definition": FLAKY, "mock_config": config, "real_handlers": []}).json()
    case = body["cases"][0]
    assert case["status"] == "FAILED" and case["error"] == "StepStudio.NotMocked"
    assert "'Call'" in case["cause"] and "not ticked" in case["cause"]


def test_ad_hoc_run_of_an_invalid_definition_gives_diagnostics(logged_in_client):
    response = post(logged_in_client, "/api/test-runs/",
                    {"definition": {"StartAt": "Nope", "States": {}}, "mock_config": {}})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_definition"
    assert response.json()["diagnostics"]


def test_unknown_case_and_oversized_input_are_refused(logged_in_client):
    response = post(logged_in_client, "/api/test-runs/",
                    {"definition": FLAKY, "mock_config": CONFIG, "state_machine_name": "flaky",
                     "cases": ["Nope"]})
    assert response.status_code == 400 and "Nope" in response.json()["detail"]
    response = post(logged_in_client, "/api/test-runs/",
                    {"definition": FLAKY, "mock_config": CONFIG, "input": {"big": "é" * 140_000}})
    assert response.status_code == 413
