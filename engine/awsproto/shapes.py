"""Input shapes of the Step Functions actions we serve, and their validation.

Constraints are the public API model's (min/max lengths, enums, required members). AWS's
front end reports a JSON type mismatch as SerializationException and a broken constraint
as ValidationException with its "N validation error(s) detected: Value … at '…' failed to
satisfy constraint: …" message; we answer the same way. Unknown members are ignored, as AWS
does.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import AwsError

PAYLOAD_MAX = 262144  # 256 KiB: input/output/variables of an execution or task
DEFINITION_MAX = 1048576  # 1 MiB


@dataclass(frozen=True)
class Str:
    min: int = 0
    max: int | None = None
    enum: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Int:
    min: int | None = None
    max: int | None = None
    required: bool = False


@dataclass(frozen=True)
class Bool:
    required: bool = False


@dataclass(frozen=True)
class Struct:
    """A structure we accept for compatibility (logging, tracing, encryption) and ignore."""

    required: bool = False


@dataclass(frozen=True)
class List:
    required: bool = False


ARN = Str(min=1, max=256, required=True)
NAME = Str(min=1, max=80)
TOKEN = Str(min=1, max=1024)
PAGE_SIZE = Int(min=0, max=1000)
INCLUDED_DATA = Str(enum=("ALL_DATA", "METADATA_ONLY"))
SM_TYPE = Str(enum=("STANDARD", "EXPRESS"))
TASK_TOKEN = Str(min=1, max=2048, required=True)
ERROR = Str(max=256)
CAUSE = Str(max=32768)
PAYLOAD = Str(max=PAYLOAD_MAX)

SHAPES: dict[str, dict[str, object]] = {
    "CreateStateMachine": {
        "name": Str(min=1, max=80, required=True),
        "definition": Str(min=1, max=DEFINITION_MAX, required=True),
        "roleArn": ARN, "type": SM_TYPE, "loggingConfiguration": Struct(), "tags": List(),
        "tracingConfiguration": Struct(), "publish": Bool(), "versionDescription": Str(max=256),
        "encryptionConfiguration": Struct(),
    },
    "UpdateStateMachine": {
        "stateMachineArn": ARN, "definition": Str(min=1, max=DEFINITION_MAX),
        "roleArn": Str(min=1, max=256), "loggingConfiguration": Struct(),
        "tracingConfiguration": Struct(), "publish": Bool(), "versionDescription": Str(max=256),
        "encryptionConfiguration": Struct(),
    },
    "DescribeStateMachine": {"stateMachineArn": ARN, "includedData": INCLUDED_DATA},
    "ListStateMachines": {"maxResults": PAGE_SIZE, "nextToken": TOKEN},
    "DeleteStateMachine": {"stateMachineArn": ARN},
    "ValidateStateMachineDefinition": {
        "definition": Str(min=1, max=DEFINITION_MAX, required=True), "type": SM_TYPE,
        "severity": Str(enum=("ERROR", "WARNING")), "maxResults": Int(min=0, max=100),
    },
    "PublishStateMachineVersion": {
        "stateMachineArn": ARN, "revisionId": Str(), "description": Str(max=256),
    },
    "ListStateMachineVersions": {"stateMachineArn": ARN, "nextToken": TOKEN, "maxResults": PAGE_SIZE},
    "StartExecution": {
        "stateMachineArn": ARN, "name": NAME, "input": PAYLOAD, "traceHeader": Str(max=256),
    },
    "StartSyncExecution": {
        "stateMachineArn": ARN, "name": NAME, "input": PAYLOAD, "traceHeader": Str(max=256),
        "includedData": INCLUDED_DATA,
    },
    "StopExecution": {"executionArn": ARN, "error": ERROR, "cause": CAUSE},
    "DescribeExecution": {"executionArn": ARN, "includedData": INCLUDED_DATA},
    "DescribeStateMachineForExecution": {"executionArn": ARN, "includedData": INCLUDED_DATA},
    "ListExecutions": {
        "stateMachineArn": Str(min=1, max=256),
        "statusFilter": Str(enum=("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED",
                                  "PENDING_REDRIVE")),
        "maxResults": PAGE_SIZE, "nextToken": Str(min=1, max=3096),
        "mapRunArn": Str(min=1, max=2000), "redriveFilter": Str(enum=("REDRIVEN", "NOT_REDRIVEN")),
    },
    "GetExecutionHistory": {
        "executionArn": ARN, "maxResults": PAGE_SIZE, "reverseOrder": Bool(),
        "nextToken": TOKEN, "includeExecutionData": Bool(),
    },
    "RedriveExecution": {"executionArn": ARN, "clientToken": Str(min=1, max=64)},
    "SendTaskSuccess": {"taskToken": TASK_TOKEN, "output": Str(max=PAYLOAD_MAX, required=True)},
    "SendTaskFailure": {"taskToken": TASK_TOKEN, "error": ERROR, "cause": CAUSE},
    "SendTaskHeartbeat": {"taskToken": TASK_TOKEN},
    "CreateActivity": {
        "name": Str(min=1, max=80, required=True), "tags": List(),
        "encryptionConfiguration": Struct(),
    },
    "DescribeActivity": {"activityArn": ARN},
    "DeleteActivity": {"activityArn": ARN},
    "ListActivities": {"maxResults": PAGE_SIZE, "nextToken": TOKEN},
    "GetActivityTask": {"activityArn": ARN, "workerName": NAME},
    "TestState": {
        "definition": Str(min=1, max=DEFINITION_MAX, required=True),
        "roleArn": Str(min=1, max=256), "input": PAYLOAD,
        "inspectionLevel": Str(enum=("INFO", "DEBUG", "TRACE")), "revealSecrets": Bool(),
        "variables": PAYLOAD, "stateName": Str(min=1, max=80), "mock": Struct(),
        "context": PAYLOAD, "stateConfiguration": Struct(),
    },
}


def validate(action: str, params: object) -> dict:
    """Return the params when they fit the action's shape; raise AwsError otherwise."""
    if not isinstance(params, dict):
        raise AwsError("SerializationException", "Start of structure or map expected.")
    shape = SHAPES[action]
    for member, spec in shape.items():
        value = params.get(member)
        if value is not None:
            _check_type(member, spec, value)
    problems = [p for member, spec in shape.items()
                if (p := _constraint_problem(member, spec, params.get(member)))]
    if problems:
        noun = "error" if len(problems) == 1 else "errors"
        raise AwsError("ValidationException",
                       f"{len(problems)} validation {noun} detected: " + "; ".join(problems))
    return params


