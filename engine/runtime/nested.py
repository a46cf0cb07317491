"""Nested executions: `arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]`.

The parent's Task needs no handler: the worker that claims it starts a real, durable child
execution of the owner's state machine named by `StateMachineArn` (a version ARN runs that
version; an alias ARN resolves as schedules resolve it). The shapes are AWS's
(engine.asl.nested). The child records its parent (`Execution.parent_execution`) and the
parent step that started it (`parent_call`), so a re-sent Task finds the child it started
instead of starting a second one.

* request-response: the Task succeeds at once with StartExecution's answer.
* `.sync` / `.sync:2`: the Task's token (created with the step, as for callbacks) is kept on
  the child (`parent_token`); the parent's frame waits in CALLBACK, nothing sleeps. The
  child's end answers that token with its description (tokens.complete), as SendTaskSuccess
  would: right after the child's status change commits (the `execution_status_changed`
  signal, in the process that ended it) and, should that process die in between, from the
  scheduler's sweep (`sweep`, a pass of `workflows scheduler`) — `parent_notified` says the
  answer went out. A child that ended first, before its parent's frame parked (a child of
  Pass states ends inside StartExecution), leaves the answer on the token, which
  tokens.await_callback takes.
* `.waitForTaskToken`: the child is started; the Task waits for SendTaskSuccess/Failure with
  `$$.Task.Token`, which the definition passes in the child's input.

Stopping: when the parent ends (stopped, timed out, failed) its running `.sync` children are
stopped (ABORTED), as AWS stops them; the sweep also stops a `.sync` child whose parent task
no longer waits for it (its token closed: the Task timed out, a Parallel branch was
abandoned). Callback and request-response children run on, as on AWS.
"""
from __future__ import annotations

import logging
import re
import time
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from engine.api.machines import MachineError, runnable_definition
from engine.asl import nested as shapes
from engine.asl.limits import dumps, exceeds_payload_limit
from engine.models import Execution, ExecutionStatus, TaskToken, TokenStatus, account_id
from engine.schedules import targets
from engine.schedules.errors import ScheduleError
from engine.signals import execution_status_changed

from . import config, inbounds, lifecycle, tokens

log = logging.getLogger(__name__)

NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
WAITING_PATTERNS = (shapes.SYNC, shapes.SYNC2)


def handles(request: dict) -> bool:
    return shapes.is_start_execution(request)


# -- starting ------------------------------------------------------------------------------

def start_child(request: dict, execution_id, call: str) -> dict:
    """Start the child for a claimed Task of parent `execution_id` at parent step `call`
    ("frame:step"); the inbound for the parent's next step."""
    pattern = shapes.pattern(request)
    try:
        arn, value, name = shapes.start_arguments(request.get("parameters"))
        parent = Execution.objects.select_related("state_machine__owner").get(id=execution_id)
        child = _start(parent, arn, value, name, pattern, request.get("task_token") or "", call,
                       request.get("state") or "")
    except shapes.StartError as err:
        return inbounds.task_failed(err.error, err.cause)
    if pattern == shapes.REQUEST_RESPONSE:
        return inbounds.task_succeeded(shapes.start_response(child.arn, child.start_date))
    # `.sync` and callbacks: work.py parks the frame until the token is answered; this
    # value is never the Task's result.
    return inbounds.task_succeeded({"ExecutionArn": child.arn})


def _target(parent: Execution, arn: str):
    if not arn.startswith("arn:"):
        raise shapes.StartError("InvalidArn", f"Invalid Arn: '{arn}'")
    try:
        return targets.resolve(parent.state_machine.owner, arn)
    except ScheduleError:
        # Another owner's machine is indistinguishable from a missing one.
        raise shapes.StartError("StateMachineDoesNotExist",
                                f"State Machine Does Not Exist: '{arn}'") from None


def _start(parent: Execution, arn: str, value, name, pattern: str, token: str,
           call: str, state: str) -> Execution:
    again = Execution.objects.filter(parent_execution=parent, parent_call=call).first()
    if again is not None:
        return again  # the Task was re-sent after this child started: the same child
    target = _target(parent, arn)
    name = name if name is not None else str(uuid.uuid4())
    if not NAME_RE.match(name):
        raise shapes.StartError("InvalidName", f"Invalid Name: '{name}'")
    if exceeds_payload_limit(dumps(value)):
        raise shapes.StartError("InvalidExecutionInput", "Invalid State Machine Execution Input: "
                                "the input exceeds the maximum size of 262144 bytes")
    try:
        definition = runnable_definition(target.machine, target.version)
    except MachineError as err:
        raise shapes.StartError(err.code, err.message) from None
    try:
        with transaction.atomic():
            child = Execution.objects.create(
                state_machine=target.machine, version=target.version, name=name, input=value,
                definition=definition, parent_execution=parent, parent_call=call,
                parent_state=state[:80], parent_pattern=pattern,
                parent_token=token if pattern in WAITING_PATTERNS else "")
            lifecycle.start(child, inline=True)
    except IntegrityError:
        again = Execution.objects.filter(parent_execution=parent, parent_call=call).first()
        if again is not None:
            return again  # another worker started it meanwhile
        machine = target.machine
        raise shapes.StartError(
            "ExecutionAlreadyExists",
            f"Execution Already Exists: '{machine.arn.replace(':stateMachine:', ':execution:')}"
            f":{name}'") from None
    child.refresh_from_db()
    return child


