"""Who may do what in the engine's admin: the REST API's rule, applied the same way.

docs/api.md: a user sees their own state machines and executions; staff see all. The
admin is staff-only (AdminSite refuses anyone else), so every staff member may view every
engine record and run the operations (stop, redrive, start again, export) on any execution,
exactly as they may through the REST API and the AWS protocol. Operations scope their rows
through engine.api.permissions, so a change to the API's rule reaches the admin too.

Records are never edited here: executions and history belong to the runtime (history is
append-only), so every model is read-only, with no add or delete. Changes go through
engine.services (the actions) or the API and the designer.
"""
from __future__ import annotations

from django.contrib import admin

from engine.api import permissions


def is_staff(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff


def operable(request, queryset):
    """The executions of `queryset` that the request's user may operate on (API rule)."""
    return permissions.executions(request.user).filter(pk__in=queryset.values("pk"))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by all staff; no add, change or delete for anyone (superusers included)."""

    def has_module_permission(self, request):
        return is_staff(request)

    def has_view_permission(self, request, obj=None):
        return is_staff(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
