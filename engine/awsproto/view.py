"""`POST /` with X-Amz-Target: the single HTTP entry point of the AWS protocol.

Order of checks follows AWS's front end: authenticate the signature first (an unsigned
caller learns nothing, not even which actions exist), then the operation, then the body.
"""
from __future__ import annotations

import json
import logging
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from accounts import keys
from stepstudio.http import outage

from . import dispatch, errors, sigv4

logger = logging.getLogger(__name__)

# JSON 1.0 is what botocore sends for Step Functions; 1.1 and plain JSON are accepted from
# hand-written clients since the body is the same.
_JSON_TYPES = ("application/x-amz-json-1.0", "application/x-amz-json-1.1", "application/json")


@csrf_exempt  # SigV4 authenticates every request; there is no cookie to forge.
@login_not_required  # and it answers 4xx in AWS's shape, never a login redirect.
def aws_endpoint(request) -> HttpResponse:
    try:
        return _handle(request)
    except errors.AwsError as error:
        return errors.from_exception(error)
    except Exception as error:
        if outage.is_outage(error):
            logger.warning("AWS protocol request while the database is unavailable: %s", error)
            return outage.unavailable(request.path, {"x-amz-target"})
        # A bug, not bad input: log it, and still answer in the shape the SDK can parse.
        logger.exception("AWS protocol request failed: %s", request.headers.get("X-Amz-Target"))
        return errors.error_response("InternalFailure",
                                     "The request processing has failed because of an unknown "
                                     "error, exception or failure.")


def _handle(request) -> HttpResponse:
    if request.method != "POST":
        raise errors.AwsError("UnknownOperationException",
                              f"Method {request.method} is not supported: operations are "
                              f"POST / with an X-Amz-Target header.", status=405)
    try:
        body = request.body
    except RequestDataTooBig:
        raise errors.AwsError("RequestEntityTooLargeException",
                              "Request body is larger than the server accepts.") from None

    caller = _authenticate(request, body)
    name = dispatch.resolve(request.headers.get("X-Amz-Target"))
    content_type = request.content_type or ""
    if content_type not in _JSON_TYPES:
        raise errors.AwsError("UnknownOperationException",
                              f"Operation {name} needs a JSON body (Content-Type "
                              f"application/x-amz-json-1.0), not '{content_type[:100]}'.")
    params = _decode(body)

    # No transaction around the whole call: the use cases draw their own boundaries, and
    # GetActivityTask long-polls, which must not hold a transaction open.
    try:
        result = dispatch.dispatch(name, caller, params)
    except DataError:
        # The database refused a value (U+0000 in a JSON payload): the caller's input.
        raise errors.validation("A value in the request cannot be stored.") from None
    except RecursionError:
        # A JSON text member (definition, input, output) nested deeper than can be parsed.
        raise errors.validation("A JSON value in the request is nested too deeply.") from None
    response = HttpResponse(json.dumps(result), content_type=errors.CONTENT_TYPE)
    response["x-amzn-RequestId"] = str(uuid.uuid4())
    return response


def _authenticate(request, body: bytes) -> dispatch.Caller:
    looked_up = []  # the AccessKey row sigv4 asked for: its user is the caller

    def lookup_secret(key_id: str) -> str | None:
        key = keys.active_key(key_id)
        looked_up.append(key)
        return key.secret if key else None

    try:
        signed = sigv4.verify(
            method=request.method,
            path=request.get_full_path().split("?", 1)[0],
            query=request.META.get("QUERY_STRING", ""),
            headers=request.headers,
            body=body,
            lookup_secret=lookup_secret,
        )
    except sigv4.SigV4Error as error:
        raise errors.AwsError(error.code, error.message) from None
    key = looked_up[-1]
    keys.mark_used(key)
    return dispatch.Caller(user=key.user, region=signed.region)


def _decode(body: bytes) -> object:
    if not body.strip():
        return {}  # botocore sends "{}" for no params; an empty body means the same
    try:
        params = json.loads(body)
        # JSON may escape a lone surrogate ("\ud800") that no database text can hold.
        json.dumps(params, ensure_ascii=False).encode("utf-8")
        return params
    except (UnicodeError, ValueError, RecursionError):
        raise errors.AwsError("SerializationException",
                              "Request body is not valid JSON.") from None
