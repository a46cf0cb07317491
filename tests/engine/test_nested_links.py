"""An execution started through the API with AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID in
its input records that parent (AWS links executions by that field), only within its owner."""
import pytest

from engine import services
from engine.models import StateMachine

pytestmark = pytest.mark.django_db

WAITS = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}}


def test_the_started_by_field_links_the_parent(user, other_user):
    machine = StateMachine.objects.create(owner=user, name="m", definition=WAITS)
    parent = services.start_execution(machine, {}, name="parent")
    child = services.start_execution(
        machine, {"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": parent.arn}, name="child")
    assert child.parent_execution_id == parent.id
    assert child.input == {"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": parent.arn}
    # Another owner's execution, or a malformed ARN, links nothing.
    theirs = StateMachine.objects.create(owner=other_user, name="m", definition=WAITS)
    for value in (parent.arn, parent.arn + ":x", 42, "arn:aws:states:::execution:m:parent"):
        stranger = services.start_execution(
            theirs, {"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": value})
        assert stranger.parent_execution_id is None


def test_the_admin_shows_who_started_an_execution(user, staff_user):
    from tests.engine.test_admin_support import ADMIN, client_for

    machine = StateMachine.objects.create(owner=user, name="m", definition=WAITS)
    parent = services.start_execution(machine, {}, name="parent")
    child = services.start_execution(
        machine, {"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": parent.arn}, name="child")
    staff = client_for(staff_user)
    page = staff.get(f"{ADMIN}/execution/{child.pk}/change/").content.decode()
    assert "started by" in page.lower()
    assert f'/execution/{parent.pk}/change/">m/parent</a>' in page
    assert staff.get(f"{ADMIN}/execution/{parent.pk}/change/").status_code == 200
