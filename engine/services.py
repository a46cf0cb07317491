"""Use cases shared by the REST API, the AWS protocol, the admin and the `workflows` command.

One service layer: callers pass model instances they already authorised and get models or
AWS-shaped dicts back; failures are `ServiceError`s whose `code` is AWS's exception name
(the REST and AWS layers map codes to their own status codes).
"""
from __future__ import annotations

import json
import re
import uuid

from django.db import IntegrityError, transaction

from engine.asl.clock import iso
from engine.models import (Activity, Execution, ExecutionStatus, HistoryEvent, MachineType,
                           StateMachine, StateMachineVersion)
from engine.api import machines
from engine.runtime import inbounds, lifecycle, map_run_updates, nested, tokens

NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


class ServiceError(Exception):
    code = "ValidationException"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code


def _json_value(value, code: str, what: str):
    """AWS passes JSON *text*; the REST API passes values. Accept both, as a value."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ServiceError(f"Invalid {what}: not valid JSON", code) from None
    return value


# -- executions --------------------------------------------------------------------------

def runnable_definition(state_machine: StateMachine, version: StateMachineVersion | None = None,
                        substitutions: dict | None = None) -> dict:
    """The definition to run, with `substitutions` (definitionSubstitutions given at start)
    applied; ServiceError(InvalidDefinition) naming any `${Name}` placeholder left."""
    try:
        return machines.runnable_definition(state_machine, version, substitutions)
    except machines.MachineError as error:
        raise ServiceError(error.message, error.code) from None


def start_execution(state_machine: StateMachine, input=None, name: str | None = None,
                    version: StateMachineVersion | None = None, *,
                    inline: bool = True, substitutions: dict | None = None,
                    alias_name: str = "") -> Execution:
    """StartExecution: create the execution and take its first steps, in one transaction.

    `inline=False` hands even the first step to a worker. `substitutions`: values for the
    definition's `${Name}` placeholders, for this execution only.
    """
    value = {} if input is None else _json_value(input, "InvalidExecutionInput", "execution input")
    value = inbounds.storable(value)  # a NUL as \u0000: PostgreSQL's jsonb cannot hold U+0000
    name = name or str(uuid.uuid4())
    if not NAME_RE.match(name):
        raise ServiceError(f"Invalid Name: '{name}'", "InvalidName")
    definition = runnable_definition(state_machine, version, substitutions)
    try:
        with transaction.atomic():
            execution = Execution.objects.create(
                state_machine=state_machine, version=version, name=name, input=value,
                definition=definition, alias_name=alias_name,
                parent_execution=nested.started_by(state_machine.owner_id, value))
            lifecycle.start(execution, inline)
    except IntegrityError:
        raise ServiceError(f"Execution Already Exists: '{name}'", "ExecutionAlreadyExists") from None
    execution.refresh_from_db()
    return execution


def start_sync_execution(state_machine: StateMachine, input=None,
                         name: str | None = None, substitutions: dict | None = None,
                         version: StateMachineVersion | None = None,
                         alias_name: str = "") -> Execution:
    """StartSyncExecution (EXPRESS only): the in-process driver runs it to the end now.

    Handlers are the same registered callables; Waits pass on the local driver's clock.
    The execution and its history are stored for DescribeExecution and the live view.
    """
    if state_machine.type != MachineType.EXPRESS:
        raise ServiceError("This operation is only supported for EXPRESS state machines",
                           "StateMachineTypeNotSupported")
    from engine.asl import run_state_machine
    from engine.runtime import history
    from django.utils import timezone

    value = {} if input is None else _json_value(input, "InvalidExecutionInput", "execution input")
    value = inbounds.storable(value)  # a NUL as \u0000: PostgreSQL's jsonb cannot hold U+0000
    name = name or str(uuid.uuid4())
    if not NAME_RE.match(name):
        raise ServiceError(f"Invalid Name: '{name}'", "InvalidName")
    definition = runnable_definition(state_machine, version, substitutions)
    result = run_state_machine(definition, value, state_machine_name=state_machine.name)

    def create(as_name: str) -> Execution:
        return Execution.objects.create(
            state_machine=state_machine, version=version, alias_name=alias_name,
            name=as_name, input=value,
            definition=definition, status=result.status,
            output=result.output if result.status == "SUCCEEDED" else None,
            error=result.error or "", cause=result.cause or "", stop_date=timezone.now(),
            seq=len(result.events))

    with transaction.atomic():
        try:
            with transaction.atomic():
                execution = create(name)
        except IntegrityError:
            # Express executions do not hold their names unique (StartSyncExecution's model
            # has no ExecutionAlreadyExists): this run is kept under the name with a suffix
            # of its own, as AWS's express execution ARNs end in an id of their own.
            execution = create(f"{name[:43]}-{uuid.uuid4()}")
        history.append(execution, result.events)
    return execution


def refuse_map_run_child(execution: Execution, done: str) -> None:
    """A map run's child execution is run by its parent's Map: it is stopped or redriven
    with its parent, never on its own (ValidationException)."""
    if execution.map_run_id:
        run = execution.map_run
        raise ServiceError(f"Execution {execution.arn} is a child workflow execution of the map "
                           f"run {run.arn}: it is {done} with its parent execution "
                           f"{run.execution.arn}")


def stop_execution(execution: Execution, error: str = "", cause: str = "") -> Execution:
    refuse_map_run_child(execution, "stopped")
    lifecycle.terminate(execution.id, ExecutionStatus.ABORTED, error, cause)
    execution.refresh_from_db()
    return execution


def update_map_run(map_run, max_concurrency: int | None = None,
                   tolerated_failure_count: int | None = None,
                   tolerated_failure_percentage: float | None = None):
    """UpdateMapRun: the new values take effect on the running map run (map_run_updates)."""
    return map_run_updates.update(map_run.id, max_concurrency, tolerated_failure_count,
                                  tolerated_failure_percentage)


def redrive_execution(execution: Execution, definition: dict | None = None,
                      version=None) -> Execution:
    """RedriveExecution; with `definition`, on that definition (lifecycle.redrive)."""
    refuse_map_run_child(execution, "redriven")
    try:
        lifecycle.redrive(execution.id, definition, version)
    except lifecycle.NotRedrivable as exc:
        raise ServiceError(str(exc), "ExecutionNotRedrivable") from None
    execution.refresh_from_db()
    return execution


def describe_execution(execution: Execution) -> dict:
    """DescribeExecution's answer (input/output as JSON text, as AWS)."""
    sm = execution.state_machine
    out = {
        "executionArn": execution.arn, "stateMachineArn": sm.arn, "name": execution.name,
        "status": execution.status, "startDate": iso(execution.start_date),
        "input": json.dumps(execution.input), "inputDetails": {"included": True},
        "redriveCount": execution.redrive_count,
    }
    if execution.stop_date:
        out["stopDate"] = iso(execution.stop_date)
    if execution.status == ExecutionStatus.SUCCEEDED:
        out["output"] = json.dumps(execution.output)
        out["outputDetails"] = {"included": True}
    if execution.error:
        out["error"] = execution.error
    if execution.cause:
        out["cause"] = execution.cause
    if execution.redrive_date:
        out["redriveDate"] = iso(execution.redrive_date)
    if execution.version_id:
        out["stateMachineVersionArn"] = execution.version.arn
    return out


