"""Task tokens: `.waitForTaskToken` callbacks, activity tasks and their heartbeats.

A step creates a token (outcomes.py); this module answers it. A token parks its frame in
CALLBACK at a known step. SendTaskSuccess / SendTaskFailure close the token and take that
step with the answer, in one transaction under the execution lock; TimeoutSeconds and
HeartbeatSeconds are durable timers that the scheduler (timers.py) hands to `fire`. Closing
is a conditional update on status, so a token answers once: a second answer is TaskTimedOut,
as in AWS.
"""
from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from engine.asl.errors import ErrorName
from engine.models import (Activity, Execution, ExecutionStatus, Frame, FrameStatus, TaskToken,
                           Timer, TimerKind, TokenStatus, Waiting)

from . import driver, inbounds
from .frames import make_due
from .outcomes import arm_timers


class TokenError(Exception):
    code = "InvalidToken"


class InvalidToken(TokenError):
    code = "InvalidToken"


class TaskDoesNotExist(TokenError):
    code = "TaskDoesNotExist"


class TaskTimedOut(TokenError):
    code = "TaskTimedOut"


class ActivityDoesNotExist(TokenError):
    code = "ActivityDoesNotExist"


def _take(execution: Execution, frame_id: int, step_no: int, inbound: dict, waiting) -> bool:
    frame = Frame.objects.filter(id=frame_id, step=step_no, waiting__in=waiting,
                                 status=FrameStatus.RUNNING).first()
    if frame is None:
        return False
    step = driver.Step(execution)
    step.run(frame, inbound)
    step.commit()
    return True


def await_callback(execution_id, frame_id: int, step_no: int) -> bool:
    """After the handler that received a token returned: wait, or take an early answer."""
    with transaction.atomic():
        ex = Execution.objects.select_for_update().filter(id=execution_id).first()
        if ex is None or ex.status != ExecutionStatus.RUNNING:
            return False
        token = TaskToken.objects.filter(frame_id=frame_id, frame_step=step_no).first()
        if token is not None and token.answer is not None:
            return _take(ex, frame_id, step_no, token.answer, (Waiting.TASK,))
        # Same step: the callback, the task timeout and heartbeat timers all name step_no.
        frame = Frame.objects.filter(id=frame_id, step=step_no, waiting=Waiting.TASK).first()
        if frame is None:
            return False
        frame.waiting, frame.lease_until = Waiting.CALLBACK, None
        frame.save(update_fields=["waiting", "lease_until"])
        arm_timers(ex, frame, frame.request or {})
        return True


def _lookup(token: str) -> TaskToken:
    if not token or len(token) > 1024:
        raise InvalidToken("Invalid token")
    found = TaskToken.objects.filter(token=token).first()
    if found is None:
        raise TaskDoesNotExist("Task does not exist")
    return found


def complete(token: str, inbound: dict) -> None:
    """SendTaskSuccess / SendTaskFailure: close the token and take its frame's step."""
    found = _lookup(token)
    if found.activity_id:
        inbound = inbounds.with_worker(inbound, found.worker_name)
    with transaction.atomic():
        ex = Execution.objects.select_for_update().get(id=found.execution_id)
        if ex.status != ExecutionStatus.RUNNING or not TaskToken.objects.filter(
                token=token).exclude(status=TokenStatus.CLOSED).update(
                status=TokenStatus.CLOSED, answer=inbound):
            raise TaskTimedOut("Task Timed Out")
        # In TASK the handler that sent the token still runs; await_callback takes the answer.
        _take(ex, found.frame_id, found.frame_step, inbound, (Waiting.CALLBACK,))


def heartbeat(token: str) -> None:
    found = _lookup(token)
    if not TaskToken.objects.filter(token=found.token, execution__status="RUNNING").exclude(
            status=TokenStatus.CLOSED).update(heartbeat_at=timezone.now()):
        raise TaskTimedOut("Task Timed Out")


def get_activity_task(activity: Activity, worker_name: str = "", wait_seconds: float = 60.0,
                      poll: float = 0.2) -> dict:
    """GetActivityTask: long poll for the oldest scheduled task; {} when none came in time."""
    deadline = time.monotonic() + wait_seconds
    while True:
        for candidate in (TaskToken.objects.filter(activity=activity,
                                                   status=TokenStatus.SCHEDULED)
                          .order_by("created").values_list("token", flat=True)[:5]):
            # Claim by conditional update: two pollers never get the same task.
            if TaskToken.objects.filter(token=candidate, status=TokenStatus.SCHEDULED).update(
                    status=TokenStatus.STARTED, worker_name=worker_name[:80],
                    heartbeat_at=timezone.now()):
                task = TaskToken.objects.get(token=candidate)
                return {"taskToken": task.token, "input": task.input}
        if time.monotonic() >= deadline:
            return {}
        time.sleep(poll)  # the web request long-polls (AWS holds it up to 60 s); no worker sleeps


def fire(timer: Timer, now) -> None:
    """A TASK_TIMEOUT or HEARTBEAT timer came due (execution row locked by the caller)."""
    token = TaskToken.objects.filter(frame_id=timer.frame_id, frame_step=timer.frame_step) \
        .exclude(status=TokenStatus.CLOSED).first()
    frame = Frame.objects.filter(id=timer.frame_id, step=timer.frame_step,
                                 waiting__in=[Waiting.CALLBACK, Waiting.TASK],
                                 status=FrameStatus.RUNNING).first()
    if token is None or frame is None:
        return
    if timer.kind == TimerKind.HEARTBEAT:
        beat = token.heartbeat_at
        period = timezone.timedelta(seconds=float(token.heartbeat_seconds or 0))
        if beat is not None and beat + period > now:
            # A heartbeat came in: the deadline moves to one period after it.
            Timer.objects.create(execution_id=timer.execution_id, frame=frame,
                                 kind=TimerKind.HEARTBEAT, due_at=beat + period,
                                 frame_step=timer.frame_step)
            return
        error = ErrorName.HEARTBEAT_TIMEOUT.value
    else:
        error = ErrorName.TIMEOUT.value
    if frame.waiting == Waiting.TASK:
        return  # the handler itself still runs: invoke.py enforces its limits
    TaskToken.objects.filter(token=token.token).update(status=TokenStatus.CLOSED)
    make_due(frame, inbounds.with_worker(inbounds.task_failed(error, None), token.worker_name))
