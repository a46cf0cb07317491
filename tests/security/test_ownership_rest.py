"""(2) REST: bob cannot read or act on alice's state machines, versions, executions, history,
task tokens or activities; what he asks for is "not found", exactly like a missing object.
Staff see everyone's executions and the full state-machine list."""
from __future__ import annotations

import pytest

from engine.models import Activity, Execution, ExecutionStatus, StateMachine, TaskToken
from tests.security.conftest import ACTIVITY, MACHINE, TOKEN

pytestmark = pytest.mark.django_db

HELLO = {"StartAt": "S", "States": {"S": {"Type": "Pass", "End": True}}}


def machine_requests(name):
    base = f"/api/state-machines/{name}"
    return [("get", f"{base}/", None), ("patch", f"{base}/", {"definition": HELLO}),
            ("delete", f"{base}/", None), ("post", f"{base}/validate/", None),
            ("get", f"{base}/versions/", None), ("post", f"{base}/versions/", {}),
            ("get", f"{base}/versions/1/", None),
            ("post", f"{base}/executions/", {"input": {}})]


def execution_requests(execution_id):
    base = f"/api/executions/{execution_id}"
    return [("get", f"{base}/", None), ("post", f"{base}/stop/", {}),
            ("post", f"{base}/redrive/", None), ("get", f"{base}/history/", None)]


def call(client, method, path, body):
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, body or {}, content_type="application/json")


def test_bob_does_not_find_alices_state_machine(world):
    bob = world.client(world.bob)
    for method, path, body in machine_requests(MACHINE):
        response = call(bob, method, path, body)
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["code"] == "not_found"
    machine = StateMachine.objects.get(pk=world.machine.pk)
    assert machine.definition == world.machine.definition
    assert machine.versions.count() == 1
    assert machine.executions.count() == 2


def test_bob_does_not_find_alices_executions(world):
    bob = world.client(world.bob)
    for execution in (world.failed, world.running):
        for method, path, body in execution_requests(execution.id):
            response = call(bob, method, path, body)
            assert response.status_code == 404, (method, path, response.content)
            assert response.json()["code"] == "not_found"
    assert Execution.objects.get(pk=world.running.pk).status == ExecutionStatus.RUNNING
    assert Execution.objects.get(pk=world.failed.pk).redrive_count == 0


def test_bobs_lists_hold_nothing_of_alices(world):
    bob = world.client(world.bob)
    assert bob.get("/api/state-machines/").json()["results"] == []
    assert bob.get("/api/executions/").json()["results"] == []
    assert bob.get(f"/api/executions/?state_machine={MACHINE}").json()["results"] == []
    assert bob.get("/api/activities/").json()["results"] == []


def test_bob_may_reuse_alices_names_in_his_own_namespace(world):
    bob = world.client(world.bob)
    response = bob.post("/api/state-machines/", {"name": MACHINE, "definition": HELLO},
                        content_type="application/json")
    assert response.status_code == 201
    assert bob.get(f"/api/state-machines/{MACHINE}/").json()["definition"] == HELLO
    # and alice's is untouched
    alice = world.client(world.alice)
    assert alice.get(f"/api/state-machines/{MACHINE}/").json()["definition"] != HELLO


@pytest.mark.parametrize("path, body", [
    ("/api/task-tokens/success/", {"token": TOKEN, "output": {"stolen": True}}),
    ("/api/task-tokens/failure/", {"token": TOKEN, "error": "X", "cause": "bob"}),
    ("/api/task-tokens/heartbeat/", {"token": TOKEN}),
])
def test_bob_cannot_answer_alices_task_token(world, path, body):
    response = world.client(world.bob).post(path, body, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "task_does_not_exist"
    token = TaskToken.objects.get(token=TOKEN)
    assert token.status == "SCHEDULED" and token.answer is None and token.heartbeat_at is None


def test_bob_does_not_find_alices_activity(world):
    bob = world.client(world.bob)
    assert bob.get(f"/api/activities/{ACTIVITY}/").status_code == 404
    assert bob.delete(f"/api/activities/{ACTIVITY}/").status_code == 404
    assert Activity.objects.filter(pk=world.activity.pk).exists()


def test_staff_see_alices_executions_and_machines(world):
    staff = world.client(world.staff)
    names = [m["name"] for m in staff.get("/api/state-machines/").json()["results"]]
    assert MACHINE in names
    ids = {e["id"] for e in staff.get("/api/executions/").json()["results"]}
    assert {str(world.failed.id), str(world.running.id)} <= ids
    assert staff.get(f"/api/executions/{world.failed.id}/").status_code == 200
    history = staff.get(f"/api/executions/{world.failed.id}/history/").json()
    assert len(history["events"]) == 5


def test_staff_may_stop_alices_execution(world):
    staff = world.client(world.staff)
    response = staff.post(f"/api/executions/{world.running.id}/stop/", {"cause": "staff"},
                          content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ABORTED"


def test_a_token_authenticated_bob_is_scoped_the_same_way(world):
    from django.test import Client
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=world.bob).key
    client = Client(headers={"Authorization": f"Token {key}"})
    assert client.get(f"/api/executions/{world.failed.id}/").status_code == 404
    assert client.get(f"/api/state-machines/{MACHINE}/").status_code == 404
