"""The admin's operations on executions, checked against the database.

Executions are started through engine.services on a machine that waits an hour, so they
stay RUNNING on a durable timer without a worker.
"""
from __future__ import annotations

import json

import pytest

from engine import services
from engine.admin import operations
from engine.models import Execution, HistoryEvent

from .test_admin_support import ADMIN, LONG_WAIT, PASS, client_for, machine

pytestmark = pytest.mark.django_db


def types(ex) -> list[str]:
    return list(HistoryEvent.objects.filter(execution=ex).order_by("seq")
                .values_list("type", flat=True))


def act(client, action, *executions, follow=True):
    return client.post(f"{ADMIN}/execution/", {
        "action": action, "_selected_action": [str(e.pk) for e in executions]}, follow=follow)


@pytest.fixture
def waiting(user):
    return services.start_execution(machine(user, "napper", LONG_WAIT), {"n": 1, "s": "<b>"})


@pytest.fixture
def staff(staff_user):
    return client_for(staff_user)


def test_stop_aborts_running_executions(staff, waiting):
    response = act(staff, "stop", waiting)
    waiting.refresh_from_db()
    assert waiting.status == "ABORTED" and waiting.stop_date is not None
    assert waiting.cause == "Stopped in the admin by staff"
    assert types(waiting)[-1] == "ExecutionAborted"
    assert "Stopped 1 execution(s)" in response.content.decode()


def test_stop_of_a_finished_execution_is_refused_and_changes_nothing(staff, user):
    done = services.start_execution(machine(user, "hello", PASS), {})
    assert done.status == "SUCCEEDED"
    seq = done.seq
    response = act(staff, "stop", done)
    done.refresh_from_db()
    assert (done.status, done.seq) == ("SUCCEEDED", seq)
    assert "is SUCCEEDED, not RUNNING" in response.content.decode()


def test_redrive_resumes_an_aborted_execution_from_its_state(staff, waiting):
    services.stop_execution(waiting)
    before = types(waiting)
    act(staff, "redrive", waiting)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.redrive_count) == ("RUNNING", 1)
    after = types(waiting)
    assert after[:len(before)] == before
    # Re-entered the Wait state it was stopped in, not the start of the machine.
    assert after[len(before):] == ["ExecutionRedriven", "WaitStateEntered"]


def test_redrive_of_a_running_execution_is_refused(staff, waiting):
    response = act(staff, "redrive", waiting)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.redrive_count) == ("RUNNING", 0)
    assert "cannot be redriven" in response.content.decode()


def test_start_again_creates_a_new_execution_with_the_same_input(staff, waiting):
    act(staff, "start_again", waiting)
    again = Execution.objects.exclude(pk=waiting.pk).get()
    assert again.state_machine_id == waiting.state_machine_id
    assert again.input == {"n": 1, "s": "<b>"} and again.name != waiting.name
    assert again.status == "RUNNING" and types(again)[0] == "ExecutionStarted"
    waiting.refresh_from_db()
    assert waiting.status == "RUNNING"  # the original is untouched


def test_start_again_keeps_a_json_string_input_a_string(staff, user):
    # services reads a str as JSON text: the admin must pass the value as JSON.
    first = services.start_execution(machine(user, "hello", PASS), json.dumps("just text"))
    act(staff, "start_again", first)
    again = Execution.objects.exclude(pk=first.pk).get()
    assert again.input == "just text" and again.output == "just text"


def test_export_downloads_the_json_history(staff, waiting):
    response = act(staff, "export_history", waiting, follow=False)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="history-{waiting.name}.json"'
    document = json.loads(b"".join(response.streaming_content))
    assert document["executionArn"] == waiting.arn and document["status"] == "RUNNING"
    assert document["events"] == services.get_execution_history(waiting)
    assert [e["type"] for e in document["events"]] == ["ExecutionStarted", "WaitStateEntered"]


def test_export_of_several_is_a_json_array(staff, waiting, user):
    other = services.start_execution(machine(user, "hello", PASS), {})
    response = act(staff, "export_history", waiting, other, follow=False)
    documents = json.loads(b"".join(response.streaming_content))
    assert {d["name"] for d in documents} == {waiting.name, other.name}
    assert all(d["events"][0]["type"] == "ExecutionStarted" for d in documents)


def test_an_action_on_too_many_executions_is_refused(staff, waiting, user, monkeypatch):
    monkeypatch.setattr(operations, "ACTION_LIMIT", 1)
    other = services.start_execution(machine(user, "napper", LONG_WAIT), {})
    response = act(staff, "stop", waiting, other)
    assert "Select at most 1 executions" in response.content.decode()
    assert set(Execution.objects.values_list("status", flat=True)) == {"RUNNING"}


def test_the_change_page_buttons_run_the_same_operations(staff, waiting):
    page = staff.get(f"{ADMIN}/execution/{waiting.pk}/change/").content.decode()
    assert 'data-op="stop"' in page and 'data-op="redrive"' not in page
    response = staff.post(f"{ADMIN}/execution/{waiting.pk}/operate/stop/")
    assert response.status_code == 302
    assert response["Location"] == f"{ADMIN}/execution/{waiting.pk}/change/"
    waiting.refresh_from_db()
    assert waiting.status == "ABORTED"

    page = staff.get(f"{ADMIN}/execution/{waiting.pk}/change/").content.decode()
    assert 'data-op="redrive"' in page and 'data-op="stop"' not in page
    response = staff.post(f"{ADMIN}/execution/{waiting.pk}/operate/start_again/")
    again = Execution.objects.exclude(pk=waiting.pk).get()
    assert response["Location"] == f"{ADMIN}/execution/{again.pk}/change/"


def test_operations_need_a_post_and_a_known_name(staff, waiting):
    assert staff.get(f"{ADMIN}/execution/{waiting.pk}/operate/stop/").status_code == 405
    assert staff.post(f"{ADMIN}/execution/{waiting.pk}/operate/delete/").status_code == 404
    assert staff.post(f"{ADMIN}/execution/not-a-uuid/operate/stop/").status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == "RUNNING"


def test_the_change_page_export_link_downloads_one_history(staff, waiting):
    response = staff.get(f"{ADMIN}/execution/{waiting.pk}/history.json")
    document = json.loads(b"".join(response.streaming_content))
    assert document["name"] == waiting.name and len(document["events"]) == 2
