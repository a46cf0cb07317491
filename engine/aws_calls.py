"""The Django side of the real AWS integrations: settings → engine.asl.integrations.

engine.asl reads no settings; this module gives its handler registry a fallback invoker
that reads `STEPSTUDIO_AWS_INTEGRATIONS` and `STEPSTUDIO_AWS_ALLOWED_SERVICES` on every
call (so a test's settings override applies at once) and keeps one `AwsInvoker` — and its
boto3 clients — per distinct configuration.
"""
from __future__ import annotations

import threading

from django.conf import settings

from engine.asl.integrations import AwsInvoker, AwsSettings


def current_settings() -> AwsSettings:
    allowed = getattr(settings, "STEPSTUDIO_AWS_ALLOWED_SERVICES", None) or ()
    if isinstance(allowed, str):
        allowed = [a for a in allowed.split(",")]
    return AwsSettings(enabled=bool(getattr(settings, "STEPSTUDIO_AWS_INTEGRATIONS", False)),
                       allowed_services=tuple(a.strip() for a in allowed if a.strip()))


class SettingsInvoker:
    def __init__(self):
        self._lock = threading.Lock()
        self._invokers: dict[AwsSettings, AwsInvoker] = {}

    def invoker(self) -> AwsInvoker:
        config = current_settings()
        with self._lock:
            found = self._invokers.get(config)
            if found is None:
                found = self._invokers[config] = AwsInvoker(config)
            return found

    def __call__(self, request: dict):
        config = current_settings()
        if not config.enabled:
            return None  # off: not even boto3's configuration is read
        return self.invoker()(request)


fallback = SettingsInvoker()
