"""(5) The AWS protocol under bad input: every action with malformed bodies, wrong types,
huge and deeply nested values, bad ARNs and unicode edge cases — always a 4xx in AWS's error
shape (botocore can parse it), never a 500 InternalFailure."""
from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from engine.awsproto import shapes
from tests.security.conftest import aws, aws_body

pytestmark = pytest.mark.django_db

ACTIONS = sorted(shapes.SHAPES)


def call(world, target, body, **kwargs):
    return aws(Client(), world.keys["alice"], target, body, **kwargs)


def assert_client_error(response, where):
    assert 400 <= response.status_code < 500, (where, response.status_code, response.content[:300])
    body = aws_body(response)
    assert "#" in body["__type"] and "message" in body, where
    assert response["x-amzn-ErrorType"], where


BODIES = {
    "malformed": b"{not json",
    "array": b"[]",
    "deep": b'{"a":' * 50000 + b"1" + b"}" * 50000,
    "deep-array": b"[" * 50000 + b"]" * 50000,
    "invalid-utf8": b'{"name": "\xff"}',
    "lone-surrogate": b'{"name": "\\ud800", "stateMachineArn": "\\ud800"}',
    "nan": b'{"maxResults": NaN, "name": Infinity}',
    "big-int": b'{"maxResults": 1' + b"0" * 400 + b"}",
}


@pytest.mark.parametrize("body", list(BODIES), ids=list(BODIES))
@override_settings(STEPSTUDIO_ACTIVITY_POLL_SECONDS=0)
def test_bad_bodies_on_every_action(world, body):
    for target in ACTIONS:
        response = call(world, target, BODIES[body])
        assert_client_error(response, (target, body))


def _wrong(spec):
    return {shapes.Str: 12, shapes.Int: "12", shapes.Num: "12.5", shapes.Bool: "true",
            shapes.Struct: [], shapes.List: {}}[type(spec)]


@override_settings(STEPSTUDIO_ACTIVITY_POLL_SECONDS=0)
def test_every_member_of_the_wrong_type_on_every_action(world):
    for target in ACTIONS:
        for member, spec in shapes.SHAPES[target].items():
            response = call(world, target, {member: _wrong(spec)})
            assert_client_error(response, (target, member))
            assert aws_body(response)["__type"].endswith("SerializationException")


ODD_STRINGS = ["", "\u0000", "\ud800", "x" * 5000, "arn:aws:states:us-east-1:123456789012:"
               "stateMachine:../../etc", "arn:aws:states:us-east-1:000000000000:execution:a:b",
               "arn:aws:states:us-east-1:123:stateMachine:x:\u00b2",
               "arn:aws:states:us-east-1:{acct}:stateMachine:alice-machine:\u00b2",
               "arn:aws:states:us-east-1:{acct}:stateMachine:alice-machine:" + "9" * 30,
               "arn:aws:states:us-east-1:{acct}:stateMachine:alice-machine:-1",
               "arn:aws:states:us-east-1:{acct}:execution:alice-machine:\u0000",
               "<script>alert(1)</script>", "\u202e", "💥" * 100, "{", "null"]


@override_settings(STEPSTUDIO_ACTIVITY_POLL_SECONDS=0)
@pytest.mark.parametrize("value", ODD_STRINGS, ids=range(len(ODD_STRINGS)))
def test_odd_strings_in_every_string_member(world, value):
    account = world.machine.arn.split(":")[4]
    value = value.replace("{acct}", account)
    for target in ACTIONS:
        members = {m: value for m, spec in shapes.SHAPES[target].items()
                   if isinstance(spec, shapes.Str)}
        try:
            body = json.dumps(members).encode()
        except UnicodeEncodeError:
            continue
        response = call(world, target, body)
        if response.status_code == 200:
            continue  # e.g. ValidateStateMachineDefinition answering FAIL
        assert_client_error(response, (target, value[:40]))


@pytest.mark.parametrize("target, params", [
    ("StartExecution", {"input": "[" * 50000 + "]" * 50000}),
    ("StartSyncExecution", {"input": '{"a":' * 50000 + "1" + "}" * 50000}),
    ("SendTaskSuccess", {"taskToken": "alice-token-" + "0" * 52,
                         "output": "[" * 50000 + "]" * 50000}),
    ("CreateStateMachine", {"name": "deep", "definition": "[" * 50000 + "]" * 50000}),
    ("ValidateStateMachineDefinition", {"definition": '{"a":' * 50000 + "1" + "}" * 50000}),
    ("TestState", {"definition": "[" * 50000 + "]" * 50000}),
    ("TestState", {"definition": '{"Type": "Pass"}', "input": "[" * 50000 + "]" * 50000}),
])
def test_json_text_members_nested_too_deeply_are_refused(world, target, params):
    params = {"stateMachineArn": world.machine.arn, **params}
    response = call(world, target, params)
    if target == "ValidateStateMachineDefinition":
        assert response.status_code == 200 and aws_body(response)["result"] == "FAIL"
        return
    assert_client_error(response, target)


def test_a_body_over_the_upload_limit_is_413(world):
    body = json.dumps({"pad": "x" * (3 * 1024 * 1024)}).encode()
    response = call(world, "ListStateMachines", body)
    assert response.status_code == 413
    assert aws_body(response)["__type"].endswith("RequestEntityTooLargeException")


@pytest.mark.parametrize("target, member", [("StartExecution", "input"),
                                            ("SendTaskSuccess", "output")])
def test_a_payload_over_256_kib_is_refused(world, target, member):
    params = {"stateMachineArn": world.machine.arn, "taskToken": "t",
              member: json.dumps({"blob": "x" * 262144})}
    response = call(world, target, params)
    assert response.status_code == 400
    assert aws_body(response)["__type"].endswith("ValidationException")


@pytest.mark.parametrize("headers", [
    {"HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256"},
    {"HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=\u00ff/x, SignedHeaders=host, "
                           "Signature=" + "0" * 64},
    {"HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=" + "A" * 10000 + "/20260101/us-east-1"
                           "/states/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                           + "0" * 64, "HTTP_X_AMZ_DATE": "20260101T000000Z"},
    {"HTTP_AUTHORIZATION": "Basic YWxpY2U6eA=="},
    {"HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=SSX/99999999/us-east-1/states/"
                           "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
     "HTTP_X_AMZ_DATE": "99999999T999999Z"},
])
def test_broken_signatures_are_4xx(world, headers):
    response = aws(Client(), None, "ListStateMachines", b"{}", sign=False, **headers)
    assert_client_error(response, headers)


def test_other_methods_and_content_types(world):
    client = Client()
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)("/", b"{}", content_type="application/x-amz-json-1.0")
        assert response.status_code in (403, 405)
    response = call(world, "ListStateMachines", b"{}", content_type="text/plain")
    assert_client_error(response, "text/plain")


@pytest.mark.parametrize("key_id", ["SS\u0000AAAA", "SS\u00b2", "x" * 300, "SS-A", "%00"])
def test_an_access_key_id_that_cannot_exist_is_unrecognized(world, key_id):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method="POST", url="http://testserver/", data=b"{}", headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "AWSStepFunctions.ListStateMachines"})
    SigV4Auth(Credentials(key_id, "secret"), "states", "us-east-1").add_auth(request)
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request.headers.items()
            if k.lower() != "content-type"}
    response = Client().generic("POST", "/", b"{}", content_type="application/x-amz-json-1.0",
                                HTTP_HOST="testserver", **meta)
    assert_client_error(response, key_id)
    assert aws_body(response)["__type"].endswith("UnrecognizedClientException")
