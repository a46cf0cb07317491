"""Change-list paging that never counts a huge table exactly.

`SELECT COUNT(*)` over a million history events takes longer than the page it is for, and
the admin asks for it on every request (Paginator.count). Instead:

* unfiltered, on PostgreSQL: the planner's row estimate (`pg_class.reltuples`), which
  ANALYZE/autovacuum keep close; small tables (under COUNT_LIMIT) are still counted exactly;
* filtered or searched, or on SQLite: an exact count up to COUNT_LIMIT, and "COUNT_LIMIT or
  more" above it (`SELECT COUNT(*) FROM (… LIMIT n)`), which stops reading at the limit.

Pages past the real end (the estimate can be high) are empty instead of an error page.
"""
from __future__ import annotations

from django.core.paginator import EmptyPage, Page, Paginator
from django.db import connections
from django.utils.functional import cached_property

# Up to this many rows a count is exact; above it the count is a bound or an estimate.
COUNT_LIMIT = 10_000


def _table_estimate(queryset) -> int | None:
    """The planner's row estimate for the queryset's table (PostgreSQL), or None."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        # to_regclass: NULL rather than an error if the table is missing.
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                       [connection.ops.quote_name(queryset.model._meta.db_table)])
        row = cursor.fetchone()
    # -1 (PostgreSQL 14+) means "never analysed": no estimate.
    return row[0] if row and row[0] is not None and row[0] >= 0 else None


def is_unfiltered(queryset) -> bool:
    return not queryset.query.where


class EstimatedCountPaginator(Paginator):
    """A Paginator whose `count` is exact when small, estimated or bounded when large.

    After `count`: `count_is_exact`, and if not, `count_is_estimate` (True: the planner's
    estimate, "about N"; False: the bound, "N or more") for the pagination template.
    """

    count_is_exact = True
    count_is_estimate = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if is_unfiltered(queryset):
            estimate = _table_estimate(queryset)
            if estimate is not None and estimate >= COUNT_LIMIT:
                self.count_is_exact, self.count_is_estimate = False, True
                return estimate
        # One more than the limit tells "exactly COUNT_LIMIT" from "more than that"; only
        # the key in the subquery, not the list's annotations (JSON extracted per row).
        bounded = queryset.order_by().values("pk")[:COUNT_LIMIT + 1].count()
        if bounded > COUNT_LIMIT:
            self.count_is_exact = False
            return COUNT_LIMIT
        return bounded

    def validate_number(self, number):
        # `count` first: it decides count_is_exact.
        if self.count == 0 or self.count_is_exact:
            return super().validate_number(number)
        # An estimate may undercount: let any positive page through; page() decides.
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if self.count_is_exact:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom:bottom + self.per_page], number, self)
