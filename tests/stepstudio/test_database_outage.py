"""While PostgreSQL is down, the REST API, the AWS protocol and the pages answer 503 with
Retry-After in their own JSON shapes (not Django's HTML 500), and work again once it is back.

The test runs its own cluster (tests/stepstudio/pgcluster.py) and daphne on it, in embedded
broker mode; the shared PostgreSQL server is never touched.
"""
from __future__ import annotations

import http.client
import json
import subprocess
import sys

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from stepstudio.embedded import wait_for_port
from tests.stepstudio.pgcluster import Cluster
from tests.support import MANAGE_PY, REPO, child_env, free_port, stop_process

SETUP = """
import json
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from accounts.keys import create_access_key
user = get_user_model().objects.create_user("outage", password="correct-horse-battery")
print(json.dumps({"token": Token.objects.create(user=user).key,
                  "key": list(create_access_key(user))}))
"""


@pytest.fixture
def site(tmp_path):
    cluster = Cluster()
    web = None
    try:
        cluster.start()
        env = child_env(var_dir=tmp_path, DATABASE_URL=cluster.create_database("outage"))
        subprocess.run([sys.executable, MANAGE_PY, "migrate", "-v", "0"], env=env, cwd=REPO,
                       check=True, timeout=300)
        made = subprocess.run([sys.executable, MANAGE_PY, "shell", "-c", SETUP], env=env,
                              cwd=REPO, check=True, capture_output=True, text=True, timeout=120)
        credentials = json.loads(made.stdout.strip().splitlines()[-1])
        port = free_port()
        web = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p",
                                str(port), "stepstudio.asgi:application"], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_for_port("127.0.0.1", port, 60, alive=lambda: web.poll() is None)
        yield cluster, port, credentials
    finally:
        if web is not None:
            stop_process(web)
        cluster.remove()


def rest(port, token, method="GET", path="/api/state-machines/", body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body, headers=headers or {
        "Authorization": f"Token {token}"})
    response = connection.getresponse()
    answer = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return answer


def sfn(port, key):
    return boto3.client("stepfunctions", endpoint_url=f"http://127.0.0.1:{port}",
                        region_name="us-east-1", aws_access_key_id=key[0],
                        aws_secret_access_key=key[1],
                        config=Config(retries={"max_attempts": 1, "mode": "standard"}))


def test_a_stopped_database_answers_503_in_each_shape_then_recovers(site):
    cluster, port, credentials = site
    token, key = credentials["token"], credentials["key"]
    assert rest(port, token)[0] == 200
    assert sfn(port, key).list_state_machines()["stateMachines"] == []

    cluster.stop()

    status, headers, body = rest(port, token)
    assert status == 503, body[:300]
    assert headers["Retry-After"] == "5"
    assert json.loads(body)["code"] == "service_unavailable"

    with pytest.raises(ClientError) as error:
        sfn(port, key).list_state_machines()
    assert error.value.response["Error"]["Code"] == "ServiceUnavailable"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert error.value.response["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "5"

    # A page: the login form's POST looks the user up before any view answers.
    status, headers, body = rest(
        port, token, "POST", "/accounts/login/",
        body="csrfmiddlewaretoken=" + "a" * 32 + "&username=outage&password=x",
        headers={"Cookie": "csrftoken=" + "a" * 32,
                 "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 503, body[:300]
    assert headers["Retry-After"] == "5"
    assert json.loads(body)["code"] == "service_unavailable"

    cluster.start()
    assert rest(port, token)[0] == 200
    assert sfn(port, key).list_state_machines()["stateMachines"] == []
