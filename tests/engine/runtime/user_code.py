"""A user's handler packages, written by the tests into a directory outside the repository and
loaded through STEPSTUDIO_HANDLERS, as a team would load its own code.

`acme_tasks`: plain, async, heartbeating and Lambda-style handlers, and misbehaving ones.
`acme_media`: one handler on a queue of its own (ACME_MEDIA_QUEUE).
Handlers report the process and pool (POOL_NAME) that ran them.
"""
from __future__ import annotations

import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from engine import handler_modules
from engine.asl import handlers
from tests.support import delete_amqp_queues

ACME_TASKS = {
    "__init__.py": '"""Acme\'s task handlers (a package of its own, not StepStudio\'s)."""\n',
    "core.py": """
        import asyncio
        import os
        import time

        import redis

        from engine.asl import task_handler


        def where():
            return {"pid": os.getpid(), "pool": os.environ.get("POOL_NAME", "")}


        @task_handler("acme-greet", description="Greet a customer by name")
        def greet(payload):
            return {"hello": payload["name"], **where()}


        @task_handler("acme-async")
        async def later(payload):
            await asyncio.sleep(0.05)
            return {"async": True, **where()}


        @task_handler("acme-beating")
        def beating(payload, request):
            for _ in range(payload["beats"]):
                time.sleep(0.5)
                request.heartbeat()
            return {"beats": payload["beats"], "is_dict": isinstance(request, dict)}


        @task_handler("acme-hang")
        def hang(payload):
            time.sleep(60)
            return "too late"


        @task_handler("acme-crash-once")
        def crash_once(payload):
            r = redis.Redis.from_url(os.environ["RUNTIME_TEST_REDIS"])
            if r.incr(f"crash:{payload['key']}") == 1:
                os._exit(1)  # the worker process dies in the middle of the task
            return {"survived": True}


        @task_handler("acme-set")
        def returns_set(payload):
            return {"tags": {"a", "b"}}
    """,
    "lambdas/__init__.py": """
        from engine.asl.handlers import register_lambda

        from . import create_order

        register_lambda("acme-create-order", create_order.lambda_handler)
    """,
    "lambdas/create_order.py": """
        import os


        def lambda_handler(event, context):
            return {"order": event["id"], "function": context.function_name,
                    "arn": context.invoked_function_arn,
                    "remaining_ms": context.get_remaining_time_in_millis(),
                    "request_id": context.aws_request_id, "pid": os.getpid()}
    """,
}

ACME_MEDIA = {
    "__init__.py": """
        import os

        from engine.asl import task_handler


        @task_handler("acme-resize", description="Resize an image", queue=os.environ["ACME_MEDIA_QUEUE"])
        def resize(payload):
            return {"resized": payload["image"], "pid": os.getpid(),
                    "pool": os.environ.get("POOL_NAME", "")}
    """,
}


def write_package(root: Path, name: str, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / name / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))


@pytest.fixture
def user_code(tmp_path, monkeypatch):
    """Writes acme_tasks and acme_media outside the repository; every child process gets them
    through STEPSTUDIO_HANDLERS (runtime_env copies this environment), and this process loads
    them too, as the web server does (it routes a Task to its handler's queue)."""
    root = tmp_path / "acme-code"
    write_package(root, "acme_tasks", ACME_TASKS)
    write_package(root, "acme_media", ACME_MEDIA)
    media_queue = f"acme-media-{uuid.uuid4().hex[:10]}"  # a queue of this test's own
    monkeypatch.setenv("PYTHONPATH", str(root))
    monkeypatch.setenv("STEPSTUDIO_HANDLERS", "acme_tasks,acme_media")
    monkeypatch.setenv("ACME_MEDIA_QUEUE", media_queue)
    monkeypatch.syspath_prepend(str(root))
    before = set(handlers.handlers())
    for module in ("acme_tasks", "acme_media"):
        handler_modules.import_handler_module(module)
    yield root, media_queue
    for name in set(handlers.handlers()) - before:
        handlers.unregister(name)
    for module in [m for m in sys.modules if m.split(".")[0] in ("acme_tasks", "acme_media")]:
        del sys.modules[module]
    delete_amqp_queues([media_queue])
