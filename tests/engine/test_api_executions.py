"""/api/executions/, starting, stopping, redriving, history and task tokens — docs/api.md."""
import uuid

import pytest
from django.test import Client

from engine.models import Activity, StateMachine, TaskToken

pytestmark = pytest.mark.django_db

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
WAIT = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
CHAIN = {"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "C"},
    "C": {"Type": "Pass", "End": True}}}


@pytest.fixture
def api(logged_in_client):
    return logged_in_client


def post(api, path, data=None):
    return api.post(path, data or {}, content_type="application/json")


def start(api, machine, definition=PASS, **body):
    if not StateMachine.objects.filter(name=machine).exists():
        assert post(api, "/api/state-machines/",
                    {"name": machine, "definition": definition}).status_code == 201
    return post(api, f"/api/state-machines/{machine}/executions/", body)


def test_start_answers_201_with_id_name_status_and_live_url(api):
    response = start(api, "p", input={"a": 1}, name="first")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "status", "url"}
    assert body["name"] == "first"
    assert body["status"] == "SUCCEEDED"  # a Pass machine finishes inside the request
    assert body["url"] == f"/executions/{body['id']}/"
    uuid.UUID(body["id"])


def test_describe_has_the_documented_fields(api):
    execution_id = start(api, "p", input={"a": 1}).json()["id"]
    body = api.get(f"/api/executions/{execution_id}/").json()
    assert set(body) == {"id", "name", "arn", "state_machine", "version", "status", "input",
                         "output", "error", "cause", "start_date", "stop_date", "redrive_count",
                         "parent", "children", "map_runs"}
    assert (body["parent"], body["children"], body["map_runs"]) == (None, [], [])
    assert body["state_machine"] == "p"
    assert body["input"] == {"a": 1} and body["output"] == {"a": 1}
    assert body["error"] is None and body["version"] is None
    assert body["arn"].endswith(f":execution:p:{body['name']}")


def test_an_input_string_is_a_json_string_value(api):
    execution_id = start(api, "p", input='{"not": "parsed"}').json()["id"]
    assert api.get(f"/api/executions/{execution_id}/").json()["output"] == '{"not": "parsed"}'


def test_a_duplicate_execution_name_is_409(api):
    start(api, "p", name="once")
    response = start(api, "p", name="once")
    assert response.status_code == 409
    assert response.json()["code"] == "execution_already_exists"


def test_an_oversized_input_is_400(api):
    response = start(api, "p", input={"blob": "x" * 262144})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["detail"].startswith("input:")


def test_starting_a_missing_machine_is_404(api):
    assert post(api, "/api/state-machines/nope/executions/").status_code == 404


def test_list_filters_by_machine_and_status_with_cursor_pages(api):
    for _ in range(3):
        start(api, "p")
    start(api, "w", WAIT)

    running = api.get("/api/executions/?status=RUNNING").json()
    assert [e["state_machine"] for e in running["results"]] == ["w"]
    by_machine = api.get("/api/executions/?state_machine=p").json()
    assert len(by_machine["results"]) == 3

    seen, pages, url = [], 0, "/api/executions/?page_size=2"
    while url and pages < 5:
        page = api.get(url).json()
        seen += [e["id"] for e in page["results"]]
        url, pages = page["next"], pages + 1
    assert pages == 2
    assert len(seen) == len(set(seen)) == 4


def test_a_bad_status_filter_is_400(api):
    response = api.get("/api/executions/?status=SLEEPING")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("status:")


def test_history_pages_forwards_and_backwards(api):
    execution_id = start(api, "chain", CHAIN).json()["id"]
    url = f"/api/executions/{execution_id}/history/"

    everything = api.get(url).json()
    ids = [e["id"] for e in everything["events"]]
    assert ids == list(range(1, len(ids) + 1))
    assert everything["next_after"] is None
    assert everything["events"][0]["type"] == "ExecutionStarted"
    assert "executionStartedEventDetails" in everything["events"][0]

    first = api.get(url, {"limit": 3}).json()
    assert [e["id"] for e in first["events"]] == [1, 2, 3]
    assert first["next_after"] == 3
    second = api.get(url, {"limit": 3, "after": 3}).json()
    assert [e["id"] for e in second["events"]] == [4, 5, 6]

    newest = api.get(url, {"limit": 2, "order": "desc"}).json()
    assert [e["id"] for e in newest["events"]] == [ids[-1], ids[-2]]
    older = api.get(url, {"limit": 2, "order": "desc", "after": newest["next_after"]}).json()
    assert [e["id"] for e in older["events"]] == [ids[-3], ids[-4]]


def test_history_rejects_bad_paging_parameters(api):
    execution_id = start(api, "p").json()["id"]
    url = f"/api/executions/{execution_id}/history/"
    assert api.get(url, {"limit": 0}).status_code == 400
    assert api.get(url, {"order": "sideways"}).status_code == 400
    assert api.get(url, {"after": "x"}).status_code == 400


