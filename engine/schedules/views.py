"""The Schedules pages: /schedules/ (list and create) and /schedules/<id>/ (the next five
fire times, edit, pause/resume, delete, and the executions it started).

Server-rendered forms (CSRF on, user text escaped by the templates). A refused form comes
back with everything that was typed and the error next to its field. A user sees their own
schedules; staff see everyone's (and may pause, resume, edit or delete them: the target
stays within the schedule owner's machines).
"""
from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from engine.models import Schedule, StateMachine

from . import service
from .errors import ScheduleError

COMMON_ZONES = ["UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "America/New_York",
                "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
                "Asia/Tokyo", "Asia/Singapore", "Asia/Kolkata", "Australia/Sydney"]


def visible(user):
    qs = Schedule.objects.select_related("owner", "state_machine")
    return qs if user.is_staff else qs.filter(owner=user)


def _local_input(value, zone: str) -> str:
    """A stored UTC instant as the form's datetime-local text (in UTC, as labelled)."""
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M") if value else ""


def form_values(post) -> tuple[dict, dict]:
    """(values for service.save, raw text to re-render); ScheduleError for a bad field."""
    raw = {k: post.get(k, "") for k in ("name", "target", "expression", "timezone", "input",
                                        "start_date", "end_date", "window", "missed_policy",
                                        "description")}
    raw["enabled"] = post.get("enabled") == "on"
    values = {"name": raw["name"].strip(), "target": raw["target"].strip(),
              "expression": raw["expression"].strip(), "timezone": raw["timezone"].strip()
              or "UTC", "input": raw["input"] or "{}", "missed_policy": raw["missed_policy"]
              or "SKIP", "description": raw["description"], "enabled": raw["enabled"]}
    for field in ("start_date", "end_date"):
        text = raw[field].strip()
        if not text:
            values[field] = None
            continue
        try:
            values[field] = dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            raise ScheduleError(field, f"{field} is not a date and time") from None
    window = raw["window"].strip() or "0"
    if not (window.isascii() and window.isdigit()):
        raise ScheduleError("flexible_time_window", "the window is a number of minutes "
                            "(0 for OFF)")
    values["flexible_window_minutes"] = int(window)
    return values, raw


def _raw_of(schedule: Schedule) -> dict:
    return {"name": schedule.name, "target": schedule.target_arn,
            "expression": schedule.expression, "timezone": schedule.timezone,
            "input": json.dumps(schedule.input, indent=2, ensure_ascii=False),
            "start_date": _local_input(schedule.start_date, schedule.timezone),
            "end_date": _local_input(schedule.end_date, schedule.timezone),
            "window": str(schedule.flexible_window_minutes),
            "missed_policy": schedule.missed_policy, "description": schedule.description,
            "enabled": schedule.enabled}


def _targets(owner) -> list[str]:
    out = []
    for machine in StateMachine.objects.filter(owner=owner).order_by("name"):
        out.append(machine.name)
        out.extend(v.arn for v in machine.versions.order_by("-version")[:5])
    return out


def _context(request, owner, raw, error=None, schedule=None) -> dict:
    return {"raw": raw, "error": error, "schedule": schedule, "targets": _targets(owner),
            "zones": COMMON_ZONES}


def _upcoming(schedule: Schedule) -> list[dict]:
    tz = service.spec_of(schedule).tz
    return [{"slot": slot, "fire_at": fire, "local": fire.astimezone(tz)}
            for slot, fire in service.next_firings(schedule)]


@login_required
def schedule_list(request):
    blank = {"timezone": "UTC", "input": "{}", "window": "0", "missed_policy": "SKIP",
             "enabled": True, "expression": "rate(1 hour)"}
    if request.method == "POST":
        try:
            values, raw = form_values(request.POST)
        except ScheduleError as error:
            raw = {k: request.POST.get(k, "") for k in blank}
            return _list(request, _context(request, request.user, raw, error), status=400)
        try:
            schedule = service.save(request.user, values)
        except ScheduleError as error:
            return _list(request, _context(request, request.user, raw, error), status=400)
        messages.success(request, f"Schedule {schedule.name} created.")
        return redirect("schedule", schedule.id)
    return _list(request, _context(request, request.user, blank))


def _list(request, context, status=200):
    rows = []
    for schedule in visible(request.user).order_by("name", "id"):
        upcoming = service.next_firings(schedule, 1)
        rows.append((schedule, upcoming[0][1] if upcoming else None))
    context.update(rows=rows, show_owner=request.user.is_staff)
    return render(request, "schedules/list.html", context, status=status)


@login_required
def schedule_detail(request, schedule_id):
    schedule = visible(request.user).filter(id=schedule_id).first()
    if schedule is None:
        raise Http404("No such schedule")
    raw, error, status = _raw_of(schedule), None, 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "pause":
                service.pause(schedule)
                messages.success(request, f"Schedule {schedule.name} paused.")
            elif action == "resume":
                service.resume(schedule)
                messages.success(request, f"Schedule {schedule.name} resumed.")
            elif action == "delete":
                service.delete(schedule)
                messages.success(request, f"Schedule {schedule.name} deleted.")
                return redirect("schedules")
            else:
                values, raw = form_values(request.POST)
                service.save(schedule.owner, values, schedule)
                messages.success(request, f"Schedule {values['name']} saved.")
            return redirect("schedule", schedule.id)
        except ScheduleError as exc:
            error, status = exc, 400
            if action == "save":
                raw = {k: request.POST.get(k, "") for k in raw}
                raw["enabled"] = request.POST.get("enabled") == "on"
    schedule.refresh_from_db()
    firings = schedule.firings.select_related("execution").order_by("-slot")[:50]
    context = _context(request, schedule.owner, raw, error, schedule)
    context.update(upcoming=_upcoming(schedule), firings=firings, now=timezone.now())
    return render(request, "schedules/detail.html", context, status=status)
