"""The runtime's fixtures (tests/engine/runtime/conftest.py), with workers that flush their
step latencies after every step so a scrape right after the run sees all of them."""
from __future__ import annotations

import pytest

from tests.engine.runtime.conftest import Runtime, running, runtime_env  # noqa: F401


@pytest.fixture
def runtime(runtime_env, tmp_path, request):  # noqa: F811
    env, queue = runtime_env
    env["STEPSTUDIO_METRICS_FLUSH_SECONDS"] = "0"
    yield from running(Runtime, (env, queue), tmp_path, request)
