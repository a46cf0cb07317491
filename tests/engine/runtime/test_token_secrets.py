"""Task tokens are secrets: an HMAC of public facts keyed with the server's secret.

A token handed out by a worker cannot be recomputed from what the history shows (the old
derivation, a hash of those facts, or a key anyone could guess), yet the same facts under
the same secret give the same token in any process, so a step taken again hands out the
token it handed out before.
"""
from __future__ import annotations

import copy
import hashlib
import hmac

import pytest

from engine import services
from engine.asl import step as asl_step
from engine.asl import task_tokens
from engine.asl.events import Ids
from engine.asl.clock import SystemClock
from engine.asl.parse import parse
from engine.models import TaskToken
from engine.runtime import config

from .conftest import Runtime, running, wait_for_execution
from tests.support import wait_until

ASK = {"StartAt": "Ask", "States": {"Ask": {
    "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "Parameters": {"FunctionName": "request-approval",
                   "Payload": {"token.$": "$$.Task.Token"}},
    "End": True}}}


@pytest.fixture
def same_key_runtime(runtime_env, tmp_path, request):
    """Workers with this process's SECRET_KEY, as every process of a deployment has."""
    from django.conf import settings

    env, queue = runtime_env
    yield from running(Runtime, ({**env, "SECRET_KEY": settings.SECRET_KEY}, queue), tmp_path,
                       request)


def public_facts(execution, state: str) -> str:
    """What anyone who reads the execution's history knows about its task."""
    entered = next(e.seq for e in execution.events.filter(type="TaskStateEntered")
                   if e.details["stateEnteredEventDetails"]["name"] == state)
    return f"{execution.arn}|{parse(ASK).path}|0|{state}|{entered}|0"


@pytest.mark.services
@pytest.mark.subprocess
@pytest.mark.django_db(transaction=True)
def test_a_workers_token_is_not_computable_without_the_secret(same_key_runtime, make_machine):
    machine = make_machine(ASK)
    ex = services.start_execution(machine, {}, inline=False)  # the worker takes every step
    token = wait_until(lambda: TaskToken.objects.filter(execution=ex).first(), 60,
                       what="the worker's token").token
    facts = public_facts(ex, "Ask")
    assert token != hashlib.sha256(facts.encode()).hexdigest()
    for guess in (b"", b"secret", b"stepstudio", b"django-insecure"):
        assert token != hmac.new(guess, facts.encode(), hashlib.sha256).hexdigest()
    # This process has the same secret as the worker: the same facts give the same token.
    assert task_tokens.task_token(facts) == token
    assert hmac.new(config.task_token_secret(), facts.encode(),
                    hashlib.sha256).hexdigest() == token
    services.send_task_success(token, '{"ok": true}')
    assert wait_for_execution(ex, 30).output == {"ok": True}


def test_a_step_taken_again_hands_out_the_same_token():
    machine = parse(ASK)
    ctx = {"Execution": {"Id": "arn:aws:states:us-east-1:000000000000:execution:m:e",
                         "Name": "e", "StartTime": "2026-01-01T00:00:00Z", "Input": {},
                         "RoleArn": "r", "RedriveCount": 0},
           "StateMachine": {"Id": "arn:aws:states:us-east-1:000000000000:stateMachine:m",
                            "Name": "m"}}
    cursor = asl_step.start(machine, {}, ctx)

    def take():
        outcome = asl_step.advance(machine, copy.deepcopy(cursor), None, Ids(0), SystemClock())
        while not isinstance(outcome, asl_step.InvokeTask):
            outcome = asl_step.advance(machine, outcome.cursor, None, Ids(0), SystemClock())
        return outcome.request["task_token"]

    first = take()
    assert take() == first
    assert len(first) == 64 and first != hashlib.sha256(
        f"{ctx['Execution']['Id']}|()|0|Ask|2|0".encode()).hexdigest()


def test_the_secret_comes_from_the_setting_or_secret_key(settings):
    settings.STEPSTUDIO_TASK_TOKEN_SECRET = "an operator's own secret, long enough"
    assert config.task_token_secret() == b"an operator's own secret, long enough"
    settings.STEPSTUDIO_TASK_TOKEN_SECRET = None
    derived = config.task_token_secret()
    settings.SECRET_KEY = "another key " * 4
    assert config.task_token_secret() != derived
