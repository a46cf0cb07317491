"""`manage.py serve` runs web + worker as real processes and takes them down together."""

import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.core.management import get_commands

from stepstudio import embedded
from tests.support import MANAGE_PY, REPO, child_env, free_port, stop_process, wait_until

pytestmark = pytest.mark.subprocess


def child_pids(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def http_get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


def test_serve_answers_reaches_its_worker_from_another_shell_and_stops_cleanly(tmp_path):
    port = free_port()
    env = child_env(var_dir=tmp_path)
    serve = subprocess.Popen(
        [sys.executable, str(MANAGE_PY), "serve", "--port", str(port), "--no-scheduler"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: embedded.wait_for_port("127.0.0.1", port, 0.5), 60, what="daphne")
        status, body = http_get(f"http://127.0.0.1:{port}/accounts/login/")
        assert status == 200 and 'name="password"' in body
        status, css = http_get(f"http://127.0.0.1:{port}/static/css/frame.css")
        assert status == 200 and ".topbar" in css

        # Another shell: a manage.py command that enqueues and waits for the served worker.
        shell = subprocess.run(
            [sys.executable, str(MANAGE_PY), "shell", "-c",
             "from stepstudio.tasks import ping; print(ping.delay('other shell').get(timeout=60))"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=90)
        assert shell.returncode == 0, shell.stderr[-3000:]
        assert "'pong': 'other shell'" in shell.stdout

        children = child_pids(serve.pid)
        assert len(children) == 2
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(30) == 0
        assert not any(alive(pid) for pid in children)
    finally:
        stop_process(serve)
        print(serve.stdout.read()[-4000:])


def test_when_one_child_exits_the_others_are_stopped_and_its_code_returned():
    sleeper = embedded.Child("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"])
    failing = embedded.Child("failing", [sys.executable, "-c",
                                         "import time; time.sleep(0.5); raise SystemExit(3)"])
    code = embedded.Supervisor([sleeper, failing], grace=5).run()
    assert code == 3
    assert sleeper.process.poll() is not None


def test_the_scheduler_runs_only_where_the_workflows_command_exists():
    names = [c.name for c in embedded.children(host="127.0.0.1", port=8000)]
    assert names[:2] == ["web", "worker"]
    assert ("scheduler" in names) == ("workflows" in get_commands())
    assert [c.name for c in embedded.children(host="h", port=1, web=False)][0] == "worker"
