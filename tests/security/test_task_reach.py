"""What a definition can make the server do: call registered task handlers, and the HTTP task.

Nothing else is callable: a Resource naming a Python path, a module or a builtin fails the
Task (States.TaskFailed / Lambda.ResourceNotFoundException) without importing anything.

The HTTP task's reach (arn:aws:states:::http:invoke, engine/runtime/http_task.py) is every
URL the worker can connect to — including loopback, the private network, and cloud metadata
(169.254.169.254) — and requests follows redirects. That is a server-side request forgery
by any user who can write a definition; the strict xfails below pin the missing guard.
"""
from __future__ import annotations

import http.server
import sys
import threading

import pytest

from engine.asl import handlers, run_state_machine

PROBES = [
    "arn:aws:states:::os:system", "arn:aws:states:::subprocess:run",
    "arn:aws:states:::builtins:eval", "arn:aws:states:::python:os.system",
    "arn:aws:lambda:us-east-1:123456789012:function:os.system",
    "arn:aws:lambda:us-east-1:123456789012:function:engine.services.start_execution",
    "arn:aws:states:::lambda:invoke", "os.system", "builtins.eval", "__import__",
    "arn:aws:states:::engine.asl.handlers:unregister",
    "arn:aws:states:::activity:x",
]


@pytest.mark.parametrize("resource", PROBES)
def test_nothing_outside_the_registry_is_callable(resource, monkeypatch):
    modules_before = set(sys.modules)
    called = []
    monkeypatch.setattr("os.system", lambda *a: called.append(a) or 0)
    state = {"Type": "Task", "Resource": resource, "End": True}
    if resource.endswith("lambda:invoke"):
        state["Parameters"] = {"FunctionName": "os.system", "Payload": "echo pwned"}
    else:
        state["Parameters"] = {"command": "echo pwned"}
    definition = {"StartAt": "T", "States": {"T": state}}
    try:
        result = run_state_machine(definition, {"cmd": "echo pwned"})
    except Exception as error:  # noqa: BLE001 — refused as an invalid definition: also fine
        assert "Invalid" in type(error).__name__, error
        return
    assert result.status == "FAILED"
    assert result.error in ("States.TaskFailed", "Lambda.ResourceNotFoundException"), result
    assert not called
    assert not {m for m in set(sys.modules) - modules_before if m in ("subprocess", "pty")}


def test_the_registry_is_the_only_lookup():
    # resolve() never falls back to importing: an unknown name is a StatesError.
    from engine.asl.errors import StatesError

    for name in ("os.system", "arn:aws:states:::os:system", "engine.services.stop_execution"):
        with pytest.raises(StatesError):
            handlers.resolve(name)


def test_the_handler_catalog_lists_only_registered_handlers_and_the_http_task(world):
    results = world.client(world.alice).get("/api/task-handlers/").json()["results"]
    names = {r["name"] for r in results}
    assert names == set(handlers.registered()) | {"http:invoke"}


# -- the HTTP task ------------------------------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"secret": "internal"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def internal_server():
    _Recorder.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


HTTP_REASON = (
    "SSRF: engine/runtime/http_task.py calls any ApiEndpoint with requests (redirects "
    "followed), so any user's definition reaches loopback services, the private network and "
    "cloud metadata from the worker. Fix (runtime owner): resolve the host, refuse "
    "loopback/private/link-local/reserved/multicast addresses (ipaddress.ip_address(..)."
    "is_private/is_loopback/is_link_local/is_reserved/is_multicast/is_unspecified) unless "
    "settings.HTTP_TASK_ALLOWED_HOSTS (env, documented in README) lists the host; connect to "
    "the checked address (or re-check in a requests transport adapter) to defeat DNS "
    "rebinding; allow_redirects=False (or re-check every hop); http/https schemes only; "
    "fail with States.Http.Socket and a cause naming the refusal.")


@pytest.mark.xfail(strict=True, reason=HTTP_REASON)
def test_the_http_task_refuses_loopback_by_default(internal_server):
    from engine.asl.handlers import TaskFailure
    from engine.runtime.http_task import http_invoke

    with pytest.raises(TaskFailure):
        http_invoke({"ApiEndpoint": f"{internal_server}/admin", "Method": "GET"})
    assert _Recorder.hits == []


@pytest.mark.xfail(strict=True, reason=HTTP_REASON)
@pytest.mark.parametrize("endpoint", ["file:///etc/passwd", "gopher://127.0.0.1:6379/_PING",
                                      "http://[::1]:1/", "http://0.0.0.0:1/",
                                      "http://169.254.169.254/latest/meta-data/"])
def test_the_http_task_refuses_internal_and_non_http_targets(endpoint, monkeypatch):
    import requests

    from engine.asl.handlers import TaskFailure
    from engine.runtime.http_task import http_invoke

    attempted = []

    def no_network(method, url, **kwargs):
        attempted.append(url)
        raise requests.ConnectionError("test: no network")

    monkeypatch.setattr(requests, "request", no_network)
    with pytest.raises(TaskFailure):
        http_invoke({"ApiEndpoint": endpoint})
    assert attempted == []  # refused before any connection attempt


@pytest.mark.django_db
@pytest.mark.xfail(strict=True, reason="TestState (and StartSyncExecution) run the HTTP task "
                   "in the web process and return the response body: the same SSRF, with the "
                   "answer read back. (Also: http:invoke exists in the web process only once "
                   "something imported engine.runtime.invoke, e.g. Celery's autodiscovery on "
                   "the first task sent, so these calls behave differently before and after.) "
                   + HTTP_REASON)
def test_test_state_cannot_read_an_internal_url(world, internal_server):
    import json as json_

    from django.test import Client

    from tests.security.conftest import aws, aws_body

    # In a web process http:invoke is registered once anything imported engine.runtime.invoke
    # (Celery's task autodiscovery does on the first task sent): make that so here.
    import engine.runtime.invoke  # noqa: F401

    state = {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
             "Parameters": {"ApiEndpoint": f"{internal_server}/secret", "Method": "GET"},
             "End": True}
    response = aws(Client(), world.keys["alice"], "TestState",
                   {"definition": json_.dumps(state), "input": "{}"})
    body = aws_body(response)
    assert "internal" not in json_.dumps(body)
    assert _Recorder.hits == []
