"""Tags on state machines and activities: TagResource, UntagResource, ListTagsForResource
(the tag lists themselves: tagging.py)."""
from __future__ import annotations

from django.db import transaction

from engine.models import Activity, StateMachine

from .. import arns, errors
from ..dispatch import action
from ..tagging import listed, merged
from ._common import machine_named


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
