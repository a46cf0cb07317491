"""The nested sweep (a pass of `workflows scheduler`) does what a process killed right after
a status change left undone: answer a `.sync` parent whose child ended, stop a `.sync` child
whose parent ended. The status signal is disconnected here, as if that process had died."""
import pytest

from engine import services
from engine.models import Execution, Frame, StateMachine
from engine.runtime import nested, work
from engine.signals import execution_status_changed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signal_lost(settings):
    settings.STEPSTUDIO_SWEEP_AFTER_SECONDS = 0
    execution_status_changed.disconnect(dispatch_uid="engine.runtime.nested")
    nested._last_sweep[0] = 0.0
    yield
    execution_status_changed.connect(nested.on_status_changed, dispatch_uid="engine.runtime.nested")


def start_parent(user, child_definition) -> tuple[Execution, Execution]:
    child = StateMachine.objects.create(owner=user, name="child", definition=child_definition)
    parent_machine = StateMachine.objects.create(owner=user, name="parent", definition={
        "StartAt": "Nest", "States": {"Nest": {
            "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
            "Parameters": {"StateMachineArn": child.arn}, "End": True}}})
    parent = services.start_execution(parent_machine, {})
    frame = Frame.objects.get(execution=parent, waiting="TASK")
    work.run_task(parent.id, frame.id, frame.step)  # what the worker does with the message
    return parent, Execution.objects.get(parent_execution=parent)


def test_the_sweep_answers_a_parent_the_signal_missed(signal_lost, user):
    parent, child = start_parent(user, {"StartAt": "P", "States": {"P": {
        "Type": "Pass", "Result": {"done": True}, "End": True}}})
    parent.refresh_from_db()
    assert (child.status, parent.status, child.parent_notified) == ("SUCCEEDED", "RUNNING", False)
    assert Frame.objects.get(execution=parent, parent__isnull=True).waiting == "CALLBACK"
    nested.sweep()
    parent.refresh_from_db()
    child.refresh_from_db()
    assert (parent.status, child.parent_notified) == ("SUCCEEDED", True)
    assert parent.output["Status"] == "SUCCEEDED" and parent.output["Output"] == '{"done":true}'
    nested._last_sweep[0] = 0.0
    nested.sweep()  # nothing left to do, nothing done twice
    assert parent.events.filter(type="TaskSucceeded").count() == 1


def test_the_sweep_stops_a_child_whose_parent_ended(signal_lost, user):
    parent, child = start_parent(user, {"StartAt": "W", "States": {"W": {
        "Type": "Wait", "Seconds": 3600, "End": True}}})
    services.stop_execution(parent)
    child.refresh_from_db()
    assert child.status == "RUNNING"  # the signal that would have stopped it was lost
    nested.sweep()
    child.refresh_from_db()
    assert child.status == "ABORTED"
    assert child.cause == "The parent task no longer waits for this execution"


def test_an_alias_arn_runs_the_version_the_alias_resolver_names(user):
    from engine.api import machines
    from engine.schedules import targets

    child = StateMachine.objects.create(owner=user, name="child", definition={
        "StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "v1", "End": True}}})
    version = machines.publish_version(child)
    child.definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "v2",
                                                         "End": True}}}
    child.save()
    targets.register_alias_resolver(lambda m, alias: version if alias == "prod" else None)
    try:
        parent_machine = StateMachine.objects.create(owner=user, name="parent", definition={
            "StartAt": "Nest", "States": {"Nest": {
                "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": f"{child.arn}:prod"}, "End": True}}})
        parent = services.start_execution(parent_machine, {})
        frame = Frame.objects.get(execution=parent, waiting="TASK")
        work.run_task(parent.id, frame.id, frame.step)
    finally:
        targets.register_alias_resolver(None)
    parent.refresh_from_db()
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output["Output"] == "v1"
    assert parent.output["StateMachineVersionArn"] == version.arn
