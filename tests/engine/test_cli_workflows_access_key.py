"""`manage.py workflows create-access-key USERNAME`: the printed key signs real boto3 calls."""
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.accounts.sdk import sfn_client


def create_key(username):
    out = io.StringIO()
    call_command("workflows", "create-access-key", username, stdout=out)
    return json.loads(out.getvalue())["AccessKey"]


@pytest.mark.django_db(transaction=True)
def test_the_printed_key_lets_boto3_act_as_that_user(live_server, user, other_user):
    key = create_key(user.username)
    assert key["UserName"] == user.username and key["Status"] == "Active"
    assert len(key["AccessKeyId"]) == 20

    sfn = sfn_client(live_server, key["AccessKeyId"], key["SecretAccessKey"])
    definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    arn = sfn.create_state_machine(name="from-cli-key", definition=definition,
                                   roleArn="arn:aws:iam::123456789012:role/r")["stateMachineArn"]
    assert [m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]] == [arn]

    # Another user's key sees none of it: the key is tied to the user it was made for.
    bob = create_key(other_user.username)
    bob_sfn = sfn_client(live_server, bob["AccessKeyId"], bob["SecretAccessKey"])
    assert bob_sfn.list_state_machines()["stateMachines"] == []


@pytest.mark.django_db
def test_an_unknown_user_is_a_clean_error():
    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("workflows", "create-access-key", "nobody", stdout=io.StringIO())
