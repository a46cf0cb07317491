"""Execution actions: read from the models, change through engine.services."""
from __future__ import annotations

import json

from django.db.models import Q

from engine.models import Execution, ExecutionStatus, REDRIVABLE

from .. import arns, errors, paging, service_calls
from ..dispatch import action
from ._common import alias_for, epoch, execution_for, map_run_for, state_machine_for
from .. import configuration


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def describe(execution: Execution, include_data: bool = True) -> dict:
    out = {
        "executionArn": execution.arn,
        "stateMachineArn": execution.machine_arn,
        "name": execution.name,
        "status": execution.status,
        "startDate": epoch(execution.start_date),
        "redriveCount": execution.redrive_count,
        "redriveStatus": _redrive_status(execution),
    }
    if execution.map_run_id:
        out["mapRunArn"] = execution.map_run.arn
        if execution.status in REDRIVABLE:
            out["redriveStatusReason"] = ("A child workflow execution of a Map Run is redriven "
                                          "with its parent execution")
    elif execution.version_id:
        out["stateMachineVersionArn"] = execution.version.arn
    if execution.alias_name:
        out["stateMachineAliasArn"] = execution.alias_arn
    if include_data:
        out["input"] = _json(execution.input)
        out["inputDetails"] = {"included": True}
        if execution.status == ExecutionStatus.SUCCEEDED:
            out["output"] = _json(execution.output)
            out["outputDetails"] = {"included": True}
    if execution.stop_date:
        out["stopDate"] = epoch(execution.stop_date)
    if execution.error:
        out["error"] = execution.error
    if execution.cause:
        out["cause"] = execution.cause
    if execution.redrive_date:
        out["redriveDate"] = epoch(execution.redrive_date)
    return out


def _redrive_status(execution: Execution) -> str:
    # AWS: only FAILED, ABORTED and TIMED_OUT executions can be redriven; a map run's child
    # only with its parent (RedriveExecution of the child is refused).
    if execution.map_run_id:
        return "NOT_REDRIVABLE"
    return "REDRIVABLE" if execution.status in REDRIVABLE else "NOT_REDRIVABLE"


@action("DescribeExecution")
def describe_execution(caller, params):
    execution = execution_for(caller, params["executionArn"])
    return describe(execution, params.get("includedData", "ALL_DATA") == "ALL_DATA")


@action("DescribeStateMachineForExecution")
def describe_state_machine_for_execution(caller, params):
    # The definition the execution runs (copied at start), not the machine's current one.
    execution = execution_for(caller, params["executionArn"])
    machine = execution.state_machine
    source = execution.version if execution.version_id else machine
    out = {
        "stateMachineArn": source.arn,
        "name": machine.name,
        # The client's own text while the machine (or version) still holds what it ran.
        "definition": (source.definition_sent if source.definition_sent
                       and source.definition == execution.definition
                       else json.dumps(execution.definition, indent=2, ensure_ascii=False)),
        "updateDate": epoch(machine.updated),
        **configuration.described(source, machine.owner_id),
    }
    if source.revision_id:
        out["revisionId"] = source.revision_id
    if execution.map_run_id:
        # A map run's child runs the Map's item processor (its definition) as the
        # labelled state machine `<machine>/<label>`.
        run = execution.map_run
        out.update(stateMachineArn=run.labelled_machine_arn, name=f"{machine.name}/{run.label}",
                   mapRunArn=run.arn, label=run.label)
    return out


@action("ListExecutions")
def list_executions(caller, params):
    if bool(params.get("stateMachineArn")) == bool(params.get("mapRunArn")):
        # AWS: exactly one of stateMachineArn and mapRunArn.
        raise errors.validation("Must provide a StateMachine ARN or MapRun ARN")
    if params.get("mapRunArn"):
        return _list_children(caller, params)
    arn = params["stateMachineArn"]
    if arns.parse(arn, "stateMachine").is_alias:
        alias = alias_for(caller, arn)
        machine, version = alias.state_machine, None
        executions = Execution.objects.filter(state_machine=machine, alias_name=alias.name)
    else:
        machine, version = state_machine_for(caller, arn)
        executions = Execution.objects.filter(state_machine=machine)
    # A map run's children are listed by its ARN only (as at AWS).
    executions = executions.filter(map_run__isnull=True).select_related("state_machine", "version__state_machine")
    if version is not None:
        executions = executions.filter(version=version)
    executions = _filtered(executions, params)
    page = paging.keyset_page(executions, order=("-start_date",), params=params,
                              salt=f"ListExecutions:{machine.pk}",
                              context=[arn, params.get("statusFilter"),
                                       params.get("redriveFilter")])
    rows = []
    for e in page.items:
        row = {"executionArn": e.arn, "stateMachineArn": machine.arn, "name": e.name,
               "status": e.status, "startDate": epoch(e.start_date),
               "redriveCount": e.redrive_count}
        if e.stop_date:
            row["stopDate"] = epoch(e.stop_date)
        if e.version_id:
            row["stateMachineVersionArn"] = e.version.arn
        if e.alias_name:
            row["stateMachineAliasArn"] = e.alias_arn
        rows.append(row)
    return page.response("executions", rows)


