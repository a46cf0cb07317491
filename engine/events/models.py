"""The status-change outbox, webhooks, and one row per delivery attempt (app label `engine`).

StatusEvent is written in the transaction that changes an execution's status, so an event
exists exactly when the change committed; WebhookDelivery holds the current state of one
event's delivery to one webhook (PENDING until it succeeds or retrying gives up) and
WebhookAttempt one row per HTTP request made for it.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from engine.fields import OrderedJSONField


class StatusEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    execution = models.ForeignKey("engine.Execution", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="status_events")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="status_events")
    state_machine = models.ForeignKey("engine.StateMachine", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="status_events")
    status = models.CharField(max_length=16)
    payload = OrderedJSONField()  # the whole EventBridge event, as delivered
    created = models.DateTimeField(default=timezone.now)
    # Set once the matching webhooks have their delivery rows (the fan-out is done).
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "engine"
        indexes = [
            # The sweeper: events whose fan-out message was lost, oldest first.
            models.Index(fields=["created"], name="statusevent_pending",
                         condition=Q(fanned_out_at__isnull=True)),
        ]


class Webhook(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="webhooks")
    name = models.CharField(max_length=80)
    url = models.URLField(max_length=2048)
    # HMAC-SHA256 key of the StepStudio-Signature header (shown to its owner once).
    secret = models.CharField(max_length=80)
    enabled = models.BooleanField(default=True)
    # Filters: statuses (empty: all) and state machines (none: all of the owner's).
    statuses = models.JSONField(default=list, blank=True)
    state_machines = models.ManyToManyField("engine.StateMachine", blank=True,
                                            related_name="webhooks")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "engine"
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="webhook_owner_name"),
        ]

    def __str__(self):
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "PENDING"        # not delivered yet: an attempt is due or running
    SUCCEEDED = "SUCCEEDED"    # a 2xx answer
    FAILED = "FAILED"          # retrying gave up (see the last attempt)


class WebhookDelivery(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(StatusEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # When the next attempt is due (PENDING), and until when a worker holds the current one.
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    # When a message last asked a worker to attempt it (the sweep re-sends after a while).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # Retrying counts from here (reset by a manual redelivery).
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "engine"
        verbose_name_plural = "webhook deliveries"
        constraints = [
            # One delivery of an event per webhook (a redelivery reopens it).
            models.UniqueConstraint(fields=["webhook", "event"], name="webhookdelivery_event"),
        ]
        indexes = [
            # The sweeper: pending deliveries whose next attempt is due.
            models.Index(fields=["next_attempt_at"], name="webhookdelivery_due",
                         condition=Q(status="PENDING")),
            # A webhook's deliveries, newest first (the delivery log).
            models.Index(fields=["webhook", "-created"], name="webhookdelivery_log"),
        ]


class AttemptOutcome(models.TextChoices):
    SUCCEEDED = "SUCCEEDED"
    RETRY = "RETRY"        # failed; another attempt is scheduled
    GAVE_UP = "GAVE_UP"    # failed; no more attempts (permanent error or limit reached)


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery (append-only)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE,
                                 related_name="attempt_rows")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_snippet = models.TextField(blank=True, default="")
    error = models.TextField(blank=True, default="")
    outcome = models.CharField(max_length=10, choices=AttemptOutcome.choices)
    manual = models.BooleanField(default=False)  # a "redeliver" from the app or admin
    task_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        app_label = "engine"
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhookattempt_number"),
        ]
