"""`manage.py workflows schedule …` (wired into the `workflows` command).

  schedule create NAME --target MACHINE|ARN --expression EXPR [--timezone TZ] [--input JSON]
                  [--start ISO] [--end ISO] [--window MINUTES] [--missed SKIP|RUN_ONCE]
                  [--disabled] [--description TEXT] [--owner USER]
  schedule list [--owner USER]           schedule next NAME [--count N] [--owner USER]
  schedule pause|resume|delete NAME [--owner USER]
  schedule executions NAME [--owner USER]

Output is JSON (the REST API's shapes); a bad field is a CommandError naming it.
"""
from __future__ import annotations

import json

from django.core.management.base import CommandError
from django.utils.dateparse import parse_datetime

from engine.models import Schedule

from . import service
from .errors import ScheduleError


def add_arguments(sub) -> None:
    p = sub.add_parser("schedule", help="create, list, pause, resume, delete schedules")
    actions = p.add_subparsers(dest="schedule_action", required=True)
    c = actions.add_parser("create")
    c.add_argument("name")
    c.add_argument("--target", required=True, help="state machine name or ARN (version/alias)")
    c.add_argument("--expression", required=True)
    c.add_argument("--timezone", default="UTC")
    c.add_argument("--input", default="{}")
    c.add_argument("--start")
    c.add_argument("--end")
    c.add_argument("--window", type=int, default=0, help="flexible window minutes (0: OFF)")
    c.add_argument("--missed", default="SKIP", choices=["SKIP", "RUN_ONCE"])
    c.add_argument("--disabled", action="store_true")
    c.add_argument("--description", default="")
    c.add_argument("--owner")
    actions.add_parser("list").add_argument("--owner")
    for name in ("pause", "resume", "delete", "executions", "next"):
        a = actions.add_parser(name)
        a.add_argument("name")
        a.add_argument("--owner")
        if name == "next":
            a.add_argument("--count", type=int, default=5)


def _date(value, field):
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None or parsed.tzinfo is None:
        raise ScheduleError(field, f"{field} must be an ISO date and time with a time zone")
    return parsed


def handle(command, owner_of, schedule_action, owner=None, **opts) -> None:
    from engine.api.schedules import firing_data, schedule_data

    user = owner_of(owner)

    def out(value):
        command.stdout.write(json.dumps(value, indent=2, default=str))

    def one(name):
        found = Schedule.objects.filter(owner=user, name=name).first()
        if found is None:
            raise CommandError(f"ScheduleDoesNotExist: no schedule {name!r} owned by "
                               f"{user.get_username()}")
        return found

    try:
        if schedule_action == "create":
            schedule = service.save(user, {
                "name": opts["name"], "target": opts["target"],
                "expression": opts["expression"], "timezone": opts["timezone"],
                "input": opts["input"], "start_date": _date(opts["start"], "start_date"),
                "end_date": _date(opts["end"], "end_date"),
                "flexible_window_minutes": opts["window"], "missed_policy": opts["missed"],
                "enabled": not opts["disabled"], "description": opts["description"]})
            out(schedule_data(schedule))
        elif schedule_action == "list":
            out([schedule_data(s) for s in Schedule.objects.filter(owner=user)
                 .select_related("owner", "state_machine").order_by("name")])
        elif schedule_action == "pause":
            out(schedule_data(service.pause(one(opts["name"]))))
        elif schedule_action == "resume":
            out(schedule_data(service.resume(one(opts["name"]))))
        elif schedule_action == "delete":
            service.delete(one(opts["name"]))
            out({"deleted": opts["name"]})
        elif schedule_action == "next":
            out([{"slot": s.isoformat(), "fire_at": f.isoformat()} for s, f in
                 service.next_firings(one(opts["name"]), opts["count"])])
        elif schedule_action == "executions":
            out([firing_data(f) for f in one(opts["name"]).firings
                 .select_related("execution").order_by("-slot")])
    except ScheduleError as error:
        raise CommandError(f"{error.field}: {error.message}") from None
