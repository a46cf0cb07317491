"""Task `Resource` ARNs: which ones Step Functions recognises, and what Express refuses.

AWS: "The resource provided <arn> is not recognized. The value is not a valid resource ARN, or
the resource is not available in this region." for an optimized integration it does not offer
(e.g. `dynamodb:query`; the SDK integration `aws-sdk:dynamodb:query` is fine).
"""
from __future__ import annotations

import re

from .report import SCHEMA, Loc, Report
from .values import has_placeholder

# Optimized integrations (AWS, "Integrating services with Step Functions"): service -> APIs.
# Services listed with None accept any API name here: their API lists are long and change,
# and a false refusal would block a definition AWS accepts.
OPTIMIZED: dict[str, frozenset | None] = {
    "lambda": frozenset({"invoke"}),
    "dynamodb": frozenset({"getItem", "putItem", "deleteItem", "updateItem"}),
    "sns": frozenset({"publish"}),
    "sqs": frozenset({"sendMessage"}),
    "events": frozenset({"putEvents"}),
    "states": frozenset({"startExecution"}),
    "batch": frozenset({"submitJob"}),
    "glue": frozenset({"startJobRun"}),
    "ecs": frozenset({"runTask"}),
    "apigateway": frozenset({"invoke"}),
    "http": frozenset({"invoke"}),
    "athena": None, "codebuild": None, "databrew": None, "eks": None,
    "elasticmapreduce": None, "emr-containers": None, "emr-serverless": None,
    "mediaconvert": None, "sagemaker": None, "bedrock": None, "bedrock-agentcore": None,
    "evidently": None,
}
# Integration patterns a service never offers (AWS's integration pattern table).
_NO_SYNC = frozenset({"lambda", "sns", "sqs", "dynamodb", "events", "apigateway", "aws-sdk",
                      "http"})
_NO_TOKEN = frozenset({"athena", "batch", "codebuild", "elasticmapreduce", "emr-containers",
                       "emr-serverless", "glue", "databrew", "mediaconvert", "sagemaker",
                       "dynamodb", "http"})

REQUEST_SEVERITY = "WARNING"  # see check_integration_request

# Request fields AWS requires per optimized integration (a `.$` key counts as present).
REQUIRED_FIELDS = {
    ("lambda", "invoke"): ("FunctionName",),
    ("sqs", "sendMessage"): ("QueueUrl", "MessageBody"),
    ("sns", "publish"): ("Message",),
    ("dynamodb", "putItem"): ("TableName", "Item"),
    ("dynamodb", "getItem"): ("TableName", "Key"),
    ("states", "startExecution"): ("StateMachineArn",),
    ("events", "putEvents"): ("Entries",),
    ("ecs", "runTask"): ("TaskDefinition",),
    ("glue", "startJobRun"): ("JobName",),
}

# Service integrations: `arn:aws:states:::sqs:sendMessage`, and the same with a region and an
# account, as SAM and CDK templates write them (`arn:${AWS::Partition}:states:${AWS::Region}:
# ${AWS::AccountId}:athena:startQueryExecution.sync`): AWS deploys both and runs them alike.
_INTEGRATION = re.compile(r"arn:[^:]+:states:[^:]*:[^:]*:(?P<service>[^:]+):(?P<api>.+)\Z")
_NOT_INTEGRATIONS = frozenset({"activity", "stateMachine", "execution", "express", "mapRun"})
_ACTIVITY = re.compile(r"arn:[^:]+:states:[^:]*:[^:]*:activity:.+\Z")
_LAMBDA = re.compile(r"arn:[^:]+:lambda:[^:]*:[^:]*:function:.+\Z")
# A Lambda function ARN names the function, then optionally a version or alias: botocore's
# Lambda model (FunctionName / FunctionArn): `function:[a-zA-Z0-9-_]+(:(\$LATEST|
# [a-zA-Z0-9-_]+))?`. AWS refuses any other qualifier (an empty one, `:$*#`, a third part)
# as an unrecognised resource. Region, account and the name itself are left to the call
# (deployment tools and recordings put tokens there).
_LAMBDA_FUNCTION = re.compile(r"arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+"
                              r"(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?\Z")


def integration(resource: str):
    """The match (groups service, api) when `resource` is a service-integration ARN."""
    m = _INTEGRATION.match(resource)
    return m if m and m.group("service") not in _NOT_INTEGRATIONS else None


