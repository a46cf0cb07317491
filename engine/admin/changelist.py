"""A ChangeList that keeps list pages cheap on large tables.

* Executions carry their definition, input and output (up to 256 KiB each) and events their
  details; a list page shows none of them, so ModelAdmin.lean_defer names the columns to
  defer there (change pages still read them).
* The date hierarchy starts with MIN/MAX and DISTINCT years over the filtered rows: with an
  index that is cheap, but under a text search (a scan evaluating ILIKE) it doubles the
  page's time, so it is left out while searching, unless a date is already picked.
* Odd query values are a redirect to `?e=1` (IncorrectLookupParameters), never a 500: a
  date-hierarchy number too big for datetime (Django only catches ValueError there), and
  U+0000 in a filter value (PostgreSQL refuses it in any text parameter: DataError).
"""
from __future__ import annotations

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class LeanChangeList(ChangeList):
    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        picked = self.date_hierarchy and any(
            key.startswith(f"{self.date_hierarchy}__") for key in request.GET)
        if self.query and not picked:
            self.date_hierarchy = None

    def get_filters(self, request):
        for values in request.GET.lists():
            if any("\x00" in value for value in values[1]):
                raise IncorrectLookupParameters("U+0000 in a query parameter")
        try:
            return super().get_filters(request)
        except OverflowError as e:
            raise IncorrectLookupParameters(e) from e

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer(*getattr(self.model_admin, "lean_defer", ()))
