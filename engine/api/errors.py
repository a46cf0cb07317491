"""The REST API's one error shape: `{"detail": str, "code": str, "diagnostics": [...]}`.

Every refusal, DRF's own (authentication, validation, 404, 405, throttling) and ours, goes
through `exception_handler`, so the designer has a single shape to read. `code` is a stable
machine-readable name from CODES; `diagnostics` carries definition findings (else []).
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import DataError, IntegrityError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from engine.asl.validation.explain import explain, field_location
from stepstudio.http import outage

from .machines import MachineError

# code → HTTP status, for errors raised by the use cases (AWS error names) and by us.
CODES = {
    "invalid": 400,
    "parse_error": 400,
    "invalid_definition": 400,
    "invalid_name": 400,
    "invalid_input": 400,
    "not_authenticated": 401,
    "authentication_failed": 401,
    "permission_denied": 403,
    "not_found": 404,
    "task_does_not_exist": 404,
    "method_not_allowed": 405,
    "not_acceptable": 406,
    "already_exists": 409,
    "execution_already_exists": 409,
    "execution_not_running": 409,
    "execution_not_redrivable": 409,
    "task_timed_out": 409,
    "payload_too_large": 413,
    "unsupported_media_type": 415,
    "throttled": 429,
    "execution_limit_exceeded": 429,
    "service_unavailable": 503,
}

# AWS error names (raised by engine.api.machines and engine.services) → our codes.
AWS_NAMES = {
    "InvalidDefinition": "invalid_definition",
    "InvalidName": "invalid_name",
    "StateMachineTypeNotSupported": "invalid",
    "StateMachineAlreadyExists": "already_exists",
    "ActivityAlreadyExists": "already_exists",
    "ExecutionAlreadyExists": "execution_already_exists",
    "InvalidExecutionInput": "invalid_input",
    "InvalidOutput": "invalid_input",
    "ExecutionNotRedrivable": "execution_not_redrivable",
    "TaskDoesNotExist": "task_does_not_exist",
    "InvalidToken": "task_does_not_exist",
    "TaskTimedOut": "task_timed_out",
    "StateMachineDoesNotExist": "not_found",
    "ExecutionDoesNotExist": "not_found",
    "ActivityDoesNotExist": "not_found",
    "ValidationException": "invalid",
    "ExecutionLimitExceeded": "execution_limit_exceeded",
}


class ApiError(exceptions.APIException):
    """A refusal with one of CODES; raised by views."""

    def __init__(self, code: str, detail: str, diagnostics: list | None = None):
        self.status_code = CODES[code]
        self.code = code
        self.diagnostics = diagnostics or []
        super().__init__(detail, code)


def diagnostic_body(diagnostic) -> dict:
    """A validator finding as the REST API gives it: AWS's code, severity, message and
    location, plus `explanation` (the same finding in words that name the field) and `field`
    (the pointer of that field), which the designer shows."""
    if not hasattr(diagnostic, "to_dict"):
        return diagnostic
    return {**diagnostic.to_dict(), "explanation": explain(diagnostic),
            "field": field_location(diagnostic)}


def from_aws(code: str, message: str, diagnostics: list | None = None) -> ApiError:
    return ApiError(AWS_NAMES.get(code, "invalid"), message,
                    [diagnostic_body(d) for d in diagnostics or []])


def body(detail: str, code: str, diagnostics: list | None = None) -> dict:
    return {"detail": detail, "code": code, "diagnostics": diagnostics or []}


def exception_handler(exc, context):
    if outage.is_outage(exc):
        return Response(body(outage.MESSAGE, "service_unavailable"), status=503,
                        headers={"Retry-After": str(outage.RETRY_AFTER_SECONDS)})
    if isinstance(exc, MachineError):
        exc = from_aws(exc.code, exc.message, exc.diagnostics)
    elif isinstance(exc, DataError):
        # The database refused a value the serializers let through (e.g. a NUL character):
        # still the caller's input, so a 400, not a 500.
        exc = ApiError("invalid", "A value could not be stored.")
    elif isinstance(exc, IntegrityError):
        # A concurrent request created the same name between our check and our insert.
        exc = ApiError("already_exists", "It conflicts with one that already exists.")
    elif isinstance(exc, RecursionError):
        # JSON nested deeper than Python's parser (or a later walk over it) can follow: the
        # caller's input, refused like any other malformed body.
        exc = ApiError("parse_error", "JSON parse error - the value is nested too deeply.")
    if isinstance(exc, ApiError):
        return Response(body(str(exc.detail), exc.code, exc.diagnostics), status=exc.status_code)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: let Django log it and answer 500
    if isinstance(exc, Http404):
        code = "not_found"
    elif isinstance(exc, PermissionDenied):
        code = "permission_denied"
    elif isinstance(exc, exceptions.APIException) and isinstance(exc.detail, str):
        code = exc.get_codes()  # NotAuthenticated → "not_authenticated", …
    else:
        # ValidationError: field → messages; its first code when it is one of ours
        # (invalid_name from the name validator), else "invalid".
        code = _first_leaf(exc.get_codes()) if isinstance(exc, exceptions.ValidationError) \
            else "invalid"
    response.data = body(_first_message(response.data), code if code in CODES else "invalid")
    return response


def _first_leaf(data):
    """The first code in DRF's nested {field: [code, …]} structure."""
    while isinstance(data, (dict, list)) and data:
        data = next(iter(data.values())) if isinstance(data, dict) else data[0]
    return data if isinstance(data, str) else "invalid"


def _first_message(data, prefix: str = "") -> str:
    """One readable line for a (possibly nested) DRF error structure: 'field: message'."""
    if isinstance(data, dict):
        if "detail" in data and len(data) == 1:
            return _first_message(data["detail"], prefix)
        for key, value in data.items():
            name = key if key != "non_field_errors" else ""
            return _first_message(value, f"{prefix}.{name}" if prefix and name else prefix or name)
        return prefix or "Invalid request."
    if isinstance(data, list):
        return _first_message(data[0], prefix) if data else prefix or "Invalid request."
    return f"{prefix}: {data}" if prefix else str(data)
