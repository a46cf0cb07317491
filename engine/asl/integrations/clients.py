"""boto3 clients for Task states, from boto3's own configuration.

Nothing here names an endpoint or a key: boto3 reads them as it always does (the standard
credential chain — environment, shared files, SSO, container and instance roles — and
`AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` / the config file's `endpoint_url`), so
LocalStack, moto's server, MinIO or real AWS are one environment variable away. A state's
`Credentials.RoleArn` is assumed through STS with those base credentials; the temporary
credentials are kept until shortly before they expire.

Clients are cached per (service, region, role): botocore builds a client in tens of
milliseconds and a client is safe to share between threads.
"""
from __future__ import annotations

import threading
import time

import boto3
from botocore.config import Config

DEFAULT_REGION = "us-east-1"
# Renew assumed-role credentials this long before they expire.
RENEW_BEFORE_SECONDS = 300
# botocore's own retries stay modest: the state's Retry is the place for retrying.
CLIENT_CONFIG = Config(retries={"max_attempts": 2, "mode": "standard"},
                       connect_timeout=10, read_timeout=60)


class ClientFactory:
    def __init__(self, session_factory=boto3.session.Session):
        self._session_factory = session_factory
        self._lock = threading.Lock()
        self._base = None
        self._clients: dict[tuple, object] = {}
        self._roles: dict[tuple, tuple[float, object]] = {}  # (role, region) → (expiry, session)

    def base_session(self):
        with self._lock:
            if self._base is None:
                self._base = self._session_factory()
            return self._base

    def region(self, fallback: str | None) -> str:
        """boto3's configured region (AWS_REGION, AWS_DEFAULT_REGION, config file), else the
        execution's own region."""
        return self.base_session().region_name or fallback or DEFAULT_REGION

    def _role_session(self, role_arn: str, region: str, session_name: str):
        key = (role_arn, region)
        now = time.time()
        with self._lock:
            cached = self._roles.get(key)
        if cached and cached[0] - RENEW_BEFORE_SECONDS > now:
            return cached[1]
        sts = self.client("sts", region)
        answer = sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name[:64])
        creds = answer["Credentials"]
        session = self._session_factory(aws_access_key_id=creds["AccessKeyId"],
                                        aws_secret_access_key=creds["SecretAccessKey"],
                                        aws_session_token=creds["SessionToken"],
                                        region_name=region)
        expiry = creds["Expiration"].timestamp() if hasattr(creds["Expiration"], "timestamp") \
            else now + 900
        with self._lock:
            self._roles[key] = (expiry, session)
            # The clients made with the previous credentials go with them.
            for k in [k for k in self._clients if k[2] == role_arn and k[1] == region]:
                del self._clients[k]
        return session

    def client(self, service: str, region: str, role_arn: str | None = None,
               session_name: str = "StepStudio"):
        session = self._role_session(role_arn, region, session_name) if role_arn \
            else self.base_session()
        key = (service, region, role_arn, id(session))
        with self._lock:
            found = self._clients.get(key)
        if found is not None:
            return found
        made = session.client(service, region_name=region, config=CLIENT_CONFIG)
        with self._lock:
            return self._clients.setdefault(key, made)
