"""The body limit at the ASGI layer, which any ASGI server relies on (daphne also has its own
guard, tests/stepstudio/test_chunked_bodies.py): streamed bodies counted, declared lengths
refused before a byte is read, chunked bodies handed to Django with their length."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.testing import ApplicationCommunicator
from django.test import override_settings
from rest_framework.authtoken.models import Token

from stepstudio.asgi import application


def scope(path, headers):
    return {"type": "http", "http_version": "1.1", "method": "POST", "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": b"",
            "headers": [(b"host", b"testserver"), *headers],
            "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}


def exchange(path, headers, pieces, *, expect_reads=None):
    """Send `pieces` as http.request messages; returns (status, body, pieces read)."""

    async def run():
        communicator = ApplicationCommunicator(application, scope(path, headers))
        for index, piece in enumerate(pieces):
            await communicator.send_input({"type": "http.request", "body": piece,
                                           "more_body": index < len(pieces) - 1})
        start = await communicator.receive_output(10)
        body = b""
        while True:
            message = await communicator.receive_output(10)
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        unread = communicator.input_queue.qsize()
        await communicator.wait(10)
        return start["status"], body, len(pieces) - unread

    return async_to_sync(run)()


def token_headers(user):
    token = Token.objects.create(user=user)
    return [(b"authorization", f"Token {token.key}".encode()),
            (b"content-type", b"application/json")]


DEFINITION = json.dumps({"definition": {"StartAt": "P", "States": {"P": {"Type": "Pass",
                                                                          "End": True}}}})


@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_reaches_the_api_whole(user):
    body = DEFINITION.encode()
    pieces = [body[i:i + 7] for i in range(0, len(body), 7)]
    status, answer, _ = exchange("/api/validate/",
                                 token_headers(user) + [(b"transfer-encoding", b"chunked")],
                                 pieces)
    assert status == 200, answer
    assert json.loads(answer)["valid"] is True


@pytest.mark.django_db(transaction=True)
@override_settings(MAX_REQUEST_BODY_BYTES=10_000)
def test_a_stream_over_the_limit_is_refused_at_the_limit(user):
    pieces = [b"x" * 4000] * 10
    status, answer, read = exchange("/api/validate/",
                                    token_headers(user) + [(b"transfer-encoding", b"chunked")],
                                    pieces)
    assert status == 413
    assert json.loads(answer)["code"] == "payload_too_large"
    assert read == 3  # 12,000 bytes: the first three pieces, the rest never read


@pytest.mark.django_db(transaction=True)
@override_settings(MAX_REQUEST_BODY_BYTES=10_000)
def test_a_declared_length_over_the_limit_is_refused_unread(user):
    status, answer, read = exchange(
        "/", [(b"x-amz-target", b"AWSStepFunctions.ListStateMachines"),
              (b"content-length", b"20000")], [b"x" * 10000, b"x" * 10000])
    assert status == 413
    assert json.loads(answer)["__type"].endswith("#RequestEntityTooLargeException")
    assert read == 0


@pytest.mark.django_db(transaction=True)
def test_an_ambiguous_length_is_refused(user):
    status, answer, _ = exchange("/api/validate/", token_headers(user) + [
        (b"content-length", b"5"), (b"content-length", b"7")], [b"{}"])
    assert status == 400
    assert json.loads(answer)["code"] == "parse_error"
