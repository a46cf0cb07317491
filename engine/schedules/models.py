"""Schedules and the slots they fired (imported by engine.models, app label `engine`).

A Schedule holds its next slot; the firing module claims each slot by a conditional update
on it. One ScheduleFiring row per started slot (append-only; unique per slot, a second
guard beside the execution's deterministic name).
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from engine.fields import OrderedJSONField

from .plan import MISSED_POLICIES, SKIP


class Schedule(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="schedules")
    name = models.CharField(max_length=63)
    description = models.TextField(blank=True, default="")
    # What the user targets: a state machine, version or alias ARN (resolved at each firing,
    # so an alias routes as it does at that moment).
    target_arn = models.CharField(max_length=256)
    # The machine that ARN names: ownership, listing, and deletion with the machine.
    state_machine = models.ForeignKey("engine.StateMachine", on_delete=models.CASCADE,
                                      related_name="schedules")
    expression = models.CharField(max_length=256)
    timezone = models.CharField(max_length=64, default="UTC")
    input = OrderedJSONField(default=dict)
    start_date = models.DateTimeField(null=True, blank=True)
    end_date = models.DateTimeField(null=True, blank=True)
    # EventBridge's FlexibleTimeWindow: 0 = Mode OFF, else MaximumWindowInMinutes.
    flexible_window_minutes = models.PositiveIntegerField(default=0)
    missed_policy = models.CharField(max_length=8, default=SKIP,
                                     choices=[(p, p) for p in MISSED_POLICIES])
    enabled = models.BooleanField(default=True)
    # A rate schedule without a start date counts its slots from here (when it was set).
    rate_anchor = models.DateTimeField(default=now)
    # Salt of the flexible-window offsets (stable for the schedule's life).
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    # The next slot and when it fires (slot + window offset); None: no slot left.
    next_slot = models.DateTimeField(null=True, blank=True)
    next_fire_at = models.DateTimeField(null=True, blank=True)
    last_slot = models.DateTimeField(null=True, blank=True)
    last_fired_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    missed_count = models.PositiveBigIntegerField(default=0)
    created = models.DateTimeField(default=now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "engine"
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="schedule_owner_name"),
        ]
        indexes = [
            # The firing loop: enabled schedules whose next slot is due, earliest first.
            models.Index(fields=["next_fire_at"], name="schedule_due",
                         condition=Q(enabled=True, next_fire_at__isnull=False)),
        ]

    def __str__(self):
        return self.name

    @property
    def arn(self) -> str:
        from engine.models import REGION, account_id

        return (f"arn:aws:scheduler:{REGION}:{account_id(self.owner_id)}:schedule/default/"
                f"{self.name}")


class FiringOutcome(models.TextChoices):
    STARTED = "STARTED"    # the slot's execution was created
    FAILED = "FAILED"      # it could not be (target gone, input refused…): see error


class ScheduleFiring(models.Model):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="firings")
    slot = models.DateTimeField()
    fired_at = models.DateTimeField(default=now)
    execution = models.ForeignKey("engine.Execution", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="schedule_firings")
    execution_name = models.CharField(max_length=80)
    outcome = models.CharField(max_length=8, choices=FiringOutcome.choices)
    late = models.BooleanField(default=False)   # a RUN_ONCE catch-up past its grace
    missed = models.PositiveBigIntegerField(default=0)  # slots skipped before this one
    error = models.TextField(blank=True, default="")

    class Meta:
        app_label = "engine"
        constraints = [
            # One firing per slot; its index also serves "a schedule's firings, newest first".
            models.UniqueConstraint(fields=["schedule", "slot"], name="schedulefiring_slot"),
        ]
