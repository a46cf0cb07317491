"""Appending evaluator events to an execution's history (HistoryEvent rows)."""
from __future__ import annotations

from engine.asl.clock import parse_iso
from engine.models import HistoryEvent

_HEAD = ("id", "previousEventId", "timestamp", "type")


def to_row(execution_id, event: dict) -> HistoryEvent:
    details = {k: v for k, v in event.items() if k not in _HEAD}
    return HistoryEvent(execution_id=execution_id, seq=event["id"],
                        previous_event_id=event.get("previousEventId") or 0,
                        type=event["type"], timestamp=parse_iso(event["timestamp"]),
                        details=details)


def append(execution, events: list[dict]) -> None:
    # One INSERT for the transaction's events; (execution, seq) is unique, so a step that
    # somehow ran twice fails here instead of writing a duplicate id.
    HistoryEvent.objects.bulk_create([to_row(execution.id, e) for e in events])
