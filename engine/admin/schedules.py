"""Schedules, the slots they fired, webhooks and their deliveries in the admin.

Read-only like the other engine records (changes go through engine.schedules.service and
engine.events.webhooks, as from the app and the API), with the operations people need from
here: pause/resume schedules, redeliver webhook deliveries. Webhook secrets are never shown.
"""
from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html

from engine.events import delivery as event_delivery
from engine.models import (Schedule, ScheduleFiring, StatusEvent, Webhook, WebhookAttempt,
                           WebhookDelivery)
from engine.schedules import service

from . import display
from .access import ReadOnlyAdmin


class FiringInline(admin.TabularInline):
    model = ScheduleFiring
    fields = ("slot", "fired_at", "outcome", "execution_link", "missed", "late", "error")
    readonly_fields = fields
    ordering = ("-slot",)
    extra = 0
    max_num = 0
    can_delete = False

    @admin.display(description="execution")
    def execution_link(self, obj):
        return display.live_link(obj.execution_id, obj.execution_name) if obj.execution_id \
            else obj.execution_name

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("execution")


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdmin):
    list_display = ("name", "owner", "expression", "timezone", "state_machine", "state",
                    "next_fire_at", "last_fired_at", "missed_count")
    list_filter = ("enabled", "missed_policy")
    search_fields = ("name", "owner__username", "state_machine__name", "expression")
    list_select_related = ("owner", "state_machine")
    ordering = ("name", "id")
    actions = ("pause", "resume")
    fields = ("name", "owner", "description", "target_arn", "state_machine", "expression",
              "timezone", "input", "start_date", "end_date", "flexible_window_minutes",
              "missed_policy", "enabled", "next_slot", "next_fire_at", "next_five",
              "last_slot", "last_fired_at", "last_error", "missed_count", "created", "updated")
    readonly_fields = fields
    inlines = [FiringInline]

    @admin.display(description="state")
    def state(self, obj):
        return display.badge("ENABLED" if obj.enabled else "DISABLED")

    @admin.display(description="next five fire times")
    def next_five(self, obj):
        return ", ".join(fire.isoformat() for _, fire in service.next_firings(obj)) or "none"

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Pause selected schedules")
    def pause(self, request, queryset):
        for schedule in queryset:
            service.pause(schedule)
        self.message_user(request, f"Paused {queryset.count()} schedule(s).")

    @admin.action(description="Resume selected schedules")
    def resume(self, request, queryset):
        for schedule in queryset:
            try:
                service.resume(schedule)
            except Exception as exc:  # noqa: BLE001 - shown to the operator
                self.message_user(request, f"{schedule.name}: {exc}", messages.WARNING)
        self.message_user(request, "Resumed the selected schedules.")

    def get_actions(self, request):
        # ReadOnlyAdmin hides actions behind change permission; these are operations.
        return {name: (getattr(self, name), name, getattr(self, name).short_description)
                for name in self.actions}


@admin.register(ScheduleFiring)
class ScheduleFiringAdmin(ReadOnlyAdmin):
    list_display = ("schedule", "slot", "fired_at", "outcome", "execution_name", "missed",
                    "late")
    list_filter = ("outcome",)
    search_fields = ("schedule__name", "execution_name")
    list_select_related = ("schedule",)
    ordering = ("-slot",)


@admin.register(Webhook)
class WebhookAdmin(ReadOnlyAdmin):
    list_display = ("name", "owner", "url", "enabled", "statuses", "created")
    search_fields = ("name", "owner__username", "url")
    list_select_related = ("owner",)
    fields = ("name", "owner", "url", "enabled", "statuses", "state_machines", "created",
              "updated")  # never the secret
    readonly_fields = fields


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ("number", "started_at", "duration_ms", "status_code", "outcome", "manual",
              "error", "response_snippet", "task_id")
    readonly_fields = fields
    ordering = ("number",)
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "webhook", "event_status", "status_badge", "attempts",
                    "last_status_code", "next_attempt_at", "created")
    list_filter = ("status",)
    search_fields = ("webhook__name",)
    list_select_related = ("webhook", "event")
    ordering = ("-created",)
    actions = ("redeliver",)
    fields = ("webhook", "event", "status", "attempts", "last_status_code", "next_attempt_at",
              "first_attempt_at", "completed_at", "created", "payload")
    readonly_fields = fields
    inlines = [AttemptInline]

    @admin.display(description="status")
    def status_badge(self, obj):
        return display.badge(obj.status)

    @admin.display(description="execution status")
    def event_status(self, obj):
        return obj.event.status

    @admin.display(description="event")
    def payload(self, obj):
        return display.pretty_json(obj.event.payload)

    @admin.action(description="Redeliver selected deliveries")
    def redeliver(self, request, queryset):
        for found in queryset:
            event_delivery.redeliver(found)
        self.message_user(request, format_html("Redelivering {} delivery(ies).",
                                               queryset.count()))

    def get_actions(self, request):
        return {"redeliver": (self.redeliver, "redeliver", self.redeliver.short_description)}


@admin.register(StatusEvent)
class StatusEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "status", "state_machine", "created", "fanned_out_at")
    list_filter = ("status",)
    ordering = ("-created",)
    list_select_related = ("state_machine",)
    fields = ("id", "status", "execution", "state_machine", "owner", "created",
              "fanned_out_at", "pretty_payload")
    readonly_fields = fields

    @admin.display(description="event")
    def pretty_payload(self, obj):
        return display.pretty_json(obj.payload)
