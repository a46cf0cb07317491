"""What the live websockets send, read from the database (synchronous; consumers wrap it).

The database is the data (habit 12): a doorbell only says "look again", so every message
here is built from committed rows, and a consumer that missed a bell loses nothing.

Execution socket messages (each JSON object has `seq` and `type`):
  * a history event: GetExecutionHistory's shape (`id` = `seq`, AWS `type` such as
    "TaskStateEntered") plus `seq`;
  * {"type": "execution.status", "seq": n, "status", "stopDate", "output", "error", "cause",
    "redriveCount"}: sent on connect and whenever the status changes; `seq` is the last
    event the status is consistent with.
Executions list socket: {"type": "execution.summary", "seq": <change cursor>, ...} where
the cursor is the time of the execution's last status change in microseconds.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone

from django.db.models import Q

from engine.asl.clock import iso
from engine.models import Execution, HistoryEvent

# Events per database read while replaying: bounded memory for a 25,000-event history.
PAGE = 500
# List resume overlap: a status change is stamped before its transaction commits, so a
# change committed after a later-stamped one could fall behind the client's cursor. The
# client keeps the highest seq per execution, so the overlap re-sends are harmless.
LIST_OVERLAP = timedelta(seconds=10)
LIST_REPLAY_LIMIT = 500


def visible_executions(user):
    """Executions `user` may watch: their own, or all of them for staff (docs/api.md)."""
    qs = Execution.objects.select_related("state_machine")
    if user.is_staff:
        return qs
    return qs.filter(state_machine__owner_id=user.id)


def find_execution(user, execution_id) -> Execution | None:
    """The execution if it exists and `user` may see it; None otherwise (same answer for both,
    so a refused socket does not tell whether the id exists)."""
    return visible_executions(user).filter(id=execution_id).only(
        "id", "seq", "status", "state_machine__owner_id").first()


def status_message(execution: Execution, seq: int) -> dict:
    return {"type": "execution.status", "seq": seq, "status": execution.status,
            "stopDate": iso(execution.stop_date) if execution.stop_date else None,
            "output": execution.output, "error": execution.error, "cause": execution.cause,
            "redriveCount": execution.redrive_count}


def event_message(event: HistoryEvent) -> dict:
    message = event.to_aws()
    message["seq"] = event.seq
    return message


STATE_FIELDS = ("id", "seq", "status", "stop_date", "output", "error", "cause", "redrive_count")


def execution_seq(execution_id) -> int | None:
    """The execution's last event seq; None if it does not exist."""
    return Execution.objects.filter(id=execution_id).values_list("seq", flat=True).first()


def events_page(execution_id, after: int, upto: int) -> list[dict]:
    """Messages of the events with after < seq <= upto, oldest first, at most PAGE of them."""
    if upto <= after:
        return []
    return [event_message(e) for e in HistoryEvent.objects.filter(
        execution_id=execution_id, seq__gt=after, seq__lte=upto).order_by("seq")[:PAGE]]


def read_head(execution_id, after: int) -> tuple[Execution | None, list[dict]]:
    """The execution row, then the first page of its events after `after` up to the row's seq.

    The row is read first: the runtime writes events and the row's seq/status in one
    transaction, so events up to that seq are all committed and the status matches them.
    Events committed after this read are picked up by the next bell. Following pages:
    events_page(execution_id, last seq sent, execution.seq).
    """
    execution = Execution.objects.filter(id=execution_id).only(*STATE_FIELDS).first()
    if execution is None:
        return None, []
    return execution, events_page(execution_id, after, execution.seq)


def read_after(execution_id, after: int) -> tuple[Execution | None, list[list[dict]]]:
    """The execution row, then all its events after `after` up to the row's seq, in pages."""
    execution, page = read_head(execution_id, after)
    pages = []
    while page:
        pages.append(page)
        page = events_page(execution_id, page[-1]["seq"], execution.seq)
    return execution, pages


# -- the executions list -----------------------------------------------------------------

def change_cursor(execution: Execution) -> int:
    """Microseconds since the epoch of the execution's last status change."""
    moments = [d for d in (execution.start_date, execution.stop_date, execution.redrive_date) if d]
    return int(max(moments).timestamp() * 1_000_000)


def summary_message(execution: Execution) -> dict:
    return {"type": "execution.summary", "seq": change_cursor(execution),
            "id": str(execution.id), "name": execution.name,
            "stateMachine": execution.state_machine.name, "status": execution.status,
            "startDate": iso(execution.start_date),
            "stopDate": iso(execution.stop_date) if execution.stop_date else None,
            "url": f"/executions/{execution.id}/"}


def _cursor_moment(after: int) -> datetime | None:
    """The moment of list cursor `after` (microseconds since the epoch), None if out of range."""
    try:
        return datetime.fromtimestamp(after / 1_000_000, tz=dt_timezone.utc) - LIST_OVERLAP
    except (OverflowError, OSError, ValueError):
        return None


def valid_list_cursor(after: int) -> bool:
    """Whether `after` is a cursor list_replay can use (0 means "from now on")."""
    return after <= 0 or _cursor_moment(after) is not None


def matches_nothing(value: str) -> bool:
    """A filter value no row can match: PostgreSQL refuses U+0000 in any text parameter."""
    return "\x00" in value


def list_replay(user, after: int, state_machine: str = "") -> list[dict]:
    """Summaries of executions whose status changed after cursor `after` (oldest first)."""
    if after <= 0 or matches_nothing(state_machine):
        return []
    since = _cursor_moment(after)
    if since is None:
        raise ValueError(f"list cursor out of range: {after}")
    qs = visible_executions(user).filter(
        Q(start_date__gt=since) | Q(stop_date__gt=since) | Q(redrive_date__gt=since),
        map_run__isnull=True)  # map run children: on their parent's page
    if state_machine:
        qs = qs.filter(state_machine__name=state_machine)
    rows = list(qs.order_by("-start_date")[:LIST_REPLAY_LIMIT])
    return sorted((summary_message(e) for e in rows), key=lambda m: m["seq"])


def list_summary(user, execution_id, state_machine: str = "") -> tuple[bool, dict | None]:
    """(visible, summary): visible False means never show this id to this user."""
    execution = visible_executions(user).filter(id=execution_id).first()
    if execution is None:
        return False, None
    if state_machine and execution.state_machine.name != state_machine:
        return False, None
    return True, summary_message(execution)
