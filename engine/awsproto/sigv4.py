"""AWS Signature Version 4 verification for the Step Functions wire protocol.

We recompute the signature the client must have made and compare it in constant time.
The algorithm follows AWS's "Create a signed AWS API request" guide:

    CanonicalRequest = Method \\n CanonicalURI \\n CanonicalQuery \\n CanonicalHeaders \\n
                       SignedHeaders \\n HexEncode(Hash(Payload))
    StringToSign     = "AWS4-HMAC-SHA256" \\n X-Amz-Date \\n Scope \\n HexEncode(Hash(CanonicalRequest))
    SigningKey       = HMAC chain over "AWS4"+secret, date, region, service, "aws4_request"

This module knows nothing about Django models: the caller passes a `lookup_secret(key_id)`
function, so the crypto is testable on plain data.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Callable, Mapping
from urllib.parse import quote, unquote

ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "states"  # botocore's signingName for Step Functions ("endpointPrefix": "states")
MAX_SKEW = dt.timedelta(minutes=15)  # AWS rejects requests signed more than 15 min away
AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"

_AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256\s+"
    r"Credential=(?P<credential>[^,\s]+)\s*,\s*"
    r"SignedHeaders=(?P<signed_headers>[^,\s]+)\s*,\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})\s*$"
)


class SigV4Error(Exception):
    """Why a request is refused; `code` is the AWS error name the client will see."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


@dataclass(frozen=True)
class Credential:
    key_id: str
    date: str  # YYYYMMDD
    region: str
    service: str

    @property
    def scope(self) -> str:
        return f"{self.date}/{self.region}/{self.service}/aws4_request"


@dataclass(frozen=True)
class SignedRequest:
    """What was verified: the caller uses key_id to find the user and region for ARNs."""

    key_id: str
    region: str


def verify(
    *,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    lookup_secret: Callable[[str], str | None],
    now: dt.datetime | None = None,
) -> SignedRequest:
    """Verify one request; raise SigV4Error (with AWS's error code) when it is not authentic.

    `headers` must be case-insensitive (Django's `request.headers` is); `path` is the raw,
    still percent-encoded path and `query` the raw query string.
    """
    authorization = headers.get("Authorization")
    if not authorization:
        raise SigV4Error("MissingAuthenticationTokenException", "Missing Authentication Token")
    if headers.get("X-Amz-Security-Token"):
        # Temporary (STS) credentials do not exist here; AWS's wording for an unknown token.
        raise SigV4Error("UnrecognizedClientException",
                         "The security token included in the request is invalid.")
    match = _AUTH_RE.match(authorization.strip())
    if not match:
        raise SigV4Error(
            "IncompleteSignatureException",
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' "
            "parameters with the AWS4-HMAC-SHA256 algorithm.",
        )
    credential = _parse_credential(match["credential"])
    signed_headers = match["signed_headers"].split(";")
    _check_signed_header_list(signed_headers, headers)

    amz_date = headers.get("X-Amz-Date", "")
    request_time = _parse_amz_date(amz_date)
    _check_skew(amz_date, request_time, now or dt.datetime.now(dt.timezone.utc))
    if credential.date != amz_date[:8]:
        raise SigV4Error(
            "InvalidSignatureException",
            f"Credential should be scoped to a valid region and date {amz_date[:8]}.",
        )
    if credential.service != SERVICE:
        raise SigV4Error(
            "InvalidSignatureException",
            f"Credential should be scoped to correct service: '{SERVICE}'.",
        )

    secret = lookup_secret(credential.key_id)
    if secret is None:
        raise SigV4Error("UnrecognizedClientException",
                         "The security token included in the request is invalid.")

    canonical = canonical_request(method, path, query, headers, signed_headers, body)
    expected = signature(secret, credential, amz_date, canonical)
    if not hmac.compare_digest(expected, match["signature"]):
        raise SigV4Error(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. "
            "Consult the service documentation for details.",
        )
    return SignedRequest(key_id=credential.key_id, region=credential.region)


