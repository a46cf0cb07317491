"""Role, logging, tracing and encryption configuration, revisions and versions, kept as AWS
keeps them (boto3 against a live server)."""
import json

import pytest

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…

pytestmark = pytest.mark.django_db(transaction=True)

ROLE = "arn:aws:iam::123456789012:role/demo"
OTHER_ROLE = "arn:aws:iam::123456789012:role/service-role/other"
HELLO = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": True}}}
LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/states/demo:*"
LOGGING = {"level": "ERROR", "includeExecutionData": True,
           "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": LOG_GROUP}}]}
KMS = {"type": "CUSTOMER_MANAGED_KMS_KEY",
       "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
       "kmsDataKeyReusePeriodSeconds": 600}


def create(sfn, **kwargs):
    kwargs.setdefault("roleArn", ROLE)
    return sfn.create_state_machine(name="configured", definition=json.dumps(HELLO), **kwargs)


def test_configuration_given_at_create_is_described(sfn):
    arn = create(sfn, loggingConfiguration=LOGGING, tracingConfiguration={"enabled": True},
                 encryptionConfiguration=KMS)["stateMachineArn"]
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert described["roleArn"] == ROLE
    assert described["loggingConfiguration"] == LOGGING
    assert described["tracingConfiguration"] == {"enabled": True}
    assert described["encryptionConfiguration"] == KMS
    assert "revisionId" not in described  # none until the first update, as at AWS


def test_defaults_when_no_configuration_is_given(sfn):
    arn = create(sfn)["stateMachineArn"]
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert described["loggingConfiguration"] == {"level": "OFF", "includeExecutionData": False}
    assert described["tracingConfiguration"] == {"enabled": False}
    assert described["encryptionConfiguration"] == {"type": "AWS_OWNED_KEY"}


def test_update_changes_the_configuration_and_the_revision(sfn):
    arn = create(sfn)["stateMachineArn"]
    first = sfn.update_state_machine(stateMachineArn=arn, roleArn=OTHER_ROLE,
                                     loggingConfiguration=LOGGING)
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert described["roleArn"] == OTHER_ROLE
    assert described["loggingConfiguration"] == LOGGING
    assert described["revisionId"] == first["revisionId"]

    second = sfn.update_state_machine(stateMachineArn=arn, tracingConfiguration={"enabled": True})
    assert second["revisionId"] != first["revisionId"]
    assert sfn.describe_state_machine(stateMachineArn=arn)["tracingConfiguration"] == {"enabled": True}


def test_a_configuration_change_makes_a_new_version_that_keeps_it(sfn):
    arn = create(sfn, publish=True, versionDescription="v1")["stateMachineArn"]
    updated = sfn.update_state_machine(stateMachineArn=arn, roleArn=OTHER_ROLE, publish=True,
                                       versionDescription="new role")
    assert updated["stateMachineVersionArn"] == arn + ":2"
    assert sfn.describe_state_machine(stateMachineArn=arn + ":1")["roleArn"] == ROLE
    version_2 = sfn.describe_state_machine(stateMachineArn=arn + ":2")
    assert version_2["roleArn"] == OTHER_ROLE
    assert version_2["description"] == "new role"
    assert version_2["revisionId"] == updated["revisionId"]


def test_publish_with_a_stale_revision_is_a_conflict(sfn):
    arn = create(sfn)["stateMachineArn"]
    published = sfn.publish_state_machine_version(stateMachineArn=arn, revisionId="INITIAL")
    assert published["stateMachineVersionArn"] == arn + ":1"
    revision = sfn.update_state_machine(stateMachineArn=arn, roleArn=OTHER_ROLE)["revisionId"]

    with pytest.raises(sfn.exceptions.ConflictException):
        sfn.publish_state_machine_version(stateMachineArn=arn, revisionId="INITIAL")
    sfn.update_state_machine(stateMachineArn=arn, roleArn=ROLE)
    with pytest.raises(sfn.exceptions.ConflictException):
        sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=revision)

    current = sfn.describe_state_machine(stateMachineArn=arn)["revisionId"]
    assert sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=current)[
        "stateMachineVersionArn"] == arn + ":2"


