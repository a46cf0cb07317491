"""The wire protocol's refusals: authentication, operations, bodies — AWS's error shape, never a 500."""
import json

import pytest
import requests
from botocore.exceptions import ClientError

from accounts.keys import create_access_key, revoke_access_key
from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, alice_key, signed_post…

pytestmark = pytest.mark.django_db(transaction=True)


def error_of(response):
    body = response.json()
    return body["__type"].rsplit("#", 1)[1], body["message"]


def test_the_same_client_with_a_wrong_secret_is_refused(live_server, alice_key):
    key_id, _ = alice_key
    client = sfn_client(live_server, key_id, "0" * 40)
    with pytest.raises(ClientError) as error:
        client.list_state_machines()
    assert error.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_an_unknown_access_key_is_unrecognized(live_server):
    client = sfn_client(live_server, "SS" + "A" * 18, "x" * 40)
    with pytest.raises(ClientError) as error:
        client.list_state_machines()
    assert error.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_a_revoked_key_is_unrecognized(live_server, user, alice_key):
    client = sfn_client(live_server, *alice_key)
    client.list_state_machines()
    assert revoke_access_key(user, alice_key[0])
    with pytest.raises(ClientError) as error:
        client.list_state_machines()
    assert error.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_an_inactive_users_key_is_unrecognized(live_server, user, alice_key):
    user.is_active = False
    user.save()
    with pytest.raises(ClientError) as error:
        sfn_client(live_server, *alice_key).list_state_machines()
    assert error.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_an_unsigned_call_is_refused_without_a_redirect(live_server):
    response = requests.post(live_server.url + "/", data=b"{}", allow_redirects=False, headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "AWSStepFunctions.ListStateMachines"}, timeout=30)
    assert response.status_code == 403
    assert error_of(response) == ("MissingAuthenticationTokenException",
                                  "Missing Authentication Token")


def test_a_signed_call_answers_in_aws_json(live_server, alice_key):
    response = signed_post(live_server, alice_key, b"{}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/x-amz-json-1.0"
    assert response.json() == {"stateMachines": []}


def test_an_unknown_action_is_unknown_operation(live_server, alice_key):
    response = signed_post(live_server, alice_key, b"{}", target="AWSStepFunctions.DropTables")
    assert response.status_code == 400
    code, message = error_of(response)[:2]
    assert code == "UnknownOperationException"
    assert "DropTables" in message


def test_a_target_of_another_service_is_unknown_operation(live_server, alice_key):
    response = signed_post(live_server, alice_key, b"{}", target="DynamoDB_20120810.ListTables")
    assert error_of(response)[0] == "UnknownOperationException"


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b'"text"'])
def test_a_body_that_is_not_a_json_object_is_a_serialization_error(live_server, alice_key, body):
    response = signed_post(live_server, alice_key, body)
    assert response.status_code == 400
    assert error_of(response)[0] == "SerializationException"


def test_a_member_of_the_wrong_type_is_a_serialization_error(live_server, alice_key):
    client = sfn_client(live_server, *alice_key, parameter_validation=False)
    with pytest.raises(ClientError) as error:
        client.describe_state_machine(stateMachineArn=12)
    assert error.value.response["Error"]["Code"] == "SerializationException"


def test_a_boolean_is_not_an_integer(live_server, alice_key):
    body = json.dumps({"maxResults": True}).encode()
    assert error_of(signed_post(live_server, alice_key, body))[0] == "SerializationException"


def test_a_missing_required_member_is_a_validation_error(live_server, alice_key):
    response = signed_post(live_server, alice_key, b"{}",
                           target="AWSStepFunctions.DescribeStateMachine")
    code, message = error_of(response)
    assert code == "ValidationException"
    assert message == ("1 validation error detected: Value null at 'stateMachineArn' failed to "
                       "satisfy constraint: Member must not be null")


def test_an_out_of_range_member_is_a_validation_error(sfn):
    client = sfn
    with pytest.raises(client.exceptions.ValidationException):
        client.list_state_machines(maxResults=5000)


def test_an_execution_input_over_256_kib_is_a_validation_error(live_server, alice_key):
    body = json.dumps({
        "stateMachineArn": "arn:aws:states:us-east-1:100000000001:stateMachine:x",
        "input": json.dumps({"blob": "x" * 262144}),
    }).encode()
    response = signed_post(live_server, alice_key, body, target="AWSStepFunctions.StartExecution")
    code, message = error_of(response)
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 262144" in message


def test_a_body_larger_than_the_server_accepts_is_refused_with_413(live_server, alice_key):
    body = b'{"definition": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    response = signed_post(live_server, alice_key, body,
                           target="AWSStepFunctions.ValidateStateMachineDefinition")
    assert response.status_code == 413
    assert error_of(response)[0] == "RequestEntityTooLargeException"


def test_a_wrong_content_type_is_refused(live_server, alice_key):
    response = signed_post(live_server, alice_key, b"{}", content_type="text/plain")
    assert response.status_code == 400
    assert error_of(response)[0] == "UnknownOperationException"


def test_a_second_key_of_the_same_user_sees_the_same_machines(live_server, user, sfn):
    sfn.create_state_machine(name="m", roleArn="arn:aws:iam::123456789012:role/r", definition=json.dumps(
        {"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}))
    other = sfn_client(live_server, *create_access_key(user))
    assert [m["name"] for m in other.list_state_machines()["stateMachines"]] == ["m"]


@pytest.mark.parametrize("target, body", [
    ("TagResource", {"resourceArn": "arn:aws:states:us-east-1:100000000001:activity:a",
                     "tags": [None]}),
    ("CreateStateMachineAlias", {"name": "prod", "routingConfiguration": [None]}),
    ("TestState", {"definition": "{}", "mock": {"result": 5}}),
])
def test_nested_members_of_the_wrong_type_are_serialization_errors(live_server, alice_key,
                                                                    target, body):
    response = signed_post(live_server, alice_key, json.dumps(body).encode(),
                           target=f"AWSStepFunctions.{target}")
    assert response.status_code == 400
    assert error_of(response)[0] == "SerializationException"
