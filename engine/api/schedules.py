"""/api/schedules/ and /api/webhooks/ (docs/api.md "Schedules", "Webhooks").

Thin, like views.py: scope by owner, read the body, call engine.schedules.service or
engine.events.webhooks, render. A bad field is a 400 in the API's error shape plus the
field: `{"detail": "expression: cron(…): …", "code": "invalid", "field": "expression",
"message": "cron(…): …", "diagnostics": []}`.
"""
from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.events import delivery as event_delivery, webhooks
from engine.models import Schedule, Webhook, WebhookDelivery
from engine.schedules import service
from engine.schedules.errors import ScheduleError

from . import errors
from .serializers import PayloadField
from .views import ERRORS, ApiMixin

ISO = serializers.DateTimeField


# -- shapes (for the OpenAPI schema; reading is done by the services) -------------------------

class FlexibleWindowSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(["OFF", "FLEXIBLE"])
    maximum_window_minutes = serializers.IntegerField(required=False, min_value=1,
                                                      max_value=1440)


class ScheduleWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=63)
    target = serializers.CharField(help_text="state machine name, or its state machine, "
                                             "version or alias ARN")
    expression = serializers.CharField(help_text="rate(5 minutes), cron(0 12 * * ? *) or "
                                                 "at(2027-01-01T09:00:00)")
    timezone = serializers.CharField(required=False, default="UTC")
    input = PayloadField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    start_date = ISO(required=False, allow_null=True)
    end_date = ISO(required=False, allow_null=True)
    flexible_time_window = FlexibleWindowSerializer(required=False)
    missed_policy = serializers.ChoiceField(["SKIP", "RUN_ONCE"], required=False)
    enabled = serializers.BooleanField(required=False)


class FireTimeSerializer(serializers.Serializer):
    slot = ISO()
    fire_at = ISO()


class ScheduleSerializer(serializers.Serializer):
    name = serializers.CharField()
    arn = serializers.CharField()
    owner = serializers.CharField()
    description = serializers.CharField()
    target = serializers.CharField()
    state_machine = serializers.CharField()
    expression = serializers.CharField()
    timezone = serializers.CharField()
    input = serializers.JSONField()
    start_date = ISO(allow_null=True)
    end_date = ISO(allow_null=True)
    flexible_time_window = FlexibleWindowSerializer()
    missed_policy = serializers.CharField()
    enabled = serializers.BooleanField()
    state = serializers.ChoiceField(["ENABLED", "DISABLED"])
    next_fire_times = FireTimeSerializer(many=True)
    last_slot = ISO(allow_null=True)
    last_fired_at = ISO(allow_null=True)
    last_error = serializers.CharField()
    missed_count = serializers.IntegerField()
    created = ISO()
    updated = ISO()


class FiringSerializer(serializers.Serializer):
    slot = ISO()
    fired_at = ISO()
    outcome = serializers.CharField()
    execution_name = serializers.CharField()
    execution = serializers.CharField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    url = serializers.CharField(allow_null=True)
    late = serializers.BooleanField()
    missed = serializers.IntegerField()
    error = serializers.CharField()


class WebhookWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    url = serializers.URLField(max_length=2048)
    enabled = serializers.BooleanField(required=False)
    statuses = serializers.ListField(child=serializers.CharField(), required=False)
    state_machines = serializers.ListField(child=serializers.CharField(), required=False)


class WebhookSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField()
    enabled = serializers.BooleanField()
    statuses = serializers.ListField(child=serializers.CharField())
    state_machines = serializers.ListField(child=serializers.CharField())
    secret = serializers.CharField(required=False, help_text="only when created or rolled")
    created = ISO()


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event_id = serializers.CharField()
    status = serializers.CharField()
    execution_status = serializers.CharField()
    execution_arn = serializers.CharField()
    attempts = serializers.IntegerField()
    last_status_code = serializers.IntegerField(allow_null=True)
    next_attempt_at = ISO(allow_null=True)
    created = ISO()
    attempt_log = serializers.ListField(child=serializers.DictField())


