"""Every HTTP request body reaches Django whole and with its length, or is refused with 413.

Django and DRF read a request body as CONTENT_LENGTH bytes. A `Transfer-Encoding: chunked`
request has no Content-Length, so they read an empty body in its place: a chunked REST start
ran with input `{}` and a random name, a chunked PATCH changed nothing. This middleware sits
between the ASGI server and Django: it refuses a declared length over the limit before reading
any of the body, reads a stream (chunked or not) only up to the limit, and hands Django the
body in one message with the Content-Length of what was received.

The limit (settings.MAX_REQUEST_BODY_BYTES, also Django's DATA_UPLOAD_MAX_MEMORY_SIZE) is a
transport bound on memory, not the 256 KiB payload limit, which the use cases check on the
decoded values. Under daphne, stepstudio.http.daphne_guard applies the same limit earlier,
while the bytes arrive; this middleware is what any other ASGI server relies on.
"""
from __future__ import annotations

from django.conf import settings

from . import refusals


class BodyLimitMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.MAX_REQUEST_BODY_BYTES
        headers = scope["headers"]
        names = {name.decode("latin-1").lower() for name, _ in headers}
        path = scope.get("path", "")
        chunked = any(name.lower() == b"transfer-encoding" and b"chunked" in value.lower()
                      for name, value in headers)
        declared = {value.strip() for name, value in headers if name.lower() == b"content-length"}
        if not chunked and declared:
            # Several different lengths, or one that is not a number: which body is meant is
            # ambiguous (request smuggling), so nothing is read.
            if len(declared) > 1 or not next(iter(declared)).isdigit():
                return await _respond(send, refusals.bad_length(path, names))
            if int(next(iter(declared))) > limit:
                return await _respond(send, refusals.too_large(path, names, limit))

        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the caller left: there is no one to answer
            body += message.get("body", b"")
            if len(body) > limit:
                return await _respond(send, refusals.too_large(path, names, limit))
            more = message.get("more_body", False)

        if body or chunked or declared:
            scope = dict(scope, headers=[
                (name, value) for name, value in headers
                if name.lower() not in (b"content-length", b"transfer-encoding")
            ] + [(b"content-length", str(len(body)).encode())])
        await self.app(scope, _replay(bytes(body), receive), send)


def _replay(body: bytes, receive):
    """The body as one message, then the server's own messages (the disconnect)."""
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _respond(send, response) -> None:
    status, headers, body = response
    # The rest of an unread body is not wanted: tell the client this connection ends here.
    await send({"type": "http.response.start", "status": status,
                "headers": headers + [(b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body, "more_body": False})
