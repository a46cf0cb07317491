"""While the database cannot be reached, every door answers 503 with Retry-After in its own
error shape, not Django's HTML 500 page.

A lost or refused database connection (and a statement the server gave up on, such as a lock
timeout) is an OperationalError or InterfaceError: nothing the caller sent is wrong and the
same request can succeed later, which is what 503 + Retry-After tells an SDK or a script.
botocore retries a 503 `ServiceUnavailable` by itself.

The REST API and the AWS view turn these errors into their own answers; `server_error` (the
project's handler500) covers the rest: middleware that reads the session or the user before
any view runs, pages, the admin.
"""
from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.views import defaults

from . import refusals

RETRY_AFTER_SECONDS = 5
MESSAGE = "The service is unavailable: its database cannot be reached. Retry later."


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, (OperationalError, InterfaceError))


def unavailable(path: str, header_names: set[str]) -> HttpResponse:
    status, headers, body = refusals.refusal(
        path, header_names, status=503, rest_code="service_unavailable",
        aws_code="ServiceUnavailable", message=MESSAGE)
    response = HttpResponse(body, status=status)
    for name, value in headers:
        if name != b"content-length":
            response[name.decode()] = value.decode()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, *args, **kwargs):
    """handler500: Django calls it inside the `except` that caught the error."""
    if is_outage(sys.exc_info()[1]):
        return unavailable(request.path, {name.lower() for name in request.headers})
    return defaults.server_error(request, *args, **kwargs)
