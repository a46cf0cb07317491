"""A running StepStudio for the worker library: daphne (a child process, as users run it),
a Celery worker and the scheduler (tests/engine/runtime's fixtures), and alice's access key."""
from __future__ import annotations

import subprocess
import sys

import pytest

from accounts.keys import create_access_key
from tests.engine.runtime.conftest import runtime, runtime_env  # noqa: F401 — fixtures
from tests.support import REPO, free_port, stop_process, wait_until
from stepstudio.embedded import wait_for_port

# GetActivityTask's long poll, shortened so a stopping worker's last poll comes back soon.
POLL_SECONDS = "3"


class Server:
    def __init__(self, url: str, env: dict, key: tuple[str, str], log):
        self.url, self.env, self.key, self.log = url, env, key, log

    def client_env(self) -> dict:
        """Environment of a worker process: the key, the region, and the library on the path."""
        return {**self.env, "AWS_ACCESS_KEY_ID": self.key[0], "AWS_SECRET_ACCESS_KEY": self.key[1],
                "AWS_DEFAULT_REGION": "us-east-1", "PYTHONPATH": str(REPO / "clients" / "python")}

    def sfn(self):
        import boto3
        from botocore.config import Config

        return boto3.client("stepfunctions", endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id=self.key[0], aws_secret_access_key=self.key[1],
                            config=Config(retries={"max_attempts": 1, "mode": "standard"},
                                          inject_host_prefix=False))


@pytest.fixture
def server(runtime, runtime_env, user, tmp_path, request):  # noqa: F811
    env = {**runtime_env[0], "STEPSTUDIO_ACTIVITY_POLL_SECONDS": POLL_SECONDS}
    port = free_port()
    log_path = tmp_path / "daphne.log"
    with open(log_path, "w") as log:
        web = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                                "stepstudio.asgi:application"], cwd=REPO, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        assert wait_for_port("127.0.0.1", port, 60, alive=lambda: web.poll() is None), \
            log_path.read_text()[-3000:]
        yield Server(f"http://127.0.0.1:{port}", env, create_access_key(user), log_path)
    finally:
        stop_process(web)
        if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
            print(log_path.read_text()[-4000:])
