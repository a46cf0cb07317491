"""Input shapes of the Step Functions actions we serve, and their validation.

Constraints are the public API model's (min/max lengths, enums, required members). AWS's
front end reports a JSON type mismatch as SerializationException and a broken constraint
as ValidationException with its "N validation error(s) detected: Value … at '…' failed to
satisfy constraint: …" message; we answer the same way. Unknown members are ignored, as AWS
does.
"""
from __future__ import annotations

import re
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
    # Payloads and definitions: AWS's limits count UTF-8 bytes, not characters
    # (100,000 "€" are 300,000 bytes, over 256 KiB).
    utf8: bool = False
    pattern: str = ""


@dataclass(frozen=True)
class Int:
    min: int | None = None
    max: int | None = None
    required: bool = False


@dataclass(frozen=True)
class Num:
    """A float or long member (UpdateMapRun's toleratedFailurePercentage / Count)."""

    min: float | None = None
    max: float | None = None
    required: bool = False
    integer: bool = False


@dataclass(frozen=True)
class Bool:
    required: bool = False


@dataclass(frozen=True)
class Struct:
    """A structure; `members` None: any object (TestState's mock, stateConfiguration)."""

    members: dict | None = None
    required: bool = False


@dataclass(frozen=True)
class List:
    member: object = None
    min: int | None = None
    max: int | None = None
    required: bool = False


ARN = Str(min=1, max=256, required=True)
LONG_ARN = Str(min=1, max=2000, required=True)
NAME = Str(min=1, max=80)
TOKEN = Str(min=1, max=1024)
PAGE_SIZE = Int(min=0, max=1000)
INCLUDED_DATA = Str(enum=("ALL_DATA", "METADATA_ONLY"))
SM_TYPE = Str(enum=("STANDARD", "EXPRESS"))
TASK_TOKEN = Str(min=1, max=2048, required=True)
ERROR = Str(max=256)
CAUSE = Str(max=32768)
PAYLOAD = Str(max=PAYLOAD_MAX, utf8=True)
DEFINITION = Str(min=1, max=DEFINITION_MAX, utf8=True)
LOGGING = Struct({
    "level": Str(enum=("ALL", "ERROR", "FATAL", "OFF")), "includeExecutionData": Bool(),
    "destinations": List(Struct({"cloudWatchLogsLogGroup": Struct({
        "logGroupArn": Str(min=1, max=256)})})),
})
TRACING = Struct({"enabled": Bool()})
ENCRYPTION = Struct({
    "kmsKeyId": Str(min=1, max=2048), "kmsDataKeyReusePeriodSeconds": Int(min=60, max=900),
    "type": Str(enum=("AWS_OWNED_KEY", "CUSTOMER_MANAGED_KMS_KEY"), required=True),
})
TAG_KEY = Str(min=1, max=128)
TAGS = List(Struct({"key": TAG_KEY, "value": Str(max=256)}))
ALIAS_NAME = Str(min=1, max=80, pattern=r"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$")
ROUTING = List(Struct({"stateMachineVersionArn": ARN, "weight": Int(min=0, max=100, required=True)}),
               min=1, max=2)

