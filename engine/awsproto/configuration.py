"""A state machine's AWS configuration: role, logging, tracing and encryption.

StepStudio runs tasks as the machine's owner, so none of these change how an execution runs;
they are kept as given (checked the way AWS checks them), returned by Describe, changed by
Update and copied into each published version, so that tools that write them (Terraform,
CDK, CloudFormation) read back what they wrote and see no drift.
"""
from __future__ import annotations

import re

from engine.models import account_id

from . import errors

# Machines made through the web app or REST API have no role of their own; Describe
# answers a stable per-account role so SDK code that reads `roleArn` keeps working.
DEFAULT_ROLE_NAME = "StepStudioExecutionRole"

_ROLE_RE = re.compile(r"^arn:aws(?:-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
_LOG_GROUP_RE = re.compile(r"^arn:aws(?:-[a-z]+)*:logs:[a-z0-9-]+:\d{12}:log-group:[\w./#-]{1,512}(:\*)?$")
_KMS_RE = re.compile(
    r"^(arn:aws(?:-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:(key/[\w-]+|alias/[\w/+=,.@-]+)"
    r"|alias/[\w/+=,.@-]+|[0-9a-fA-F-]{36}|mrk-[0-9a-f]{32})$")

LOGGING_DEFAULT = {"level": "OFF", "includeExecutionData": False}
TRACING_DEFAULT = {"enabled": False}
ENCRYPTION_DEFAULT = {"type": "AWS_OWNED_KEY"}
KMS_REUSE_DEFAULT = 300  # seconds, AWS's default kmsDataKeyReusePeriodSeconds


def default_role_arn(owner_id: int) -> str:
    return f"arn:aws:iam::{account_id(owner_id)}:role/{DEFAULT_ROLE_NAME}"


def role(value: str) -> str:
    if not _ROLE_RE.match(value):
        raise errors.AwsError("InvalidArn", f"Invalid Role Arn: '{value}'")
    return value


def logging(value: dict) -> dict:
    level = value.get("level") or "OFF"  # members given as null count as absent
    destinations = value.get("destinations") or []
    if level != "OFF" and len(destinations) != 1:
        raise errors.AwsError("InvalidLoggingConfiguration",
                              "Invalid Logging Configuration: Must specify exactly one Log "
                              "Destination.")
    if len(destinations) > 1:
        raise errors.AwsError("InvalidLoggingConfiguration",
                              "Invalid Logging Configuration: Must specify exactly one Log "
                              "Destination.")
    for destination in destinations:
        arn = ((destination or {}).get("cloudWatchLogsLogGroup") or {}).get("logGroupArn", "")
        if not _LOG_GROUP_RE.match(arn):
            raise errors.AwsError("InvalidLoggingConfiguration",
                                  f"Invalid Logging Configuration: Log Destination is not a "
                                  f"CloudWatch Logs log group ARN: '{arn}'")
    out = {"level": level, "includeExecutionData": bool(value.get("includeExecutionData", False))}
    if destinations:
        out["destinations"] = destinations
    return out


def tracing(value: dict) -> dict:
    return {"enabled": bool(value.get("enabled", False))}


def encryption(value: dict) -> dict:
    kind = value["type"]
    key = value.get("kmsKeyId")
    if kind == "AWS_OWNED_KEY":
        if key is not None or value.get("kmsDataKeyReusePeriodSeconds") is not None:
            raise errors.AwsError("InvalidEncryptionConfiguration",
                                  "Invalid Encryption Configuration: kmsKeyId and "
                                  "kmsDataKeyReusePeriodSeconds are only allowed with type "
                                  "CUSTOMER_MANAGED_KMS_KEY")
        return {"type": kind}
    if not key:
        raise errors.AwsError("InvalidEncryptionConfiguration",
                              "Invalid Encryption Configuration: kmsKeyId is required with "
                              "type CUSTOMER_MANAGED_KMS_KEY")
    if not _KMS_RE.match(key):
        raise errors.AwsError("InvalidEncryptionConfiguration",
                              f"Invalid Encryption Configuration: '{key}' is not a KMS key id, "
                              f"key ARN, alias name or alias ARN")
    return {"kmsKeyId": key, "type": kind,
            "kmsDataKeyReusePeriodSeconds": value.get("kmsDataKeyReusePeriodSeconds")
            or KMS_REUSE_DEFAULT}


def fields_from(params: dict) -> dict:
    """Model fields for the configuration members present in a Create/Update request."""
    out = {}
    if params.get("roleArn") is not None:
        out["role_arn"] = role(params["roleArn"])
    if params.get("loggingConfiguration") is not None:
        out["logging_configuration"] = logging(params["loggingConfiguration"])
    if params.get("tracingConfiguration") is not None:
        out["tracing_configuration"] = tracing(params["tracingConfiguration"])
    if params.get("encryptionConfiguration") is not None:
        out["encryption_configuration"] = encryption(params["encryptionConfiguration"])
    return out


def described(source, owner_id: int) -> dict:
    """The configuration members of DescribeStateMachine for a machine or a version."""
    return {
        "roleArn": source.role_arn or default_role_arn(owner_id),
        "loggingConfiguration": source.logging_configuration or dict(LOGGING_DEFAULT),
        "tracingConfiguration": source.tracing_configuration or dict(TRACING_DEFAULT),
        "encryptionConfiguration": source.encryption_configuration or dict(ENCRYPTION_DEFAULT),
    }