def test_update_with_publish_and_a_new_description_creates_a_version(sfn):
    arn = create(sfn, publish=True)["stateMachineArn"]
    again = sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(HELLO),
                                     publish=True, versionDescription="same definition")
    assert again["stateMachineVersionArn"] == arn + ":2"


def test_a_version_description_without_publish_is_a_validation_error(sfn):
    with pytest.raises(sfn.exceptions.ValidationException):
        create(sfn, versionDescription="no publish")
    arn = create(sfn)["stateMachineArn"]
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.update_state_machine(stateMachineArn=arn, roleArn=OTHER_ROLE,
                                 versionDescription="no publish")


@pytest.mark.parametrize("kwargs, error", [
    ({"roleArn": "not-a-role"}, "InvalidArn"),
    ({"roleArn": "arn:aws:s3:::bucket"}, "InvalidArn"),
    ({"loggingConfiguration": {"level": "ALL"}}, "InvalidLoggingConfiguration"),
    ({"loggingConfiguration": {"level": "ALL", "destinations": [
        {"cloudWatchLogsLogGroup": {"logGroupArn": "arn:aws:s3:::bucket"}}]}},
     "InvalidLoggingConfiguration"),
    ({"loggingConfiguration": {"level": "LOUD"}}, "ValidationException"),
    ({"encryptionConfiguration": {"type": "CUSTOMER_MANAGED_KMS_KEY"}},
     "InvalidEncryptionConfiguration"),
    ({"encryptionConfiguration": {"type": "AWS_OWNED_KEY", "kmsKeyId": "alias/mine"}},
     "InvalidEncryptionConfiguration"),
    ({"encryptionConfiguration": {"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": "x",
                                  "kmsDataKeyReusePeriodSeconds": 10}}, "ValidationException"),
])
def test_malformed_configuration_gets_the_models_error(live_server, alice_key, kwargs, error):
    sfn = sfn_client(live_server, *alice_key, parameter_validation=False)
    with pytest.raises(sfn.exceptions.ClientError) as raised:
        create(sfn, **kwargs)
    assert raised.value.response["Error"]["Code"] == error
    arn = create(sfn)["stateMachineArn"]
    with pytest.raises(sfn.exceptions.ClientError) as raised:
        sfn.update_state_machine(stateMachineArn=arn, **kwargs)
    assert raised.value.response["Error"]["Code"] == error


def test_create_is_idempotent_on_the_configuration(sfn):
    first = create(sfn, loggingConfiguration=LOGGING)
    assert create(sfn, loggingConfiguration=LOGGING, roleArn=OTHER_ROLE)[
        "stateMachineArn"] == first["stateMachineArn"]
    with pytest.raises(sfn.exceptions.StateMachineAlreadyExists):
        create(sfn, tracingConfiguration={"enabled": True})


def test_describe_state_machine_for_execution_answers_the_stored_configuration(sfn):
    arn = create(sfn, loggingConfiguration=LOGGING)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    described = sfn.describe_state_machine_for_execution(executionArn=execution)
    assert described["roleArn"] == ROLE
    assert described["loggingConfiguration"] == LOGGING


def test_activity_encryption_configuration_is_described(sfn):
    arn = sfn.create_activity(name="secret", encryptionConfiguration=KMS)["activityArn"]
    assert sfn.describe_activity(activityArn=arn)["encryptionConfiguration"] == KMS
    with pytest.raises(sfn.exceptions.ActivityAlreadyExists):
        sfn.create_activity(name="secret", encryptionConfiguration={"type": "AWS_OWNED_KEY"})
    with pytest.raises(sfn.exceptions.InvalidEncryptionConfiguration):
        sfn.create_activity(name="other", encryptionConfiguration={"type": "CUSTOMER_MANAGED_KMS_KEY"})