def _check_type(member: str, spec: object, value: object) -> None:
    # JSON's bool is not a number, and a number is not a string (AWS: SerializationException).
    ok = {
        Str: lambda v: isinstance(v, str),
        Int: lambda v: isinstance(v, int) and not isinstance(v, bool),
        Bool: lambda v: isinstance(v, bool),
        Struct: lambda v: isinstance(v, dict),
        List: lambda v: isinstance(v, list),
    }[type(spec)](value)
    if not ok:
        expected = {Str: "a string", Int: "an integer", Bool: "a boolean",
                    Struct: "an object", List: "an array"}[type(spec)]
        raise AwsError("SerializationException",
                       f"Unexpected value type for '{member}': expected {expected}.")


def _constraint_problem(member: str, spec: object, value: object) -> str | None:
    def fail(constraint: str) -> str:
        shown = "null" if value is None else f"'{value}'" if len(str(value)) <= 100 else "(value)"
        return f"Value {shown} at '{member}' failed to satisfy constraint: {constraint}"

    if value is None:
        return fail("Member must not be null") if getattr(spec, "required", False) else None
    if isinstance(spec, Str):
        if spec.enum and value not in spec.enum:
            return fail(f"Member must satisfy enum value set: [{', '.join(spec.enum)}]")
        if len(value) < spec.min:
            return fail(f"Member must have length greater than or equal to {spec.min}")
        if spec.max is not None and len(value) > spec.max:
            return fail(f"Member must have length less than or equal to {spec.max}")
    if isinstance(spec, Int):
        if spec.min is not None and value < spec.min:
            return fail(f"Member must have value greater than or equal to {spec.min}")
        if spec.max is not None and value > spec.max:
            return fail(f"Member must have value less than or equal to {spec.max}")
    return None
