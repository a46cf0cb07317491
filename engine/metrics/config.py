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


def rollup_events() -> int:
    # The rollup's budget: history events read per period by the passes of every process
    # (scrapes, pages, the scheduler) together; a burst beyond it delays the metrics (the
    # watermark gauge shows by how much) instead of taking the workers' CPU. 0: no budget.
    return _int("STEPSTUDIO_METRICS_ROLLUP_EVENTS", 50_000)


def rollup_period_seconds() -> int:
    return max(1, _int("STEPSTUDIO_METRICS_ROLLUP_PERIOD_SECONDS", 5))


def retention_days() -> int:
    # Daily buckets older than this are pruned (0: kept forever); never under 31, the
    # 30-day page's reach. Five-minute and hourly buckets are kept 30 days.
    days = _int("STEPSTUDIO_METRICS_RETENTION_DAYS", 400)
    return max(days, 31) if days else 0
