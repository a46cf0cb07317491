"""Task tokens (`$$.Task.Token`) and handlers' idempotency keys: HMACs of where a task
attempt is, keyed with a server secret.

A token must be unguessable (it is the only credential SendTaskSuccess/Failure asks for),
yet a step taken again (a worker died before committing it) must hand out the same token.
So a token is HMAC-SHA256(secret, facts) where the facts (execution ARN, frame, state,
entered event id, attempt) are public but the secret is not: without it nobody can compute
a token from what a history shows.

The durable runtime sets the secret at start-up (engine/apps.py: STEPSTUDIO_TASK_TOKEN_SECRET,
else derived from Django's SECRET_KEY), the same in every process. Where nobody set one
(the in-process driver, `asl run`), a random secret of this process is used: its tokens
live only as long as the process anyway.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import uuid

_secret: bytes | None = None


def set_secret(secret: bytes | str) -> None:
    global _secret
    if isinstance(secret, str):
        secret = secret.encode()
    if len(secret) < 16:
        raise ValueError("a task token secret has at least 16 bytes")
    _secret = secret


def _key() -> bytes:
    global _secret
    if _secret is None:
        _secret = os.urandom(32)
    return _secret


def task_token(facts: str) -> str:
    """The token of the task these facts (execution, frame, state, entry, attempt) name."""
    return hmac.new(_key(), facts.encode(), hashlib.sha256).hexdigest()


def idempotency_key(facts: str) -> str:
    """`request["idempotency_key"]` of the task attempt these facts name, as a UUID: the
    same whenever this attempt's handler runs again (a redelivery, a worker that died),
    another for each retry, so a handler can make its side effect exactly-once."""
    digest = hmac.new(_key(), b"idempotency-key|" + facts.encode(), hashlib.sha256).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))
