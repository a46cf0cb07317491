"""Generated bodies for every action: the AWS endpoint answers 2xx or a modelled 4xx, never 5xx.

In-process through Django's test client (fast), each request really SigV4-signed by
botocore for the test client's host.
"""
import json

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.keys import create_access_key
from engine.awsproto import shapes
from engine.models import StateMachine

pytestmark = pytest.mark.django_db

ACTIONS = sorted(shapes.SHAPES)
HELLO = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": True}}}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8)


def member_values(action):
    """Per member: plausible values (ARNs of real objects, JSON text) mixed with junk."""
    arn = "arn:aws:states:us-east-1:100000000001"
    plausible = st.sampled_from([
        f"{arn}:stateMachine:hello", f"{arn}:stateMachine:hello:1",
        f"{arn}:execution:hello:first", f"{arn}:activity:review", "{}", '{"a": 1}',
        json.dumps(HELLO), "STANDARD", "EXPRESS", "ERROR", "",
    ])
    return st.fixed_dictionaries({}, optional={
        member: plausible | json_values for member in shapes.SHAPES[action]})


def signed_post(client, key, action, body: bytes):
    request = AWSRequest(method="POST", url="http://testserver/", data=body, headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": f"AWSStepFunctions.{action}"})
    SigV4Auth(Credentials(*key), "states", "us-east-1").add_auth(request)
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-type"}
    return client.post("/", data=body, content_type="application/x-amz-json-1.0",
                       headers=headers)


@pytest.fixture
def key(user, settings):
    settings.STEPSTUDIO_ACTIVITY_POLL_SECONDS = 0  # GetActivityTask answers at once
    machine = StateMachine.objects.create(owner=user, name="hello", definition=HELLO)
    from engine import services

    services.start_execution(machine, "{}", "first")
    return create_access_key(user)


@pytest.mark.parametrize("action", ACTIONS)
def test_generated_requests_never_get_a_server_error(action, key):
    client = Client()

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    @given(params=member_values(action))
    def check(params):
        response = signed_post(client, key, action, json.dumps(params).encode())
        assert response.status_code < 500, (params, response.content)
        if response.status_code >= 400:
            assert json.loads(response.content)["__type"].count("#") == 1

    check()
