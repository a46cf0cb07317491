"""Tags on state machines and activities: TagResource, UntagResource, ListTagsForResource.

Tags are kept on the resource as {key: value} in the order first given. AWS's limits: at
most 50 tags per resource (TooManyTags), keys 1-128 and values 0-256 characters (the shape),
and the `aws:` prefix is reserved for AWS's own tags.
"""
from __future__ import annotations

from django.db import transaction

from engine.models import Activity, StateMachine

from .. import arns, errors
from ..dispatch import action
from ._common import machine_named

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


def _locked_resource(caller, arn: str):
    """The state machine or activity an ARN names, row-locked (in a transaction)."""
    kind = arns.resource_of(arn)
    if kind == "stateMachine":
        parsed = arns.parse(arn, "stateMachine")
        if parsed.qualifier:  # versions and aliases carry no tags of their own
            raise errors.invalid_arn(arn)
        machine = machine_named(caller, parsed)
        found = StateMachine.objects.select_for_update().filter(pk=machine.pk).first() \
            if machine else None
    elif kind == "activity":
        parsed = arns.parse(arn, "activity")
        visible = parsed.owned_by(caller.user) or caller.user.is_staff
        found = (Activity.objects.select_for_update()
                 .filter(owner_id=parsed.owner_id, name=parsed.name).first()
                 if visible else None)
    else:
        raise errors.invalid_arn(arn)
    if found is None:
        raise errors.resource_not_found(arn)
    return found


@action("TagResource")
def tag_resource(caller, params):
    with transaction.atomic():
        resource = _locked_resource(caller, params["resourceArn"])
        resource.tags = merged(resource.tags, params["tags"], params["resourceArn"])
        resource.save(update_fields=["tags"])
    return {}


@action("UntagResource")
def untag_resource(caller, params):
    with transaction.atomic():
        resource = _locked_resource(caller, params["resourceArn"])
        drop = set(params["tagKeys"])
        resource.tags = {k: v for k, v in (resource.tags or {}).items() if k not in drop}
        resource.save(update_fields=["tags"])
    return {}


@action("ListTagsForResource")
def list_tags_for_resource(caller, params):
    with transaction.atomic():
        resource = _locked_resource(caller, params["resourceArn"])
    return {"tags": listed(resource.tags)}
