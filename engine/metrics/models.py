"""Rollup rows of engine.metrics (imported by engine.models, app label `engine`).

RollupState holds the watermark: every execution that started (resp. stopped) before it
is counted in the buckets and totals, none after it. Buckets serve the monitoring pages
(time ranges) and are pruned past the longest range that reads them (rollup.prune),
totals the Prometheus counters (monotonic, never pruned).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class RollupState(models.Model):
    """A single row (id 1): the watermark, locked by the pass that moves it."""

    watermark = models.DateTimeField(null=True, blank=True)
    passes = models.PositiveBigIntegerField(default=0)
    # The budget (rollup.py): history events the passes of every process read in the
    # period that began at period_start.
    period_start = models.DateTimeField(null=True, blank=True)
    period_events = models.PositiveBigIntegerField(default=0)

    class Meta:
        app_label = "engine"


class Granularity(models.TextChoices):
    FIVE_MINUTES = "5"
    HOUR = "H"
    DAY = "D"


class ExecutionBucket(models.Model):
    """Executions of five minutes, an hour or a UTC day: started (by start date) and stopped
    (by stop date). All three sizes are written: 1 h and 24 h pages read five-minute rows
    (at most 288), 7 d hourly ones (168), 30 d daily ones (30).

    One row per machine and one per owner with no machine (the owner's "all machines"
    page reads those, never thousands of machines' rows).
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    state_machine = models.ForeignKey("engine.StateMachine", null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="+")
    granularity = models.CharField(max_length=1, choices=Granularity.choices)
    bucket = models.DateTimeField()
    started = models.PositiveIntegerField(default=0)
    succeeded = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    timed_out = models.PositiveIntegerField(default=0)
    aborted = models.PositiveIntegerField(default=0)
    duration_ms_sum = models.BigIntegerField(default=0)
    # Stopped executions' durations: {fine bucket index: count} (metrics.histogram).
    durations = models.JSONField(default=dict)

    class Meta:
        app_label = "engine"
        indexes = [
            models.Index(fields=["state_machine", "granularity", "bucket"],
                         name="execbucket_machine"),
            models.Index(fields=["owner", "granularity", "bucket"], name="execbucket_owner",
                         condition=Q(state_machine__isnull=True)),
            # The rollup's pruning: rows of a granularity older than its retention.
            models.Index(fields=["granularity", "bucket"], name="execbucket_age"),
        ]


class StateBucket(models.Model):
    """One state of one machine over an hour or a UTC day, from executions stopped then."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    state_machine = models.ForeignKey("engine.StateMachine", on_delete=models.CASCADE,
                                      related_name="+")
    granularity = models.CharField(max_length=1, choices=Granularity.choices)
    bucket = models.DateTimeField()
    state_name = models.CharField(max_length=128)
    state_type = models.CharField(max_length=16, blank=True, default="")
    entered = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    retries = models.PositiveIntegerField(default=0)
    exits = models.PositiveIntegerField(default=0)  # entries with a duration (exited)
    duration_ms_sum = models.BigIntegerField(default=0)
    duration_ms_max = models.BigIntegerField(default=0)

    class Meta:
        app_label = "engine"
        indexes = [
            models.Index(fields=["state_machine", "granularity", "bucket"],
                         name="statebucket_machine"),
            models.Index(fields=["owner", "granularity", "bucket"], name="statebucket_owner"),
            models.Index(fields=["granularity", "bucket"], name="statebucket_age"),
        ]


class MetricTotal(models.Model):
    """A machine's counter since it exists (Prometheus counters and histograms)."""

    state_machine = models.ForeignKey("engine.StateMachine", on_delete=models.CASCADE,
                                      related_name="+")
    key = models.CharField(max_length=64)
    value = models.FloatField(default=0)

    class Meta:
        app_label = "engine"
        constraints = [
            models.UniqueConstraint(fields=["state_machine", "key"], name="metrictotal_key"),
        ]


class RuntimeCounter(models.Model):
    """A runtime counter no table holds (step latency, sweeper re-sends), summed over
    every process that added to it."""

    name = models.CharField(max_length=64)
    key = models.CharField(max_length=32, default="")
    value = models.FloatField(default=0)

    class Meta:
        app_label = "engine"
        constraints = [
            models.UniqueConstraint(fields=["name", "key"], name="runtimecounter_key"),
        ]
