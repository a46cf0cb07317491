"""What the driver does with each StepOutcome variant of engine.asl.step.

Every function runs inside the step's transaction with the execution row locked; frames
are saved here, and messages are only *queued* (step.after_commit) for after commit.
"""
from __future__ import annotations

from django.utils import timezone

from engine.asl import step as asl_step
from engine.asl.clock import parse_iso
from engine.models import (ExecutionStatus, Frame, FrameStatus, Timer, TimerKind,
                           Waiting)

from . import config, dispatch, inbounds, rows, tokens, work

CONTINUE = object()
DONE = object()
DISPATCHABLE = (Waiting.ADVANCE, Waiting.TASK)


def apply(step, frame: Frame, cursor, outcome):
    """CONTINUE (keep evaluating), ("resume", inbound) (evaluate again with it), or DONE."""
    if isinstance(outcome, asl_step.Continue):
        return CONTINUE
    if isinstance(outcome, asl_step.Sleep):
        return _sleep(step, frame, cursor, outcome.until)
    if isinstance(outcome, asl_step.InvokeTask):
        return _invoke(step, frame, cursor, outcome.request)
    if isinstance(outcome, asl_step.FanOut):
        work.fan_out(step, frame, cursor, outcome)
        return DONE
    if isinstance(outcome, asl_step.Finished):
        finish(step, frame, cursor, outcome.status, outcome.output, outcome.error,
               outcome.cause)
        return DONE
    raise TypeError(f"unknown step outcome {outcome!r}")


def park(step, frame: Frame, cursor, waiting: str, *, request=None, inbound=None) -> Frame:
    """Save the frame at its next step; a dispatchable frame gets a message after commit."""
    from .driver import stored

    now = timezone.now()
    frame.step += 1
    frame.cursor = stored(cursor)
    frame.waiting = waiting
    frame.request = request
    frame.inbound = inbound
    claim = (waiting == Waiting.TASK and step.claim_next is not None
             and not step.claim_next and not (request or {}).get("task_token"))
    # A claimed Task is leased to the calling worker now; the sweeper treats it like any
    # running task (re-sends it if the lease lapses because that worker died).
    frame.lease_until = now + timezone.timedelta(seconds=config.task_lease_seconds()) \
        if claim else None
    frame.dispatched_at = now if waiting in DISPATCHABLE else None
    if frame.pk is None:
        frame.save()
    else:
        step.save_later(frame)
    if claim:
        # With the frame as this step leaves it: the worker's next step of it can start
        # from there (driver.advance(known=…)) instead of reading it back.
        step.claim_next.append((frame.id, frame.step, request, (step.execution, frame)))
    elif waiting in DISPATCHABLE:
        step.after_commit.append(dispatch.sender(waiting, step.execution.id, frame.id, frame.step))
    return frame


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
        failure = tokens.schedule_activity(step, frame, request)
        if failure is not None:
            return ("resume", failure)
        return DONE
    park(step, frame, cursor, Waiting.TASK, request=request)
    if request.get("task_token"):
        # Created with the step so a callback that races the handler still finds it.
        tokens.create_callback_token(step, frame, request)
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
        from .driver import stored

        frame.cursor = stored(cursor)
        frame.status = FrameStatus.SUCCEEDED if status == "SUCCEEDED" else FrameStatus.FAILED
        frame.waiting = Waiting.NOTHING
        frame.step += 1
        step.close_later(frame)
        step.finished = True
        return
    work.child_finished(step, frame, cursor, status, output, error, cause)


def close_execution_work(ex) -> None:
    """Nothing may wake a finished execution: drop its timers, close tokens and frames."""
    rows.close_work(ex.id)


def fanout_cap(max_concurrency) -> int:
    cap = config.fanout_concurrency_cap()
    return min(int(max_concurrency), cap) if max_concurrency else cap
