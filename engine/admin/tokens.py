"""Activities and task tokens (callbacks and activity tasks waiting on the outside world).

Read-only: a token is answered through the API (SendTaskSuccess/Failure), which resumes
the execution; closing it here would strand its execution.
"""
from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q

from engine.models import Activity, TaskToken, TokenStatus

from . import display
from .access import ReadOnlyAdmin
from .changelist import LeanChangeList
from .pagination import EstimatedCountPaginator
from .search import search_executions
from .filters import uuid_or_none

# Characters of a token shown in the list (they are 64+ characters long).
TOKEN_SHOWN = 16


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("name", "owner", "created_at", "waiting", "tasks_link")
    search_fields = ("name", "owner__username")
    ordering = ("name", "id")
    list_select_related = ("owner",)
    fields = ("name", "arn", "owner", "created_at", "waiting", "tasks_link")
    readonly_fields = fields

    def get_queryset(self, request):
        # One grouped query for the page's "waiting" column, not one per row.
        return super().get_queryset(request).annotate(
            scheduled=Count("tasks", filter=Q(tasks__status=TokenStatus.SCHEDULED)))

    @admin.display(description="created", ordering="created")
    def created_at(self, obj):
        return display.when(obj.created)

    @admin.display(description="scheduled tasks")
    def waiting(self, obj):
        return obj.scheduled

    @admin.display(description="ARN")
    def arn(self, obj):
        return obj.arn

    @admin.display(description="tasks")
    def tasks_link(self, obj):
        return display.changelist_link(TaskToken, "tasks", activity__id__exact=obj.pk)


@admin.register(TaskToken)
class TaskTokenAdmin(ReadOnlyAdmin):
    list_display = ("short_token", "status_badge", "execution_link", "activity_link",
                    "worker_name", "created_at", "heartbeat")
    list_filter = ("status", "activity")
    search_fields = ("token",)  # shows the box; get_search_results does the work
    search_help_text = "Token (exact), or execution id, ARN or name."
    ordering = ("-created",)
    list_select_related = ("execution__state_machine", "activity")
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    lean_defer = ("input", "answer", "execution__definition", "execution__input",
                  "execution__output", "execution__cause", "execution__state_machine__definition")
    fields = ("token", "status_badge", "execution_link", "activity_link", "worker_name",
              "heartbeat_seconds", "created_at", "heartbeat", "pretty_input")
    readonly_fields = fields

    def get_changelist(self, request, **kwargs):
        return LeanChangeList

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if uuid_or_none(term) is None and ":" not in term and len(term) > 40:
            return queryset.filter(token=term), False
        return search_executions(queryset, term, prefix="execution__"), False

    @admin.display(description="token", ordering="token")
    def short_token(self, obj):
        return obj.token[:TOKEN_SHOWN] + ("…" if len(obj.token) > TOKEN_SHOWN else "")

    @admin.display(description="status")
    def status_badge(self, obj):
        return display.badge(obj.status, "token")

    @admin.display(description="execution")
    def execution_link(self, obj):
        return display.admin_link(obj.execution)

    @admin.display(description="activity")
    def activity_link(self, obj):
        return display.admin_link(obj.activity, obj.activity and obj.activity.name)

    @admin.display(description="created", ordering="created")
    def created_at(self, obj):
        return display.when(obj.created)

    @admin.display(description="last heartbeat")
    def heartbeat(self, obj):
        return display.when(obj.heartbeat_at)

    @admin.display(description="input")
    def pretty_input(self, obj):
        return display.pretty_json(obj.input)