def test_stop_then_redrive(api):
    execution_id = start(api, "w", WAIT).json()["id"]
    stopped = post(api, f"/api/executions/{execution_id}/stop/",
                   {"error": "Halt", "cause": "enough"})
    assert stopped.status_code == 200
    assert (stopped.json()["status"], stopped.json()["error"], stopped.json()["cause"]) == \
        ("ABORTED", "Halt", "enough")

    again = post(api, f"/api/executions/{execution_id}/stop/")
    assert again.status_code == 409
    assert again.json()["code"] == "execution_not_running"

    redriven = post(api, f"/api/executions/{execution_id}/redrive/")
    assert redriven.status_code == 200
    assert redriven.json()["status"] == "RUNNING"
    assert redriven.json()["redrive_count"] == 1


def test_a_succeeded_execution_cannot_be_redriven(api):
    execution_id = start(api, "p").json()["id"]
    response = post(api, f"/api/executions/{execution_id}/redrive/")
    assert response.status_code == 409
    assert response.json()["code"] == "execution_not_redrivable"


def test_someone_elses_execution_is_not_found_but_staff_see_it(api, other_user, staff_user):
    execution_id = start(api, "p").json()["id"]
    bob = Client()
    bob.force_login(other_user)
    assert bob.get(f"/api/executions/{execution_id}/").status_code == 404
    assert post(bob, f"/api/executions/{execution_id}/stop/").status_code == 404
    assert bob.get(f"/api/executions/{execution_id}/history/").status_code == 404
    assert bob.get("/api/executions/").json()["results"] == []

    staff = Client()
    staff.force_login(staff_user)
    assert staff.get(f"/api/executions/{execution_id}/").status_code == 200
    assert len(staff.get("/api/executions/").json()["results"]) == 1


def test_an_unknown_execution_id_is_404(api):
    assert api.get(f"/api/executions/{uuid.uuid4()}/").status_code == 404
    assert api.get("/api/executions/not-a-uuid/").status_code == 404


# -- task tokens (an activity task waits for its token without any worker) ---------------

@pytest.fixture
def waiting_token(api, user):
    activity = Activity.objects.create(owner=user, name="review")
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": activity.arn,
                                                   "End": True}}}
    execution_id = start(api, "reviewed", definition, input={"doc": 1}).json()["id"]
    return execution_id, TaskToken.objects.get(execution_id=execution_id).token


def test_task_success_completes_the_execution(api, waiting_token):
    execution_id, token = waiting_token
    assert post(api, "/api/task-tokens/heartbeat/", {"token": token}).json() == {}
    response = post(api, "/api/task-tokens/success/", {"token": token, "output": {"ok": 1}})
    assert (response.status_code, response.json()) == (200, {})
    execution = api.get(f"/api/executions/{execution_id}/").json()
    assert (execution["status"], execution["output"]) == ("SUCCEEDED", {"ok": 1})


def test_task_failure_fails_the_execution(api, waiting_token):
    execution_id, token = waiting_token
    post(api, "/api/task-tokens/failure/", {"token": token, "error": "No", "cause": "because"})
    execution = api.get(f"/api/executions/{execution_id}/").json()
    assert (execution["status"], execution["error"], execution["cause"]) == \
        ("FAILED", "No", "because")


def test_a_closed_token_is_refused(api, waiting_token):
    _, token = waiting_token
    post(api, "/api/task-tokens/success/", {"token": token, "output": {}})
    response = post(api, "/api/task-tokens/success/", {"token": token, "output": {}})
    assert response.status_code == 409
    assert response.json()["code"] == "task_timed_out"


def test_unknown_and_foreign_tokens_are_404(api, waiting_token, other_user):
    _, token = waiting_token
    response = post(api, "/api/task-tokens/success/", {"token": "nope", "output": {}})
    assert (response.status_code, response.json()["code"]) == (404, "task_does_not_exist")
    bob = Client()
    bob.force_login(other_user)
    response = post(bob, "/api/task-tokens/success/", {"token": token, "output": {}})
    assert (response.status_code, response.json()["code"]) == (404, "task_does_not_exist")


def test_a_token_call_without_output_is_400(api, waiting_token):
    _, token = waiting_token
    response = post(api, "/api/task-tokens/success/", {"token": token})
    assert response.status_code == 400
    assert response.json()["detail"] == "output: This field is required."


def test_activities_are_created_listed_and_deleted(api):
    created = post(api, "/api/activities/", {"name": "review"})
    assert created.status_code == 201
    assert created.json()["arn"].endswith(":activity:review")
    assert post(api, "/api/activities/", {"name": "review"}).status_code == 409
    assert post(api, "/api/activities/", {"name": "bad name"}).status_code == 400
    assert [a["name"] for a in api.get("/api/activities/").json()["results"]] == ["review"]
    assert api.delete("/api/activities/review/").status_code == 204
    assert api.get("/api/activities/review/").status_code == 404
