"""The event: EventBridge's "Step Functions Execution Status Change", field for field.

AWS (Step Functions developer guide, "Automating Step Functions event delivery with
EventBridge" / cw-events): `version` "0", `id`, `detail-type` "Step Functions Execution
Status Change", `source` "aws.states", `account`, `time`, `region`, `resources` [the
execution ARN], and a `detail` with "the same information as the DescribeExecution API":
executionArn, stateMachineArn, name, status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT,
ABORTED), startDate and stopDate as epoch milliseconds (stopDate null while running), input
and output as JSON text (output null unless SUCCEEDED) with inputDetails/outputDetails,
error and cause when set, and the redrive fields (redriveCount, redriveDate, redriveStatus,
redriveStatusReason). stateMachineVersionArn is added when the execution runs a version.
PENDING_REDRIVE is a status of Distributed Map child executions in AWS; here those are not
executions of their own, so it is never emitted.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid

from engine.models import (REDRIVABLE, Execution, ExecutionStatus,
                           StateMachineVersion, account_id)

DETAIL_TYPE = "Step Functions Execution Status Change"
SOURCE = "aws.states"


def _ms(value):
    return None if value is None else int(value.timestamp() * 1000)


def _redrive_status(execution: Execution) -> tuple[str, str | None]:
    if execution.status in REDRIVABLE:
        return "REDRIVABLE", None
    reason = f"Execution is {execution.status} and cannot be redriven"
    return "NOT_REDRIVABLE", reason


_UNSET = object()


def build(execution: Execution, now, event_id: uuid.UUID | None = None,
          input_value=_UNSET) -> dict:
    """`input_value`: the execution's input when the caller has it (the runtime defers the
    column and keeps the parsed input in its cache); else it is read from the row."""
    machine = execution.state_machine
    status = execution.status
    succeeded = status == ExecutionStatus.SUCCEEDED
    redrive_status, reason = _redrive_status(execution)
    detail = {
        "executionArn": execution.arn,
        "stateMachineArn": machine.arn,
        "name": execution.name,
        "status": status,
        "startDate": _ms(execution.start_date),
        "stopDate": _ms(execution.stop_date),
        "input": json.dumps(execution.input if input_value is _UNSET else input_value,
                            ensure_ascii=False),
        "inputDetails": {"included": True},
        "output": json.dumps(execution.output, ensure_ascii=False) if succeeded else None,
        "outputDetails": {"included": True} if succeeded else None,
        "error": execution.error or None,
        "cause": execution.cause or None,
        "redriveCount": execution.redrive_count,
        "redriveDate": _ms(execution.redrive_date),
        "redriveStatus": redrive_status,
    }
    if reason:
        detail["redriveStatusReason"] = reason
    if execution.version_id:
        number = (StateMachineVersion.objects.filter(id=execution.version_id)
                  .values_list("version", flat=True).first())
        detail["stateMachineVersionArn"] = f"{machine.arn}:{number}"
    return {
        "version": "0",
        "id": str(event_id or uuid.uuid4()),
        "detail-type": DETAIL_TYPE,
        "source": SOURCE,
        "account": account_id(machine.owner_id),
        "time": now.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": machine.region,
        "resources": [execution.arn],
        "detail": detail,
    }
