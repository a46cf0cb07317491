"""The AWS CLI (awscli from PyPI, requirements-dev.txt) against a live server: aliases and tags."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…

pytestmark = pytest.mark.django_db(transaction=True)

ROLE = "arn:aws:iam::123456789012:role/demo"
HELLO = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": True}}}


def aws_cli() -> str | None:
    beside = Path(sys.executable).parent / "aws"  # installed with requirements-dev.txt
    return os.environ.get("STEPSTUDIO_AWS_CLI") or (str(beside) if beside.exists() else None) \
        or shutil.which("aws")


@pytest.fixture
def aws(live_server, alice_key, tmp_path):
    cli = aws_cli()
    if cli is None:
        pytest.skip("the AWS CLI is not installed (pip install -r requirements-dev.txt)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=alice_key[0], AWS_SECRET_ACCESS_KEY=alice_key[1],
               AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=str(tmp_path / "config"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
               AWS_DISABLE_HOST_PREFIX_INJECTION="true", AWS_MAX_ATTEMPTS="1")

    def run(*args, ok=True):
        done = subprocess.run([cli, "stepfunctions", *args, "--endpoint-url", live_server.url,
                               "--output", "json"], env=env, capture_output=True, text=True,
                              timeout=120)
        if ok:
            assert done.returncode == 0, done.stderr
            return json.loads(done.stdout) if done.stdout.strip() else {}
        assert done.returncode != 0
        return done.stderr
    return run


def test_aliases_and_tags_with_the_aws_cli(aws):
    created = aws("create-state-machine", "--name", "cli", "--definition", json.dumps(HELLO),
                  "--role-arn", ROLE, "--publish", "--tags", "key=team,value=data")
    arn = created["stateMachineArn"]
    assert created["stateMachineVersionArn"] == arn + ":1"

    alias = aws("create-state-machine-alias", "--name", "prod", "--routing-configuration",
                f"stateMachineVersionArn={arn}:1,weight=100")["stateMachineAliasArn"]
    assert alias == arn + ":prod"
    described = aws("describe-state-machine-alias", "--state-machine-alias-arn", alias)
    assert described["routingConfiguration"] == [{"stateMachineVersionArn": arn + ":1", "weight": 100}]
    aws("update-state-machine-alias", "--state-machine-alias-arn", alias, "--description", "live")
    listed = aws("list-state-machine-aliases", "--state-machine-arn", arn)
    assert [a["stateMachineAliasArn"] for a in listed["stateMachineAliases"]] == [alias]
    execution = aws("start-execution", "--state-machine-arn", alias)["executionArn"]
    assert aws("describe-execution", "--execution-arn", execution)["stateMachineAliasArn"] == alias
    assert "ConflictException" in aws("delete-state-machine-version", "--state-machine-version-arn",
                                      arn + ":1", ok=False)
    aws("delete-state-machine-alias", "--state-machine-alias-arn", alias)
    assert "ResourceNotFound" in aws("describe-state-machine-alias", "--state-machine-alias-arn",
                                     alias, ok=False)

    assert aws("list-tags-for-resource", "--resource-arn", arn)["tags"] == [
        {"key": "team", "value": "data"}]
    aws("tag-resource", "--resource-arn", arn, "--tags", "key=env,value=prod")
    aws("untag-resource", "--resource-arn", arn, "--tag-keys", "team")
    assert aws("list-tags-for-resource", "--resource-arn", arn)["tags"] == [
        {"key": "env", "value": "prod"}]
    assert "ResourceNotFound" in aws("list-tags-for-resource", "--resource-arn",
                                     arn.replace(":cli", ":gone"), ok=False)