def is_activity(resource) -> bool:
    return isinstance(resource, str) and _ACTIVITY.match(resource) is not None


def _split_pattern(api: str) -> tuple[str, str]:
    for suffix in (".sync:2", ".sync", ".waitForTaskToken"):
        if api.endswith(suffix):
            return api[: -len(suffix)], suffix
    return api, ""


def check_resource(report: Report, resource, loc: Loc, machine_type: str) -> None:
    if not isinstance(resource, str):
        report.schema("Expected value of type String", loc)
        return
    if has_placeholder(resource):
        return
    express = machine_type == "EXPRESS"
    if _ACTIVITY.match(resource):
        if express:
            report.schema("Express state machine does not support Activity ARN", loc)
        return
    if _LAMBDA.match(resource):
        if not _LAMBDA_FUNCTION.match(resource):
            report.schema(_not_recognized(resource), loc)
        return
    m = integration(resource)
    if not m:
        if not _has_handler(resource):
            report.schema(_not_recognized(resource), loc)
        return
    service = m.group("service")
    api, pattern = _split_pattern(m.group("api"))
    if express and pattern == ".waitForTaskToken":
        # The trailing space is AWS's, as recorded in the conformance corpus.
        report.schema("Express state machine does not support '.waitForTaskToken' service "
                      "integration ", loc)
        return
    if express and pattern.startswith(".sync"):
        report.schema("Express state machine does not support '.sync' service integration", loc)
        return
    if not _known_integration(service, api, pattern) and not _has_handler(resource,
                                                                          f"{service}:{api}"):
        report.schema(_not_recognized(resource), loc)


def _has_handler(*names: str) -> bool:
    """StepStudio runs Tasks through its handler registry (engine.asl.handlers): a resource a
    handler is registered for — under its full ARN or as "service:action" — is available "in
    this region", even when AWS offers no such integration."""
    from engine.asl.handlers import get_handler  # the registry imports the evaluator

    return any(get_handler(name) is not None for name in names)


def _known_integration(service: str, api: str, pattern: str) -> bool:
    if service == "aws-sdk":
        # arn:aws:states:::aws-sdk:<service>:<apiAction>; .sync is not offered for SDK calls.
        return ":" in api and pattern in ("", ".waitForTaskToken")
    if service not in OPTIMIZED:
        return False
    if pattern.startswith(".sync") and service in _NO_SYNC:
        return False
    if pattern == ".sync:2" and service != "states":
        return False
    if pattern == ".waitForTaskToken" and service in _NO_TOKEN:
        return False
    apis = OPTIMIZED[service]
    return apis is None or api in apis


def _not_recognized(resource: str) -> str:
    return (f"The resource provided {resource} is not recognized. The value is not a valid "
            "resource ARN, or the resource is not available in this region.")


def check_integration_request(report: Report, state: dict, loc: Loc, language: str) -> None:
    """A service integration needs its request: `Parameters` (JSONPath) or `Arguments`
    (JSONata), with the fields the API cannot do without.

    AWS refuses these definitions (SCHEMA_VALIDATION_FAILED). They are reported as WARNINGs
    for now: the interpreter's own tests run integration Tasks without a request against
    mocks, and an ERROR would stop those runs (check_definition). Flip REQUEST_SEVERITY to
    "ERROR" once they carry Parameters/Arguments.
    """
    def problem(message: str, where: Loc) -> None:
        if REQUEST_SEVERITY == "ERROR":
            report.schema(message, where)
        else:
            report.warning(SCHEMA, message, where)

    resource = state.get("Resource")
    if not isinstance(resource, str) or has_placeholder(resource):
        return
    m = integration(resource)
    if not m:
        return  # legacy Lambda ARNs and activities take the state input as it is
    api, pattern = _split_pattern(m.group("api"))
    if not _known_integration(m.group("service"), api, pattern):
        return  # already refused as not recognized
    field = "Parameters" if language == "JSONPath" else "Arguments"
    if field not in state:
        problem(f"{field} field is required for resource ARN: {resource}", loc)
        return
    request = state[field]
    if not isinstance(request, dict):
        return  # a JSONata expression: its fields are only known at run time
    for name in REQUIRED_FIELDS.get((m.group("service"), api), ()):
        if name not in request and f"{name}.$" not in request:
            problem(f"The field '{name}' is required but was missing", loc + (field,))

