"""(2) Pages and admin: bob sees nothing of alice's in the designer, the live view or the
admin (a non-staff user has no admin at all); staff see everything."""
from __future__ import annotations

import pytest

from engine.models import Execution, ExecutionStatus
from tests.security.conftest import MACHINE

pytestmark = pytest.mark.django_db

ADMIN = "/admin/engine"


def test_bob_gets_404_for_alices_live_execution_page(world):
    bob = world.client(world.bob)
    for execution in (world.failed, world.running):
        assert bob.get(f"/executions/{execution.id}/").status_code == 404


def test_bobs_live_list_shows_none_of_alices_executions_or_machines(world):
    bob = world.client(world.bob)
    for query in ("", f"?state_machine={MACHINE}", "?status=FAILED"):
        html = bob.get(f"/executions/{query}").content.decode()
        assert str(world.failed.id) not in html and str(world.running.id) not in html
        assert f'<option value="{MACHINE}"' not in html


def test_bobs_designer_page_for_alices_name_carries_none_of_her_data(world):
    html = world.client(world.bob).get(f"/designer/{MACHINE}/").content.decode()
    # The page is a shell: the app loads the definition through the API, which answers 404.
    for secret in ("StartAt", "alert(1)", str(world.failed.id)):
        assert secret not in html


def test_staff_see_alices_live_pages(world):
    staff = world.client(world.staff)
    assert staff.get(f"/executions/{world.failed.id}/").status_code == 200
    html = staff.get("/executions/").content.decode()
    assert str(world.failed.id) in html and str(world.running.id) in html


@pytest.mark.parametrize("path", [
    "/admin/", f"{ADMIN}/execution/", f"{ADMIN}/statemachine/", f"{ADMIN}/historyevent/",
    f"{ADMIN}/tasktoken/", f"{ADMIN}/activity/", f"{ADMIN}/statemachineversion/",
    "/admin/accounts/accesskey/", "/admin/auth/user/",
])
def test_a_non_staff_user_has_no_admin(world, path):
    response = world.client(world.bob).get(path)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_non_staff_user_cannot_run_admin_operations_on_alices_executions(world):
    bob = world.client(world.bob)
    responses = [
        bob.post(f"{ADMIN}/execution/", {"action": "stop",
                                         "_selected_action": [str(world.running.pk)]}),
        bob.post(f"{ADMIN}/execution/{world.running.pk}/operate/stop/"),
        bob.post(f"{ADMIN}/execution/{world.failed.pk}/operate/redrive/"),
        bob.get(f"{ADMIN}/execution/{world.failed.pk}/history.json"),
        bob.get(f"{ADMIN}/execution/{world.failed.pk}/change/"),
    ]
    for response in responses:
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert Execution.objects.get(pk=world.running.pk).status == ExecutionStatus.RUNNING
    assert Execution.objects.get(pk=world.failed.pk).redrive_count == 0


def test_alice_herself_has_no_admin_either(world):
    # Ownership does not open the admin: it is for staff.
    response = world.client(world.alice).get(f"{ADMIN}/execution/{world.failed.pk}/change/")
    assert response.status_code == 302


def test_staff_see_alices_records_in_the_admin(world):
    staff = world.client(world.staff)
    assert staff.get(f"{ADMIN}/execution/{world.failed.pk}/change/").status_code == 200
    assert staff.get(f"{ADMIN}/statemachine/{world.machine.pk}/change/").status_code == 200
    export = staff.get(f"{ADMIN}/execution/{world.failed.pk}/history.json")
    assert export.status_code == 200


def test_the_access_key_admin_never_shows_a_secret(world):
    from django.contrib.auth.models import Permission

    world.staff.user_permissions.add(Permission.objects.get(codename="view_accesskey"))
    staff = world.client(world.staff)
    key_id, secret = world.keys["alice"]
    from accounts.models import AccessKey

    pk = AccessKey.objects.get(key_id=key_id).pk
    for path in ("/admin/accounts/accesskey/", f"/admin/accounts/accesskey/{pk}/change/"):
        response = staff.get(path)
        assert response.status_code == 200
        assert secret not in response.content.decode()


def test_bob_cannot_revoke_alices_access_key(world):
    from accounts.models import AccessKey

    key_id, _ = world.keys["alice"]
    world.client(world.bob).post(f"/accounts/keys/{key_id}/revoke/")
    assert AccessKey.objects.get(key_id=key_id).is_active


def test_bobs_key_page_lists_only_his_keys(world):
    html = world.client(world.bob).get("/accounts/keys/").content.decode()
    assert world.keys["bob"][0] in html
    assert world.keys["alice"][0] not in html and world.keys["staff"][0] not in html
    # Secrets are never listed, not even one's own.
    assert world.keys["bob"][1] not in html
