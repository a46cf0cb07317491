"""SigV4 verification against signatures made by botocore's own signer (no Django needed)."""
import datetime as dt

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from requests.structures import CaseInsensitiveDict

from engine.awsproto import sigv4

KEY_ID, SECRET = "SSABCDEFGHIJKLMNOPQR", "s3cr3t/with+chars0123456789abcdefghijklm"
NOW = dt.datetime(2026, 11, 24, 7, 30, tzinfo=dt.timezone.utc)
BODY = b'{"name": "demo"}'


def signed(body=BODY, secret=SECRET, region="us-east-1", service="states", when=NOW,
           url="http://127.0.0.1:8000/", token=None):
    """A request as botocore would send it, signed at `when`."""
    request = AWSRequest(method="POST", url=url, data=body, headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "AWSStepFunctions.ListStateMachines",
    })
    signer = SigV4Auth(Credentials(KEY_ID, secret, token), service, region)
    _signing_clock[0] = when
    signer.add_auth(request)
    headers = CaseInsensitiveDict(dict(request.headers))
    headers.setdefault("Host", "127.0.0.1:8000")
    return headers


def verify(headers, body=BODY, now=NOW, secrets=None, method="POST", path="/", query=""):
    secrets = {KEY_ID: SECRET} if secrets is None else secrets
    return sigv4.verify(method=method, path=path, query=query, headers=headers, body=body,
                        lookup_secret=secrets.get, now=now)


_signing_clock = [NOW]


@pytest.fixture(autouse=True)
def frozen_botocore_clock(monkeypatch):
    # SigV4Auth.add_auth stamps X-Amz-Date from datetime.datetime.now(timezone.utc); the
    # tests choose that instant, and the verifier gets its own `now`.
    import botocore.auth

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            when = _signing_clock[0]
            return when if tz else when.replace(tzinfo=None)

        @classmethod
        def utcnow(cls):
            return _signing_clock[0].replace(tzinfo=None)

    monkeypatch.setattr(botocore.auth.datetime, "datetime", Frozen)


def test_a_request_signed_by_botocore_is_accepted():
    result = verify(signed())
    assert result == sigv4.SignedRequest(key_id=KEY_ID, region="us-east-1")


def test_the_signing_region_is_reported_for_any_region():
    assert verify(signed(region="eu-west-3")).region == "eu-west-3"


def test_a_query_string_is_part_of_the_signature():
    headers = signed(url="http://127.0.0.1:8000/?b=2&a=1%20x")
    assert verify(headers, query="b=2&a=1%20x")
    with pytest.raises(sigv4.SigV4Error) as error:
        verify(headers, query="b=2&a=1%20y")
    assert error.value.code == "InvalidSignatureException"


def test_a_wrong_secret_is_refused_with_invalid_signature():
    with pytest.raises(sigv4.SigV4Error) as error:
        verify(signed(secret="not-the-secret"))
    assert error.value.code == "InvalidSignatureException"
    assert "does not match" in error.value.message


def test_a_tampered_body_is_refused():
    with pytest.raises(sigv4.SigV4Error) as error:
        verify(signed(), body=b'{"name": "other"}')
    assert error.value.code == "InvalidSignatureException"


def test_a_tampered_signed_header_is_refused():
    headers = signed()
    headers["X-Amz-Target"] = "AWSStepFunctions.DeleteStateMachine"
    with pytest.raises(sigv4.SigV4Error) as error:
        verify(headers)
    assert error.value.code == "InvalidSignatureException"


def test_an_unknown_key_is_unrecognized():
    with pytest.raises(sigv4.SigV4Error) as error:
        verify(signed(), secrets={})
    assert error.value.code == "UnrecognizedClientException"


def test_a_signature_older_than_15_minutes_has_expired():
    headers = signed(when=NOW - dt.timedelta(minutes=16))
    with pytest.raises(sigv4.SigV4Error) as error:
        verify(headers)
    assert error.value.code == "InvalidSignatureException"
    assert error.value.message.startswith("Signature expired:")


def test_a_signature_within_15_minutes_is_accepted():
    assert verify(signed(when=NOW - dt.timedelta(minutes=14)))
    assert verify(signed(when=NOW + dt.timedelta(minutes=14)))


def test_a_signature_from_the_future_is_refused():
    with pytest.raises(sigv4.SigV4Error) as error:
        verify(signed(when=NOW + dt.timedelta(minutes=16)))
    assert "not yet current" in error.value.message


def test_a_credential_scoped_to_another_service_is_refused():
    with pytest.raises(sigv4.SigV4Error) as error:
        verify(signed(service="dynamodb"))
    assert error.value.code == "InvalidSignatureException"


def test_a_missing_authorization_header_is_missing_authentication_token():
    headers = signed()
    del headers["Authorization"]
    with pytest.raises(sigv4.SigV4Error) as error:
        verify(headers)
    assert error.value.code == "MissingAuthenticationTokenException"


@pytest.mark.parametrize("authorization", [
    "AWS4-HMAC-SHA256 Credential=SSX/20261124/us-east-1/states/aws4_request",
    "AWS4-HMAC-SHA256 Credential=SSX/us-east-1/states/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
    "AWS4-HMAC-SHA256 Credential=SSX/20261124/us-east-1/states/aws4_request, "
    "SignedHeaders=content-type, Signature=" + "0" * 64,
    "Basic dXNlcjpwYXNz",
])
def test_a_malformed_authorization_header_is_an_incomplete_signature(authorization):
    headers = signed()
    headers["Authorization"] = authorization
    with pytest.raises(sigv4.SigV4Error) as error:
        verify(headers)
    assert error.value.code == "IncompleteSignatureException"


def test_temporary_credentials_are_not_recognized():
    with pytest.raises(sigv4.SigV4Error) as error:
        verify(signed(token="session-token"))
    assert error.value.code == "UnrecognizedClientException"


def signed_without(header: str, value: str):
    """Signed by botocore without `header`, which is then added: outside SignedHeaders."""
    request = AWSRequest(method="POST", url="http://127.0.0.1:8000/", data=BODY, headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "AWSStepFunctions.ListStateMachines",
    })
    del request.headers[header]
    SigV4Auth(Credentials(KEY_ID, SECRET), "states", "us-east-1").add_auth(request)
    headers = CaseInsensitiveDict(dict(request.headers))
    headers[header] = value
    return headers


@pytest.mark.parametrize("header, value", [
    ("X-Amz-Target", "AWSStepFunctions.DeleteStateMachine"),
    ("Content-Type", "application/x-amz-json-1.0"),
])
def test_a_signature_that_does_not_cover_the_target_or_content_type_is_refused(header, value):
    # Otherwise the action (or how the body is read) could be changed in flight while the
    # signature still matched.
    headers = signed_without(header, value)
    assert header.lower() not in headers["Authorization"]
    with pytest.raises(sigv4.SigV4Error) as error:
        verify(headers)
    assert error.value.code == "IncompleteSignatureException"
    assert f"'{header.lower()}' must be a signed header" in error.value.message


def test_botocore_signs_the_target_and_the_content_type():
    signed_list = signed()["Authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    assert {"content-type", "host", "x-amz-date", "x-amz-target"} <= set(signed_list)
