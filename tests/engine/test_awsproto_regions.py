"""ARNs carry the SigV4 region (and its partition); limits count UTF-8 bytes (live server)."""
import json

import boto3
import pytest
from botocore.config import Config

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…

pytestmark = pytest.mark.django_db(transaction=True)

ROLE = "arn:aws:iam::123456789012:role/demo"
HELLO = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": True}}}


def client_in(live_server, key, region, **config):
    return boto3.client("stepfunctions", endpoint_url=live_server.url, region_name=region,
                        aws_access_key_id=key[0], aws_secret_access_key=key[1],
                        config=Config(retries={"max_attempts": 1, "mode": "standard"},
                                      inject_host_prefix=False, **config))


@pytest.mark.parametrize("region, partition", [
    ("eu-west-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")])
def test_everything_a_request_creates_carries_its_region(live_server, alice_key, region, partition):
    sfn = client_in(live_server, alice_key, region)
    prefix = f"arn:{partition}:states:{region}:"

    created = sfn.create_state_machine(name="regional", definition=json.dumps(HELLO),
                                       roleArn=ROLE, publish=True, type="EXPRESS")
    arn = created["stateMachineArn"]
    assert arn.startswith(prefix) and created["stateMachineVersionArn"] == arn + ":1"
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[
        {"stateMachineVersionArn": arn + ":1", "weight": 100}])["stateMachineAliasArn"]
    assert alias == arn + ":live"
    execution = sfn.start_execution(stateMachineArn=alias)["executionArn"]
    assert execution.startswith(prefix + execution.split(":")[4] + ":execution:regional:")
    described = sfn.describe_execution(executionArn=execution)
    assert described["stateMachineArn"] == arn
    assert described["stateMachineVersionArn"].startswith(prefix)
    assert sfn.start_sync_execution(stateMachineArn=arn)["executionArn"].startswith(prefix)
    assert sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"] == arn
    activity = sfn.create_activity(name="regional")["activityArn"]
    assert activity.startswith(prefix)
    assert sfn.describe_activity(activityArn=activity)["activityArn"] == activity
    assert sfn.list_tags_for_resource(resourceArn=activity)["tags"] == []


def test_an_input_of_100000_euro_signs_is_300000_bytes_and_refused(sfn):
    arn = sfn.create_state_machine(name="m", definition=json.dumps(HELLO),
                                   roleArn=ROLE)["stateMachineArn"]
    with pytest.raises(sfn.exceptions.ValidationException) as raised:
        sfn.start_execution(stateMachineArn=arn, input=json.dumps("€" * 100_000, ensure_ascii=False))
    assert "'input'" in raised.value.response["Error"]["Message"]
    # 100,002 characters, under the 262,144 a character count allows: refused for its bytes.
    # 87,000 "€" (261,000 bytes plus quotes) fit under 256 KiB.
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps("€" * 87_000, ensure_ascii=False))
    assert sfn.describe_execution(executionArn=execution["executionArn"])["status"] in (
        "RUNNING", "SUCCEEDED")


def test_a_definition_over_1_mib_in_bytes_is_refused(live_server, alice_key):
    # botocore counts characters; the server counts bytes, as the service does.
    sfn = client_in(live_server, alice_key, "us-east-1", parameter_validation=False)
    big = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "€" * 400_000, "End": True}}}
    text = json.dumps(big, ensure_ascii=False)
    assert len(text) < 1_048_576 < len(text.encode())
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.create_state_machine(name="big", definition=text, roleArn=ROLE)
