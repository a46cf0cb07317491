"""The AWS SDK for JavaScript v3 (`@aws-sdk/client-sfn`, tests/clients/js) against a live
server: machines, executions, history, StartSyncExecution without the `sync-` host prefix,
versions, aliases, tags, and modelled errors reaching the client as their exception classes.

`make test` installs the package (`npm ci` in tests/clients/js) before pytest runs."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…
from tests.support import service_missing

pytestmark = pytest.mark.django_db(transaction=True)

JS = Path(__file__).resolve().parent / "js"
CHECKS = ["create-describe-list", "start-describe-list-history", "paginate",
          "start-sync-execution", "versions-aliases", "tags", "errors", "delete"]


def test_the_javascript_sdk_drives_the_server(live_server, alice_key):
    node = shutil.which("node")
    if node is None:
        service_missing("node is not installed")
    if not (JS / "node_modules" / "@aws-sdk" / "client-sfn").is_dir():
        service_missing("the JS SDK is not installed: npm ci in tests/clients/js")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(STEPSTUDIO_URL=live_server.url, AWS_ACCESS_KEY_ID=alice_key[0],
               AWS_SECRET_ACCESS_KEY=alice_key[1])
    done = subprocess.run([node, "sfn_client_check.mjs"], cwd=JS, env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-4000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"passed": CHECKS}
