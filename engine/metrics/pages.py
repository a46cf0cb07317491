"""The monitoring pages: /monitoring/ (all of a user's machines; staff: everyone's) and
/monitoring/<machine id>/ (one machine: its owner's or staff). Server-rendered numbers and
tables; the charts are drawn by static/designer/monitoring.js (Chart.js) from the same
report, embedded with json_script."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from engine.models import StateMachine

from .monitoring import DEFAULT_RANGE, RANGES, report


def _range(request) -> str:
    key = request.GET.get("range", DEFAULT_RANGE)
    return key if key in RANGES else DEFAULT_RANGE


def _machines(user):
    qs = StateMachine.objects.order_by("name")
    if not user.is_staff:
        qs = qs.filter(owner=user)
    return list(qs.select_related("owner").only("id", "name", "owner__username")[:1000])


@require_GET
def monitoring_all(request):
    owners = None if request.user.is_staff else [request.user.id]
    return _render(request, None, report(owner_ids=owners, machine_id=None,
                                         range_key=_range(request)))


@require_GET
def monitoring_machine(request, machine_id: int):
    machine = StateMachine.objects.select_related("owner").filter(id=machine_id).first()
    if machine is None or not (request.user.is_staff or machine.owner_id == request.user.id):
        raise Http404("No such state machine")
    return _render(request, machine, report(owner_ids=None, machine_id=machine.id,
                                            range_key=_range(request)))


def _render(request, machine, data):
    return render(request, "monitoring/page.html", {
        "machine": machine, "data": data, "summary": data["summary"],
        "ranges": RANGES.values(), "machines": _machines(request.user),
        "show_owner": request.user.is_staff,
    })
