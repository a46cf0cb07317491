"""Aliases and version deletion through boto3's real client against a live server."""
import json

import pytest

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…

pytestmark = pytest.mark.django_db(transaction=True)

ROLE = "arn:aws:iam::123456789012:role/demo"


def pass_machine(result):
    return {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": result, "End": True}}}


@pytest.fixture
def two_versions(sfn):
    """A machine with version 1 (answers "v1") and version 2 (answers "v2")."""
    arn = sfn.create_state_machine(name="canary", definition=json.dumps(pass_machine("v1")),
                                   roleArn=ROLE, publish=True)["stateMachineArn"]
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_machine("v2")),
                             publish=True)
    return arn


def routing(*pairs):
    return [{"stateMachineVersionArn": arn, "weight": weight} for arn, weight in pairs]


def test_create_describe_list_update_delete_an_alias(sfn, two_versions):
    arn = two_versions
    created = sfn.create_state_machine_alias(name="prod", description="live traffic",
                                             routingConfiguration=routing((arn + ":1", 100)))
    alias = created["stateMachineAliasArn"]
    assert alias == arn + ":prod"

    described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert described["name"] == "prod"
    assert described["description"] == "live traffic"
    assert described["routingConfiguration"] == routing((arn + ":1", 100))
    assert described["creationDate"] == created["creationDate"]

    listed = sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]
    assert [a["stateMachineAliasArn"] for a in listed] == [alias]

    sfn.update_state_machine_alias(stateMachineAliasArn=alias,
                                   routingConfiguration=routing((arn + ":1", 90), (arn + ":2", 10)))
    described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert described["routingConfiguration"] == routing((arn + ":1", 90), (arn + ":2", 10))
    assert described["description"] == "live traffic"  # untouched by a routing update
    assert described["updateDate"] >= described["creationDate"]

    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.delete_state_machine_alias(stateMachineAliasArn=alias)


def test_executions_through_an_alias_follow_the_weights_and_record_the_alias(sfn, two_versions):
    arn = two_versions
    alias = sfn.create_state_machine_alias(
        name="split", routingConfiguration=routing((arn + ":1", 50), (arn + ":2", 50)),
    )["stateMachineAliasArn"]

    outputs = []
    for i in range(24):
        execution = sfn.start_execution(stateMachineArn=alias, name=f"run-{i}")["executionArn"]
        described = sfn.describe_execution(executionArn=execution)
        assert described["stateMachineAliasArn"] == alias
        assert described["stateMachineArn"] == arn
        version = described["stateMachineVersionArn"]
        assert json.loads(described["output"]) == ("v1" if version == arn + ":1" else "v2")
        outputs.append(version)
    # 24 draws at 50/50: both versions ran (all one way has probability 2 ** -23).
    assert set(outputs) == {arn + ":1", arn + ":2"}

    sfn.start_execution(stateMachineArn=arn, name="direct")
    listed = sfn.list_executions(stateMachineArn=alias)["executions"]
    assert len(listed) == 24 and all(e["stateMachineAliasArn"] == alias for e in listed)
    everything = sfn.list_executions(stateMachineArn=arn)["executions"]
    assert len(everything) == 25


def test_an_alias_routing_all_traffic_to_one_version_always_runs_it(sfn, two_versions):
    arn = two_versions
    alias = sfn.create_state_machine_alias(
        name="stable", routingConfiguration=routing((arn + ":1", 100), (arn + ":2", 0)),
    )["stateMachineAliasArn"]
    for i in range(5):
        execution = sfn.start_execution(stateMachineArn=alias)["executionArn"]
        assert sfn.describe_execution(executionArn=execution)["stateMachineVersionArn"] == arn + ":1"


def test_start_sync_execution_through_an_alias(sfn):
    arn = sfn.create_state_machine(name="fast", type="EXPRESS", roleArn=ROLE, publish=True,
                                   definition=json.dumps(pass_machine("express-v1")),
                                   )["stateMachineArn"]
    alias = sfn.create_state_machine_alias(
        name="live", routingConfiguration=routing((arn + ":1", 100)))["stateMachineAliasArn"]
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_machine("draft")))

    result = sfn.start_sync_execution(stateMachineArn=alias)

    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == "express-v1"


def test_creating_the_same_alias_again_is_idempotent_but_a_different_one_conflicts(sfn, two_versions):
    arn = two_versions
    first = sfn.create_state_machine_alias(name="prod", routingConfiguration=routing((arn + ":1", 100)))
    again = sfn.create_state_machine_alias(name="prod", routingConfiguration=routing((arn + ":1", 100)))
    assert again == {**again, "stateMachineAliasArn": first["stateMachineAliasArn"],
                     "creationDate": first["creationDate"]}
    with pytest.raises(sfn.exceptions.ConflictException):
        sfn.create_state_machine_alias(name="prod", routingConfiguration=routing((arn + ":2", 100)))


