"""What a definition can make the server do: call registered task handlers, and the HTTP task.

Nothing else is callable: a Resource naming a Python path, a module or a builtin fails the
Task (States.TaskFailed / Lambda.ResourceNotFoundException) without importing anything.

The HTTP task (arn:aws:states:::http:invoke, engine/runtime/http_task.py) reaches only
public addresses over http/https: loopback, the private network and cloud metadata
(169.254.169.254) are refused unless settings.HTTP_TASK_ALLOWED_HOSTS lists the host, the
connection goes to the address that was checked (no DNS rebinding), and redirects are not
followed. Without that, any user who can write a definition has a server-side request forgery.
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


def test_the_http_task_refuses_loopback_by_default(internal_server):
    from engine.asl.handlers import TaskFailure
    from engine.runtime.http_task import http_invoke

    with pytest.raises(TaskFailure):
        http_invoke({"ApiEndpoint": f"{internal_server}/admin", "Method": "GET"})
    assert _Recorder.hits == []


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
def test_test_state_cannot_read_an_internal_url(world, internal_server):
    import json as json_

    from django.test import Client

    from tests.security.conftest import aws, aws_body

    # engine.apps registers http:invoke in every process: TestState runs it here.
    assert "http:invoke" in handlers.registered()

    state = {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
             "Parameters": {"ApiEndpoint": f"{internal_server}/secret", "Method": "GET"},
             "End": True}
    response = aws(Client(), world.keys["alice"], "TestState",
                   {"definition": json_.dumps(state), "input": "{}"})
    body = aws_body(response)
    assert "internal" not in json_.dumps(body)
    assert _Recorder.hits == []


def _fake_dns(monkeypatch, answers):
    """Resolve the names in `answers` (name -> list of addresses, consumed per lookup)."""
    import socket

    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            if not answers[host]:
                raise socket.gaierror(socket.EAI_NONAME, "test: no second lookup")
            address = answers[host].pop(0)
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize("endpoint", ["http://[::ffff:127.0.0.1]:1/", "http://10.1.2.3:1/",
                                      "http://[fd00::1]:1/", "http://100.100.100.200/",
                                      "http://[fe80::1]:1/", "http://224.0.0.1:1/"])
def test_the_http_task_refuses_other_internal_addresses(endpoint):
    from engine.asl.handlers import TaskFailure
    from engine.runtime.http_task import http_invoke

    with pytest.raises(TaskFailure) as failure:
        http_invoke({"ApiEndpoint": endpoint})
    assert failure.value.error == "States.Http.Socket"
    assert "HTTP_TASK_ALLOWED_HOSTS" in failure.value.cause


def test_a_name_resolving_to_a_private_address_is_refused_naming_the_host(monkeypatch):
    from engine.asl.handlers import TaskFailure
    from engine.runtime.http_task import http_invoke

    _fake_dns(monkeypatch, {"intranet.example.com": ["10.0.0.7"]})
    with pytest.raises(TaskFailure) as failure:
        http_invoke({"ApiEndpoint": "https://intranet.example.com/"})
    assert failure.value.error == "States.Http.Socket"
    assert "intranet.example.com" in failure.value.cause and "10.0.0.7" in failure.value.cause


def test_an_allowed_host_is_called(internal_server, settings):
    from engine.runtime.http_task import http_invoke

    settings.HTTP_TASK_ALLOWED_HOSTS = ["127.0.0.1"]
    result = http_invoke({"ApiEndpoint": f"{internal_server}/ok"})
    assert result["StatusCode"] == 200 and _Recorder.hits == ["/ok"]


def test_an_allowed_network_is_called(internal_server, settings):
    from engine.runtime.http_task import http_invoke

    settings.HTTP_TASK_ALLOWED_HOSTS = ["127.0.0.0/8"]
    assert http_invoke({"ApiEndpoint": f"{internal_server}/net"})["StatusCode"] == 200


def test_the_connection_goes_to_the_checked_address(internal_server, settings, monkeypatch):
    # DNS rebinding: the name is looked up once; a second lookup (which would answer
    # something else) never happens, and the Host header keeps the name.
    from engine.runtime.http_task import http_invoke

    port = internal_server.rsplit(":", 1)[1]
    settings.HTTP_TASK_ALLOWED_HOSTS = ["service.test"]
    _fake_dns(monkeypatch, {"service.test": ["127.0.0.1"]})
    hosts = []
    monkeypatch.setattr(_Recorder, "do_GET", lambda self: (
        hosts.append(self.headers["Host"]), self.send_response(204), self.end_headers()))
    result = http_invoke({"ApiEndpoint": f"http://service.test:{port}/pinned"})
    assert result["StatusCode"] == 204
    assert hosts == [f"service.test:{port}"]


def test_redirects_are_not_followed(internal_server, settings, monkeypatch):
    from engine.asl.handlers import TaskFailure
    from engine.runtime.http_task import http_invoke

    def redirect(self):
        type(self).hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        self.send_header("Content-Length", "0")
        self.end_headers()

    monkeypatch.setattr(_Recorder, "do_GET", redirect)
    settings.HTTP_TASK_ALLOWED_HOSTS = ["127.0.0.1"]
    with pytest.raises(TaskFailure) as failure:
        http_invoke({"ApiEndpoint": f"{internal_server}/hop"})
    assert failure.value.error == "States.Http.StatusCode.302", failure.value.cause
    assert _Recorder.hits == ["/hop"]
