"""Sidebar filters that cost one small query, or none, whatever the size of the tables.

The stock RelatedFieldListFilter lists every state machine and AllValuesFieldListFilter runs
`SELECT DISTINCT` over the filtered table (a scan of a million history events); these list a
bounded set instead.
"""
from __future__ import annotations

import uuid

from django.contrib import admin

from engine.models import Execution, StateMachine, StateMachineAlias

# Machines offered in the sidebar; more than this are reached by search instead.
MACHINE_CHOICES = 100


def id_or_none(value):
    """An integer id from a query value: ASCII digits only ("²" is a digit to isdigit, not to
    int), and few enough of them for a 64-bit column (SQLite raises OverflowError beyond)."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


class StateMachineFilter(admin.SimpleListFilter):
    """By state machine: the first MACHINE_CHOICES by name, plus the selected one."""

    title = "state machine"
    parameter_name = "state_machine"
    # The path from the admin's model to StateMachine's id.
    field_path = "state_machine_id"

    def lookups(self, request, model_admin):
        machines = StateMachine.objects.select_related("owner").only(
            "id", "name", "owner__username").order_by("name", "id")
        shown = list(machines[:MACHINE_CHOICES])
        selected = id_or_none(self.value())
        if selected is not None and not any(m.pk == selected for m in shown):
            shown += list(machines.filter(pk=selected))
        # Names are unique per owner only, so the owner tells two "orders" apart.
        return [(m.pk, f"{m.name} ({m.owner.username})") for m in shown]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        selected = id_or_none(value)
        if selected is None:
            return queryset.none()
        return queryset.filter(**{self.field_path: selected})


class AliasFilter(admin.SimpleListFilter):
    """By the alias an execution was started through (its name; the state machine filter
    tells two machines' aliases of one name apart)."""

    title = "started through alias"
    parameter_name = "alias"

    def lookups(self, request, model_admin):
        names = list(StateMachineAlias.objects.order_by("name").values_list("name", flat=True)
                     .distinct()[:MACHINE_CHOICES])
        selected = self.value()
        if selected and selected not in names:
            names.append(selected)
        return [(name, name) for name in names]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value is None else queryset.filter(alias_name=value)


class EventStateMachineFilter(StateMachineFilter):
    field_path = "execution__state_machine_id"


class ExecutionFilter(admin.SimpleListFilter):
    """By execution: offered only while one is selected (from an execution's "history" link),
    so the sidebar says which and has an "All" to clear it."""

    title = "execution"
    parameter_name = "execution"

    def lookups(self, request, model_admin):
        value = uuid_or_none(self.value())
        if value is None:
            return []
        found = Execution.objects.select_related("state_machine").only(
            "id", "name", "state_machine__name").filter(pk=value).first()
        return [(str(found.pk), str(found))] if found else []

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        value = uuid_or_none(self.value())
        return queryset.filter(execution_id=value) if value else queryset.none()


# AWS HistoryEventType groups (GetExecutionHistory): type names start or end with these.
EVENT_CATEGORIES = {
    "execution": ("Execution", "starts"),
    "entered": ("StateEntered", "ends"),
    "exited": ("StateExited", "ends"),
    "task": ("Task", "starts"),
    "activity": ("Activity", "starts"),
    "lambda": ("LambdaFunction", "starts"),
    "map": ("Map", "starts"),
    "parallel": ("Parallel", "starts"),
    "failed": ("Failed", "ends"),
    "timed_out": ("TimedOut", "ends"),
}


class EventCategoryFilter(admin.SimpleListFilter):
    """By kind of event, without reading the table for the list of types."""

    title = "event kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("execution", "Execution …"), ("entered", "… StateEntered"),
                ("exited", "… StateExited"), ("task", "Task …"), ("activity", "Activity …"),
                ("lambda", "LambdaFunction …"), ("map", "Map …"), ("parallel", "Parallel …"),
                ("failed", "… Failed"), ("timed_out", "… TimedOut")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.value() not in EVENT_CATEGORIES:
            return queryset.none()
        text, where = EVENT_CATEGORIES[self.value()]
        lookup = "type__startswith" if where == "starts" else "type__endswith"
        return queryset.filter(**{lookup: text})


class EventTypeFilter(admin.SimpleListFilter):
    """By exact type (`?type=TaskFailed`); offered only for the selected one, like
    ExecutionFilter (the type column links here), since listing them would scan the table."""

    title = "event type"
    parameter_name = "type"

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, value)] if value else []

    def has_output(self):
        return self.value() is not None

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value is None else queryset.filter(type=value)