def canonical_request(method, path, query, headers, signed_headers, body) -> str:
    lines = [
        method.upper(),
        canonical_uri(path),
        canonical_query(query),
        "".join(f"{name}:{canonical_header_value(headers, name)}\n" for name in signed_headers),
        ";".join(signed_headers),
        # The body hash is always computed from the bytes received: a client-declared
        # x-amz-content-sha256 that lies (or UNSIGNED-PAYLOAD) then fails the comparison.
        hashlib.sha256(body).hexdigest(),
    ]
    return "\n".join(lines)


def signature(secret: str, credential: Credential, amz_date: str, canonical: str) -> str:
    string_to_sign = "\n".join([
        ALGORITHM,
        amz_date,
        credential.scope,
        hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    ])
    key = _hmac(("AWS4" + secret).encode("utf-8"), credential.date)
    for part in (credential.region, credential.service, "aws4_request"):
        key = _hmac(key, part)
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def canonical_uri(raw_path: str) -> str:
    # Non-S3 services encode each path segment once more on top of the URL's own encoding
    # (botocore: quote(path, safe="/~")); "/" stays "/".
    return quote(raw_path or "/", safe="/~")


def canonical_query(raw_query: str) -> str:
    """Sort name=value pairs by name then value, each RFC 3986-encoded exactly once."""
    if not raw_query:
        return ""
    pairs = []
    for item in raw_query.split("&"):
        if not item:
            continue
        name, _, value = item.partition("=")
        pairs.append((_uri_encode(unquote(name)), _uri_encode(unquote(value))))
    return "&".join(f"{n}={v}" for n, v in sorted(pairs))


def canonical_header_value(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:
        raise SigV4Error("InvalidSignatureException",
                         f"Signed header '{name}' is missing from the request.")
    # Trim and squeeze runs of spaces, as the spec's Trimall().
    return " ".join(str(value).split())


def _uri_encode(value: str) -> str:
    return quote(value, safe="-_.~")


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def _parse_credential(raw: str) -> Credential:
    parts = raw.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request" or not all(parts):
        raise SigV4Error(
            "IncompleteSignatureException",
            f"Credential should have 5 slash-separated parts "
            f"(KEY/DATE/REGION/SERVICE/aws4_request), got '{raw}'.",
        )
    return Credential(key_id=parts[0], date=parts[1], region=parts[2], service=parts[3])


# host ties the signature to this server; x-amz-date ties it to a time (replay window);
# x-amz-target names the action, so unsigned it could be swapped in flight (a signed
# DescribeExecution replayed as DeleteStateMachine with the same body).
_ALWAYS_SIGNED = ("host", "x-amz-date", "x-amz-target")
# Signed whenever sent: the content type chooses how the body is read.
_SIGNED_WHEN_SENT = ("content-type",)


def _check_signed_header_list(names: list[str], headers: Mapping[str, str]) -> None:
    if names != sorted(names) or any(n != n.lower() or not n for n in names):
        raise SigV4Error("IncompleteSignatureException",
                         "SignedHeaders must be lower-case names sorted by name.")
    required = _ALWAYS_SIGNED + tuple(n for n in _SIGNED_WHEN_SENT if headers.get(n) is not None)
    for name in required:
        if name not in names:
            raise SigV4Error("IncompleteSignatureException",
                             f"'{name}' must be a signed header (SignedHeaders: "
                             f"{';'.join(names)}).")


def _parse_amz_date(amz_date: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(amz_date, AMZ_DATE_FORMAT).replace(tzinfo=dt.timezone.utc)
    except ValueError:
        raise SigV4Error(
            "IncompleteSignatureException",
            "X-Amz-Date must be present and formatted as YYYYMMDD'T'HHMMSS'Z'.",
        ) from None


def _check_skew(amz_date: str, request_time: dt.datetime, now: dt.datetime) -> None:
    if abs(now - request_time) <= MAX_SKEW:
        return
    now_s = now.strftime(AMZ_DATE_FORMAT)
    if request_time < now:
        bound = (now - MAX_SKEW).strftime(AMZ_DATE_FORMAT)
        message = f"Signature expired: {amz_date} is now earlier than {bound} ({now_s} - 15 min.)"
    else:
        bound = (now + MAX_SKEW).strftime(AMZ_DATE_FORMAT)
        message = f"Signature not yet current: {amz_date} is still later than {bound} ({now_s} + 15 min.)"
    raise SigV4Error("InvalidSignatureException", message)
