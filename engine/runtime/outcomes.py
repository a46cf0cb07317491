"""What the driver does with each StepOutcome variant of engine.asl.step.

Every function runs inside the step's transaction with the execution row locked; frames
are saved here, and messages are only *queued* (step.after_commit) for after commit. The
rows a Task waits on are made here too: its wake-up Timer, its callback TaskToken, its
activity task and their timeout/heartbeat timers (answered later through tokens.py).
"""
from __future__ import annotations

import uuid

from django.utils import timezone

from engine.asl import step as asl_step
from engine.asl.clock import parse_iso
from engine.asl.errors import ErrorName
from engine.models import (Activity, Execution, ExecutionStatus, Frame, FrameStatus, TaskToken,
                           Timer, TimerKind, Waiting)

from . import fanout, inbounds, rows
from .frames import park, stored

CONTINUE = object()
DONE = object()


def apply(step, frame: Frame, cursor, outcome):
    """CONTINUE (keep evaluating), ("resume", inbound) (evaluate again with it), or DONE."""
    if isinstance(outcome, asl_step.Continue):
        return CONTINUE
    if isinstance(outcome, asl_step.Sleep):
        return _sleep(step, frame, cursor, outcome.until)
    if isinstance(outcome, asl_step.InvokeTask):
        return _invoke(step, frame, cursor, outcome.request)
    if isinstance(outcome, asl_step.FanOut):
        fanout.fan_out(step, frame, cursor, outcome)
        return DONE
    if isinstance(outcome, asl_step.Finished):
        finish(step, frame, cursor, outcome.status, outcome.output, outcome.error,
               outcome.cause)
        return DONE
    raise TypeError(f"unknown step outcome {outcome!r}")


def _sleep(step, frame, cursor, until):
    if isinstance(until, str):
        until = parse_iso(until)
    if until <= step.clock.now():
        return ("resume", inbounds.timer_fired())  # Wait 0 (or already due) stays inline
    park(step, frame, cursor, Waiting.TIMER)
    Timer.objects.create(execution=step.execution, frame=frame, kind=TimerKind.WAKE,
                         due_at=until, frame_step=frame.step)
    return DONE


def _invoke(step, frame, cursor, request: dict):
    if request.get("kind") == "activity":
        park(step, frame, cursor, Waiting.CALLBACK, request=request)
        failure = schedule_activity(step, frame, request)
        if failure is not None:
            return ("resume", failure)
        return DONE
    park(step, frame, cursor, Waiting.TASK, request=request)
    if request.get("task_token"):
        # Created with the step so a callback that races the handler still finds it.
        create_callback_token(step, frame, request)
    return DONE


def finish(step, frame: Frame, cursor, status, output, error, cause) -> None:
    """A frame reached its end: the execution's when root, else one child of a fan-out."""
    status = getattr(status, "value", status)
    if frame.parent_id is None:
        ex = step.execution
        ex.status = status
        ex.output = output if status == ExecutionStatus.SUCCEEDED else None
        ex.error = error or ""
        ex.cause = cause or ""
        ex.stop_date = timezone.now()
        frame.cursor = stored(cursor)
        frame.status = FrameStatus.SUCCEEDED if status == "SUCCEEDED" else FrameStatus.FAILED
        frame.waiting = Waiting.NOTHING
        frame.step += 1
        step.close_later(frame)
        step.finished = True
        return
    fanout.child_finished(step, frame, cursor, status, output, error, cause)


def close_execution_work(ex) -> None:
    """Nothing may wake a finished execution: drop its timers, close tokens and frames."""
    rows.close_work(ex.id)


# -- Task tokens and activity tasks a step creates -------------------------------------------

def arm_timers(execution, frame: Frame, request: dict) -> None:
    """The TimeoutSeconds / HeartbeatSeconds timers of a task waiting for an answer."""
    now = timezone.now()
    timeout = request.get("timeout_seconds")
    if timeout:
        Timer.objects.create(execution=execution, frame=frame, kind=TimerKind.TASK_TIMEOUT,
                             due_at=now + timezone.timedelta(seconds=float(timeout)),
                             frame_step=frame.step)
    beat = request.get("heartbeat_seconds")
    if beat:
        Timer.objects.create(execution=execution, frame=frame, kind=TimerKind.HEARTBEAT,
                             due_at=now + timezone.timedelta(seconds=float(beat)),
                             frame_step=frame.step)


def create_callback_token(step, frame: Frame, request: dict) -> TaskToken:
    # Timers are armed in tokens.await_callback: until the handler returned, invoke.py bounds it.
    return TaskToken.objects.create(token=request["task_token"], execution=step.execution,
                                    frame=frame, frame_step=frame.step,
                                    heartbeat_seconds=request.get("heartbeat_seconds"))


def activity_for(execution: Execution, arn: str) -> Activity | None:
    name = arn.rsplit(":", 1)[-1]
    return Activity.objects.filter(owner_id=execution.state_machine.owner_id, name=name).first()


def schedule_activity(step, frame: Frame, request: dict):
    """Queue the task for GetActivityTask; an inbound failure if the activity does not exist."""
    activity = activity_for(step.execution, request["resource"])
    if activity is None:
        return inbounds.task_failed(ErrorName.RUNTIME.value,
                                    f"Activity {request['resource']} does not exist")
    arm_timers(step.execution, frame, request)
    TaskToken.objects.create(token=request.get("task_token") or uuid.uuid4().hex,
                             execution=step.execution, frame=frame, frame_step=frame.step,
                             activity=activity, input=request.get("parameters"),
                             heartbeat_seconds=request.get("heartbeat_seconds"))
    return None
