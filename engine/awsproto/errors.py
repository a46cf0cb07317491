"""AWS JSON 1.0 error shapes.

botocore's JSON parser reads `__type`, keeps the part after `#`, and raises the modelled
exception of that name (`client.exceptions.StateMachineDoesNotExist`), so the name and the
HTTP status are the whole contract. Statuses are AWS's: every modelled Step Functions
error and the signature errors are 400, a missing signature 403, a server fault 500.
"""
from __future__ import annotations

import json
import uuid

from django.http import HttpResponse

CONTENT_TYPE = "application/x-amz-json-1.0"

# AWS's namespaces: service errors live in the Step Functions model, protocol and
# authentication errors come from the front end ("coral") before the service sees the call.
_SERVICE_NAMESPACE = "com.amazonaws.swf.service.v2.model"
_CORAL_NAMESPACE = "com.amazon.coral.service"
_CORAL_ERRORS = {
    "UnknownOperationException",
    "SerializationException",
    "MissingAuthenticationTokenException",
    "IncompleteSignatureException",
    "InvalidSignatureException",
    "UnrecognizedClientException",
    "AccessDeniedException",
    "RequestEntityTooLargeException",
    "InternalFailure",
    "ThrottlingException",
}

# Status per error where it is not 400 (AWS's "Common Errors": MissingAuthenticationToken 403).
_STATUS = {
    "MissingAuthenticationTokenException": 403,
    "RequestEntityTooLargeException": 413,
    "InternalFailure": 500,
}


class AwsError(Exception):
    """Raised anywhere below the AWS view; turned into the JSON error response."""

    def __init__(self, code: str, message: str = "", status: int | None = None,
                 **members: str):
        self.code = code
        self.message = message
        self.status = status or _STATUS.get(code, 400)
        # The error shape's other modelled members (TooManyTags.resourceName, …).
        self.members = members
        super().__init__(f"{code}: {message}")


def error_response(code: str, message: str, status: int | None = None,
                   members: dict | None = None) -> HttpResponse:
    namespace = _CORAL_NAMESPACE if code in _CORAL_ERRORS else _SERVICE_NAMESPACE
    body = {"__type": f"{namespace}#{code}", "message": message, **(members or {})}
    response = HttpResponse(
        json.dumps(body),
        status=status or _STATUS.get(code, 400),
        content_type=CONTENT_TYPE,
    )
    response["x-amzn-RequestId"] = str(uuid.uuid4())
    # botocore falls back to this header when a body cannot be parsed.
    response["x-amzn-ErrorType"] = code
    return response


def from_exception(error: AwsError) -> HttpResponse:
    return error_response(error.code, error.message, error.status, error.members)


# Constructors for the errors used in several places, with AWS's wording.

def validation(message: str) -> AwsError:
    return AwsError("ValidationException", message)


def invalid_arn(arn: object) -> AwsError:
    return AwsError("InvalidArn", f"Invalid Arn: 'Resource type not valid in this context: {arn}'")


def state_machine_does_not_exist(arn: str) -> AwsError:
    return AwsError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")


def execution_does_not_exist(arn: str) -> AwsError:
    return AwsError("ExecutionDoesNotExist", f"Execution Does Not Exist: '{arn}'")


def activity_does_not_exist(arn: str) -> AwsError:
    return AwsError("ActivityDoesNotExist", f"Activity Does Not Exist: '{arn}'")


def resource_not_found(arn: object) -> AwsError:
    return AwsError("ResourceNotFound", f"Resource not found: '{arn}'", resourceName=str(arn))
