"""Map runs in the admin (read-only): a DISTRIBUTED Map's run, its counts, its settings and
links to its parent execution and its child executions."""
from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from engine.models import Execution, MapRun
from engine.runtime import map_runs

from . import access, display


@admin.register(MapRun)
class MapRunAdmin(access.ReadOnlyAdmin):
    list_display = ("label", "status", "parent", "start_date", "stop_date", "children")
    list_filter = ("status",)
    ordering = ("-start_date",)
    list_select_related = ("execution__state_machine",)
    list_per_page = 50
    show_full_result_count = False
    fields = ("arn", "parent", "state_name", "label", "child_type", "status", "start_date",
              "stop_date", "max_concurrency", "tolerated_failure_count",
              "tolerated_failure_percentage", "redrive_count", "redrive_date", "item_counts",
              "children")
    readonly_fields = fields

    @admin.display(description="ARN")
    def arn(self, obj):
        return obj.arn

    @admin.display(description="parent execution")
    def parent(self, obj):
        ex = obj.execution
        return display.admin_link(ex, f"{ex.state_machine.name}/{ex.name}")

    @admin.display(description="item counts")
    def item_counts(self, obj):
        items, _ = map_runs.counts(obj)
        return ", ".join(f"{k} {v}" for k, v in items.items())

    @admin.display(description="child executions")
    def children(self, obj):
        return format_html("{}", display.changelist_link(Execution, "child executions",
                                                         map_run__id__exact=obj.pk))
