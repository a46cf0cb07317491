"""Steps that keep failing: counted on their frame, and past a bound the execution fails.

A worker's step that raises anything but a database outage (tasks.TRANSIENT) — a value the
database refuses, a bug in a step — would fail the same way at every redelivery, and the
sweeper would re-send it forever while the execution showed RUNNING (a poison execution).
Each such failure is counted on the frame, for that step number; the message is retried
with back-off until `config.step_attempts()` failures, and then the execution fails with
States.Runtime and a cause naming the state and what went wrong.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from engine.asl.errors import ErrorName
from engine.models import Execution, ExecutionStatus, Frame, FrameStatus, Waiting

from . import config, inbounds, lifecycle

RETRY, FAILED, GONE = "retry", "failed", "gone"


def record(execution_id, frame_id: int, step_no: int, exc: BaseException) -> str:
    """Count one failure of frame `frame_id`'s step `step_no`: RETRY (send it again), FAILED
    (the execution was failed now) or GONE (not running, or the step moved on meanwhile)."""
    with transaction.atomic():
        ex = (Execution.objects.select_for_update().filter(id=execution_id)
              .only("id", "status").first())
        if ex is None or ex.status != ExecutionStatus.RUNNING:
            return GONE
        frame = (Frame.objects.filter(id=frame_id, step=step_no, status=FrameStatus.RUNNING)
                 .only("id", "cursor", "waiting", "failed_step", "failures").first())
        if frame is None:
            return GONE
        count = frame.failures + 1 if frame.failed_step == step_no else 1
        if count < config.step_attempts():
            changes = {"failed_step": step_no, "failures": count}
            if frame.waiting == Waiting.TASK:
                # The retried message must be able to claim the Task again at once.
                changes["lease_until"] = None
            if frame.waiting in (Waiting.ADVANCE, Waiting.TASK):
                changes["dispatched_at"] = timezone.now()  # the retry is on its way
            Frame.objects.filter(id=frame_id).update(**changes)
            return RETRY
        Frame.objects.filter(id=frame_id).update(failed_step=step_no, failures=count)
        lifecycle.fail(execution_id, ErrorName.RUNTIME.value, cause(frame, count, exc))
        return FAILED


def cause(frame: Frame, count: int, exc: BaseException) -> str:
    state = (frame.cursor or {}).get("state") if isinstance(frame.cursor, dict) else None
    where = f"The step of state '{state}'" if state else "A step"
    text = (f"{where} failed {count} times in a row and was given up (it cannot be saved or "
            f"run, and retrying will not change that): {type(exc).__name__}: {exc}")
    return inbounds.storable(text)[:inbounds.MAX_CAUSE_CHARS]