def _filtered(executions, params):
    if params.get("statusFilter"):
        executions = executions.filter(status=params["statusFilter"])
    if params.get("redriveFilter") == "REDRIVEN":
        executions = executions.filter(redrive_count__gt=0)
    elif params.get("redriveFilter") == "NOT_REDRIVEN":
        executions = executions.filter(redrive_count=0)
    return executions


def _list_children(caller, params):
    """ListExecutions(mapRunArn): the map run's child executions, newest first, each with
    the map run's ARN and its item count (AWS gives both only in this form)."""
    run = map_run_for(caller, params["mapRunArn"])
    executions = _filtered(Execution.objects.filter(map_run=run), params).defer(
        "definition", "output")
    page = paging.keyset_page(executions, order=("-start_date",), params=params,
                              salt=f"ListExecutions:mapRun:{run.pk}")
    run_arn, machine_arn = run.arn, run.labelled_machine_arn
    rows = []
    for e in page.items:
        e.map_run = run
        row = {"executionArn": e.arn, "stateMachineArn": machine_arn, "name": e.name,
               "status": e.status, "startDate": epoch(e.start_date), "mapRunArn": run_arn,
               "itemCount": _item_count(e.input), "redriveCount": e.redrive_count}
        if e.stop_date:
            row["stopDate"] = epoch(e.stop_date)
        if e.redrive_date:
            row["redriveDate"] = epoch(e.redrive_date)
        rows.append(row)
    return page.response("executions", rows)


def _item_count(child_input) -> int:
    # An ItemBatcher's child gets {"Items": [...], "BatchInput"?}: one item otherwise.
    if isinstance(child_input, dict) and isinstance(child_input.get("Items"), list) \
            and set(child_input) <= {"Items", "BatchInput"}:
        return len(child_input["Items"])
    return 1


@action("GetExecutionHistory")
def get_execution_history(caller, params):
    execution = execution_for(caller, params["executionArn"])
    reverse = params.get("reverseOrder", False)
    include_data = params.get("includeExecutionData", True)
    events = execution.events.all()
    salt = f"GetExecutionHistory:{execution.pk}"  # a token is good for this execution only
    if params.get("nextToken"):
        after = paging.unsign(params["nextToken"], salt)
        if not (isinstance(after, list) and len(after) == 2 and isinstance(after[0], int)):
            raise errors.AwsError("InvalidToken", f"Invalid Token: '{params['nextToken']}'")
        after, token_reverse = after
        if token_reverse != bool(reverse):  # a token walks one direction only
            raise errors.AwsError("InvalidToken",
                                  f"Invalid Token: 'Input inconsistent with page token: "
                                  f"{params['nextToken']}'")
        events = events.filter(Q(seq__lt=after) if reverse else Q(seq__gt=after))
    events = events.order_by("-seq" if reverse else "seq")
    size = paging.page_size(params)
    rows = list(events[: size + 1])
    out = {"events": [history_event(e, include_data) for e in rows[:size]]}
    if len(rows) > size:
        out["nextToken"] = paging.sign([rows[size - 1].seq, bool(reverse)], salt)
    return out


def history_event(event, include_data: bool = True) -> dict:
    out = {"timestamp": epoch(event.timestamp), "type": event.type, "id": event.seq,
           "previousEventId": event.previous_event_id}
    for key, details in (event.details or {}).items():
        if not include_data and isinstance(details, dict):
            # includeExecutionData=false: the event is kept, its payloads are not.
            details = {k: v for k, v in details.items() if k not in ("input", "output")}
        out[key] = details
    return out


@action("StartExecution")
def start_execution(caller, params):
    execution = service_calls.start(caller, params, sync=False)
    return {"executionArn": execution.arn, "startDate": epoch(execution.start_date)}


@action("StartSyncExecution")
def start_sync_execution(caller, params):
    execution = service_calls.start(caller, params, sync=True)
    out = describe(execution, params.get("includedData", "ALL_DATA") == "ALL_DATA")
    # StartSyncExecution reports the billing details and omits redrive fields.
    for key in ("redriveCount", "redriveStatus", "redriveDate"):
        out.pop(key, None)
    out["billingDetails"] = {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": 100}
    return out


@action("StopExecution")
def stop_execution(caller, params):
    execution = execution_for(caller, params["executionArn"])
    execution = service_calls.stop(execution, params.get("error", ""), params.get("cause", ""))
    return {"stopDate": epoch(execution.stop_date)}


@action("RedriveExecution")
def redrive_execution(caller, params):
    execution = execution_for(caller, params["executionArn"])
    execution = service_calls.redrive(execution)
    return {"redriveDate": epoch(execution.redrive_date)}
