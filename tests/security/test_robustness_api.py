"""(5) The REST API under bad input: malformed JSON, wrong types, huge or deeply nested
bodies, invalid ids, path traversal and unicode edge cases in names — always a 4xx in the
API's error shape, never a 500."""
from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.security.conftest import ACTIVITY, MACHINE, TOKEN

pytestmark = pytest.mark.django_db

HELLO = {"StartAt": "S", "States": {"S": {"Type": "Pass", "End": True}}}


def endpoints(world):
    m = f"/api/state-machines/{MACHINE}"
    e = f"/api/executions/{world.failed.id}"
    return [
        ("post", "/api/validate/"), ("post", "/api/state-machines/"), ("patch", f"{m}/"),
        ("post", f"{m}/validate/"), ("post", f"{m}/versions/"), ("post", f"{m}/executions/"),
        # (redrive on the RUNNING one: 409; the FAILED one was made without runtime frames)
        ("post", f"{e}/stop/"), ("post", f"/api/executions/{world.running.id}/redrive/"),
        ("post", "/api/task-tokens/success/"), ("post", "/api/task-tokens/failure/"),
        ("post", "/api/task-tokens/heartbeat/"), ("post", "/api/activities/"),
    ]


BAD_BODIES = {
    "malformed": b"{not json",
    "truncated": b'{"name": "x", "definition": {',
    "array": b"[1, 2, 3]",
    "string": b'"text"',
    "number": b"12",
    "null": b"null",
    "deep-arrays": b"[" * 50000 + b"]" * 50000,
    "deep-objects": b'{"a":' * 50000 + b"1" + b"}" * 50000,
    "nan": b'{"input": NaN, "name": "x", "definition": Infinity}',
    "big-number": b'{"input": 1e999999, "output": 123456789012345678901234567890}',
    "lone-surrogate": b'{"name": "\\ud800", "definition": {"StartAt": "\\udfff"}, '
                      b'"input": {"k": "\\ud800"}, "output": "\\ud800", "token": "\\ud800"}',
    "nul": b'{"name": "a\\u0000b", "definition": {"StartAt": "\\u0000"}, '
           b'"input": {"\\u0000": 1}, "output": "\\u0000", "token": "\\u0000", '
           b'"error": "\\u0000", "cause": "\\u0000", "description": "\\u0000"}',
    "invalid-utf8": b'{"name": "\xff\xfe", "token": "\xc0\xaf"}',
    "wrong-types": json.dumps({"name": 12, "definition": [1], "type": ["STANDARD"],
                               "input": {"a": 1}, "output": None, "token": 5,
                               "error": {"e": 1}, "cause": [], "description": True}).encode(),
    "wrong-types-2": json.dumps({"name": None, "definition": 3.5, "type": 1, "token": [],
                                 "error": 1, "cause": 2, "description": {}}).encode(),
    "huge-strings": json.dumps({"name": "x" * 100000, "definition": "{" * 100000,
                                "token": "t" * 100000, "error": "e" * 100000,
                                "cause": "c" * 100000, "description": "d" * 100000}).encode(),
    "bom": b"\xef\xbb\xbf{}",
}


@pytest.mark.parametrize("body", list(BAD_BODIES), ids=list(BAD_BODIES))
def test_bad_bodies_are_4xx_in_the_error_shape(world, body):
    client = world.client(world.alice)
    for method, path in endpoints(world):
        response = getattr(client, method)(path, BAD_BODIES[body],
                                           content_type="application/json")
        assert 400 <= response.status_code < 500 or response.status_code in (200, 201), (
            method, path, response.status_code, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()) == {"detail", "code", "diagnostics"}, (method, path)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "application/xml"])
def test_other_content_types_are_415(world, content_type):
    client = world.client(world.alice)
    for method, path in endpoints(world):
        if path.endswith(("/validate/", "/redrive/")) and "state-machines/" in path \
                or path.endswith("/redrive/"):
            continue  # these take no body: nothing is parsed, so nothing to refuse
        response = getattr(client, method)(path, b"name=x", content_type=content_type)
        assert response.status_code == 415, (method, path, response.status_code)
        assert response.json()["code"] == "unsupported_media_type"


def test_a_body_over_the_upload_limit_is_413(world):
    client = world.client(world.alice)
    body = json.dumps({"definition": HELLO, "pad": "x" * (3 * 1024 * 1024)})
    for method, path in endpoints(world):
        response = getattr(client, method)(path, body, content_type="application/json")
        assert response.status_code == 413, (method, path, response.status_code)
        assert response.json()["code"] == "payload_too_large"


