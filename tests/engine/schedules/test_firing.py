"""The firing pass on the database with an injected clock: one execution per slot, missed
slots, failures recorded, pause/resume."""
import datetime as dt

import pytest

from engine.models import Execution, Schedule, ScheduleFiring, StateMachine
from engine.schedules import firing, service
from engine.schedules.errors import ScheduleError

UTC = dt.timezone.utc
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def at(*args):
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def machine(user):
    return StateMachine.objects.create(owner=user, name="nightly", definition=PASS)


def make(user, now, **values):
    values = {"name": "every5", "target": "nightly", "expression": "rate(5 minutes)",
              "input": {"k": 1}, **values}
    return service.save(user, values, now=now)


@pytest.mark.django_db
def test_a_due_slot_starts_one_execution_named_for_the_slot(user, machine):
    schedule = make(user, at(2026, 1, 1, 9, 0, 10))
    assert schedule.next_slot == at(2026, 1, 1, 9)  # rate without start: at once
    assert firing.fire_due(at(2026, 1, 1, 9, 0, 11)) == 1
    assert firing.fire_due(at(2026, 1, 1, 9, 0, 12)) == 0  # the slot is done
    execution = Execution.objects.get()
    assert execution.name == "every5-20260101T090000Z"
    assert execution.input == {"k": 1}
    schedule.refresh_from_db()
    assert schedule.next_slot == at(2026, 1, 1, 9, 5)
    assert schedule.last_slot == at(2026, 1, 1, 9)
    firing_row = ScheduleFiring.objects.get()
    assert (firing_row.execution, firing_row.outcome) == (execution, "STARTED")


@pytest.mark.django_db
def test_slots_missed_beyond_grace_are_skipped(user, machine):
    make(user, at(2026, 1, 1, 9))
    firing.fire_due(at(2026, 1, 1, 9))
    # nothing ran from 09:01 to 10:30: 09:05 … 10:30 are due, 10:30 is on time
    assert firing.fire_due(at(2026, 1, 1, 10, 30, 20)) == 1
    names = sorted(Execution.objects.values_list("name", flat=True))
    assert names == ["every5-20260101T090000Z", "every5-20260101T103000Z"]
    schedule = Schedule.objects.get()
    assert schedule.missed_count == 17  # 09:05 … 10:25
    assert schedule.next_slot == at(2026, 1, 1, 10, 35)


@pytest.mark.django_db
def test_run_once_catches_up_once(user, machine):
    make(user, at(2026, 1, 1, 9), missed_policy="RUN_ONCE")
    firing.fire_due(at(2026, 1, 1, 9))
    assert firing.fire_due(at(2026, 1, 1, 12, 2)) == 1
    latest = ScheduleFiring.objects.order_by("-slot").first()
    assert latest.slot == at(2026, 1, 1, 12) and latest.late is False
    assert latest.missed == 35


@pytest.mark.django_db
def test_skip_policy_starts_nothing_when_even_the_latest_is_late(user, machine):
    make(user, at(2026, 1, 1, 9), expression="cron(0 3 * * ? *)")
    assert firing.fire_due(at(2026, 1, 2, 8)) == 0
    schedule = Schedule.objects.get()
    assert schedule.next_slot == at(2026, 1, 3, 3) and schedule.missed_count == 1
    assert not Execution.objects.exists()


@pytest.mark.django_db
def test_a_failed_start_is_recorded_and_the_schedule_moves_on(user, machine):
    schedule = make(user, at(2026, 1, 1, 9))
    machine.versions.create(version=1, definition=PASS)
    service.save(user, {"target": machine.arn + ":1"}, schedule, now=at(2026, 1, 1, 9))
    machine.versions.all().delete()
    assert firing.fire_due(at(2026, 1, 1, 9, 0, 30)) == 0
    row = ScheduleFiring.objects.get()
    assert row.outcome == "FAILED" and "version does not exist" in row.error
    schedule.refresh_from_db()
    assert schedule.next_slot == at(2026, 1, 1, 9, 5) and "version" in schedule.last_error


@pytest.mark.django_db
def test_a_version_target_runs_that_version(user, machine):
    version = machine.versions.create(version=1, definition={
        "StartAt": "V", "States": {"V": {"Type": "Pass", "Result": "v1", "End": True}}})
    make(user, at(2026, 1, 1, 9), target=version.arn)
    firing.fire_due(at(2026, 1, 1, 9))
    execution = Execution.objects.get()
    assert execution.version == version
    assert execution.definition["States"]["V"]["Result"] == "v1"


@pytest.mark.django_db
def test_paused_schedules_do_not_fire_and_resume_from_now(user, machine):
    schedule = make(user, at(2026, 1, 1, 9))
    service.pause(schedule)
    assert firing.fire_due(at(2026, 1, 1, 9, 30)) == 0
    schedule = service.resume(schedule, now=at(2026, 1, 1, 9, 31))
    assert schedule.next_slot == at(2026, 1, 1, 9, 35)  # 09:00 … 09:30 were paused, not missed
    assert schedule.missed_count == 0


@pytest.mark.django_db
def test_a_one_time_schedule_fires_once(user, machine):
    make(user, at(2026, 1, 1), expression="at(2026-01-01T06:00:00)", timezone="Europe/Paris")
    assert firing.fire_due(at(2026, 1, 1, 5)) == 1
    schedule = Schedule.objects.get()
    assert schedule.next_slot is None and schedule.next_fire_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("values,field,message", [
    ({"expression": "cron(0 12 * * * *)"}, "expression", "cannot both be specified"),
    ({"target": "nope"}, "target", "no state machine named 'nope'"),
    ({"name": "bad name"}, "name", "1 to 63"),
    ({"timezone": "Nowhere/City"}, "timezone", "not a time zone"),
    ({"expression": "at(2020-01-01T00:00:00)"}, "expression", "in the past"),
    ({"input": "{nope"}, "input", "not valid JSON"),
    ({"missed_policy": "ALL"}, "missed_policy", "SKIP or RUN_ONCE"),
])
def test_bad_fields_name_the_field(user, machine, values, field, message):
    with pytest.raises(ScheduleError) as error:
        make(user, at(2026, 1, 1), **values)
    assert error.value.field == field and message in error.value.message


@pytest.mark.django_db
def test_a_schedule_only_targets_its_owners_machines(user, other_user, machine):
    with pytest.raises(ScheduleError) as error:
        make(other_user, at(2026, 1, 1), target=machine.arn)
    assert error.value.field == "target" and "does not exist" in error.value.message


@pytest.mark.django_db
def test_an_alias_target_routes_through_the_alias_at_each_firing(user, machine):
    from engine.models import StateMachineAlias

    version = machine.versions.create(version=1, definition=PASS)
    with pytest.raises(ScheduleError, match="alias does not exist"):
        make(user, at(2026, 1, 1), target=machine.arn + ":prod")
    StateMachineAlias.objects.create(state_machine=machine, name="prod",
                                     routing=[{"version": 1, "weight": 100}])
    schedule = make(user, at(2026, 1, 1, 9), target=machine.arn + ":prod")
    assert schedule.target_arn == machine.arn + ":prod"
    firing.fire_due(at(2026, 1, 1, 9))
    execution = Execution.objects.get()
    assert execution.version == version
    assert execution.alias_arn == machine.arn + ":prod"
