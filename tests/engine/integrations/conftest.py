"""AWS calls against moto's server (started once per session on a free local port)."""
from __future__ import annotations

import boto3
import pytest

from engine.asl.integrations import AwsInvoker, AwsSettings
from tests.moto_support import (AWS_ENV_NAMES, CountingListener, aws_environment, moto_server,
                                reset_moto)


@pytest.fixture(scope="session")
def moto_endpoint():
    server, endpoint = moto_server()
    yield endpoint
    server.stop()


@pytest.fixture
def aws(moto_endpoint, monkeypatch, tmp_path):
    """boto3 pointed at a freshly reset moto server; `aws.client(name)` for the test's own
    setup and checks."""
    reset_moto(moto_endpoint)
    for name in AWS_ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in aws_environment(moto_endpoint, tmp_path).items():
        monkeypatch.setenv(name, value)

    class Aws:
        endpoint = moto_endpoint

        @staticmethod
        def client(name):
            return boto3.client(name, region_name="us-east-1")
    return Aws


@pytest.fixture
def invoker(aws):
    """Real calls on, every service allowed (a fresh client cache: this test's endpoint)."""
    return AwsInvoker(AwsSettings(enabled=True))


@pytest.fixture
def listener(monkeypatch, tmp_path):
    """AWS_ENDPOINT_URL at a server that only counts requests."""
    counting = CountingListener()
    for name in AWS_ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in aws_environment(counting.url, tmp_path).items():
        monkeypatch.setenv(name, value)
    yield counting
    counting.close()
