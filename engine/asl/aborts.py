"""What the history records for lanes cut short.

When a Map or Parallel state fails while some of its iterations or branches still run, or
the execution is stopped (StopExecution), AWS does not leave that work hanging in the history:
an inline Map iteration still running ends with `MapIterationAborted`, and the state each
iteration, Parallel branch or the execution itself was in ends with `<Type>StateAborted`
(`TaskStateAborted`, `WaitStateAborted`, `MapStateAborted`, `ParallelStateAborted`, …):
AWS's own history of a Map whose iteration failed while three others ran reads
MapIterationFailed, then for each other iteration MapIterationAborted and TaskStateAborted,
then MapStateFailed (LocalStack's AWS-recorded snapshot of test_service_lambda_map_timeout).

Drivers describe the open work as a tree of lanes, each `{"cursor": <lane cursor>,
"children": [<lanes>]}` (children: the lanes a Map/Parallel in that lane still runs); the
evaluator (a failing Map/Parallel, see `ChildDone.running`) and the durable runtime (a stop)
both write the events with `emit_aborted`. (An execution timeout records none: the history
goes from the open state's entry to ExecutionTimedOut.) A lane that has not started (its
`MapIterationStarted` is not in the history) or has finished records nothing.
"""
from __future__ import annotations

from . import step as S
from .events import Emitter

_OPEN_PHASES = ("enter", "active", "retry_wait", "children", "reading")


def _state_type(root, cursor: dict) -> str | None:
    name = cursor.get("state")
    if name is None:
        return None
    try:
        return root.resolve(cursor["frame"]["path"]).state(name).get("Type")
    except Exception:  # noqa: BLE001 - a lane of another definition: nothing to name
        return None


def is_open(cursor) -> bool:
    return isinstance(cursor, dict) and cursor.get("state") is not None \
        and cursor.get("phase") not in (None, "start", "done")


def emit_aborted(root, em: Emitter, lanes) -> None:
    """Append the aborted events of `lanes` (and everything open inside them) to `em`.

    Each lane's events follow on from that lane's own last event (its cursor's `prev`), as
    its other events do; `em` only lends its id counter, clock and event list.
    """
    for lane in lanes or ():
        _abort(root, em, lane)


def _abort(root, em: Emitter, lane: dict) -> None:
    cursor = lane.get("cursor")
    if not is_open(cursor):
        return
    frame = cursor.get("frame") or {}
    if frame.get("kind") == S.MAP_RUN_ITEM:
        return  # a Distributed Map's item is a child execution: its history is its own
    own = Emitter(em.ids, em.clock, cursor.get("prev", 0))
    own.events = em.events  # one list, in id order
    stype = _state_type(root, cursor)
    if frame.get("kind") == S.MAP_ITERATION:
        # AWS (a Map whose iteration failed while others ran): each other iteration's
        # MapIterationAborted, then the state it was in, <Type>StateAborted.
        own.emit("MapIterationAborted", {"name": frame.get("parent_state"),
                                         "index": frame.get("index", 0)}, chain=False)
    for child in lane.get("children") or ():
        _abort(root, own, child)
    if stype == "Map" and (cursor.get("pending") or {}).get("distributed"):
        # A Distributed Map's run ends with it (its child executions end ABORTED).
        own.emit("MapRunAborted")
    if stype is not None:
        own.emit(f"{stype}StateAborted")  # AWS's model gives these events no details


def abort_running_children(x, inbound) -> None:
    """A failing Map/Parallel: its children still running (as the driver reported them with
    the inbound) end aborted, before the state's own failure event."""
    running = getattr(inbound, "running", None)
    if not running:
        return
    results = (x.pending or {}).get("results") or []
    still = [lane for lane in running
             if _index(lane) < len(results) and results[_index(lane)] is None]
    emit_aborted(x.root, x.em, still)


def _index(lane: dict) -> int:
    return int(((lane.get("cursor") or {}).get("frame") or {}).get("index", 0))