def started_by(owner_id, value) -> Execution | None:
    """The owner's execution that `AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID` in an input
    names (AWS links an execution started through the API to its parent by that field)."""
    arn = shapes.started_by(value)
    parts = arn.split(":") if arn else []
    if (len(parts) != 8 or parts[:3] != ["arn", "aws", "states"] or parts[5] != "execution"
            or parts[4] != account_id(owner_id)):
        return None
    return (Execution.objects.filter(state_machine__owner_id=owner_id,
                                     state_machine__name=parts[6], name=parts[7])
            .select_related("state_machine").first())


# -- the child's end answers its parent ----------------------------------------------------

def child_view(child: Execution) -> dict:
    """What engine.asl.nested.describe needs of an execution."""
    view = {"arn": child.arn, "state_machine_arn": child.state_machine.arn, "name": child.name,
            "status": child.status, "start_date": child.start_date,
            "stop_date": child.stop_date, "input": child.input, "output": child.output,
            "error": child.error, "cause": child.cause, "redrive_count": child.redrive_count}
    if child.version_id:
        view["version_arn"] = child.version.arn
    return view


def deliver(child_id) -> bool:
    """Answer the parent task of an ended `.sync` child; False if there was nothing to do."""
    child = (Execution.objects.select_related("state_machine", "version__state_machine")
             .filter(id=child_id, parent_notified=False).exclude(parent_token="").first())
    if child is None or child.status == ExecutionStatus.RUNNING:
        return False
    ok, value, error, cause = shapes.sync_outcome(child_view(child),
                                                  child.parent_pattern == shapes.SYNC2)
    # AWS's TaskSubmitted shows StartExecution's answer.
    submitted = shapes.start_response(child.arn, child.start_date)
    inbound = (inbounds.task_succeeded(value, submitted) if ok
               else inbounds.task_failed(error, cause, submitted))
    # The answer and the flag commit together: a parent that goes on (at another worker)
    # never sees a child that still counts as unanswered, and a crash leaves both undone.
    with transaction.atomic():
        try:
            tokens.complete(child.parent_token, inbound)
        except tokens.TokenError:
            pass  # the parent's task ended already (stopped, timed out): nobody waits
        Execution.objects.filter(id=child.id).update(parent_notified=True)
    return True


def stop_children(parent_id) -> int:
    """Stop the running `.sync` children of an execution that ended (AWS stops them)."""
    stopped = 0
    for child_id in (Execution.objects.filter(parent_execution_id=parent_id,
                                              status=ExecutionStatus.RUNNING)
                     .exclude(parent_token="").values_list("id", flat=True)):
        stopped += lifecycle.terminate(child_id, ExecutionStatus.ABORTED, "",
                                       "The parent execution ended")
    return stopped


def on_status_changed(sender, execution_id=None, status=None, **_):
    """After an execution's status change committed: its parent, its children."""
    if status == ExecutionStatus.RUNNING:
        return
    rows = (Execution.objects.filter(
        (Q(id=execution_id, parent_notified=False) & ~Q(parent_token=""))
        | (Q(parent_execution_id=execution_id, status=ExecutionStatus.RUNNING)
           & ~Q(parent_token="")))
        .values_list("id", "parent_execution_id"))
    for row_id, parent_id in rows:
        if str(row_id) == str(execution_id):
            deliver(row_id)
    if any(str(parent_id) == str(execution_id) for _, parent_id in rows):
        stop_children(execution_id)


execution_status_changed.connect(on_status_changed, dispatch_uid="engine.runtime.nested")


# -- the sweep: what a process killed after commit left undone ------------------------------

_last_sweep = [0.0]


def sweep(limit: int = 200) -> int:
    """A pass of `workflows scheduler`: answer parents of ended `.sync` children that were
    not answered, and stop `.sync` children whose parent task no longer waits for them."""
    if time.monotonic() - _last_sweep[0] < 1.0:
        return 0
    _last_sweep[0] = time.monotonic()
    grace = timezone.now() - timezone.timedelta(seconds=config.sweep_after_seconds())
    pending = Execution.objects.filter(parent_notified=False).exclude(parent_token="")
    done = 0
    for child_id in (pending.exclude(status=ExecutionStatus.RUNNING)
                     .filter(stop_date__lt=grace).values_list("id", flat=True)[:limit]):
        done += deliver(child_id)
    waiting = TaskToken.objects.exclude(status=TokenStatus.CLOSED).values("token")
    for child_id in (pending.filter(status=ExecutionStatus.RUNNING, start_date__lt=grace)
                     .exclude(parent_token__in=waiting).values_list("id", flat=True)[:limit]):
        done += lifecycle.terminate(child_id, ExecutionStatus.ABORTED, "",
                                    "The parent task no longer waits for this execution")
    if done:
        log.info("nested sweep: %d child execution(s) answered or stopped", done)
    return 0  # housekeeping: it never keeps the scheduler from idling
