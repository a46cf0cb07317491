"""A ChangeList that leaves heavy columns out of the list query.

Executions carry their definition, input and output (up to 256 KiB each) and events their
details; a list page of 100 rows shows none of them, so ModelAdmin.lean_defer names the
columns to defer there (change pages still read them).
"""
from __future__ import annotations

from django.contrib.admin.views.main import ChangeList


class LeanChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer(*getattr(self.model_admin, "lean_defer", ()))
