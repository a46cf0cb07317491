"""Tags as the AWS protocol takes and gives them: [{"key", "value"}] lists over a stored
{key: value} map (kept in the order first given). AWS's limits: at most 50 tags per
resource (TooManyTags), keys 1-128 and values 0-256 characters (shapes.py), and the `aws:`
prefix is reserved for AWS's own tags.
"""
from __future__ import annotations

from . import errors

MAX_TAGS = 50


def merged(existing: dict, tags: list[dict], resource_arn: str) -> dict:
    """`existing` with `tags` ([{"key", "value"}]) applied; a key given again takes the new value."""
    out = dict(existing)
    for tag in tags:
        key = tag.get("key")
        if key is None:
            raise errors.validation("Tag keys must not be null")
        if key.lower().startswith("aws:"):
            raise errors.validation(f"Tag keys prefixed with 'aws:' are reserved: '{key}'")
        out[key] = tag.get("value") or ""  # JSON null is no value: AWS answers ""
    if len(out) > MAX_TAGS:
        raise errors.AwsError("TooManyTags",
                              f"Too many tags: a resource can have at most {MAX_TAGS} tags",
                              resourceName=resource_arn)
    return out


def listed(tags: dict) -> list[dict]:
    return [{"key": k, "value": v} for k, v in (tags or {}).items()]
