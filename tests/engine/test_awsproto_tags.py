"""TagResource / UntagResource / ListTagsForResource through boto3 against a live server."""
import json

import pytest

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…

pytestmark = pytest.mark.django_db(transaction=True)

ROLE = "arn:aws:iam::123456789012:role/demo"
HELLO = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": True}}}


def tags(**pairs):
    return [{"key": k, "value": v} for k, v in pairs.items()]


@pytest.fixture
def machine(sfn):
    return sfn.create_state_machine(name="tagged", definition=json.dumps(HELLO), roleArn=ROLE,
                                    tags=tags(team="data", env="dev"))["stateMachineArn"]


def test_tags_given_at_create_are_listed_then_changed_and_removed(sfn, machine):
    assert sfn.list_tags_for_resource(resourceArn=machine)["tags"] == tags(team="data", env="dev")

    sfn.tag_resource(resourceArn=machine, tags=tags(env="prod", owner="ana"))
    assert sfn.list_tags_for_resource(resourceArn=machine)["tags"] == tags(
        team="data", env="prod", owner="ana")

    sfn.untag_resource(resourceArn=machine, tagKeys=["team", "not-there"])
    assert sfn.list_tags_for_resource(resourceArn=machine)["tags"] == tags(env="prod", owner="ana")


def test_activities_are_tagged_too(sfn):
    activity = sfn.create_activity(name="review", tags=tags(kind="human"))["activityArn"]
    assert sfn.list_tags_for_resource(resourceArn=activity)["tags"] == tags(kind="human")
    sfn.tag_resource(resourceArn=activity, tags=tags(queue="q1"))
    sfn.untag_resource(resourceArn=activity, tagKeys=["kind"])
    assert sfn.list_tags_for_resource(resourceArn=activity)["tags"] == tags(queue="q1")


def test_a_machine_without_tags_lists_none(sfn):
    arn = sfn.create_state_machine(name="plain", definition=json.dumps(HELLO),
                                   roleArn=ROLE)["stateMachineArn"]
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == []


def test_more_than_50_tags_are_too_many(sfn, machine):
    sfn.tag_resource(resourceArn=machine, tags=[{"key": f"k{i}", "value": "v"} for i in range(48)])
    with pytest.raises(sfn.exceptions.TooManyTags) as raised:
        sfn.tag_resource(resourceArn=machine, tags=tags(one="1", more="2", still="3"))
    assert raised.value.response["resourceName"] == machine
    assert len(sfn.list_tags_for_resource(resourceArn=machine)["tags"]) == 50
    with pytest.raises(sfn.exceptions.TooManyTags):
        sfn.create_state_machine(name="crowded", definition=json.dumps(HELLO), roleArn=ROLE,
                                 tags=[{"key": f"k{i}", "value": "v"} for i in range(51)])
    with pytest.raises(sfn.exceptions.TooManyTags):
        sfn.create_activity(name="crowded", tags=[{"key": f"k{i}", "value": "v"} for i in range(51)])


@pytest.fixture
def unchecked_sfn(live_server, alice_key):
    # botocore checks lengths itself; this client lets the server be the one to refuse.
    return sfn_client(live_server, *alice_key, parameter_validation=False)


def test_tag_shapes_and_reserved_keys_are_validation_errors(unchecked_sfn, machine):
    sfn = unchecked_sfn
    for bad in ([{"key": "", "value": "v"}], [{"key": "k" * 129, "value": "v"}],
                [{"key": "k", "value": "v" * 257}], [{"key": "aws:cloudformation", "value": "v"}]):
        with pytest.raises(sfn.exceptions.ValidationException):
            sfn.tag_resource(resourceArn=machine, tags=bad)


def test_missing_resources_and_other_kinds_of_arn(sfn, bob_sfn, machine):
    gone = machine.replace(":tagged", ":gone")
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.list_tags_for_resource(resourceArn=gone)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.tag_resource(resourceArn=gone, tags=tags(a="b"))
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.untag_resource(resourceArn=gone, tagKeys=["a"])
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.list_tags_for_resource(resourceArn="arn:aws:s3:::bucket")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.tag_resource(resourceArn=machine.replace("stateMachine", "execution") + ":run",
                         tags=tags(a="b"))
    # Another user's machine is missing for them, and their tag calls change nothing.
    with pytest.raises(bob_sfn.exceptions.ResourceNotFound):
        bob_sfn.tag_resource(resourceArn=machine, tags=tags(mine="yes"))
    assert sfn.list_tags_for_resource(resourceArn=machine)["tags"] == tags(team="data", env="dev")
