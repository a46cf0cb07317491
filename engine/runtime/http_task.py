"""`arn:aws:states:::http:invoke`: the HTTP Task, with real HTTP (requests).

Registered under "http:invoke", which is how engine.asl.handlers resolves that resource.
AWS answers {Headers, ResponseBody, StatusCode, StatusText}; a non-2xx status fails the
state with `States.Http.StatusCode.<code>`. Deviation: Authentication / ConnectionArn are
accepted and ignored (there are no EventBridge connections here).
"""
from __future__ import annotations

import requests

from engine.asl.handlers import TaskFailure, task_handler

TIMEOUT_SECONDS = 60  # the Task's TimeoutSeconds still applies on top (invoke.py)


@task_handler("http:invoke")
def http_invoke(params):
    params = params or {}
    endpoint = params.get("ApiEndpoint")
    if not endpoint:
        raise TaskFailure("States.Runtime", "The ApiEndpoint field is required")
    body = params.get("RequestBody")
    kwargs = {"params": params.get("QueryParameters") or None,
              "headers": dict(params.get("Headers") or {}), "timeout": TIMEOUT_SECONDS}
    if isinstance(body, (dict, list)):
        kwargs["json"] = body
    elif body is not None:
        kwargs["data"] = str(body)
    try:
        resp = requests.request((params.get("Method") or "GET").upper(), endpoint, **kwargs)
    except requests.RequestException as exc:
        raise TaskFailure("States.Http.Socket", str(exc)) from None
    try:
        response_body = resp.json()
    except ValueError:
        response_body = resp.text
    if not 200 <= resp.status_code < 300:
        raise TaskFailure(f"States.Http.StatusCode.{resp.status_code}",
                          f"{resp.status_code} {resp.reason}: {resp.text[:1000]}")
    return {"Headers": {k: [v] for k, v in resp.headers.items()},
            "ResponseBody": response_body, "StatusCode": resp.status_code,
            "StatusText": resp.reason}