SHAPES: dict[str, dict[str, object]] = {
    "CreateStateMachine": {
        "name": Str(min=1, max=80, required=True),
        "definition": Str(min=1, max=DEFINITION_MAX, required=True, utf8=True),
        "roleArn": ARN, "type": SM_TYPE, "loggingConfiguration": LOGGING, "tags": TAGS,
        "tracingConfiguration": TRACING, "publish": Bool(), "versionDescription": Str(max=256),
        "encryptionConfiguration": ENCRYPTION,
    },
    "UpdateStateMachine": {
        "stateMachineArn": ARN, "definition": DEFINITION,
        "roleArn": Str(min=1, max=256), "loggingConfiguration": LOGGING,
        "tracingConfiguration": TRACING, "publish": Bool(), "versionDescription": Str(max=256),
        "encryptionConfiguration": ENCRYPTION,
    },
    "DescribeStateMachine": {"stateMachineArn": ARN, "includedData": INCLUDED_DATA},
    "ListStateMachines": {"maxResults": PAGE_SIZE, "nextToken": TOKEN},
    "DeleteStateMachine": {"stateMachineArn": ARN},
    "ValidateStateMachineDefinition": {
        "definition": Str(min=1, max=DEFINITION_MAX, required=True, utf8=True), "type": SM_TYPE,
        "severity": Str(enum=("ERROR", "WARNING")), "maxResults": Int(min=0, max=100),
    },
    "PublishStateMachineVersion": {
        "stateMachineArn": ARN, "revisionId": Str(), "description": Str(max=256),
    },
    "ListStateMachineVersions": {"stateMachineArn": ARN, "nextToken": TOKEN, "maxResults": PAGE_SIZE},
    "DeleteStateMachineVersion": {"stateMachineVersionArn": LONG_ARN},
    "CreateStateMachineAlias": {
        "description": Str(max=256), "name": Str(min=1, max=80, required=True,
                                                 pattern=ALIAS_NAME.pattern),
        "routingConfiguration": List(ROUTING.member, min=1, max=2, required=True),
    },
    "DescribeStateMachineAlias": {"stateMachineAliasArn": ARN},
    "UpdateStateMachineAlias": {
        "stateMachineAliasArn": ARN, "description": Str(max=256), "routingConfiguration": ROUTING,
    },
    "ListStateMachineAliases": {"stateMachineArn": ARN, "nextToken": TOKEN, "maxResults": PAGE_SIZE},
    "DeleteStateMachineAlias": {"stateMachineAliasArn": ARN},
    "TagResource": {"resourceArn": ARN, "tags": List(TAGS.member, required=True)},
    "UntagResource": {"resourceArn": ARN, "tagKeys": List(TAG_KEY, required=True)},
    "ListTagsForResource": {"resourceArn": ARN},
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
    "ListMapRuns": {"executionArn": ARN, "maxResults": PAGE_SIZE, "nextToken": TOKEN},
    "DescribeMapRun": {"mapRunArn": LONG_ARN},
    "UpdateMapRun": {
        "mapRunArn": LONG_ARN, "maxConcurrency": Int(min=0),
        "toleratedFailurePercentage": Num(min=0, max=100),
        "toleratedFailureCount": Num(min=0, integer=True),
    },
    "SendTaskSuccess": {"taskToken": TASK_TOKEN,
                        "output": Str(max=PAYLOAD_MAX, required=True, utf8=True)},
    "SendTaskFailure": {"taskToken": TASK_TOKEN, "error": ERROR, "cause": CAUSE},
    "SendTaskHeartbeat": {"taskToken": TASK_TOKEN},
    "CreateActivity": {
        "name": Str(min=1, max=80, required=True), "tags": TAGS,
        "encryptionConfiguration": ENCRYPTION,
    },
    "DescribeActivity": {"activityArn": ARN},
    "DeleteActivity": {"activityArn": ARN},
    "ListActivities": {"maxResults": PAGE_SIZE, "nextToken": TOKEN},
    "GetActivityTask": {"activityArn": ARN, "workerName": NAME},
    "TestState": {
        "definition": Str(min=1, max=DEFINITION_MAX, required=True, utf8=True),
        "roleArn": Str(min=1, max=256), "input": PAYLOAD,
        "inspectionLevel": Str(enum=("INFO", "DEBUG", "TRACE")), "revealSecrets": Bool(),
        "variables": PAYLOAD, "stateName": Str(min=1, max=80),
        "mock": Struct({"result": PAYLOAD,
                        "errorOutput": Struct({"error": ERROR, "cause": CAUSE}),
                        "fieldValidationMode": Str(enum=("STRICT", "PRESENT", "NONE"))}),
        "context": PAYLOAD,
        "stateConfiguration": Struct({"retrierRetryCount": Int(min=0),
                                      "errorCausedByState": Str(min=1, max=80),
                                      "mapIterationFailureCount": Int(min=0),
                                      "mapItemReaderData": PAYLOAD}),
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
    problems = []
    for member, spec in shape.items():
        _collect_problems(member, spec, params.get(member), problems)
    if problems:
        noun = "error" if len(problems) == 1 else "errors"
        raise AwsError("ValidationException",
                       f"{len(problems)} validation {noun} detected: " + "; ".join(problems))
    return params


_TYPE_CHECKS = {
    Str: lambda v: isinstance(v, str),
    Int: lambda v: isinstance(v, int) and not isinstance(v, bool),
    Num: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    Bool: lambda v: isinstance(v, bool),
    Struct: lambda v: isinstance(v, dict),
    List: lambda v: isinstance(v, list),
}
_TYPE_NAMES = {Str: "a string", Int: "an integer", Num: "a number", Bool: "a boolean", Struct: "an object",
               List: "an array"}


def _check_type(path: str, spec: object, value: object) -> None:
    # JSON's bool is not a number, and a number is not a string (AWS: SerializationException).
    if not _TYPE_CHECKS[type(spec)](value):
        raise AwsError("SerializationException",
                       f"Unexpected value type for '{path}': expected {_TYPE_NAMES[type(spec)]}.")
    if isinstance(spec, Struct) and spec.members:
        for member, inner in spec.members.items():
            if value.get(member) is not None:
                _check_type(f"{path}.{member}", inner, value[member])
    if isinstance(spec, List) and spec.member is not None:
        for index, item in enumerate(value, 1):
            if item is None:  # a list member cannot be null in AWS's JSON protocol
                raise AwsError("SerializationException",
                               f"Unexpected null in '{path}' at position {index}.")
            _check_type(f"{path}.{index}.member", spec.member, item)


def _collect_problems(path: str, spec: object, value: object, problems: list) -> None:
    problem = _constraint_problem(path, spec, value)
    if problem:
        problems.append(problem)
        return
    # AWS names nested members as 'tags.1.member.key' in its messages.
    if isinstance(spec, Struct) and spec.members and isinstance(value, dict):
        for member, inner in spec.members.items():
            _collect_problems(f"{path}.{member}", inner, value.get(member), problems)
    if isinstance(spec, List) and spec.member is not None and isinstance(value, list):
        for index, item in enumerate(value, 1):
            _collect_problems(f"{path}.{index}.member", spec.member, item, problems)


def _constraint_problem(member: str, spec: object, value: object) -> str | None:
    def fail(constraint: str) -> str:
        shown = "null" if value is None else f"'{value}'" if len(str(value)) <= 100 else "(value)"
        return f"Value {shown} at '{member}' failed to satisfy constraint: {constraint}"

    if value is None:
        return fail("Member must not be null") if getattr(spec, "required", False) else None
    if isinstance(spec, Str):
        if spec.enum and value not in spec.enum:
            return fail(f"Member must satisfy enum value set: [{', '.join(spec.enum)}]")
        length = len(value.encode("utf-8", "surrogatepass")) if spec.utf8 else len(value)
        if length < spec.min:
            return fail(f"Member must have length greater than or equal to {spec.min}")
        if spec.max is not None and length > spec.max:
            return fail(f"Member must have length less than or equal to {spec.max}")
        if spec.pattern and not re.match(spec.pattern, value):
            return fail(f"Member must satisfy regular expression pattern: {spec.pattern}")
    if isinstance(spec, Num) and spec.integer and value != int(value):
        return fail("Member must be an integer")
    if isinstance(spec, (Int, Num)):
        if spec.min is not None and value < spec.min:
            return fail(f"Member must have value greater than or equal to {spec.min}")
        if spec.max is not None and value > spec.max:
            return fail(f"Member must have value less than or equal to {spec.max}")
    if isinstance(spec, List):
        if spec.min is not None and len(value) < spec.min:
            return fail(f"Member must have length greater than or equal to {spec.min}")
        if spec.max is not None and len(value) > spec.max:
            return fail(f"Member must have length less than or equal to {spec.max}")
    return None
