"""History events shaped like GetExecutionHistory.

Every event is a plain dict: `id`, `previousEventId`, `timestamp` (ISO-8601 text, so events
are JSON as they are), `type`, and for types that have details the `<type>EventDetails`
object under AWS's key name (e.g. all `*StateEntered` share `stateEnteredEventDetails`).
Payloads inside details (`input`, `output`, `parameters`) are JSON *text*, as in AWS.
"""
from __future__ import annotations

import functools

from .clock import iso
from .limits import dumps

# AWS groups the per-type state events under one details key.
_STATE_SUFFIXES = ("StateEntered", "StateExited")


@functools.lru_cache(maxsize=None)
def details_key(event_type: str) -> str:
    for suffix in _STATE_SUFFIXES:
        if event_type.endswith(suffix):
            return "state" + suffix[len("State"):] + "EventDetails"
    return event_type[0].lower() + event_type[1:] + "EventDetails"


class Ids:
    """Allocates history event ids; the durable driver persists `value` per execution."""

    def __init__(self, start: int = 0):
        self.value = start

    def next(self) -> int:
        self.value += 1
        return self.value


class Emitter:
    """Appends events for one cursor; remembers the previous event id of that cursor's lane.

    AWS's previousEventId links an event to the one before it on the same branch; inside a
    Parallel/Map each branch/iteration has its own lane, so the cursor keeps `prev`.
    """

    __slots__ = ("ids", "clock", "events", "prev")

    def __init__(self, ids, clock, prev: int = 0):
        self.ids = ids
        self.clock = clock
        self.events: list[dict] = []
        self.prev = prev

    def emit(self, event_type: str, details: dict | None = None, chain: bool = True,
             key: str | None = None) -> int:
        """Append one event. `chain=False`: the event does not become the previousEventId of
        the lane's next event (AWS: ExecutionStarted, MapIteration{Succeeded,Failed},
        MapStateSucceeded, ParallelStateSucceeded; e.g. the first state's Entered event has
        previousEventId 0). `key`: `details_key(event_type)` when the caller knows it."""
        eid = self.ids.next()
        ev = {"id": eid, "previousEventId": self.prev, "timestamp": iso(self.clock.now()), "type": event_type}
        if details is not None:
            ev[key or details_key(event_type)] = details
        self.events.append(ev)
        if chain:
            self.prev = eid
        return eid


# One-entry memo: a state's output object is the next state's input object (values are never
# mutated in place), so StateEntered reuses the text StateExited just rendered.
# The memo is one tuple, replaced atomically, so threads never pair a value with another
# value's text.
_last_text: tuple = (None, None)


def forget_payload_text() -> None:
    """Drop the memo (called when code outside the evaluator, a task handler, has run)."""
    global _last_text
    _last_text = (None, None)


def payload(value, text: str | None = None) -> tuple[str, dict]:
    global _last_text
    if text is None:
        memo = _last_text
        text = memo[1] if memo[0] is value and isinstance(value, (dict, list)) else dumps(value)
    if isinstance(value, (dict, list)):
        _last_text = (value, text)
    return text, {"truncated": False}


def error_details(error, cause, **extra) -> dict:
    # AWS omits absent error/cause rather than sending null.
    out = dict(extra)
    if error is not None:
        out["error"] = error
    if cause is not None:
        out["cause"] = cause
    return out


# "Pass" -> ("PassStateEntered", "PassStateExited"): built once per state type, not per event.
_STATE_EVENT_TYPES: dict[str, tuple[str, str]] = {}
_ENTERED_KEY = details_key("PassStateEntered")
_EXITED_KEY = details_key("PassStateExited")


def state_event_types(state_type: str) -> tuple[str, str]:
    types = _STATE_EVENT_TYPES.get(state_type)
    if types is None:
        types = _STATE_EVENT_TYPES[state_type] = (f"{state_type}StateEntered", f"{state_type}StateExited")
    return types


def state_entered(em: Emitter, state_type: str, name: str, value, text=None) -> int:
    s, d = payload(value, text)
    types = _STATE_EVENT_TYPES.get(state_type) or state_event_types(state_type)
    return em.emit(types[0], {"name": name, "input": s, "inputDetails": d}, key=_ENTERED_KEY)


def state_exited(em: Emitter, state_type: str, name: str, value, text=None, extra: dict | None = None) -> int:
    s, d = payload(value, text)
    details = {"name": name, "output": s, "outputDetails": d}
    if extra:
        details.update(extra)  # e.g. assignedVariables / assignedVariablesDetails
    types = _STATE_EVENT_TYPES.get(state_type) or state_event_types(state_type)
    return em.emit(types[1], details, key=_EXITED_KEY)
