"""engine.metrics' settings (Django settings win over the environment; docs/operations.md)."""
from __future__ import annotations

from django.conf import settings

from stepstudio.env import env_bool, env_int, env_str


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    return int(value) if value is not None else env_int(name, default, minimum=0)


def token() -> str:
    # The bearer token of scrapers at /metrics; empty: only staff sessions may read it.
    return getattr(settings, "STEPSTUDIO_METRICS_TOKEN", None) or env_str(
        "STEPSTUDIO_METRICS_TOKEN") or ""


def lag_seconds() -> int:
    # An execution is rolled up this long after it started/stopped: a step's transaction
    # stamps its dates before it commits, and one that commits later than this behind the
    # watermark would never be counted.
    return _int("STEPSTUDIO_METRICS_LAG_SECONDS", 10)


def flush_seconds() -> int:
    # How often a process adds its step-latency observations to the shared rows.
    return _int("STEPSTUDIO_METRICS_FLUSH_SECONDS", 10)


def step_latency() -> bool:
    # Off: workers observe no step latency (only for measuring what observing costs).
    value = getattr(settings, "STEPSTUDIO_METRICS_STEP_LATENCY", None)
    return bool(value) if value is not None else env_bool("STEPSTUDIO_METRICS_STEP_LATENCY", True)
