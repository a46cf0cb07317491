"""Activity actions: create, describe, list, delete, and workers polling for tasks."""
from __future__ import annotations

from django.db import IntegrityError, transaction

from engine.api.machines import check_name
from engine.models import Activity

from .. import arns, configuration, errors, paging, service_calls
from ..dispatch import action
from ._common import epoch, machine_error
from ..tagging import merged


def activity_for(caller, arn: str) -> Activity:
    parsed = arns.parse(arn, "activity")
    activity = None
    if parsed.owned_by(caller.user) or caller.user.is_staff:
        activity = Activity.objects.filter(owner_id=parsed.owner_id, name=parsed.name).first()
    if activity is None:
        raise errors.activity_does_not_exist(arn)
    return activity


@action("CreateActivity")
def create_activity(caller, params):
    with machine_error():
        check_name(params["name"])
    encryption = (configuration.encryption(params["encryptionConfiguration"])
                  if params.get("encryptionConfiguration") else None)
    tags = merged({}, params.get("tags") or [], params["name"])
    # AWS: creating an existing activity is idempotent and returns it (its tags are not
    # changed); a different encryption configuration is ActivityAlreadyExists.
    try:
        with transaction.atomic():
            activity, created = Activity.objects.get_or_create(
                owner=caller.user, name=params["name"],
                defaults={"region": caller.region, "tags": tags,
                          "encryption_configuration": encryption})
    except IntegrityError:  # a concurrent create won; it is the same activity
        activity, created = Activity.objects.get(owner=caller.user, name=params["name"]), False
    if not created and encryption is not None and activity.encryption_configuration != encryption:
        raise errors.AwsError("ActivityAlreadyExists",
                              f"Activity already exists with a different configuration: "
                              f"'{activity.arn}'")
    return {"activityArn": activity.arn, "creationDate": epoch(activity.created)}


@action("DescribeActivity")
def describe_activity(caller, params):
    activity = activity_for(caller, params["activityArn"])
    out = {"activityArn": activity.arn, "name": activity.name,
           "creationDate": epoch(activity.created)}
    if activity.encryption_configuration:
        out["encryptionConfiguration"] = activity.encryption_configuration
    return out


@action("ListActivities")
def list_activities(caller, params):
    page = paging.keyset_page(Activity.objects.filter(owner=caller.user), order=("name",),
                              params=params, salt="ListActivities")
    return page.response("activities", [
        {"activityArn": a.arn, "name": a.name, "creationDate": epoch(a.created)}
        for a in page.items])


@action("DeleteActivity")
def delete_activity(caller, params):
    try:
        activity_for(caller, params["activityArn"]).delete()
    except errors.AwsError as error:
        if error.code != "ActivityDoesNotExist":  # deleting is idempotent, as at AWS
            raise
    return {}


@action("GetActivityTask")
def get_activity_task(caller, params):
    activity = activity_for(caller, params["activityArn"])
    return service_calls.get_activity_task(activity, params.get("workerName", ""))