def results_of(item, name):
    return type(name, (serializers.Serializer,), {"results": item(many=True)})


ScheduleListSerializer = results_of(ScheduleSerializer, "ScheduleListSerializer")
FiringListSerializer = results_of(FiringSerializer, "FiringListSerializer")
WebhookListSerializer = results_of(WebhookSerializer, "WebhookListSerializer")
DeliveryListSerializer = results_of(DeliverySerializer, "DeliveryListSerializer")


# -- rendering ----------------------------------------------------------------------------

def _iso(value):
    return value.isoformat() if value else None


def schedule_data(schedule: Schedule) -> dict:
    flexible = schedule.flexible_window_minutes
    return {
        "name": schedule.name, "arn": schedule.arn, "owner": schedule.owner.get_username(),
        "description": schedule.description, "target": schedule.target_arn,
        "state_machine": schedule.state_machine.name, "expression": schedule.expression,
        "timezone": schedule.timezone, "input": schedule.input,
        "start_date": _iso(schedule.start_date), "end_date": _iso(schedule.end_date),
        "flexible_time_window": ({"mode": "FLEXIBLE", "maximum_window_minutes": flexible}
                                 if flexible else {"mode": "OFF"}),
        "missed_policy": schedule.missed_policy, "enabled": schedule.enabled,
        "state": "ENABLED" if schedule.enabled else "DISABLED",
        "next_fire_times": [{"slot": _iso(slot), "fire_at": _iso(fire)}
                            for slot, fire in service.next_firings(schedule)],
        "last_slot": _iso(schedule.last_slot), "last_fired_at": _iso(schedule.last_fired_at),
        "last_error": schedule.last_error, "missed_count": schedule.missed_count,
        "created": _iso(schedule.created), "updated": _iso(schedule.updated),
    }


def firing_data(firing) -> dict:
    execution = firing.execution
    return {"slot": _iso(firing.slot), "fired_at": _iso(firing.fired_at),
            "outcome": firing.outcome, "execution_name": firing.execution_name,
            "execution": str(execution.id) if execution else None,
            "status": execution.status if execution else None,
            "url": f"/executions/{execution.id}/" if execution else None,
            "late": firing.late, "missed": firing.missed, "error": firing.error}


def field_error(error: ScheduleError) -> Response:
    body = errors.body(f"{error.field}: {error.message}", "invalid")
    body.update(field=error.field, message=error.message)
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _date(data: dict, name: str):
    value = data[name]
    if value in (None, ""):
        return None
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        raise ScheduleError(name, f"{name} must be an ISO 8601 date and time with a time zone "
                                  "(e.g. 2027-01-01T09:00:00Z)")
    return parsed.astimezone(dt.timezone.utc)


def schedule_values(data) -> dict:
    """The request body as service.save's values; ScheduleError names a bad field."""
    if not isinstance(data, dict):
        raise ScheduleError("body", "the body must be a JSON object")
    values = {}
    for key, value in data.items():
        if key in ("start_date", "end_date"):
            values[key] = _date(data, key)
        elif key == "flexible_time_window":
            window = value if isinstance(value, dict) else {}
            mode = window.get("mode", window.get("Mode"))
            minutes = window.get("maximum_window_minutes", window.get("MaximumWindowInMinutes"))
            if mode == "OFF":
                values["flexible_window_minutes"] = 0
            elif mode == "FLEXIBLE" and isinstance(minutes, int) and not isinstance(minutes,
                                                                                    bool):
                if minutes < 1:
                    raise ScheduleError("flexible_time_window", "maximum_window_minutes must "
                                        "be from 1 to 1440")
                values["flexible_window_minutes"] = minutes
            else:
                raise ScheduleError("flexible_time_window", 'use {"mode": "OFF"} or {"mode": '
                                    '"FLEXIBLE", "maximum_window_minutes": 1-1440}')
        elif key in ("enabled",):
            if not isinstance(value, bool):
                raise ScheduleError(key, f"{key} must be true or false")
            values[key] = value
        elif key == "input":
            values[key] = value
        else:
            if not isinstance(value, str):
                raise ScheduleError(key, f"{key} must be a string")
            values[key] = value
    return values


