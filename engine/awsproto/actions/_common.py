"""Helpers every action family uses: ownership-checked lookups, dates, error mapping."""
from __future__ import annotations

import contextlib
import datetime as dt
import uuid

from engine import aliases
from engine.api.machines import MachineError
from engine.models import Execution, MapRun, StateMachine, StateMachineAlias

from .. import arns, errors


def epoch(value: dt.datetime | None) -> float | None:
    # JSON 1.0 timestamps are epoch seconds; botocore turns them back into datetimes.
    return value.timestamp() if value is not None else None


@contextlib.contextmanager
def machine_error():
    try:
        yield
    except MachineError as error:
        raise errors.AwsError(error.code, error.message) from None


def _visible(caller, parsed: arns.Arn) -> bool:
    # Another account's resource looks exactly like a missing one, unless the caller is staff.
    return parsed.owned_by(caller.user) or getattr(caller.user, "is_staff", False)


def machine_named(caller, parsed: arns.Arn) -> StateMachine | None:
    """The machine an ARN names (its name part), if the caller may see it."""
    if not _visible(caller, parsed):
        return None
    return StateMachine.objects.filter(owner_id=parsed.owner_id, name=parsed.name).first()


def state_machine_for(caller, arn: str, allow_version: bool = True):
    """(machine, version or None) for a state machine or version ARN the caller may use."""
    parsed = arns.parse(arn, "stateMachine")
    if parsed.qualifier and not allow_version:
        raise errors.invalid_arn(arn)
    machine = machine_named(caller, parsed)
    if machine is None:
        raise errors.state_machine_does_not_exist(arn)
    if not parsed.qualifier:
        return machine, None
    # isascii: "²" is a digit to str.isdigit but not to int(); 10 digits: past any version
    # number, and an integer the database column can hold.
    qualifier = parsed.qualifier
    version = (machine.versions.filter(version=int(qualifier)).first()
               if qualifier.isascii() and qualifier.isdigit() and len(qualifier) < 10 else None)
    if version is None:
        raise errors.state_machine_does_not_exist(arn)
    return machine, version


def execution_for(caller, arn: str) -> Execution:
    """The execution an ARN names: a top-level one, or a map run's child execution (owned,
    for every check, by its parent's owner: the machine's)."""
    parsed = arns.parse_execution(arn)
    execution = None
    if _visible(caller, parsed):
        queryset = Execution.objects.select_related("state_machine", "version__state_machine",
                                                    "map_run__execution__state_machine")
        queryset = queryset.filter(state_machine__owner_id=parsed.owner_id,
                                   state_machine__name=parsed.name, name=parsed.qualifier)
        if parsed.label:
            queryset = queryset.filter(map_run__label=parsed.label)
            if parsed.map_run:
                queryset = queryset.filter(map_run__child_type="EXPRESS",
                                           map_run__id=_uuid(parsed.map_run))
            else:
                queryset = queryset.filter(map_run__child_type="STANDARD")
        else:
            queryset = queryset.filter(map_run__isnull=True)
        execution = queryset.first()
    if execution is None:
        raise errors.execution_does_not_exist(arn)
    return execution


def _uuid(text: str):
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def map_run_for(caller, arn: str) -> MapRun:
    """The map run a map run ARN names (ResourceNotFound when missing or another's)."""
    parsed = arns.parse_map_run(arn)
    run = None
    run_id = _uuid(parsed.qualifier)
    if _visible(caller, parsed) and run_id is not None:
        run = (MapRun.objects.select_related("execution__state_machine")
               .filter(id=run_id, label=parsed.label,
                       execution__state_machine__owner_id=parsed.owner_id,
                       execution__state_machine__name=parsed.name).first())
    if run is None:
        raise errors.resource_not_found(arn)
    return run


def alias_for(caller, arn: str) -> StateMachineAlias:
    """The alias an alias ARN names (ResourceNotFound when it or its machine is missing)."""
    parsed = arns.parse(arn, "stateMachine")
    if not parsed.is_alias:
        raise errors.invalid_arn(arn)
    machine = machine_named(caller, parsed)
    alias = machine.aliases.filter(name=parsed.qualifier).first() if machine else None
    if alias is None:
        raise errors.resource_not_found(arn)
    return alias


def pick_version(alias: StateMachineAlias):
    """The version an execution through `alias` runs: chosen by the routing weights."""
    try:
        return aliases.pick_version(alias)
    except aliases.AliasVersionMissing as error:
        raise errors.resource_not_found(str(error)) from None
