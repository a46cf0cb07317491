"""The small world every security test shares: alice (owner), bob (another user), staff.

alice owns one state machine with one version, a FAILED execution whose user text is all
markup (execution name, error, cause, state names, Comment), a RUNNING execution waiting on
a task token, and an activity. bob owns nothing of hers. Everything user-controlled carries
the two payloads below, so the XSS tests and the ownership tests read the same rows.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from django.test import Client

from accounts.keys import create_access_key
from engine.models import (Activity, Execution, ExecutionStatus, Frame, HistoryEvent,
                           StateMachine, StateMachineVersion, TaskToken)

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# A state name may be any text in ASL; these are the names of alice's states.
STATE_A = f"A{SCRIPT}"
STATE_B = f"B{IMG}"
DEFINITION = {
    "Comment": f"comment {SCRIPT} {IMG}",
    "StartAt": STATE_A,
    "States": {
        STATE_A: {"Type": "Pass", "Comment": SCRIPT, "Next": STATE_B},
        STATE_B: {"Type": "Fail", "Error": f"E{SCRIPT}", "Cause": f"C{IMG}"},
    },
}
MACHINE = "alice-machine"
ACTIVITY = "alice-activity"
TOKEN = "alice-token-" + "0" * 52
REGION = "us-east-1"


@dataclass
class World:
    alice: object
    bob: object
    staff: object
    machine: StateMachine
    version: StateMachineVersion
    failed: Execution      # FAILED, every user text a payload
    running: Execution     # RUNNING, waiting on TOKEN
    activity: Activity
    keys: dict             # user -> (key_id, secret)

    def client(self, user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


def _events(execution: Execution) -> None:
    details = [
        ("ExecutionStarted", {"executionStartedEventDetails": {
            "input": json.dumps({"who": SCRIPT}), "inputDetails": {"truncated": False}}}),
        ("PassStateEntered", {"stateEnteredEventDetails": {
            "name": STATE_A, "input": json.dumps({"who": IMG})}}),
        ("PassStateExited", {"stateExitedEventDetails": {"name": STATE_A, "output": "{}"}}),
        ("FailStateEntered", {"stateEnteredEventDetails": {"name": STATE_B, "input": "{}"}}),
        ("ExecutionFailed", {"executionFailedEventDetails": {
            "error": execution.error, "cause": execution.cause}}),
    ]
    HistoryEvent.objects.bulk_create([
        HistoryEvent(execution=execution, seq=i, previous_event_id=i - 1, type=t, details=d)
        for i, (t, d) in enumerate(details, start=1)])
    execution.seq = len(details)
    execution.save(update_fields=["seq"])


@pytest.fixture
def world(make_user) -> World:
    alice = make_user("alice")
    bob = make_user("bob")
    staff = make_user("staff", staff=True)
    machine = StateMachine.objects.create(owner=alice, name=MACHINE, definition=DEFINITION,
                                          description=SCRIPT)
    version = StateMachineVersion.objects.create(state_machine=machine, version=1,
                                                 description=IMG, definition=DEFINITION)
    failed = Execution.objects.create(
        state_machine=machine, version=version, name=f"run{SCRIPT}"[:80],
        status=ExecutionStatus.FAILED, input={"who": SCRIPT, "img": IMG},
        error=f"E{SCRIPT}", cause=f"cause {IMG} {SCRIPT}", definition=DEFINITION)
    _events(failed)
    running = Execution.objects.create(state_machine=machine, name="waiting", input={},
                                       definition=DEFINITION)
    frame = Frame.objects.create(execution=running, status="RUNNING", waiting="CALLBACK")
    TaskToken.objects.create(token=TOKEN, execution=running, frame=frame, frame_step=0)
    activity = Activity.objects.create(owner=alice, name=ACTIVITY)
    keys = {u.username: create_access_key(u) for u in (alice, bob, staff)}
    return World(alice, bob, staff, machine, version, failed, running, activity, keys)


def aws(client: Client, key, target: str, params: dict | bytes | str = b"{}", *,
        content_type="application/x-amz-json-1.0", sign=True, **extra):
    """POST / through the Django test client, signed with botocore's SigV4 signer."""
    if isinstance(params, dict):
        body = json.dumps(params).encode()
    elif isinstance(params, str):
        body = params.encode("utf-8", "surrogatepass")
    else:
        body = params
    headers = {"Content-Type": content_type, "X-Amz-Target": f"AWSStepFunctions.{target}"}
    if sign and key is not None:
        request = AWSRequest(method="POST", url="http://testserver/", data=body,
                             headers=headers)
        SigV4Auth(Credentials(*key), "states", REGION).add_auth(request)
        headers = dict(request.headers)
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()
            if k.lower() != "content-type"}
    return client.generic("POST", "/", body, content_type=content_type,
                          HTTP_HOST="testserver", **meta, **extra)


def aws_body(response) -> dict:
    assert response["Content-Type"] == "application/x-amz-json-1.0", response["Content-Type"]
    return json.loads(response.content)


def aws_error(response) -> str:
    return aws_body(response)["__type"].rsplit("#", 1)[-1]
