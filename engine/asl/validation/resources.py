"""Task `Resource` ARNs: which ones Step Functions recognises, and what Express refuses.

AWS: "The resource provided <arn> is not recognized. The value is not a valid resource ARN, or
the resource is not available in this region." for an optimized integration it does not offer
(e.g. `dynamodb:query`; the SDK integration `aws-sdk:dynamodb:query` is fine).
"""
from __future__ import annotations

import re

from .report import Loc, Report
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

_INTEGRATION = re.compile(r"arn:[^:]+:states:::(?P<service>[^:]+):(?P<api>.+)\Z")
_ACTIVITY = re.compile(r"arn:[^:]+:states:[^:]*:[^:]*:activity:.+\Z")
_LAMBDA = re.compile(r"arn:[^:]+:lambda:[^:]*:[^:]*:function:.+\Z")


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
        return
    m = _INTEGRATION.match(resource)
    if not m:
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
    if not _known_integration(service, api, pattern):
        report.schema(_not_recognized(resource), loc)


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
