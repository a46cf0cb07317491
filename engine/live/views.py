"""The live view pages: /executions/ and /executions/<id>/.

Server-rendered first (header, filters, the first events), so the page is useful before
the script runs and shows escaped user text from Django templates; the script
(static/designer/live.js, source in designer/frontend/src/live/) then follows the
websockets. Login is enforced by LoginRequiredMiddleware; the decorator documents it.
"""
from __future__ import annotations

import json
import time

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone

from engine.models import ExecutionStatus, HistoryEvent, StateMachine
from engine.waiting_tasks import waiting_tasks

from . import feed

# Events rendered into the page's table before the socket takes over (a no-script view).
FIRST_EVENTS = 100
LIST_LIMIT = 200
CHILDREN_SHOWN = 100  # nested executions listed on a parent's page


def duration_text(start, stop) -> str:
    seconds = max(0.0, ((stop or timezone.now()) - start).total_seconds())
    if seconds < 60:
        return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def with_steps(events) -> list[tuple[HistoryEvent, str]]:
    """Each event with the state it belongs to (the last state entered before it)."""
    out, current = [], ""
    for event in events:
        details = event.details or {}
        named = details.get("stateEnteredEventDetails") or details.get("stateExitedEventDetails")
        if named:
            current = named.get("name", "")
        out.append((event, current if not event.type.startswith("Execution") else ""))
    return out


def pretty(value) -> str:
    return "" if value is None else json.dumps(value, indent=2, ensure_ascii=False)


@login_required
def execution_detail(request, execution_id):
    execution = (feed.visible_executions(request.user)
                 .select_related("version", "parent_execution__state_machine")
                 .filter(id=execution_id).first())
    if execution is None:
        raise Http404("No such execution")
    # Nested executions: the parent whose Task started this one, and the ones its Tasks
    # started (same owner by construction; filtered again all the same).
    visible = feed.visible_executions(request.user)
    parent = execution.parent_execution if execution.parent_execution_id and visible.filter(
        id=execution.parent_execution_id).exists() else None
    parent_state, map_run = execution.parent_state, None
    if execution.map_run_id:
        # A Distributed Map's child execution: its parent runs the Map (its map run).
        map_run = execution.map_run
        parent = visible.filter(id=map_run.execution_id).select_related("state_machine").first()
        parent_state = map_run.state_name
    children = list(visible.filter(parent_execution=execution).select_related("state_machine")
                    .order_by("start_date", "id")[:CHILDREN_SHOWN])
    events = list(HistoryEvent.objects.filter(execution=execution).order_by("seq")[:FIRST_EVENTS])
    config = {
        "id": str(execution.id),
        "name": execution.name,
        "stateMachine": execution.state_machine.name,
        "status": execution.status,
        "startDate": execution.start_date.isoformat(),
        "stopDate": execution.stop_date.isoformat() if execution.stop_date else None,
        # The definition this execution ran with (its snapshot), not the machine's current one.
        "definition": execution.definition,
        "socket": f"/ws/executions/{execution.id}/",
        "poll": f"/executions/{execution.id}/feed/",
        "api": f"/api/executions/{execution.id}/",
        "csrfToken": get_token(request),
        "input": execution.input,
        "owner": execution.state_machine.owner_id == request.user.pk,
    }
    return render(request, "live/execution.html", {
        "execution": execution,
        "machine": execution.state_machine,
        "duration": duration_text(execution.start_date, execution.stop_date),
        "input_text": pretty(execution.input),
        "output_text": pretty(execution.output),
        "events": with_steps(events),
        "more_events": execution.seq > len(events),
        "config": config,
        # Tasks no worker has taken (their queue may have no worker): scheduled, not failed.
        "waiting": waiting_tasks(execution),
        "parent": parent,
        "parent_state": parent_state,
        "map_run": map_run,
        "children": children,
        "more_children": len(children) == CHILDREN_SHOWN,
    })


@login_required
def execution_list(request):
    machine = request.GET.get("state_machine", "")
    status = request.GET.get("status", "")
    if status not in ExecutionStatus.values:
        status = ""
    # A Distributed Map's child executions are listed on their parent's page.
    qs = feed.visible_executions(request.user).filter(map_run__isnull=True)
    if feed.matches_nothing(machine):
        qs = qs.none()  # no name holds U+0000, and PostgreSQL refuses it as a parameter
    elif machine:
        qs = qs.filter(state_machine__name=machine)
    if status:
        qs = qs.filter(status=status)
    executions = list(qs.order_by("-start_date")[:LIST_LIMIT])
    machines = StateMachine.objects.order_by("name").values_list("name", flat=True).distinct()
    if not request.user.is_staff:
        machines = machines.filter(owner=request.user)
    config = {
        # Changes after this moment come from the socket (which re-sends a short overlap).
        "socket": "/ws/executions/",
        "poll": "/executions/feed/",
        "after": int(time.time() * 1_000_000),
        "stateMachine": machine,
        "status": status,
    }
    return render(request, "live/executions.html", {
        "rows": [(e, duration_text(e.start_date, e.stop_date)) for e in executions],
        "machines": list(machines),
        "statuses": ExecutionStatus.values,
        "machine": machine,
        "status": status,
        "config": config,
    })


@login_required
@require_GET
def execution_feed(request, execution_id):
    """GET /executions/<id>/feed/?after=<seq>: what the execution's socket would send next,
    for a page whose websocket cannot connect (a proxy that drops the upgrade, a server
    without Channels): the events with seq > after, at most a page of them, then, once
    they reach the execution's last event, its status. `more`: ask again at once."""
    after = _after(request)
    if after is None:
        return _bad_after("a history event id (0 or more)")
    if feed.find_execution(request.user, execution_id) is None:
        raise Http404("No such execution")
    execution, page = feed.read_head(execution_id, after)
    if execution is None:
        raise Http404("No such execution")
    last = page[-1]["seq"] if page else after
    more = last < execution.seq
    messages = page if more else [*page, feed.status_message(execution, last)]
    response = JsonResponse({"messages": messages, "more": more})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def execution_list_feed(request):
    """GET /executions/feed/?after=<cursor>[&state_machine=<name>]: what /ws/executions/
    would send (summaries of the executions whose status changed after the cursor, in
    microseconds since the epoch), for a list page whose websocket cannot connect."""
    after = _after(request)
    if after is None or not feed.valid_list_cursor(after):
        return _bad_after("a list cursor (microseconds since the epoch)")
    messages = feed.list_replay(request.user, after, request.GET.get("state_machine", ""))
    response = JsonResponse({"messages": messages, "more": False})
    response["Cache-Control"] = "no-store"
    return response


def _after(request) -> int | None:
    raw = request.GET.get("after", "0") or "0"
    # ASCII digits only ("²" is a digit to isdigit, not to int), as the sockets take it.
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


def _bad_after(expected: str) -> JsonResponse:
    return JsonResponse({"error": "InvalidParameterValue",
                         "cause": f"after: {expected} is expected"}, status=400)
