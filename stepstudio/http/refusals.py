"""Refusals made outside Django's views, in the error shape of the door that was called.

The AWS wire protocol (POST / with X-Amz-Target) answers botocore's JSON 1.0 shape, so an SDK
raises a named exception; everything else gets the REST API's `{"detail", "code",
"diagnostics"}`, the one shape the designer and API clients already read. These are built from
the raw path and headers because the callers (an ASGI middleware, daphne's request object,
Django's 500 handler while the database is down) run before or beside the views.
"""
from __future__ import annotations

import json
import uuid

AWS_CONTENT_TYPE = "application/x-amz-json-1.0"
_CORAL = "com.amazon.coral.service"


def is_aws_protocol(path: str, header_names: set[str]) -> bool:
    return path == "/" and "x-amz-target" in header_names


def refusal(path: str, header_names: set[str], *, status: int, rest_code: str, aws_code: str,
            message: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """(status, headers, body) for one refusal; `header_names` lower-case."""
    if is_aws_protocol(path, header_names):
        body = {"__type": f"{_CORAL}#{aws_code}", "message": message}
        headers = [(b"content-type", AWS_CONTENT_TYPE.encode()),
                   (b"x-amzn-requestid", str(uuid.uuid4()).encode()),
                   (b"x-amzn-errortype", aws_code.encode())]
    else:
        body = {"detail": message, "code": rest_code, "diagnostics": []}
        headers = [(b"content-type", b"application/json")]
    data = json.dumps(body).encode()
    headers.append((b"content-length", str(len(data)).encode()))
    return status, headers, data


def too_large(path: str, header_names: set[str], limit: int):
    return refusal(path, header_names, status=413, rest_code="payload_too_large",
                   aws_code="RequestEntityTooLargeException",
                   message=f"The request body is larger than {limit} bytes.")


def bad_length(path: str, header_names: set[str]):
    return refusal(path, header_names, status=400, rest_code="parse_error",
                   aws_code="SerializationException",
                   message="The Content-Length header is not a valid length.")