def visible_schedules(user):
    qs = Schedule.objects.select_related("owner", "state_machine").order_by("name", "id")
    return qs if user.is_staff else qs.filter(owner=user)


class ScheduleListView(ApiMixin, APIView):
    @extend_schema(operation_id="schedules_list", responses={200: ScheduleListSerializer, **ERRORS})
    def get(self, request):
        return Response({"results": [schedule_data(s)
                                     for s in visible_schedules(request.user)[:1000]]})

    @extend_schema(request=ScheduleWriteSerializer, responses={201: ScheduleSerializer,
                                                               **ERRORS})
    def post(self, request):
        try:
            schedule = service.save(request.user, schedule_values(request.data))
        except ScheduleError as error:
            return field_error(error)
        return Response(schedule_data(schedule), status=status.HTTP_201_CREATED)


class ScheduleMixin:
    def get_schedule(self):
        return get_object_or_404(Schedule.objects.select_related("owner", "state_machine"),
                                 owner=self.request.user, name=self.kwargs["name"])


class ScheduleDetailView(ApiMixin, ScheduleMixin, APIView):
    @extend_schema(responses={200: ScheduleSerializer, **ERRORS})
    def get(self, request, name):
        return Response(schedule_data(self.get_schedule()))

    @extend_schema(request=ScheduleWriteSerializer(partial=True),
                   responses={200: ScheduleSerializer, **ERRORS})
    def patch(self, request, name):
        schedule = self.get_schedule()
        try:
            schedule = service.save(request.user, schedule_values(request.data), schedule)
        except ScheduleError as error:
            return field_error(error)
        return Response(schedule_data(schedule))

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request, name):
        service.delete(self.get_schedule())
        return Response(status=status.HTTP_204_NO_CONTENT)


class SchedulePauseView(ApiMixin, ScheduleMixin, APIView):
    @extend_schema(request=None, responses={200: ScheduleSerializer, **ERRORS})
    def post(self, request, name):
        return Response(schedule_data(service.pause(self.get_schedule())))


class ScheduleResumeView(ApiMixin, ScheduleMixin, APIView):
    @extend_schema(request=None, responses={200: ScheduleSerializer, **ERRORS})
    def post(self, request, name):
        try:
            return Response(schedule_data(service.resume(self.get_schedule())))
        except ScheduleError as error:
            return field_error(error)


class ScheduleFiringsView(ApiMixin, ScheduleMixin, APIView):
    @extend_schema(responses={200: FiringListSerializer, **ERRORS})
    def get(self, request, name):
        firings = (self.get_schedule().firings.select_related("execution")
                   .order_by("-slot")[:200])
        return Response({"results": [firing_data(f) for f in firings]})


# -- webhooks -----------------------------------------------------------------------------

def webhook_data(hook: Webhook, secret: bool = False) -> dict:
    out = {"name": hook.name, "url": hook.url, "enabled": hook.enabled,
           "statuses": hook.statuses,
           "state_machines": sorted(m.name for m in hook.state_machines.all()),
           "created": _iso(hook.created)}
    if secret:
        out["secret"] = hook.secret
    return out


