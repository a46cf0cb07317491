"""Fixtures for driving the live server with boto3's real Step Functions client.

Import them into a test module with `from tests.accounts.sdk import *`.
"""
import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from accounts.keys import create_access_key

__all__ = ["alice_key", "sfn", "bob_sfn", "sfn_client", "signed_post"]

REGION = "us-east-1"


def sfn_client(live_server, key_id, secret, **config):
    """A real boto3 stepfunctions client for the live server; no retries, so errors show."""
    return boto3.client(
        "stepfunctions",
        endpoint_url=live_server.url,
        region_name=REGION,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        # StartSyncExecution's model has hostPrefix "sync-": without this botocore would
        # call sync-localhost, a host that neither resolves nor is in ALLOWED_HOSTS.
        config=Config(retries={"max_attempts": 1, "mode": "standard"},
                      inject_host_prefix=False, **config),
    )


def signed_post(live_server, key, body: bytes, target="AWSStepFunctions.ListStateMachines",
                content_type="application/x-amz-json-1.0", secret=None):
    """POST / signed by botocore's SigV4 signer, for bodies boto3 itself would never send."""
    key_id, key_secret = key
    request = AWSRequest(method="POST", url=live_server.url + "/", data=body, headers={
        "Content-Type": content_type, "X-Amz-Target": target})
    SigV4Auth(Credentials(key_id, secret or key_secret), "states", REGION).add_auth(request)
    return requests.post(live_server.url + "/", data=body, headers=dict(request.headers),
                         timeout=30)


# `user` (alice) and `other_user` (bob) come from tests/conftest.py.

@pytest.fixture
def alice_key(user):
    return create_access_key(user)


@pytest.fixture
def sfn(live_server, alice_key):
    return sfn_client(live_server, *alice_key)


@pytest.fixture
def bob_sfn(live_server, other_user):
    return sfn_client(live_server, *create_access_key(other_user))
