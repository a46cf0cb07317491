"""(2) The state machines home page and its actions: bob sees and touches nothing of alice's;
staff see her machines in the list but act on them only through the admin. Also: the
example input stays out of the AWS protocol, and deleting through any front end stops the
running executions first."""
from __future__ import annotations

import json

import pytest
from django.db.models.signals import pre_delete

from engine.models import Execution, ExecutionStatus, StateMachine
from tests.security.conftest import MACHINE, aws, aws_body

pytestmark = pytest.mark.django_db


def test_bobs_home_page_shows_none_of_alices_machines(world):
    bob = world.client(world.bob)
    for query in ("", f"?q={MACHINE}", "?sort=-last", "?sort=owner"):
        html = bob.get(f"/{query}").content.decode()
        assert MACHINE not in html and str(world.failed.id) not in html


def test_bob_cannot_delete_or_see_the_confirmation_of_alices_machine(world):
    bob = world.client(world.bob)
    assert bob.get(f"/state-machines/{MACHINE}/delete/").status_code == 404
    assert bob.post(f"/state-machines/{MACHINE}/delete/").status_code == 404
    assert StateMachine.objects.filter(pk=world.machine.pk).exists()
    assert Execution.objects.get(pk=world.running.pk).status == ExecutionStatus.RUNNING


def test_bob_creating_alices_name_makes_his_own_machine(world):
    bob = world.client(world.bob)
    response = bob.post("/state-machines/new/", {"name": MACHINE})
    assert response.status_code == 302
    assert StateMachine.objects.filter(name=MACHINE).count() == 2
    assert StateMachine.objects.get(pk=world.machine.pk).definition["StartAt"].startswith("A")


def test_loading_the_samples_loads_them_for_the_caller_only(world):
    world.client(world.bob).post("/state-machines/samples/")
    assert StateMachine.objects.filter(owner=world.bob, name="job-poller").exists()
    assert not StateMachine.objects.filter(owner=world.alice, name="job-poller").exists()


def test_staff_list_alices_machine_but_cannot_delete_it_from_the_page(world):
    staff = world.client(world.staff)
    html = staff.get("/").content.decode()
    assert f'data-machine="{MACHINE}"' in html
    assert staff.post(f"/state-machines/{MACHINE}/delete/").status_code == 404
    assert StateMachine.objects.filter(pk=world.machine.pk).exists()


def test_the_home_page_escapes_machine_and_owner_names(world, make_user):
    sneaky = make_user('eve"><img src=x onerror=alert(1)>', staff=True)
    StateMachine.objects.create(owner=sneaky, name="plain", definition={})
    html = world.client(sneaky).get("/").content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_example_input_is_invisible_to_the_aws_protocol(world):
    world.machine.example_input = {"secret-ish": "example"}
    world.machine.save(update_fields=["example_input"])
    arn = world.machine.arn
    described = aws_body(aws(world.client(None), world.keys["alice"], "DescribeStateMachine",
                             {"stateMachineArn": arn}))
    assert "example" not in json.dumps(described)
    assert "secret-ish" not in json.dumps(described)


def test_deleting_through_the_aws_protocol_stops_running_executions_first(world):
    statuses = []

    def record(sender, instance, **kwargs):
        statuses.append(instance.status)

    pre_delete.connect(record, sender=Execution)
    try:
        response = aws(world.client(None), world.keys["alice"], "DeleteStateMachine",
                       {"stateMachineArn": world.machine.arn})
    finally:
        pre_delete.disconnect(record, sender=Execution)
    assert response.status_code == 200
    assert sorted(statuses) == [ExecutionStatus.ABORTED, ExecutionStatus.FAILED]
    assert not StateMachine.objects.filter(pk=world.machine.pk).exists()