def get_execution_history(execution: Execution, after: int = 0, limit: int | None = None,
                          reverse: bool = False) -> list[dict]:
    """GetExecutionHistory's events (ids = seq), after event `after` (or before it if reverse)."""
    qs = HistoryEvent.objects.filter(execution=execution)
    if reverse:
        if after:
            qs = qs.filter(seq__lt=after)
        qs = qs.order_by("-seq")
    else:
        qs = qs.filter(seq__gt=after).order_by("seq")
    if limit:
        qs = qs[:limit]
    return [e.to_aws() for e in qs]


# -- task tokens and activities ----------------------------------------------------------

def _token_call(fn, *args):
    try:
        return fn(*args)
    except tokens.TokenError as exc:
        raise ServiceError(str(exc), exc.code) from None


def send_task_success(token: str, output) -> None:
    value = _json_value(output, "InvalidOutput", "output")
    _token_call(tokens.complete, token, inbounds.task_succeeded(value))


def send_task_failure(token: str, error: str | None = None, cause: str | None = None) -> None:
    _token_call(tokens.complete, token, inbounds.task_failed(error or None, cause or None))


def send_task_heartbeat(token: str) -> None:
    _token_call(tokens.heartbeat, token)


class TaskCallbacks:
    """engine.asl.handlers' callback sink: a handler's send_task_success is the API's."""

    def success(self, token: str, output: str) -> None:
        send_task_success(token, output)

    def failure(self, token: str, error: str | None, cause: str | None) -> None:
        send_task_failure(token, error, cause)

    def heartbeat(self, token: str) -> None:
        send_task_heartbeat(token)


def get_activity_task(activity: Activity, worker_name: str = "",
                      wait_seconds: float = 60.0) -> dict:
    """GetActivityTask: {"taskToken", "input" (JSON text)} or {} after the long poll."""
    task = tokens.get_activity_task(activity, worker_name, wait_seconds)
    if task:
        task["input"] = json.dumps(task["input"])
    return task
