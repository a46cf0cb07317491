"""The `StepStudio-Signature` header: HMAC-SHA256 over the timestamp and the body.

    StepStudio-Signature: t=1767258000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd

`v1` is hex(HMAC-SHA256(secret, f"{t}.{body}")), `t` the Unix time of the attempt (each
retry signs anew). A receiver recomputes it over the raw body, compares in constant time,
and refuses a `t` more than a few minutes away from its clock (a replayed request). The
scheme is Stripe's; docs/api.md "Webhooks" has a receiver in a few lines.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER = "StepStudio-Signature"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, body: bytes, header: str, now: int,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does (used by the tests, and a reference for users)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
