"""The Django side of the real AWS integrations: settings → engine.asl.integrations.

engine.asl reads no settings; this module gives its handler registry a fallback invoker
that reads `STEPSTUDIO_AWS_INTEGRATIONS` and `STEPSTUDIO_AWS_ALLOWED_SERVICES` on every
call (so a test's settings override applies at once) and keeps one `AwsInvoker` — and its
boto3 clients — per distinct configuration.

boto3 and botocore take about a second to import on a loaded machine, and every process
(web, worker, scheduler, each `manage.py` command) loads this module: the integrations
package is imported the first time a call is to be made with the integrations on, never
when they are off.
"""
from __future__ import annotations

import importlib
import threading

from django.conf import settings


def _integrations():
    return importlib.import_module("engine.asl.integrations")


def enabled() -> bool:
    return bool(getattr(settings, "STEPSTUDIO_AWS_INTEGRATIONS", False))


def allowed_services() -> tuple[str, ...]:
    allowed = getattr(settings, "STEPSTUDIO_AWS_ALLOWED_SERVICES", None) or ()
    if isinstance(allowed, str):
        allowed = allowed.split(",")
    return tuple(a.strip() for a in allowed if a.strip())


class SettingsInvoker:
    def __init__(self):
        self._lock = threading.Lock()
        self._invokers: dict = {}  # AwsSettings → AwsInvoker

    def invoker(self):
        module = _integrations()
        config = module.AwsSettings(enabled=enabled(), allowed_services=allowed_services())
        with self._lock:
            found = self._invokers.get(config)
            if found is None:
                found = self._invokers[config] = module.AwsInvoker(config)
            return found

    def __call__(self, request: dict):
        if not enabled():
            return None  # off: boto3 is not even imported
        return self.invoker()(request)


fallback = SettingsInvoker()
