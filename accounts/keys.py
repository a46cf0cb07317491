"""Issuing, revoking and looking up access keys; the only code that touches secrets."""
from __future__ import annotations

import secrets

from django.utils import timezone

from .models import AccessKey

# "SS" (StepStudio) + 18 base32 characters = 20, the length of an AWS key id. Not "AKIA":
# secret scanners would take our keys for real AWS credentials.
KEY_ID_PREFIX = "SS"
_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def create_access_key(user, description: str = "") -> tuple[str, str]:
    """Issue a new key for `user`; return (key_id, secret). The secret is shown only once."""
    key_id = KEY_ID_PREFIX + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(18))
    secret = "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(40))
    AccessKey.objects.create(user=user, key_id=key_id, secret=secret, description=description)
    return key_id, secret


def revoke_access_key(user, key_id: str) -> bool:
    """Revoke one of `user`'s keys; False when it is not theirs or already revoked."""
    updated = AccessKey.objects.active().filter(user=user, key_id=key_id).update(
        revoked_at=timezone.now())
    return updated == 1


def active_key(key_id: str) -> AccessKey | None:
    """The active key with this id and its user (select_related), or None.

    Inactive users' keys count as unknown, as a disabled IAM user's keys do. An id that
    cannot be one of ours (not ASCII letters and digits, or too long) is unknown without a
    query: it comes from the request, and PostgreSQL refuses some text (U+0000) outright.
    """
    if not (key_id.isascii() and key_id.isalnum() and len(key_id) <= 128):
        return None
    return (AccessKey.objects.active()
            .select_related("user")
            .filter(key_id=key_id, user__is_active=True)
            .first())


def mark_used(key: AccessKey) -> None:
    # Conditional on the minute so that a busy client does not write on every request.
    now = timezone.now()
    if key.last_used is None or (now - key.last_used).total_seconds() > 60:
        AccessKey.objects.filter(pk=key.pk).update(last_used=now)