def delivery_data(d: WebhookDelivery) -> dict:
    payload = d.event.payload
    return {"id": d.id, "event_id": str(d.event_id), "status": d.status,
            "execution_status": d.event.status,
            "execution_arn": payload.get("detail", {}).get("executionArn", ""),
            "attempts": d.attempts, "last_status_code": d.last_status_code,
            "next_attempt_at": _iso(d.next_attempt_at) if d.status == "PENDING" else None,
            "created": _iso(d.created),
            "attempt_log": [{"number": a.number, "started_at": _iso(a.started_at),
                             "duration_ms": a.duration_ms, "status_code": a.status_code,
                             "outcome": a.outcome, "error": a.error,
                             "response": a.response_snippet, "manual": a.manual}
                            for a in d.attempt_rows.order_by("number")]}


def webhook_values(data) -> dict:
    if not isinstance(data, dict):
        raise ScheduleError("body", "the body must be a JSON object")
    for key in ("name", "url"):
        if key in data and not isinstance(data[key], str):
            raise ScheduleError(key, f"{key} must be a string")
    for key in ("statuses", "state_machines"):
        if key in data and not (isinstance(data[key], list)
                                and all(isinstance(v, str) for v in data[key])):
            raise ScheduleError(key, f"{key} must be a list of strings")
    if "enabled" in data and not isinstance(data["enabled"], bool):
        raise ScheduleError("enabled", "enabled must be true or false")
    return dict(data)


class WebhookListView(ApiMixin, APIView):
    @extend_schema(operation_id="webhooks_list", responses={200: WebhookListSerializer, **ERRORS})
    def get(self, request):
        hooks = Webhook.objects.filter(owner=request.user).prefetch_related(
            "state_machines").order_by("name")
        return Response({"results": [webhook_data(h) for h in hooks]})

    @extend_schema(request=WebhookWriteSerializer, responses={201: WebhookSerializer, **ERRORS})
    def post(self, request):
        try:
            hook = webhooks.save(request.user, webhook_values(request.data))
        except ScheduleError as error:
            return field_error(error)
        return Response(webhook_data(hook, secret=True), status=status.HTTP_201_CREATED)


class WebhookMixin:
    def get_webhook(self):
        return get_object_or_404(Webhook, owner=self.request.user, name=self.kwargs["name"])


class WebhookDetailView(ApiMixin, WebhookMixin, APIView):
    @extend_schema(responses={200: WebhookSerializer, **ERRORS})
    def get(self, request, name):
        return Response(webhook_data(self.get_webhook()))

    @extend_schema(request=WebhookWriteSerializer(partial=True),
                   responses={200: WebhookSerializer, **ERRORS})
    def patch(self, request, name):
        try:
            hook = webhooks.save(request.user, webhook_values(request.data), self.get_webhook())
        except ScheduleError as error:
            return field_error(error)
        return Response(webhook_data(hook))

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request, name):
        self.get_webhook().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRollSecretView(ApiMixin, WebhookMixin, APIView):
    @extend_schema(request=None, responses={200: WebhookSerializer, **ERRORS})
    def post(self, request, name):
        return Response(webhook_data(webhooks.roll_secret(self.get_webhook()), secret=True))


class WebhookDeliveriesView(ApiMixin, WebhookMixin, APIView):
    @extend_schema(responses={200: DeliveryListSerializer, **ERRORS})
    def get(self, request, name):
        deliveries = (self.get_webhook().deliveries.select_related("event")
                      .prefetch_related("attempt_rows").order_by("-created")[:100])
        return Response({"results": [delivery_data(d) for d in deliveries]})


class WebhookRedeliverView(ApiMixin, WebhookMixin, APIView):
    @extend_schema(request=None, responses={200: DeliverySerializer, **ERRORS})
    def post(self, request, name, delivery_id):
        # A str in the URL (not <int:>): any id gets the API's JSON 404, not a CSRF page.
        if not (delivery_id.isascii() and delivery_id.isdigit() and len(delivery_id) < 19):
            raise errors.ApiError("not_found", "Not found.")
        found = get_object_or_404(self.get_webhook().deliveries.select_related("event"),
                                  id=int(delivery_id))
        event_delivery.redeliver(found)
        found.refresh_from_db()
        return Response(delivery_data(found))
