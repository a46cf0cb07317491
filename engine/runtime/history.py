"""Appending evaluator events to an execution's history (HistoryEvent rows)."""
from __future__ import annotations

from engine.asl.clock import parse_iso
from engine.models import HistoryEvent

_HEAD = ("id", "previousEventId", "timestamp", "type")


def labels(event_type: str, details) -> tuple[str | None, str | None]:
    """(state name, error) of an event: a StateEntered's name, a Failed or TimedOut event's
    error (the `error` of its one details object), else None. The metrics rollup reads
    them from columns of their own rather than parsing every history's JSON again."""
    if event_type.endswith("StateEntered"):
        inner = (details or {}).get("stateEnteredEventDetails")
        return (inner.get("name") if isinstance(inner, dict) else None), None
    if event_type.endswith(("Failed", "TimedOut")):
        inner = next(iter((details or {}).values()), None)
        error = inner.get("error") if isinstance(inner, dict) else None
        return None, error if isinstance(error, str) else None
    return None, None


def to_row(execution_id, event: dict) -> HistoryEvent:
    details = {k: v for k, v in event.items() if k not in _HEAD}
    state_name, error = labels(event["type"], details)
    return HistoryEvent(execution_id=execution_id, seq=event["id"],
                        previous_event_id=event.get("previousEventId") or 0,
                        type=event["type"], timestamp=parse_iso(event["timestamp"]),
                        details=details, state_name=state_name, error=error)


def append(execution, events: list[dict]) -> None:
    # One INSERT for the transaction's events; (execution, seq) is unique, so a step that
    # somehow ran twice fails here instead of writing a duplicate id.
    HistoryEvent.objects.bulk_create([to_row(execution.id, e) for e in events])