@pytest.mark.parametrize("config, error", [
    ([(":1", 60), (":2", 30)], "ValidationException"),   # weights must sum to 100
    ([(":1", 50), (":1", 50)], "ValidationException"),   # one version twice
    ([(":7", 100)], "ResourceNotFound"),                 # no such version
    ([("", 100)], "ValidationException"),                # the machine, not a version
])
def test_bad_routing_configurations_are_refused(sfn, two_versions, config, error):
    arn = two_versions
    with pytest.raises(sfn.exceptions.ClientError) as raised:
        sfn.create_state_machine_alias(
            name="bad", routingConfiguration=routing(*((arn + q, w) for q, w in config)))
    assert raised.value.response["Error"]["Code"] == error


def test_the_shape_limits_of_alias_requests_are_validation_errors(sfn, two_versions):
    arn = two_versions
    with pytest.raises(sfn.exceptions.ValidationException):  # a name of digits only
        sfn.create_state_machine_alias(name="123", routingConfiguration=routing((arn + ":1", 100)))
    with pytest.raises(sfn.exceptions.ValidationException):  # three routes
        sfn.create_state_machine_alias(
            name="three", routingConfiguration=routing((arn + ":1", 50), (arn + ":2", 50),
                                                       (arn + ":2", 0)))
    alias = sfn.create_state_machine_alias(
        name="prod", routingConfiguration=routing((arn + ":1", 100)))["stateMachineAliasArn"]
    with pytest.raises(sfn.exceptions.ValidationException):  # nothing to update
        sfn.update_state_machine_alias(stateMachineAliasArn=alias)
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.describe_state_machine_alias(stateMachineAliasArn="arn:aws:states:us-east-1:1:nope")


def test_at_most_100_aliases_per_machine(sfn, two_versions):
    from engine.models import StateMachine, StateMachineAlias

    arn = two_versions
    machine = StateMachine.objects.get(name="canary")
    StateMachineAlias.objects.bulk_create(
        StateMachineAlias(state_machine=machine, name=f"a{i}", routing=[{"version": 1, "weight": 100}])
        for i in range(100))
    with pytest.raises(sfn.exceptions.ServiceQuotaExceededException):
        sfn.create_state_machine_alias(name="one-more", routingConfiguration=routing((arn + ":1", 100)))
    page = sfn.list_state_machine_aliases(stateMachineArn=arn, maxResults=60)
    rest = sfn.list_state_machine_aliases(stateMachineArn=arn, nextToken=page["nextToken"])
    assert len(page["stateMachineAliases"]) + len(rest["stateMachineAliases"]) == 100


def test_a_version_an_alias_routes_to_cannot_be_deleted(sfn, two_versions):
    arn = two_versions
    alias = sfn.create_state_machine_alias(
        name="prod", routingConfiguration=routing((arn + ":1", 100)))["stateMachineAliasArn"]

    with pytest.raises(sfn.exceptions.ConflictException) as raised:
        sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":1")
    assert alias in raised.value.response["Error"]["Message"]

    sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":2")
    versions = sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in versions] == [arn + ":1"]
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=arn + ":2")
    sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":2")  # idempotent

    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":1")
    assert sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"] == []


def test_delete_state_machine_version_needs_a_version_arn(sfn, two_versions):
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.delete_state_machine_version(stateMachineVersionArn=two_versions)


def test_another_users_aliases_do_not_exist_for_me(sfn, bob_sfn, two_versions):
    arn = two_versions
    alias = sfn.create_state_machine_alias(
        name="prod", routingConfiguration=routing((arn + ":1", 100)))["stateMachineAliasArn"]
    with pytest.raises(bob_sfn.exceptions.ResourceNotFound):
        bob_sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    with pytest.raises(bob_sfn.exceptions.StateMachineDoesNotExist):
        bob_sfn.start_execution(stateMachineArn=alias)
    with pytest.raises(bob_sfn.exceptions.ResourceNotFound):
        bob_sfn.create_state_machine_alias(name="mine",
                                           routingConfiguration=routing((arn + ":1", 100)))
    bob_sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":2")
    assert len(sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]) == 2


def test_the_modelled_errors_of_missing_machines_and_aliases(sfn, two_versions):
    arn = two_versions
    gone = arn + ":nothing"
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.list_state_machine_aliases(stateMachineArn=arn.replace(":canary", ":gone"))
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.list_state_machine_aliases(stateMachineArn=gone)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.update_state_machine_alias(stateMachineAliasArn=gone, description="x")
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.list_executions(stateMachineArn=gone)
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.start_execution(stateMachineArn=gone)
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.describe_state_machine_alias(stateMachineAliasArn=arn + ":1")  # a version


def test_list_executions_takes_one_of_a_machine_and_a_map_run(sfn, two_versions):
    map_run = two_versions.replace(":stateMachine:", ":mapRun:") + "/Map:1f2e3d4c"
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.list_executions(stateMachineArn=two_versions, mapRunArn=map_run)
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.list_executions()
    with pytest.raises(sfn.exceptions.ResourceNotFound):  # map runs are not served yet
        sfn.list_executions(mapRunArn=map_run)
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.list_executions(mapRunArn=two_versions)
