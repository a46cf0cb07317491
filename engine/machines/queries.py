"""The rows of the state machines home page, in a fixed number of queries.

Whatever the number of machines or executions, a page costs three queries:
1. the count of matching machines;
2. the page: its 25 ids sorted on the machine table alone (the sort key is a column, or one
   subquery for the version and 24-hour sorts), as a subquery of the query that reads those
   rows with their owner, their last execution (a denormalised pointer, StateMachine.
   last_execution) and their latest version number;
3. per machine of the page, executions started in the last 24 hours by status and the
   running ones, from index-only scans of Execution(state_machine, status, -start_date).
bench/home.py measures it at 10,000 machines and 1,000,000 executions (bench/README.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import BooleanField, Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from engine.api import permissions
from engine.models import Execution, ExecutionStatus, StateMachine, StateMachineVersion

PAGE_SIZE = 25
RECENT = timedelta(hours=24)
# The order statuses are shown in the "last 24 hours" column.
STATUS_ORDER = [ExecutionStatus.RUNNING, ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED,
                ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED]


@dataclass(frozen=True)
class Sort:
    key: str
    label: str
    # The column's expression, ascending; ties are broken by name, then id.
    expression: object
    # The first click on a column header sorts this way (dates and counts: newest/most first).
    descending_first: bool = False
    staff_only: bool = False
    # A column that can be empty (never run, no version): empty sorts as the least value.
    # Only those say NULLS FIRST/LAST, which would keep PostgreSQL from an index's order.
    nullable: bool = False


def _latest_version():
    return Subquery(StateMachineVersion.objects.filter(state_machine=OuterRef("pk"))
                    .order_by("-version").values("version")[:1], output_field=IntegerField())


def _recent_total(since):
    # A Distributed Map's child executions count with their map run, not as executions.
    counted = (Execution.objects.filter(state_machine=OuterRef("pk"), start_date__gte=since,
                                        map_run__isnull=True)
               .order_by().values("state_machine").annotate(n=Count("*")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


SORTS = {sort.key: sort for sort in [
    Sort("name", "Name", F("name")),
    Sort("owner", "Owner", F("owner__username"), staff_only=True),
    Sort("type", "Type", F("type")),
    Sort("states", "States", F("states_count"), descending_first=True),
    Sort("version", "Version", "latest_version_number", descending_first=True, nullable=True),
    Sort("last", "Last execution", F("last_started"), descending_first=True, nullable=True),
    Sort("recent", "Last 24 hours", "recent_total", descending_first=True),
    Sort("updated", "Updated", F("updated"), descending_first=True),
]}
DEFAULT_SORT = "name"


@dataclass
class Row:
    machine: StateMachine
    latest_version: int | None
    # [(status, count)] of executions started in the last 24 hours, in STATUS_ORDER, non-zero.
    recent: list[tuple[str, int]] = field(default_factory=list)
    running: int = 0   # running now, whenever started (what deleting the machine stops)

    @property
    def recent_total(self) -> int:
        return sum(n for _, n in self.recent)


@dataclass
class Listing:
    rows: list[Row]
    total: int          # machines matching the search
    page: int           # 1-based, within 1..pages
    pages: int
    sort: str
    descending: bool
    query: str
    owned_total: int    # machines the user can see without the search (for the empty state)

    @property
    def first_index(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * PAGE_SIZE, self.total)


def parse_sort(raw: str | None, user) -> tuple[str, bool]:
    """`name` / `-name` → (key, descending); anything unknown is the default."""
    raw = (raw or "").strip()
    descending = raw.startswith("-")
    key = raw.lstrip("-")
    sort = SORTS.get(key)
    if sort is None or (sort.staff_only and not user.is_staff):
        return DEFAULT_SORT, False
    return key, descending


def parse_page(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 9 else 1


def visible(user):
    return permissions.listed_state_machines(user)


def listing(user, query: str = "", sort: str = DEFAULT_SORT, descending: bool = False,
            page: int = 1, now=None) -> Listing:
    now = now or timezone.now()
    since = now - RECENT
    machines = visible(user)
    query = query.strip()[:80]
    if "\x00" in query:
        matching = machines.none()  # no name holds U+0000 (and PostgreSQL refuses it)
    else:
        matching = machines.filter(name__icontains=query) if query else machines
    total = matching.count()
    # The empty state needs to know whether there is nothing at all or nothing that matches.
    owned_total = total if not query else (machines.count() if total == 0 else total)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)

    spec = SORTS[sort]
    order = spec.expression if not isinstance(spec.expression, str) else F(spec.expression)
    if spec.nullable:
        order = order.desc(nulls_last=True) if descending else order.asc(nulls_first=True)
    else:
        order = order.desc() if descending else order.asc()
    tiebreak = [F("name").asc(), F("id").asc()] if sort != "name" else [F("id").asc()]

    ordering = [order, *tiebreak]
    offset = (page - 1) * PAGE_SIZE
    # The page's ids first, sorted on what the sort needs and nothing else (no joins, no
    # subqueries for the other columns, which would run for every machine before the sort);
    # then the page's rows with everything they show, for those ids only. One query: the
    # first is a subquery of the second.
    keyed = _with_sort_key(matching, sort, since)
    page_ids = keyed.order_by(*ordering).values("id")[offset:offset + PAGE_SIZE]
    rows_qs = (_with_sort_key(StateMachine.objects.filter(id__in=page_ids), sort, since)
               .select_related("last_execution", "owner")
               # Definitions can be a MiB each, example inputs 256 KiB: the page needs neither.
               .only("id", "name", "type", "states_count", "updated", "owner_id",
                     "owner__username", "last_execution__id", "last_execution__name",
                     "last_execution__status", "last_execution__start_date"))
    if sort != "version":
        rows_qs = rows_qs.annotate(latest_version_number=_latest_version())
    machines_on_page = list(rows_qs.order_by(*ordering)) if total else []

    rows = [Row(m, m.latest_version_number) for m in machines_on_page]
    _attach_execution_counts(rows, since)
    return Listing(rows=rows, total=total, page=page, pages=pages, sort=sort,
                   descending=descending, query=query, owned_total=owned_total)


def _with_sort_key(machines, sort: str, since):
    """The annotation a sort orders by, when it is not a column."""
    if sort == "version":
        return machines.annotate(latest_version_number=_latest_version())
    if sort == "recent":
        return machines.annotate(recent_total=_recent_total(since))
    return machines


def _attach_execution_counts(rows: list[Row], since) -> None:
    """One query: per machine, executions since `since` by status, and running ones.

    Both halves are index-only scans of Execution(state_machine, status, -start_date) (the
    status list is spelled out so that the index's second column can be used); asking for
    "recent or running" in one WHERE would visit every counted row in the table instead.
    """
    if not rows:
        return
    by_id = {row.machine.pk: row for row in rows}
    ids = list(by_id)
    recent = (Execution.objects.filter(state_machine_id__in=ids, status__in=STATUS_ORDER,
                                       start_date__gte=since, map_run__isnull=True)
              .order_by().values("state_machine_id", "status")
              .annotate(n=Count("*"), running_now=Value(False, output_field=BooleanField())))
    running = (Execution.objects.filter(state_machine_id__in=ids, map_run__isnull=True,
                                        status=ExecutionStatus.RUNNING)
               .order_by().values("state_machine_id", "status")
               .annotate(n=Count("*"), running_now=Value(True, output_field=BooleanField())))
    counts: dict[int, dict[str, int]] = {}
    for entry in recent.union(running, all=True):
        if entry["running_now"]:
            by_id[entry["state_machine_id"]].running = entry["n"]
        else:
            counts.setdefault(entry["state_machine_id"], {})[entry["status"]] = entry["n"]
    for machine_id, statuses in counts.items():
        by_id[machine_id].recent = [(s, statuses[s]) for s in STATUS_ORDER if s in statuses]
