"""The AWS actions' calls into engine.services, with ServiceError mapped to AwsError.

engine.services takes model instances its caller already authorised; this module does the
authorising for what arrives as an ARN or a task token, then calls the service.
"""
from __future__ import annotations

import contextlib
import json

from django.conf import settings

from engine import services, start_limits
from engine.api.machines import unstorable
from engine.models import ExecutionStatus, TaskToken

from . import errors
from . import arns
from .actions._common import alias_for, pick_version, state_machine_for

# AWS holds GetActivityTask open up to 60 s; tests shorten it.
ACTIVITY_POLL_SECONDS = 60.0


@contextlib.contextmanager
def service_errors():
    try:
        yield
    except services.ServiceError as error:
        raise errors.AwsError(error.code, str(error)) from None


def start(caller, params: dict, sync: bool):
    machine, version, alias_name = _start_target(caller, params["stateMachineArn"])
    text = params.get("input", "{}")
    _check_payload(text, "InvalidExecutionInput", "Invalid State Machine Execution Input")
    if not sync:
        try:
            start_limits.admit(caller.user, machine)
        except start_limits.Refused as refused:
            raise errors.AwsError(refused.code, refused.message) from None
    try:
        if sync:
            return services.start_sync_execution(machine, text, params.get("name"),
                                                 version=version, alias_name=alias_name)
        return services.start_execution(machine, text, params.get("name"), version,
                                        alias_name=alias_name)
    except services.ServiceError as error:
        if error.code == "ExecutionAlreadyExists" and not sync:
            # AWS: the same name and input as a *running* execution is the same request
            # again and gets the original answer; anything else is ExecutionAlreadyExists.
            same = machine.executions.filter(name=params.get("name"),
                                             status=ExecutionStatus.RUNNING).first()
            if same is not None and same.input == json.loads(text):
                return same
        if error.code == "ExecutionAlreadyExists":
            # AWS names the execution by its ARN, as every other error names its resource.
            arn = machine.arn.replace(":stateMachine:", ":execution:", 1) + ":" + params["name"]
            raise errors.AwsError(error.code, f"Execution Already Exists: '{arn}'") from None
        raise errors.AwsError(error.code, str(error)) from None


def _start_target(caller, arn: str):
    """(machine, version or None, alias name or "") for a machine, version or alias ARN."""
    if arns.parse(arn, "stateMachine").is_alias:
        try:
            alias = alias_for(caller, arn)
        except errors.AwsError as error:
            if error.code == "ResourceNotFound":  # StartExecution's model says it this way
                raise errors.state_machine_does_not_exist(arn) from None
            raise
        return alias.state_machine, pick_version(alias), alias.name
    machine, version = state_machine_for(caller, arn)
    return machine, version, ""


def stop(execution, error: str, cause: str):
    with service_errors():
        services.refuse_map_run_child(execution, "stopped")
    if execution.status != ExecutionStatus.RUNNING:
        return execution  # already stopped: StopExecution reports when it stopped
    with service_errors():
        return services.stop_execution(execution, error, cause)


def redrive(execution):
    with service_errors():
        return services.redrive_execution(execution)


def _authorise_token(caller, token: str) -> None:
    # A token is a bearer secret at AWS; here it also has to belong to the caller's
    # execution (staff excepted). Someone else's token looks like an unknown one.
    found = (TaskToken.objects.filter(token=token)
             .values_list("execution__state_machine__owner_id", flat=True).first())
    if found is not None and found != caller.user.pk and not caller.user.is_staff:
        raise errors.AwsError("TaskDoesNotExist", "Task does not exist")


def send_task_success(caller, token: str, output: str) -> None:
    _authorise_token(caller, token)
    _check_payload(output, "InvalidOutput", "Invalid Output")
    with service_errors():
        services.send_task_success(token, output)


def send_task_failure(caller, token: str, error: str, cause: str) -> None:
    _authorise_token(caller, token)
    with service_errors():
        services.send_task_failure(token, error, cause)


def send_task_heartbeat(caller, token: str) -> None:
    _authorise_token(caller, token)
    with service_errors():
        services.send_task_heartbeat(token)


def get_activity_task(activity, worker_name: str) -> dict:
    wait = getattr(settings, "STEPSTUDIO_ACTIVITY_POLL_SECONDS", ACTIVITY_POLL_SECONDS)
    with service_errors():
        return services.get_activity_task(activity, worker_name, wait_seconds=float(wait))


def _check_payload(text: str, code: str, prefix: str) -> None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise errors.AwsError(code, f"{prefix}: 'Invalid JSON'") from None
    problem = unstorable(value)
    if problem:
        raise errors.AwsError(code, f"{prefix}: 'The value {problem}'")