@pytest.mark.parametrize("field, path", [
    ("input", "/api/state-machines/{m}/executions/"),
    ("output", "/api/task-tokens/success/"),
])
def test_a_payload_over_256_kib_is_refused(world, field, path):
    body = {"token": TOKEN, field: {"blob": "x" * (256 * 1024)}}
    response = world.client(world.alice).post(path.format(m=MACHINE), body,
                                              content_type="application/json")
    assert response.status_code in (400, 413)
    assert response.json()["code"] in ("invalid", "payload_too_large")


def test_a_definition_over_1_mib_is_refused(world):
    # AWS's definition quota; the REST API must not store what the AWS protocol refuses.
    states = {f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}", "Comment": "x" * 1000}
              for i in range(1100)}
    states["S1100"] = {"Type": "Succeed"}
    definition = {"StartAt": "S0", "States": states}
    assert len(json.dumps(definition)) > 1024 * 1024
    client = world.client(world.alice)
    for method, path in (("post", "/api/validate/"), ("post", "/api/state-machines/"),
                         ("patch", f"/api/state-machines/{MACHINE}/")):
        response = getattr(client, method)(path, {"name": "big", "definition": definition},
                                           content_type="application/json")
        assert response.status_code in (400, 413), (path, response.status_code)


NAMES = ["..", "...", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%00", "a%00b", "%ff", "%c0%af",
         "%e2%80%ae", "%f0%9f%92%a5", "x" * 5000, "%20", "a%2fb", "%5c..%5c", "null",
         "%3Cscript%3E", "%ed%a0%80", "9" * 40]


@pytest.mark.parametrize("name", NAMES)
def test_odd_names_in_paths_are_404s(world, name):
    client = world.client(world.alice)
    for method, path in [
        ("get", f"/api/state-machines/{name}/"), ("delete", f"/api/state-machines/{name}/"),
        ("patch", f"/api/state-machines/{name}/"),
        ("get", f"/api/state-machines/{name}/versions/"),
        ("get", f"/api/state-machines/{MACHINE}/versions/{name}/"),
        ("post", f"/api/state-machines/{name}/executions/"),
        ("get", f"/api/executions/{name}/"), ("get", f"/api/executions/{name}/history/"),
        ("post", f"/api/executions/{name}/stop/"), ("get", f"/api/activities/{name}/"),
        ("delete", f"/api/activities/{name}/"),
    ]:
        response = getattr(client, method)(path, {}, content_type="application/json")
        assert response.status_code in (400, 404), (method, path, response.status_code)
        assert set(response.json()) == {"detail", "code", "diagnostics"}


@pytest.mark.parametrize("name", ["..", "a/b", "a\u0000b", "\ud800", "\u202eevil", "x" * 81,
                                  "<script>", " lead", "tab\tname", "", "\u0085", "é" * 80])
def test_odd_names_in_bodies_are_400_or_stored_verbatim(world, name):
    client = world.client(world.alice)
    for path in ("/api/state-machines/", "/api/activities/"):
        try:
            body = json.dumps({"name": name, "definition": HELLO})
        except UnicodeEncodeError:
            continue
        response = client.post(path, body, content_type="application/json")
        assert response.status_code in (201, 400), (path, name, response.status_code)
        if response.status_code == 201:
            assert response.json()["name"] == name


@pytest.mark.parametrize("query", [
    "page_size=abc", "page_size=0", "page_size=-1", "page_size=99999999999999999999",
    "page_size=%C2%B2", "cursor=garbage", "cursor=%00", "cursor=" + "A" * 5000,
    "status=NOPE", "status=%00", "state_machine=%00", "state_machine=" + "x" * 500,
    "state_machine=%ed%a0%80",
])
def test_bad_list_queries_are_400s(world, query):
    client = world.client(world.alice)
    for path in ("/api/state-machines/", "/api/executions/", "/api/activities/",
                 f"/api/state-machines/{MACHINE}/versions/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400, 404), (path, query, response.status_code)


@pytest.mark.parametrize("query", ["after=-1", "after=abc", "after=99999999999999999999",
                                   "limit=0", "limit=100000", "limit=%C2%B2", "order=sideways",
                                   "after=%00"])
def test_bad_history_queries_are_400s(world, query):
    response = world.client(world.alice).get(f"/api/executions/{world.failed.id}/history/?{query}")
    assert response.status_code == 400, (query, response.status_code)
    assert response.json()["code"] == "invalid"


def test_unknown_methods_are_405_in_the_error_shape(world):
    client = world.client(world.alice)
    response = client.put(f"/api/state-machines/{MACHINE}/", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_a_bad_token_header_is_401_not_500(world):
    for header in ("Token", "Token a b", "Token \u00ff", "Token " + "x" * 5000, "Bearer x"):
        response = Client(headers={"Authorization": header}).get("/api/state-machines/")
        assert response.status_code in (401, 403), header
