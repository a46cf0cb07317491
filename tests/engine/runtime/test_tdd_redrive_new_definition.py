""""Redrive with the new definition" on a real worker (Celery + scheduler subprocesses): the
execution failed in a Task whose parameters were wrong; the definition is fixed; the redrive
resumes from that state on the new definition (recorded in history as such), and is refused
where the failed state no longer exists or changed shape."""
import json

import pytest

from engine import services
from engine.models import StateMachineVersion

from .conftest import Runtime, lambda_arn, running, wait_for_execution
from .test_redrive_fanout import Switch  # noqa: F401 (its Redis counters)

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

ITEM = lambda_arn("test-redrive-item")


class RedriveRuntime(Runtime):
    includes = (*Runtime.includes, "tests.engine.runtime.redrive_handlers")


@pytest.fixture
def rt(runtime_env, tmp_path, request):
    yield from running(RedriveRuntime, runtime_env, tmp_path, request)


@pytest.fixture
def switch():
    s = Switch()
    yield s
    s.r.delete(*[f"rd:{s.key}:{k}" for k in ("fail", "slow", "calls", "done")])


def definition(key, ident, then=None):
    charge = {"Type": "Task", "Resource": ITEM, "Parameters": {"key": key, "id": ident, "value": 1}}
    states = {"Prepare": {"Type": "Pass", "Next": "Charge"}, "Charge": charge}
    if then:
        charge["Next"] = "Thanks"
        states["Thanks"] = {"Type": "Pass", "Result": then, "End": True}
    else:
        charge["End"] = True
    return {"StartAt": "Prepare", "States": states}


def redrive(client, execution, **body):
    return client.post(f"/api/executions/{execution.id}/redrive-with-definition/",
                       json.dumps(body), content_type="application/json")


def test_resumes_from_the_failed_state_on_the_new_definition(rt, switch, make_machine, logged_in_client):
    switch.fail("bad")
    machine = make_machine(definition(switch.key, "bad"))
    ex = wait_for_execution(services.start_execution(machine, {"order": 1}))
    assert (ex.status, ex.error) == ("FAILED", "ItemFailed")

    # The fix: the right id, and a state after it. Published as version 1.
    fixed = definition(switch.key, "good", then={"thanked": True})
    machine.definition = fixed
    machine.save()
    version = StateMachineVersion.objects.create(state_machine=machine, version=1, definition=fixed)

    response = redrive(logged_in_client, ex)
    assert response.status_code == 200, response.json()
    ex = wait_for_execution(ex)
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    assert ex.output == {"thanked": True}
    assert ex.definition == fixed and ex.version_id == version.id
    # Prepare ran once; Charge once with each definition.
    assert switch.calls() == {"bad": 1, "good": 1}
    events = list(ex.events.order_by("seq"))
    redriven = [e for e in events if e.type == "ExecutionRedriven"]
    assert len(redriven) == 1
    assert redriven[0].details["executionRedrivenEventDetails"] == {
        "redriveCount": 1, "definitionUpdated": True, "stateMachineVersionArn": version.arn}
    after = [e.type for e in events if e.seq > redriven[0].seq]
    assert after[0] == "TaskStateEntered" and "PassStateEntered" in after
    entered = [e.details["stateEnteredEventDetails"]["name"] for e in events
               if e.type.endswith("StateEntered") and e.seq > redriven[0].seq]
    assert entered == ["Charge", "Thanks"]


def test_refused_where_the_failed_state_is_gone_or_changed_shape(rt, switch, make_machine, logged_in_client):
    switch.fail("bad")
    machine = make_machine(definition(switch.key, "bad"))
    ex = wait_for_execution(services.start_execution(machine, {}))
    assert ex.status == "FAILED"

    renamed = definition(switch.key, "good")
    renamed["States"]["Prepare"]["Next"] = "Pay"
    renamed["States"]["Pay"] = renamed["States"].pop("Charge")
    machine.definition = renamed
    machine.save()
    response = redrive(logged_in_client, ex)
    assert response.status_code == 409
    assert response.json()["code"] == "execution_not_redrivable"
    assert "'Charge'" in response.json()["detail"] and "does not exist" in response.json()["detail"]

    as_pass = definition(switch.key, "good")
    as_pass["States"]["Charge"] = {"Type": "Pass", "End": True}
    machine.definition = as_pass
    machine.save()
    response = redrive(logged_in_client, ex)
    assert response.status_code == 409
    assert "changed shape" in response.json()["detail"] and "was Task, now Pass" in response.json()["detail"]

    ex.refresh_from_db()
    assert ex.status == "FAILED" and ex.redrive_count == 0
    assert not ex.events.filter(type="ExecutionRedriven").exists()
    assert switch.calls() == {"bad": 1}


def test_someone_elses_execution_is_not_found(rt, make_machine, other_user, switch):
    from django.test import Client

    machine = make_machine(definition(switch.key, "x"))
    ex = wait_for_execution(services.start_execution(machine, {}))
    client = Client()
    client.force_login(other_user)
    assert redrive(client, ex).status_code == 404
