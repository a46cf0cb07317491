"""Executions in the admin: a fast list, a read-only page with the history, and operations.

Operations (stop, redrive, start again, export) are list actions and buttons on the change
page; both go through engine.admin.operations, which calls engine.services.
"""
from __future__ import annotations

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from engine.models import Execution, HistoryEvent
from engine.services import ServiceError
from engine.waiting_tasks import waiting_tasks

from . import access, display, filters, operations
from .changelist import LeanChangeList
from .history import history_page
from .pagination import EstimatedCountPaginator
from .search import search_executions

# Characters of an error shown in the list (the whole in its tooltip).
ERROR_SHOWN = 28
NAME_SHOWN = 18
# Names listed in an action's message; the rest are counted.
NAMES_SHOWN = 10

VERBS = {"stop": "Stopped", "redrive": "Redrove", "start_again": "Started"}


@admin.register(Execution)
class ExecutionAdmin(access.ReadOnlyAdmin):
    # Sized for a laptop screen beside the admin's sidebars: the error sits under the
    # status, the stop time under the start time, and the type shows only when EXPRESS.
    list_display = ("short_name", "status_error", "machine_column", "started_stopped",
                    "duration", "links")
    list_display_links = ("short_name",)
    list_filter = ("status", filters.StateMachineFilter,
                   ("state_machine__type", admin.ChoicesFieldListFilter), filters.AliasFilter)
    date_hierarchy = "start_date"
    search_fields = ("name",)  # shows the box; get_search_results does the work
    search_help_text = "Execution id, ARN or name, state machine name, or error text."
    ordering = ("-start_date",)
    list_select_related = ("state_machine",)
    list_per_page = 50
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    lean_defer = ("definition", "input", "output", "cause",
                  "state_machine__definition", "state_machine__description")
    actions = ("stop", "redrive", "start_again", "export_history")
    fieldsets = (
        (None, {"fields": ("name", "arn", "status_badge", "machine_column", "version_link",
                           "started_by", "started", "stopped", "duration", "redrive_info", "history_info")}),
        ("Waiting for a worker", {"fields": ("waiting_for_worker",)}),
        ("Input", {"fields": ("pretty_input",)}),
        ("Output", {"fields": ("pretty_output",)}),
        ("Error", {"fields": ("error", "pretty_cause")}),
        ("Definition (copied at start)", {"fields": ("pretty_definition",),
                                          "classes": ("collapse",)}),
    )
    readonly_fields = ("name", "arn", "status_badge", "machine_column", "version_link",
                       "started_by", "started", "stopped", "duration", "redrive_info", "history_info",
                       "links", "pretty_input", "pretty_output", "error", "pretty_cause",
                       "pretty_definition", "waiting_for_worker")

    def get_fieldsets(self, request, obj=None):
        # Leave out sections with nothing to show (no output yet, no error, no Task waiting).
        empty = {"Output": obj is None or obj.output is None,
                 "Error": obj is None or not (obj.error or obj.cause),
                 "Waiting for a worker": obj is None or not waiting_tasks(obj)}
        return [fs for fs in self.fieldsets if not empty.get(fs[0])]

    # -- queries ---------------------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        return LeanChangeList

    def get_search_results(self, request, queryset, search_term):
        return search_executions(queryset, search_term), False

    # -- columns and fields ------------------------------------------------------------------

    @admin.display(description="name")
    def short_name(self, obj):
        # Generated names are 36-character UUIDs; the start tells them apart, the tooltip
        # (and the change page) has the whole.
        if len(obj.name) <= NAME_SHOWN:
            return obj.name
        return format_html('<span title="{}">{}…</span>', obj.name, obj.name[:NAME_SHOWN])

    @admin.display(description="status")
    def status_badge(self, obj):
        return display.badge(obj.status)

    @admin.display(description="version")
    def version_link(self, obj):
        return display.admin_link(obj.version, obj.version and f"version {obj.version.version}")

    @admin.display(description="started by")
    def started_by(self, obj):
        if obj.map_run_id:
            # A map run's child execution: its parent's Distributed Map runs it.
            run = obj.map_run
            parent = run.execution
            return format_html("{} (map run {})", display.admin_link(
                parent, f"{parent.state_machine.name}/{parent.name} (state {run.state_name})"),
                display.admin_link(run, run.label))
        # A nested execution: the parent whose Task started it (engine/runtime/nested.py).
        parent = obj.parent_execution
        if parent is None:
            return display.EMPTY
        label = f"{parent.state_machine.name}/{parent.name}"
        if obj.parent_state:
            label += f" (state {obj.parent_state})"
        return display.admin_link(parent, label)

    @admin.display(description="started", ordering="start_date")
    def started(self, obj):
        return display.when(obj.start_date)

    @admin.display(description="stopped")
    def stopped(self, obj):
        return display.when(obj.stop_date)

    @admin.display(description="started / stopped", ordering="start_date")
    def started_stopped(self, obj):
        return format_html('{}<br><span class="ss-quiet">{}</span>', display.when(obj.start_date),
                           display.stop_time(obj.start_date, obj.stop_date))

    # Not sortable: ordering by a joined name sorts the whole table.
    @admin.display(description="state machine")
    def machine_column(self, obj):
        machine = obj.state_machine
        if machine.type == "STANDARD":
            return display.admin_link(machine)
        return format_html("{} {}", display.admin_link(machine), display.badge(machine.type, "type"))

    @admin.display(description="duration")
    def duration(self, obj):
        return display.duration(obj.start_date, obj.stop_date)

    @admin.display(description="status / error")
    def status_error(self, obj):
        if not obj.error:
            return display.badge(obj.status)
        text = obj.error if len(obj.error) <= ERROR_SHOWN else obj.error[:ERROR_SHOWN] + "…"
        return format_html('{}<br><span class="ss-error" title="{}">{}</span>',
                           display.badge(obj.status), obj.error, text)

    @admin.display(description="redriven")
    def redrive_info(self, obj):
        if not obj.redrive_count:
            return display.EMPTY
        return f"{obj.redrive_count} time(s), last {display.when(obj.redrive_date)}"

    @admin.display(description="history")
    def history_info(self, obj):
        return display.changelist_link(HistoryEvent, f"{obj.seq} events",
                                       execution=obj.pk)

    @admin.display(description="open")
    def links(self, obj):
        return format_html("{} · {}", display.live_link(obj.pk, "live"),
                           display.changelist_link(HistoryEvent, "events", execution=obj.pk))

    @admin.display(description="input")
    def pretty_input(self, obj):
        return display.pretty_json(obj.input)

    @admin.display(description="output")
    def pretty_output(self, obj):
        return display.pretty_json(obj.output)

    @admin.display(description="cause")
    def pretty_cause(self, obj):
        if not obj.cause:
            return display.EMPTY
        return format_html('<pre class="ss-json">{}</pre>', obj.cause)

    @admin.display(description="scheduled Tasks")
    def waiting_for_worker(self, obj):
        # A handler's queue that no worker consumes leaves its Task scheduled, not failed.
        rows = format_html_join("", "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code>"
                                "</td><td>{}</td></tr>",
                                ((t.state, t.handler, t.queue, display.when(t.since))
                                 for t in waiting_tasks(obj)))
        return format_html('<table class="ss-waiting"><thead><tr><th>state</th><th>handler</th>'
                           '<th>queue</th><th>waiting since</th></tr></thead><tbody>{}'
                           '</tbody></table><p class="help">No worker has taken these Tasks yet. '
                           'A worker runs them once it consumes their queue '
                           '(<code>celery -A stepstudio worker -Q QUEUE</code>).</p>', rows)

    @admin.display(description="definition")
    def pretty_definition(self, obj):
        return display.pretty_json(obj.definition)

    @admin.display(description="ARN")
    def arn(self, obj):
        return obj.arn

    def change_view(self, request, object_id, form_url="", extra_context=None):
        execution = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if execution is not None:
            context["history"] = history_page(execution, request.GET.get("events_page"))
            context["can_operate"] = self.has_operate_permission(request)
            context["is_running"] = execution.is_running
            # The designer opens names in the viewer's namespace (display.designer_link).
            machine = execution.state_machine
            if machine.owner_id == request.user.pk:
                context["designer_url"] = reverse("designer-edit", args=[machine.name])
        return super().change_view(request, object_id, form_url, context)

    # -- operations ------------------------------------------------------------------------

    def has_operate_permission(self, request):
        return access.is_staff(request)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            # POST only: an operation changes the execution (CSRF-checked by admin_view).
            path("<path:object_id>/operate/<str:operation>/", view(require_POST(self.operate_view)),
                 name="engine_execution_operate"),
            path("<path:object_id>/history.json", view(self.export_view),
                 name="engine_execution_export"),
        ] + super().get_urls()

    def _operable_one(self, request, object_id) -> Execution:
        pk = filters.uuid_or_none(object_id)  # a malformed id is "no such execution", not a 500
        if pk is None or not self.has_operate_permission(request):
            raise Http404("No such execution")
        return get_object_or_404(access.operable(request, Execution.objects.filter(pk=pk)))

    def operate_view(self, request, object_id, operation):
        """POST from a change page button: run one operation, then show the result."""
        if operation not in operations.OPERATIONS:
            raise Http404("No such operation")
        execution = self._operable_one(request, object_id)
        result = self._apply(request, operation, [execution])
        target = result[0] if result else execution
        return HttpResponseRedirect(reverse("admin:engine_execution_change", args=[target.pk]))

    def export_view(self, request, object_id):
        return operations.export_response([self._operable_one(request, object_id)])

    def _apply(self, request, operation: str, executions) -> list[Execution]:
        done, refused = [], []
        for execution in executions:
            try:
                done.append(operations.OPERATIONS[operation](execution, request.user))
            except ServiceError as exc:
                refused.append(str(exc))
        if done:
            self.message_user(request, format_html(
                "{} {} execution(s): {}{}", VERBS[operation], len(done),
                format_html_join(", ", "{}", ((display.admin_link(e, e.name),)
                                              for e in done[:NAMES_SHOWN])),
                " …" if len(done) > NAMES_SHOWN else ""), messages.SUCCESS)
        for reason in refused[:NAMES_SHOWN]:
            self.message_user(request, reason, messages.WARNING)
        if len(refused) > NAMES_SHOWN:
            self.message_user(request, f"… and {len(refused) - NAMES_SHOWN} more refused",
                              messages.WARNING)
        return done

    def _selected(self, request, queryset):
        """The selection the user may operate on, or None (with a message) when too large."""
        if queryset.order_by()[:operations.ACTION_LIMIT + 1].count() > operations.ACTION_LIMIT:
            self.message_user(request, f"Select at most {operations.ACTION_LIMIT} executions "
                                       f"for this action.", messages.ERROR)
            return None
        return list(access.operable(request, queryset).select_related("state_machine", "version")
                    .order_by("start_date"))

    @admin.action(description="Stop selected executions (ABORTED)", permissions=["operate"])
    def stop(self, request, queryset):
        if (selected := self._selected(request, queryset)) is not None:
            self._apply(request, "stop", selected)

    @admin.action(description="Redrive selected executions", permissions=["operate"])
    def redrive(self, request, queryset):
        if (selected := self._selected(request, queryset)) is not None:
            self._apply(request, "redrive", selected)

    @admin.action(description="Start again with the same input", permissions=["operate"])
    def start_again(self, request, queryset):
        if (selected := self._selected(request, queryset)) is not None:
            self._apply(request, "start_again", selected)

    @admin.action(description="Export history as JSON", permissions=["operate"])
    def export_history(self, request, queryset):
        if (selected := self._selected(request, queryset)) is not None and selected:
            return operations.export_response(selected)
        return None
