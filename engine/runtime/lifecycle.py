"""Starting, stopping, timing out and redriving executions (transactions on the runtime rows)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from engine.asl import step as asl_step
from engine.asl.clock import SystemClock
from engine.asl.events import Emitter, Ids, error_details
from engine.events import outbox
from engine.models import Execution, ExecutionStatus, Frame, FrameStatus, Timer, TimerKind

from . import dispatch, driver, history
from .frames import stored
from .outcomes import close_execution_work, finish


def start(execution: Execution, inline: bool = True) -> None:
    """Inside the caller's transaction: arm the execution timeout and take the first steps."""
    timeout = (execution.definition or {}).get("TimeoutSeconds")
    if timeout:
        Timer.objects.create(execution=execution, kind=TimerKind.EXECUTION_TIMEOUT,
                             due_at=execution.start_date + timezone.timedelta(seconds=timeout))
    outbox.record(execution)  # RUNNING (the finish, if inline, is the step's own event)
    driver.start_root(execution, inline)


def _append(ex: Execution, event_type: str, details: dict) -> None:
    emitter = Emitter(Ids(ex.seq), SystemClock(), prev=ex.seq)
    emitter.emit(event_type, details)
    history.append(ex, emitter.events)
    ex.seq = emitter.ids.value


def terminate(execution_id, status: str, error: str, cause: str) -> bool:
    """Stop a running execution as ABORTED (StopExecution) or TIMED_OUT; False if not running.

    Nests in the scheduler's transaction, which already holds the row (locking it again is
    a no-op there).
    """
    with transaction.atomic():
        ex = Execution.objects.select_for_update().get(id=execution_id)
        if ex.status != ExecutionStatus.RUNNING:
            return False
        if status == ExecutionStatus.TIMED_OUT:
            # The evaluator owns the ExecutionTimedOut event (step.timed_out).
            root = Frame.objects.get(execution=ex, parent__isnull=True)
            step = driver.Step(ex)
            outcome = asl_step.timed_out(dict(root.cursor, ctx=step.ctx), step.ids, step.clock)
            step.events.extend(outcome.events)
            finish(step, root, outcome.cursor, outcome.status, None, None, None)
            ex.error, ex.cause = error or "", cause or ""
            step.commit()
            return True
        _stop(ex, status, "ExecutionAborted", error, cause)
        return True


def fail(execution_id, error: str, cause: str) -> bool:
    """Fail a running execution from outside its steps (ExecutionFailed; False if it is not
    running): a step that cannot be committed at all (failures.py)."""
    with transaction.atomic():
        ex = Execution.objects.select_for_update().get(id=execution_id)
        if ex.status != ExecutionStatus.RUNNING:
            return False
        _stop(ex, ExecutionStatus.FAILED, "ExecutionFailed", error, cause)
        return True


def _stop(ex: Execution, status: str, event_type: str, error: str, cause: str) -> None:
    _append(ex, event_type, error_details(error or None, cause or None))
    ex.status, ex.error, ex.cause = status, error or "", cause or ""
    ex.stop_date = timezone.now()
    ex.save(update_fields=["status", "error", "cause", "stop_date", "seq"])
    # Running work is cancelled: timers and tokens closed, frames CANCELLED, so a handler
    # still running in a worker finds its frame gone and its result is dropped.
    close_execution_work(ex)
    outbox.record(ex)
    dispatch.ring_advanced(ex, True)


def _rewind(machine, cursor: dict) -> dict:
    """The root cursor re-entering the state that failed or was running (with its input)."""
    redrive = getattr(asl_step, "redrive", None)
    if redrive is not None:
        return redrive(machine, cursor)
    # Fallback until engine.asl.step offers redrive (requested): the cursor still names the
    # state and holds that state's input; "enter" makes the next advance re-enter it.
    cursor = dict(cursor)
    cursor["phase"] = "enter"
    cursor.pop("pending", None)
    return cursor


def _fans_out(machine, cursor: dict) -> bool:
    """The root cursor re-enters a Map or Parallel state."""
    name = cursor.get("state")
    try:
        return name is not None and machine.state(name).get("Type") in ("Map", "Parallel")
    except Exception:  # noqa: BLE001 - unknown state: nothing to reuse
        return False


class NotRedrivable(Exception):
    pass


def redrive(execution_id) -> Execution:
    """RedriveExecution: re-enter the state that failed, keeping history and input.

    AWS: "For workflows that include an Inline Map or Parallel state, RedriveExecution ...
    reschedules and redrives only the iterations and branches that failed or aborted." When
    the execution failed / was stopped / timed out inside a Map or Parallel, the children of
    that fan-out were kept (fanout.abandon_children, outcomes.close_execution_work): the
    re-entered state's FanOut reuses the successes and redrives only the others, at every
    nesting level (fanout._adopt). This holds for a DISTRIBUTED Map's iterations too.
    """
    with transaction.atomic():
        ex = Execution.objects.select_for_update().get(id=execution_id)
        if ex.status not in (ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT,
                             ExecutionStatus.ABORTED):
            raise NotRedrivable(f"Execution {ex.arn} is {ex.status} and cannot be redriven")
        root = Frame.objects.filter(execution=ex, parent__isnull=True).first()
        machine = driver.machine_for(ex)
        cursor = _rewind(machine, root.cursor)
        if not _fans_out(machine, cursor):
            # Kept children are only of use to a Map/Parallel the root re-enters now.
            Frame.objects.filter(execution=ex, parent__isnull=False).delete()
        ex.redrive_count += 1
        ex.redrive_date = timezone.now()
        ex.status, ex.error, ex.cause, ex.stop_date, ex.output = "RUNNING", "", "", None, None
        _append(ex, "ExecutionRedriven", {"redriveCount": ex.redrive_count})
        ex.save(update_fields=["redrive_count", "redrive_date", "status", "error", "cause",
                               "stop_date", "output", "seq"])
        outbox.record(ex)  # RUNNING again, with its redriveCount
        timeout = (ex.definition or {}).get("TimeoutSeconds")
        if timeout:
            Timer.objects.create(execution=ex, kind=TimerKind.EXECUTION_TIMEOUT,
                                 due_at=ex.redrive_date + timezone.timedelta(seconds=timeout))
        root.status = FrameStatus.RUNNING
        step = driver.Step(ex)
        root.cursor = stored(cursor)
        step.run(root, None)
        step.commit()
        root.refresh_from_db()
        return ex
