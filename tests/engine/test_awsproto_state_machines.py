"""State machine actions through boto3's real stepfunctions client against a live server."""
import json

import pytest

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…

pytestmark = pytest.mark.django_db(transaction=True)

ROLE = "arn:aws:iam::123456789012:role/demo"
HELLO = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": "hi", "End": True}}}


def create(sfn, name="hello", definition=HELLO, **kwargs):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition),
                                    roleArn=ROLE, **kwargs)


def test_create_then_describe_returns_the_definition_and_an_arn_in_the_callers_account(sfn, user):
    created = create(sfn)
    arn = created["stateMachineArn"]
    assert arn.startswith("arn:aws:states:us-east-1:")
    assert arn.endswith(":stateMachine:hello")

    described = sfn.describe_state_machine(stateMachineArn=arn)

    assert described["name"] == "hello"
    assert described["status"] == "ACTIVE"
    assert described["type"] == "STANDARD"
    assert json.loads(described["definition"]) == HELLO
    assert described["creationDate"] == created["creationDate"]


def test_list_state_machines_pages_with_next_token(sfn):
    for name in ("a", "b", "c"):
        create(sfn, name)

    pages = sfn.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 2})
    names = [m["name"] for page in pages for m in page["stateMachines"]]

    assert names == ["a", "b", "c"]
    first = sfn.list_state_machines(maxResults=2)
    assert "nextToken" in first and len(first["stateMachines"]) == 2


def test_a_forged_next_token_is_invalid_token(sfn):
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_state_machines(nextToken="forged")


def test_create_with_an_invalid_definition_raises_invalid_definition(sfn):
    with pytest.raises(sfn.exceptions.InvalidDefinition) as error:
        create(sfn, definition={"States": {}})
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "Invalid State Machine Definition" in error.value.response["Error"]["Message"]


def test_create_with_a_definition_that_is_not_json_raises_invalid_definition(sfn):
    with pytest.raises(sfn.exceptions.InvalidDefinition):
        sfn.create_state_machine(name="x", definition="{not json", roleArn=ROLE)


def test_create_with_an_invalid_name_raises_invalid_name(sfn):
    with pytest.raises(sfn.exceptions.InvalidName):
        create(sfn, name="has space")


def test_creating_the_same_machine_twice_is_idempotent_but_a_different_one_conflicts(sfn):
    first = create(sfn)
    assert create(sfn)["stateMachineArn"] == first["stateMachineArn"]
    other = {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}
    with pytest.raises(sfn.exceptions.StateMachineAlreadyExists):
        create(sfn, definition=other)


def test_update_and_publish_versions(sfn):
    arn = create(sfn, publish=True, versionDescription="first")["stateMachineArn"]
    updated = {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}

    result = sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(updated),
                                      publish=True, versionDescription="second")

    assert result["stateMachineVersionArn"] == arn + ":2"
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == updated
    version_1 = sfn.describe_state_machine(stateMachineArn=arn + ":1")
    assert json.loads(version_1["definition"]) == HELLO
    assert version_1["description"] == "first"
    versions = sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in versions] == [arn + ":2", arn + ":1"]
    # Nothing changed since version 2: publishing again returns it (AWS does the same).
    again = sfn.publish_state_machine_version(stateMachineArn=arn)
    assert again["stateMachineVersionArn"] == arn + ":2"


def test_update_with_an_invalid_definition_keeps_the_old_one(sfn):
    arn = create(sfn)["stateMachineArn"]
    with pytest.raises(sfn.exceptions.InvalidDefinition):
        sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps({"StartAt": "X"}))
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == HELLO


def test_update_without_anything_to_change_is_missing_required_parameter(sfn):
    arn = create(sfn)["stateMachineArn"]
    with pytest.raises(sfn.exceptions.MissingRequiredParameter):
        sfn.update_state_machine(stateMachineArn=arn)


def test_delete_then_describe_raises_state_machine_does_not_exist(sfn):
    arn = create(sfn)["stateMachineArn"]
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=arn)
    sfn.delete_state_machine(stateMachineArn=arn)  # deleting again is not an error, as at AWS


def test_another_users_machine_does_not_exist_for_me(sfn, bob_sfn):
    arn = create(sfn)["stateMachineArn"]
    with pytest.raises(bob_sfn.exceptions.StateMachineDoesNotExist):
        bob_sfn.describe_state_machine(stateMachineArn=arn)
    bob_sfn.delete_state_machine(stateMachineArn=arn)
    assert sfn.describe_state_machine(stateMachineArn=arn)["name"] == "hello"
    assert bob_sfn.list_state_machines()["stateMachines"] == []


@pytest.mark.parametrize("arn", [
    "not-an-arn",
    "arn:aws:states:us-east-1:123456789012:execution:hello:run",
    "arn:aws:states:us-east-1:123456789012:stateMachine:a:b:c",
])
def test_a_malformed_or_wrong_kind_of_arn_raises_invalid_arn(sfn, arn):
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.describe_state_machine(stateMachineArn=arn)


def test_validate_reports_ok_for_a_valid_definition(sfn):
    result = sfn.validate_state_machine_definition(definition=json.dumps(HELLO))
    assert result["result"] == "OK"
    assert result["diagnostics"] == []


def test_validate_reports_fail_with_diagnostics_for_an_invalid_definition(sfn):
    result = sfn.validate_state_machine_definition(definition=json.dumps({"States": {}}))
    assert result["result"] == "FAIL"
    assert result["diagnostics"]
    assert {"severity", "code", "message"} <= set(result["diagnostics"][0])


def test_the_aws_protocol_and_the_rest_api_share_one_namespace(live_server, sfn, user):
    import requests
    from rest_framework.authtoken.models import Token

    arn = create(sfn)["stateMachineArn"]
    token = Token.objects.create(user=user).key
    response = requests.get(f"{live_server.url}/api/state-machines/hello/", timeout=30,
                            headers={"Authorization": f"Token {token}"})
    assert response.status_code == 200
    assert response.json()["arn"] == arn
    assert response.json()["definition"] == HELLO


def test_staff_can_describe_another_accounts_machine(live_server, sfn, staff_user):
    from accounts.keys import create_access_key

    arn = create(sfn)["stateMachineArn"]
    staff = sfn_client(live_server, *create_access_key(staff_user))
    assert staff.describe_state_machine(stateMachineArn=arn)["name"] == "hello"
    assert staff.list_state_machines()["stateMachines"] == []  # lists are per account
