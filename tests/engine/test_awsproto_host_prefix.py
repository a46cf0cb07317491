"""The `sync-` host prefix of StartSyncExecution and TestState (live server).

botocore sends these two operations to `sync-<endpoint host>`. The server answers under that
name (ALLOWED_HOSTS gains a `sync-` twin of each name), and each documented way of turning the
prefix off really keeps boto3 on the endpoint as given.
"""
import json
from urllib.parse import urlsplit

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…

pytestmark = pytest.mark.django_db(transaction=True)

PASS = json.dumps({"Type": "Pass", "Result": {"ok": True}, "End": True})
EXPRESS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def post_as_sync_host(live_server, key, target, body: dict):
    """What botocore sends with the prefix on: signed for sync-<host>, that Host header."""
    netloc = urlsplit(live_server.url).netloc
    url = f"http://sync-{netloc}/"
    data = json.dumps(body).encode()
    request = AWSRequest(method="POST", url=url, data=data, headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"AWSStepFunctions.{target}"})
    SigV4Auth(Credentials(*key), "states", "us-east-1").add_auth(request)
    # sync-localhost does not resolve here: connect to the server, name the prefixed host.
    headers = dict(request.headers)
    headers["Host"] = f"sync-{netloc}"
    return requests.post(live_server.url + "/", data=data, headers=headers, timeout=30)


def test_test_state_and_start_sync_execution_answer_on_the_sync_host(live_server, alice_key, sfn):
    answer = post_as_sync_host(live_server, alice_key, "TestState", {"definition": PASS})
    assert answer.status_code == 200, answer.text
    assert json.loads(answer.json()["output"]) == {"ok": True}

    arn = sfn.create_state_machine(name="fast", type="EXPRESS", definition=EXPRESS,
                                   roleArn="arn:aws:iam::123456789012:role/r")["stateMachineArn"]
    answer = post_as_sync_host(live_server, alice_key, "StartSyncExecution",
                               {"stateMachineArn": arn, "input": "{}"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "SUCCEEDED"


def test_botocore_prefixes_the_host_unless_told_not_to(live_server, alice_key):
    default = boto3.client("stepfunctions", endpoint_url=live_server.url, region_name="us-east-1",
                           aws_access_key_id=alice_key[0], aws_secret_access_key=alice_key[1])
    sent = []
    default.meta.events.register("before-send", lambda request, **_: sent.append(request.url))
    with pytest.raises(Exception):  # sync-localhost does not resolve on this machine
        default.test_state(definition=PASS)
    assert urlsplit(sent[0]).hostname == "sync-localhost"


def _client(live_server, key, **kwargs):
    session = boto3.session.Session()
    return session.client("stepfunctions", endpoint_url=live_server.url, region_name="us-east-1",
                          aws_access_key_id=key[0], aws_secret_access_key=key[1], **kwargs)


def test_the_environment_variable_turns_the_prefix_off(live_server, alice_key, monkeypatch):
    monkeypatch.setenv("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")
    client = _client(live_server, alice_key)
    assert json.loads(client.test_state(definition=PASS)["output"]) == {"ok": True}


def test_the_config_file_setting_turns_the_prefix_off(live_server, alice_key, monkeypatch, tmp_path):
    config = tmp_path / "config"
    config.write_text("[default]\ndisable_host_prefix_injection = true\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    client = _client(live_server, alice_key)
    assert json.loads(client.test_state(definition=PASS)["output"]) == {"ok": True}


def test_the_client_config_turns_the_prefix_off(live_server, alice_key):
    client = _client(live_server, alice_key, config=Config(inject_host_prefix=False))
    assert json.loads(client.test_state(definition=PASS)["output"]) == {"ok": True}
