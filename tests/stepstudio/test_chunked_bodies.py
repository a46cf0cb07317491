"""Chunked request bodies through daphne, as `manage.py serve` runs it, on every door.

Before the body limit, Django read a chunked body (no Content-Length) as empty: a REST start
ran with input {} and a random name, a PATCH changed nothing, a 10 MB body was accepted.
"""
from __future__ import annotations

import http.client
import json
import secrets
import time
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from engine.models import Execution, StateMachine
from tests.clients.python.conftest import server  # noqa: F401 — fixture (daphne + runtime)
from tests.conftest import PASSWORD
from tests.engine.runtime.conftest import (make_machine, runtime, runtime_env,  # noqa: F401
                                           wait_for_execution)
from tests.stepstudio.chunked import chunked, json_of, raw_exchange, signed_headers, status_of

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
TEN_MB = b'{"input": {"blob": "' + b"x" * (10 * 1024 * 1024) + b'"}}'


def rest_headers(user) -> dict:
    token, _ = Token.objects.get_or_create(user=user)
    return {"Authorization": f"Token {token.key}", "Content-Type": "application/json"}


def browser_headers(url: str, username: str) -> dict:
    """A logged-in browser's session cookie and a CSRF token pair, as the designer sends.

    Logged in through the server itself: its SECRET_KEY (which signs sessions) is its own."""
    csrf = secrets.token_hex(16)  # Django accepts an unmasked 32-character secret
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("POST", "/accounts/login/",
                       body=f"csrfmiddlewaretoken={csrf}&username={username}&password={PASSWORD}",
                       headers={"Cookie": f"csrftoken={csrf}",
                                "Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    assert response.status == 302, response.read()[:300]
    cookies = SimpleCookie()
    for value in response.headers.get_all("Set-Cookie"):
        cookies.load(value)
    connection.close()
    session = cookies[settings.SESSION_COOKIE_NAME].value
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf, "Content-Type": "application/json"}


def test_rest_start_and_patch_read_a_chunked_body_whole(server, user, make_machine):  # noqa: F811
    machine = make_machine(PASS, name="chunky-machine")
    body = json.dumps({"input": {"order": 42}, "name": "chunky-run"}).encode()
    status, _, answer = chunked(server.url, "POST", f"/api/state-machines/{machine.name}/executions/",
                                body, rest_headers(user))
    assert status == 201, answer
    assert json.loads(answer)["name"] == "chunky-run"
    execution = Execution.objects.get(name="chunky-run")
    assert execution.input == {"order": 42}
    wait_for_execution(execution, status="SUCCEEDED")
    execution.refresh_from_db()
    assert execution.output == {"order": 42}

    changed = {"Comment": "sent in chunks", **PASS}
    status, _, answer = chunked(server.url, "PATCH", f"/api/state-machines/{machine.name}/",
                                json.dumps({"definition": changed}).encode(), rest_headers(user))
    assert status == 200, answer
    assert StateMachine.objects.get(pk=machine.pk).definition["Comment"] == "sent in chunks"


def test_the_designer_saves_with_a_chunked_body(server, user, make_machine):  # noqa: F811
    machine = make_machine(PASS, name="designed")
    changed = {"Comment": "saved from the designer", **PASS}
    status, _, answer = chunked(server.url, "PATCH", f"/api/state-machines/{machine.name}/",
                                json.dumps({"definition": changed}).encode(),
                                browser_headers(server.url, user.username))
    assert status == 200, answer
    assert StateMachine.objects.get(pk=machine.pk).definition["Comment"] == "saved from the designer"


def test_the_admin_login_form_reads_a_chunked_body(server, make_user):  # noqa: F811
    make_user("root", staff=True)
    csrf = secrets.token_hex(16)
    form = f"csrfmiddlewaretoken={csrf}&username=root&password={PASSWORD}&next=/admin/".encode()
    status, headers, answer = chunked(server.url, "POST", "/admin/login/", form, {
        "Cookie": f"csrftoken={csrf}", "Content-Type": "application/x-www-form-urlencoded"})
    # An empty body would show the form again (200) with "this field is required".
    assert status == 302, answer[:500]
    assert headers["location"] == "/admin/"


def test_a_chunked_body_over_the_limit_is_413_on_each_door(server, user, make_machine):  # noqa: F811
    machine = make_machine(PASS, name="big")
    status, headers, answer = chunked(server.url, "POST",
                                      f"/api/state-machines/{machine.name}/executions/",
                                      TEN_MB, rest_headers(user))
    assert status == 413
    assert json.loads(answer)["code"] == "payload_too_large"
    assert not Execution.objects.filter(state_machine=machine).exists()

    target = "AWSStepFunctions.StartExecution"
    status, headers, answer = chunked(server.url, "POST", "/", TEN_MB,
                                      signed_headers(server.url, server.key, target, TEN_MB))
    assert status == 413
    assert json.loads(answer)["__type"].endswith("#RequestEntityTooLargeException")
    assert headers["content-type"] == "application/x-amz-json-1.0"


def test_a_declared_length_over_the_limit_is_refused_before_the_body(server, user):  # noqa: F811
    head = (b"POST /api/validate/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n")
    started = time.monotonic()
    answer = raw_exchange(server.url, head, [])  # not one byte of the 1 GiB is sent
    assert status_of(answer) == 413, answer[:300]
    assert json_of(answer)["code"] == "payload_too_large"
    assert time.monotonic() - started < 30  # answered, not waiting for the body


def test_aws_start_execution_reads_a_chunked_body_whole(server, user, make_machine):  # noqa: F811
    machine = make_machine(PASS, name="aws-chunky")
    arn = next(m["stateMachineArn"] for m in server.sfn().list_state_machines()["stateMachines"]
               if m["name"] == machine.name)
    body = json.dumps({"stateMachineArn": arn, "name": "aws-chunky-run",
                       "input": json.dumps({"order": 7})}).encode()
    target = "AWSStepFunctions.StartExecution"
    status, _, answer = chunked(server.url, "POST", "/", body,
                                signed_headers(server.url, server.key, target, body))
    assert status == 200, answer
    assert json.loads(answer)["executionArn"].endswith(":aws-chunky-run")
    execution = Execution.objects.get(name="aws-chunky-run")
    assert execution.input == {"order": 7}
