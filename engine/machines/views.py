"""The state machines home page: list, create, delete, load the samples.

Server-rendered and usable without JavaScript (search, sort and pages are links and GET
forms; create and delete have their own pages); static/designer/home.js turns create,
delete and start into in-app dialogs. Login is enforced by LoginRequiredMiddleware (the
decorators document it); everything is scoped to the user's own state machines, except
that staff see everyone's in the list.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from engine import handler_modules, samples
from engine.api import machines as machine_cases
from engine.api import permissions
from engine.models import ExecutionStatus, MachineType, StateMachine

from . import queries

# A new machine starts with one Pass state, so it is valid and can run at once (the Step
# Functions console's blank template does the same).
BLANK_DEFINITION = {
    "Comment": "A description of my state machine",
    "StartAt": "Pass",
    "States": {"Pass": {"Type": "Pass", "End": True}},
}


@login_required
def machine_list(request):
    sort, descending = queries.parse_sort(request.GET.get("sort"), request.user)
    listing = queries.listing(request.user, request.GET.get("q", ""), sort, descending,
                              queries.parse_page(request.GET.get("page")))
    staff = request.user.is_staff
    return render(request, "machines/list.html", {
        "listing": listing,
        "samples_enabled": handler_modules.samples_enabled(),  # STEPSTUDIO_SAMPLES
        "columns": _columns(listing, staff),
        "pager": _pager(listing),
        "show_owner": staff,
        "types": MachineType.values,
        "config": {"csrfToken": get_token(request)},
    })


def _query_string(listing, **changes) -> str:
    params = {"q": listing.query,
              "sort": ("-" if listing.descending else "") + listing.sort,
              "page": listing.page}
    params.update(changes)
    defaults = {"q": "", "sort": queries.DEFAULT_SORT, "page": 1}
    return "?" + urlencode({k: v for k, v in params.items() if v != defaults[k]})


def _columns(listing, staff: bool) -> list[dict]:
    """Sortable headers: each links to its sort (the current one links to the reverse)."""
    columns = []
    for sort in queries.SORTS.values():
        if sort.staff_only and not staff:
            continue
        current = sort.key == listing.sort
        descending = not listing.descending if current else sort.descending_first
        columns.append({
            "key": sort.key,
            "label": sort.label,
            "href": _query_string(listing, sort=("-" if descending else "") + sort.key, page=1),
            "aria_sort": ("descending" if listing.descending else "ascending") if current
            else None,
        })
    return columns


def _pager(listing) -> dict:
    def link(page):
        return _query_string(listing, page=page)

    return {
        "first": link(1) if listing.page > 1 else None,
        "previous": link(listing.page - 1) if listing.page > 1 else None,
        "next": link(listing.page + 1) if listing.page < listing.pages else None,
        "last": link(listing.pages) if listing.page < listing.pages else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def machine_create(request):
    """GET: the form (without JavaScript); POST: create, then open it in the designer."""
    name = request.POST.get("name", "").strip() if request.method == "POST" else ""
    type_ = request.POST.get("type", MachineType.STANDARD)
    error = None
    if request.method == "POST":
        error = _create(request.user, name, type_)
        # The page's Create dialog (home.js) asks for JSON: where to go, or why not.
        if "application/json" in request.headers.get("Accept", ""):
            if error is None:
                return JsonResponse({"url": reverse("designer-edit", args=[name])}, status=201)
            return JsonResponse({"error": error}, status=400)
        if error is None:
            return redirect("designer-edit", name=name)
    return render(request, "machines/create.html", {
        "name": name, "type": type_, "types": MachineType.values, "error": error,
    }, status=400 if error else 200)


def _create(user, name: str, type_: str) -> str | None:
    """None when created; else why not, in words for the form."""
    if not name:
        return "Give the state machine a name."
    if "\x00" in name:
        return ("A name is 1 to 80 characters without spaces, brackets, wildcards or any "
                "of \" # % \\ ^ | ~ ` $ & , ; : /")
    if permissions.state_machines(user).filter(name=name).exists():
        return f"You already have a state machine named “{name}”."
    try:
        machine_cases.create(user, name, BLANK_DEFINITION, type_)
    except machine_cases.MachineError as error:
        if error.code == "InvalidName":
            return ("A name is 1 to 80 characters without spaces, brackets, wildcards or any "
                    "of \" # % \\ ^ | ~ ` $ & , ; : /")
        if error.code == "StateMachineTypeNotSupported":
            return "The type is STANDARD or EXPRESS."
        return error.message
    return None


def _own_machine(user, name: str) -> StateMachine:
    # No name holds U+0000 (and PostgreSQL refuses it as a parameter).
    machine = (None if "\x00" in name
               else permissions.state_machines(user).filter(name=name).first())
    if machine is None:
        raise Http404(f"You have no state machine named “{name}”.")
    return machine


@login_required
@require_http_methods(["GET", "POST"])
def machine_delete(request, name: str):
    """GET: the confirmation (without JavaScript); POST: delete and go back to the list."""
    machine = _own_machine(request.user, name)
    if request.method == "POST":
        stopped = machine_cases.delete(machine)
        note = (f" {stopped} running execution{'s were' if stopped != 1 else ' was'} stopped."
                if stopped else "")
        messages.success(request, f"Deleted {name}.{note}")
        return redirect(_back_to_list(request))
    running = machine.executions.filter(status=ExecutionStatus.RUNNING).count()
    return render(request, "machines/delete.html", {
        "machine": machine, "running": running, "back": _back_to_list(request),
    })


def _back_to_list(request) -> str:
    """The list the user came from (its query string), never another site."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    for list_url in (reverse("home"), reverse("state-machines")):
        if back == list_url or back.startswith(list_url + "?"):
            return back
    return reverse("home")


@login_required
@require_POST
def load_samples(request):
    """The samples for this user, as `manage.py workflows load-samples --owner USER`."""
    if not handler_modules.samples_enabled():
        messages.info(request, "The samples are off here (STEPSTUDIO_SAMPLES=false).")
        return redirect("home")
    done = samples.load(request.user)
    created = [name for name, what in done if what == "created"]
    if created:
        messages.success(request, f"Loaded {len(created)} sample state machines: "
                                  f"{', '.join(created)}.")
    else:
        messages.info(request, "The samples are already loaded.")
    return redirect("home")
