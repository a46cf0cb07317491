"""StopExecution, execution TimeoutSeconds, RedriveExecution and durable Wait timers."""
import pytest
from django.utils import timezone

from engine import services
from engine.models import Frame, HistoryEvent, Timer

from .conftest import assert_history_contiguous, lambda_arn, wait_for_execution

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

LONG_WAIT = {"StartAt": "Nap", "States": {
    "Nap": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
    "Done": {"Type": "Succeed"}}}


def types(ex):
    return list(HistoryEvent.objects.filter(execution=ex).order_by("seq")
                .values_list("type", flat=True))


def test_a_wait_is_a_durable_timer_fired_by_the_scheduler(runtime, make_machine):
    machine = make_machine({"StartAt": "Nap", "States": {
        "Nap": {"Type": "Wait", "Seconds": 2, "Next": "Done"},
        "Done": {"Type": "Pass", "Result": "woke", "End": True}}})
    ex = services.start_execution(machine, {})
    timer = Timer.objects.get(execution=ex)
    assert timer.kind == "WAKE" and timer.claimed_at is None
    assert 1.5 < (timer.due_at - timezone.now()).total_seconds() <= 2
    ex = wait_for_execution(ex, 30)
    assert ex.output == "woke"
    timer.refresh_from_db()
    assert timer.claimed_at is not None and timer.claimed_at >= timer.due_at


def test_stop_aborts_a_waiting_execution_and_cancels_its_timer(runtime, make_machine):
    ex = services.start_execution(make_machine(LONG_WAIT), {})
    ex = services.stop_execution(ex, "Operator", "changed my mind")
    assert (ex.status, ex.error, ex.cause) == ("ABORTED", "Operator", "changed my mind")
    assert types(ex)[-1] == "ExecutionAborted"
    assert not Timer.objects.filter(execution=ex, claimed_at__isnull=True).exists()
    assert_history_contiguous(ex)


def test_stop_cancels_a_running_task_whose_late_result_is_dropped(runtime, make_machine):
    machine = make_machine({"StartAt": "Slow", "States": {"Slow": {
        "Type": "Task", "Resource": lambda_arn("test-slow"),
        "Parameters": {"key": "stop", "seconds": 2}, "End": True}}})
    ex = services.start_execution(machine, {})
    wait_for_execution_event(ex, "LambdaFunctionStarted")
    services.stop_execution(ex)
    import time

    time.sleep(3.5)  # the handler finishes meanwhile; its result must not be recorded
    ex.refresh_from_db()
    assert ex.status == "ABORTED"
    assert types(ex)[-1] == "ExecutionAborted"
    assert_history_contiguous(ex)


def wait_for_execution_event(ex, event_type, timeout=30):
    from tests.support import wait_until

    wait_until(lambda: HistoryEvent.objects.filter(execution=ex, type=event_type).exists(),
               timeout, what=event_type)


def test_execution_timeout_times_it_out(runtime, make_machine):
    machine = make_machine({**LONG_WAIT, "TimeoutSeconds": 1})
    ex = wait_for_execution(services.start_execution(machine, {}), 30)
    assert ex.status == "TIMED_OUT"
    assert types(ex)[-1] == "ExecutionTimedOut"
    assert_history_contiguous(ex)


def test_redrive_resumes_a_failed_execution_from_the_failed_state(runtime, make_machine):
    # Fails while the input says so; a redrive re-enters FailOnce with the same input, so
    # the test flips the flag in the state machine's world (a Pass before it ran once).
    machine = make_machine({"StartAt": "First", "States": {
        "First": {"Type": "Pass", "Result": 1, "ResultPath": "$.first", "Next": "Check"},
        "Check": {"Type": "Task", "Resource": lambda_arn("job-check"),
                  "Parameters": {"job.$": "$.job", "attempt": 0}, "ResultPath": "$.job",
                  "End": True}}})
    job = {"jobId": "j", "status": "RUNNING", "checks": 0, "checksNeeded": 1,
           "fail": False, "flaky": True}
    ex = wait_for_execution(services.start_execution(machine, {"job": job}), 30)
    assert (ex.status, ex.error) == ("FAILED", "JobStatusFlakyError")
    before = types(ex)
    # attempt is a constant 0 here, so the handler fails again: redrive really re-ran it.
    ex = services.redrive_execution(ex)
    assert ex.redrive_count == 1
    ex = wait_for_execution(ex, 30)
    after = types(ex)
    assert after[:len(before)] == before
    assert after[len(before)] == "ExecutionRedriven"
    assert "PassStateEntered" not in after[len(before):]  # did not start over
    assert after[len(before) + 1] == "TaskStateEntered"
    assert ex.status == "FAILED"
    assert_history_contiguous(ex)


def test_redrive_of_a_running_execution_is_refused(runtime, make_machine):
    ex = services.start_execution(make_machine(LONG_WAIT), {})
    with pytest.raises(services.ServiceError) as err:
        services.redrive_execution(ex)
    assert err.value.code == "ExecutionNotRedrivable"
    services.stop_execution(ex)


def test_redrive_of_an_aborted_wait_waits_again_then_succeeds(runtime, make_machine):
    machine = make_machine({"StartAt": "Nap", "States": {
        "Nap": {"Type": "Wait", "SecondsPath": "$.s", "Next": "Done"},
        "Done": {"Type": "Pass", "Result": "ok", "End": True}}})
    ex = services.start_execution(machine, {"s": 1})
    services.stop_execution(ex)
    ex = wait_for_execution(services.redrive_execution(ex), 30)
    assert (ex.status, ex.output) == ("SUCCEEDED", "ok")
    assert not Frame.objects.filter(execution=ex, status="RUNNING").exists()
    assert_history_contiguous(ex)


def test_a_redelivered_step_message_is_a_no_op(runtime, make_machine):
    from engine.runtime import driver

    machine = make_machine({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
    ex = services.start_execution(machine, {})
    root = Frame.objects.get(execution=ex, parent=None)
    seq = ex.seq
    assert driver.advance(ex.id, root.id, 0) is False
    assert driver.advance(ex.id, root.id, root.step) is False
    ex.refresh_from_db()
    assert ex.seq == seq
