"""History events: the event change list, and the paginated history on an execution's page.

History is append-only (models.HistoryEvent), so the admin shows it and never edits it.
The change list reads no `details` column (a payload can be 256 KiB): the state name and a
short excerpt are computed in SQL.
"""
from __future__ import annotations

import re

from django.contrib import admin
from django.db.models import F, TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Substr
from django.urls import reverse
from django.utils.html import format_html

from engine.models import Execution, HistoryEvent

from . import display, filters
from .access import ReadOnlyAdmin
from .changelist import LeanChangeList
from .pagination import EstimatedCountPaginator
from .search import search_executions

DETAILS_KEY = re.compile(r'^\{\s*"\w+EventDetails":\s*')
# Events per page of an execution's history (its change page).
HISTORY_PAGE = 50
# Characters of `details` shown in the change list.
EXCERPT = 80
# Characters of an execution name shown in the list (generated names are 36-char UUIDs).
NAME_SHOWN = 18


def _state_name():
    # The column written with the row; rows written before it existed keep it NULL.
    return Coalesce(F("state_name"), KT("details__stateEnteredEventDetails__name"),
                    KT("details__stateExitedEventDetails__name"))


@admin.register(HistoryEvent)
class HistoryEventAdmin(ReadOnlyAdmin):
    # The machine sits under the execution's name, so the details excerpt gets the room.
    list_display = ("event", "type_link", "state", "execution_column", "time", "excerpt")
    list_display_links = ("event",)
    list_filter = (filters.ExecutionFilter, filters.EventTypeFilter, filters.EventCategoryFilter,
                   filters.EventStateMachineFilter, ("timestamp", admin.DateFieldListFilter))
    # No date_hierarchy: it starts with MIN/MAX and DISTINCT over the table (a full scan of a
    # million rows, no index on timestamp); the date filter above runs no query of its own.
    search_fields = ("execution__name",)  # shows the box; get_search_results does the work
    search_help_text = "Execution id, ARN or name, state machine name, or execution error."
    # The id follows insertion order, so "-id" is newest first through the primary key.
    ordering = ("-id",)
    list_select_related = ("execution__state_machine",)
    list_per_page = 100
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    lean_defer = ("details", "execution__definition", "execution__input",
                  "execution__output", "execution__cause", "execution__state_machine__definition",
                  "execution__state_machine__description")
    fields = ("event", "type", "previous_event_id", "execution_link", "machine_link",
              "timestamp", "pretty_details")
    readonly_fields = fields

    def get_changelist(self, request, **kwargs):
        return LeanChangeList

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            state_label=_state_name(),
            # Room for the {"<type>EventDetails": prefix that excerpt() strips.
            details_excerpt=Substr(Cast("details", TextField()), 1, EXCERPT + 64))

    def get_search_results(self, request, queryset, search_term):
        return search_executions(queryset, search_term, prefix="execution__"), False

    @admin.display(description="#", ordering="id")
    def event(self, obj):
        return obj.seq

    @admin.display(description="type")
    def type_link(self, obj):
        return display.changelist_link(HistoryEvent, obj.type, type=obj.type)

    @admin.display(description="state")
    def state(self, obj):
        return getattr(obj, "state_label", None) or display.EMPTY

    @admin.display(description="execution")
    def execution_link(self, obj):
        return display.admin_link(obj.execution, obj.execution.name)

    @admin.display(description="execution / state machine")
    def execution_column(self, obj):
        name = obj.execution.name
        short = name if len(name) <= NAME_SHOWN else name[:NAME_SHOWN] + "…"
        return format_html('{}<br><span class="ss-quiet">{}</span>',
                           display.admin_link(obj.execution, short),
                           obj.execution.state_machine.name)

    @admin.display(description="state machine")
    def machine_link(self, obj):
        return display.admin_link(obj.execution.state_machine)

    # Not sortable: timestamp has no index ("#", the id, orders the same way).
    @admin.display(description="time")
    def time(self, obj):
        return display.when(obj.timestamp)

    @admin.display(description="details")
    def excerpt(self, obj):
        text = getattr(obj, "details_excerpt", "") or ""
        # Every details object is {"<type>EventDetails": {...}}: the key repeats the type.
        text = DETAILS_KEY.sub("", text)
        if len(text) > EXCERPT:
            text = text[:EXCERPT] + "…"
        return format_html('<code class="ss-excerpt">{}</code>', text) if text else display.EMPTY

    @admin.display(description="details")
    def pretty_details(self, obj):
        return display.pretty_json(obj.details)


def _current_state(execution: Execution, before_seq: int) -> str:
    """The state an event belongs to when the page starts mid-state: the last one entered."""
    entered = (HistoryEvent.objects.filter(execution=execution, seq__lt=before_seq,
                                           type__endswith="StateEntered")
               .order_by("-seq").annotate(state_label=_state_name())
               .values_list("state_label", flat=True).first())
    return entered or ""


def history_page(execution: Execution, page_param) -> dict:
    """Context for one page of an execution's history, paged by `seq` (ids have no gaps), so
    page N is an index range, never an OFFSET or a COUNT."""
    pages = max(1, -(-execution.seq // HISTORY_PAGE))
    try:
        number = min(max(1, int(page_param or 1)), pages)
    except ValueError:
        number = 1
    first = (number - 1) * HISTORY_PAGE + 1
    events = list(HistoryEvent.objects.filter(
        execution=execution, seq__gte=first, seq__lt=first + HISTORY_PAGE).order_by("seq"))
    current = _current_state(execution, first) if events and first > 1 else ""
    rows = []
    for event in events:
        details = event.details or {}
        named = details.get("stateEnteredEventDetails") or details.get("stateExitedEventDetails")
        if named:
            current = named.get("name", "")
        rows.append({
            "event": event,
            "state": "" if event.type.startswith("Execution") else current,
            "elapsed": display.elapsed(execution.start_date, event.timestamp),
            "details": display.json_text(details) if details else "",
        })
    return {"rows": rows, "number": number, "pages": pages, "page_size": HISTORY_PAGE,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < pages else None,
            "events_url": reverse("admin:engine_historyevent_changelist")
            + f"?execution={execution.pk}"}
