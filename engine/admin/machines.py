"""State machines, their published versions and aliases: read-only, linked to their
executions.

Definitions are edited in the designer (through the API, which validates them); versions
are immutable by design (models.StateMachineVersion.save); aliases change through the API
(UpdateStateMachineAlias), which checks their routing.
"""
from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from engine.models import Execution, StateMachine, StateMachineAlias, StateMachineVersion

from . import display, filters
from .access import ReadOnlyAdmin


@admin.register(StateMachine)
class StateMachineAdmin(ReadOnlyAdmin):
    list_display = ("name", "owner", "type_badge", "created_at", "updated_at", "links")
    list_filter = ("type",)
    search_fields = ("name", "owner__username")
    ordering = ("name", "id")
    list_select_related = ("owner",)
    show_facets = admin.ShowFacets.NEVER
    fields = ("name", "arn", "owner", "type_badge", "description", "created_at", "updated_at",
              "links", "pretty_definition")
    readonly_fields = fields

    def get_queryset(self, request):
        # The list never shows definitions; the change page reads it on access.
        return super().get_queryset(request).defer("definition")

    @admin.display(description="type")
    def type_badge(self, obj):
        return display.badge(obj.type, "type")

    @admin.display(description="created", ordering="created")
    def created_at(self, obj):
        return display.when(obj.created)

    @admin.display(description="updated", ordering="updated")
    def updated_at(self, obj):
        return display.when(obj.updated)

    @admin.display(description="ARN")
    def arn(self, obj):
        return obj.arn

    @admin.display(description="definition")
    def pretty_definition(self, obj):
        return display.pretty_json(obj.definition)

    @admin.display(description="open")
    def links(self, obj):
        return format_html(
            "{} · {} · {}",
            display.changelist_link(Execution, "executions", state_machine=obj.pk),
            display.changelist_link(StateMachineVersion, "versions", state_machine=obj.pk),
            display.changelist_link(StateMachineAlias, "aliases", state_machine=obj.pk))

    def get_list_display(self, request):
        # The designer link depends on who is looking (display.designer_link).
        def open_(obj):
            if obj.owner_id != request.user.pk:
                return self.links(obj)
            return format_html("{} · {}", self.links(obj), display.designer_link(obj, request.user))
        open_.short_description = "open"
        return [*self.list_display[:-1], open_]


@admin.register(StateMachineVersion)
class StateMachineVersionAdmin(ReadOnlyAdmin):
    list_display = ("label", "machine_link", "version", "description", "created_at")
    list_filter = (filters.StateMachineFilter,)
    search_fields = ("state_machine__name", "description")
    ordering = ("state_machine__name", "-version")
    list_select_related = ("state_machine",)
    fields = ("machine_link", "version", "arn", "description", "created_at", "executions_link",
              "pretty_definition")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("definition", "state_machine__definition")

    @admin.display(description="version")
    def label(self, obj):
        return f"{obj.state_machine.name}:{obj.version}"

    @admin.display(description="state machine", ordering="state_machine__name")
    def machine_link(self, obj):
        return display.admin_link(obj.state_machine)

    @admin.display(description="ARN")
    def arn(self, obj):
        return obj.arn

    @admin.display(description="created", ordering="created")
    def created_at(self, obj):
        return display.when(obj.created)

    @admin.display(description="executions")
    def executions_link(self, obj):
        return display.changelist_link(Execution, "executions of this version",
                                       version__id__exact=obj.pk)

    @admin.display(description="definition")
    def pretty_definition(self, obj):
        return display.pretty_json(obj.definition)


@admin.register(StateMachineAlias)
class StateMachineAliasAdmin(ReadOnlyAdmin):
    list_display = ("label", "machine_link", "routing_text", "description", "updated_at")
    list_filter = (filters.StateMachineFilter,)
    search_fields = ("state_machine__name", "name", "description")
    ordering = ("state_machine__name", "name")
    list_select_related = ("state_machine",)
    fields = ("machine_link", "name", "arn", "description", "routing_text", "created_at",
              "updated_at", "executions_link")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("state_machine__definition")

    @admin.display(description="alias", ordering="name")
    def label(self, obj):
        return str(obj)

    @admin.display(description="state machine", ordering="state_machine__name")
    def machine_link(self, obj):
        return display.admin_link(obj.state_machine)

    @admin.display(description="ARN")
    def arn(self, obj):
        return obj.arn

    @admin.display(description="routing")
    def routing_text(self, obj):
        return " · ".join(f"version {r.get('version')}: {r.get('weight')} %"
                          for r in obj.routing or [] if isinstance(r, dict))

    @admin.display(description="created", ordering="created")
    def created_at(self, obj):
        return display.when(obj.created)

    @admin.display(description="updated", ordering="updated")
    def updated_at(self, obj):
        return display.when(obj.updated)

    @admin.display(description="executions")
    def executions_link(self, obj):
        return display.changelist_link(Execution, "executions started through it",
                                       state_machine=obj.state_machine_id, alias=obj.name)
