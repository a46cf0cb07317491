"""Embedded mode: SQLite database and SQLite broker, real worker and scheduler processes.

Everything goes through `manage.py` as an operator would run it, so no pytest database is
involved: the processes share the SQLite files under a temporary VAR_DIR.
"""
import json
import subprocess
import sys
import time
import uuid

import pytest

from tests.support import REPO, child_env, wait_until

from .conftest import KNOBS, Runtime

pytestmark = pytest.mark.subprocess


def manage(env, *args, timeout=180):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_job_poller_survives_a_killed_worker_in_embedded_mode(tmp_path):
    queue = f"embedded-{uuid.uuid4().hex[:8]}"
    env = child_env(var_dir=tmp_path, DATABASE_URL="", STEPSTUDIO_QUEUE=queue,
                    RUNTIME_TEST_REDIS="", **KNOBS)
    manage(env, "migrate", "--noinput")
    manage(env, "workflows", "load-samples")
    rt = Runtime(env, queue, tmp_path)
    rt.start_worker()
    rt.start_scheduler()
    try:
        ids = [json.loads(manage(env, "workflows", "start", "job-poller", "--input",
                                 json.dumps({"waitSeconds": 1, "checksNeeded": 2})))["executionId"]
               for _ in range(3)]
        time.sleep(1.0)
        rt.kill_worker(rt.workers[0])
        rt.start_worker()

        def described():
            found = [json.loads(manage(env, "workflows", "describe", i)) for i in ids]
            return found if all(d["status"] != "RUNNING" for d in found) else None

        for d in wait_until(described, 180, interval=1.0, what="embedded executions"):
            assert d["status"] == "SUCCEEDED", d
            assert json.loads(d["output"])["checks"] == 2
        events = json.loads(manage(env, "workflows", "history", ids[0]))["events"]
        assert [e["id"] for e in events] == list(range(1, len(events) + 1))
        assert events[-1]["type"] == "ExecutionSucceeded"
    except AssertionError:
        print(rt.logs())
        raise
    finally:
        rt.stop()
