"""The evaluator: one step of one execution lane. "One evaluator, two drivers."

Contract (relied on by `drivers/local.py` and the durable runtime `engine/runtime/`)
==================================================================================

    cursor  = start(machine, input, context_info)              # JSON-able dict, no I/O, no events
    outcome = advance(machine, cursor, inbound, ids, clock)     # one step; events appended

* `machine` is the ROOT `StateMachine` from `parse()`; a cursor names its sub-machine by
  `cursor["frame"]["path"]`, so drivers never resolve branches themselves.
* `cursor` is a JSON-serialisable dict (store it in a DB row between steps). `advance` MAY
  mutate the cursor it is given and returns the cursor to store in `outcome.cursor`; copy it
  first if you need the old one. Its keys are private to this module except `frame`
  (`kind`, `path`, `index`) and `state` (current state name), which drivers may read.
* `ids` allocates history event ids: an object with `next() -> int` (`events.Ids`; the
  durable driver wraps its per-execution sequence). Causes embed the entered-event id, so
  ids must be allocated in emission order.
* `clock` has `now() -> datetime` (aware, UTC). The evaluator never sleeps.
* `inbound` is None for a fresh/continued cursor, else exactly what the previous outcome
  asked for: `TaskResult` after `InvokeTask`, `Wake` after `Sleep`, `ChildDone` (one per
  child, any order) or `ChildrenDone` (all at once) after `FanOut`/`Await`.

Outcomes (every one carries the `events` it produced, already with ids and timestamps):

* `Continue(cursor, events)` — moved to another state, no I/O needed: call advance again
  (drivers may loop it inside one transaction).
* `InvokeTask(cursor, events, request)` — run `request` (a `TaskRequest` dict: handler
  or mock or HTTP) then advance with `TaskResult`. `request["timeout_seconds"]` /
  `["heartbeat_seconds"]` are for the driver to enforce: report a timeout as
  `TaskResult(ok=False, error="States.Timeout" | "States.HeartbeatTimeout", cause=...)`.
* `Sleep(cursor, events, until)` — a Wait state or a retry back-off: set a timer for
  `until` (aware datetime), then advance with `Wake()`.
* `FanOut(cursor, events, children, max_concurrency, separate_history)` — Parallel
  branches / Map iterations. `children` are ready child cursors (started with `start`);
  drive each with `advance` until it returns `Finished`, then report it to the parent with
  `ChildDone(index, result)` where `result = finished.as_result()`. The parent answers
  `Await(cursor, events)` (keep going) or any other outcome (the fan-out is over: abandon
  children still running/unstarted — they are aborted). `max_concurrency` 0 = unbounded.
  `as_result()` also carries `prev`/`last` (the child lane's last chained / last event id):
  with them the parent's next events get AWS's previousEventIds (optional keys; a driver
  that omits them only changes previousEventIds). A driver running children one at a time
  should start each child with `cursor["prev"] = parent cursor["prev"]` (AWS: the next
  MapIterationStarted follows the previous iteration's last state event).
  A `ChildDone` for a failed child may carry `running`: the siblings still running (lanes
  as in `aborts.py`); a parent that then fails records them aborted (MapIterationAborted,
  <Type>StateAborted) before its own failure event, as AWS does.
  `separate_history` (DISTRIBUTED Map): child events belong to child executions, not to
  the parent's history; use a fresh `Ids()` per child.
* `Finished(status, output, error, cause, events)` — this lane ended. For the top-level
  lane this is the execution's end (`ExecutionSucceeded/Failed` already emitted).

Machine-level `TimeoutSeconds`: the driver owns the deadline (`execution_deadline`); when it
passes, call `timed_out(cursor, ids, clock)` for the final `ExecutionTimedOut` outcome.
`fail_execution(cursor, ids, clock, error, cause)` ends the root lane from outside (history
limit); `redrive(machine, cursor)` gives the root cursor that re-enters the failed state.

Task requests (`InvokeTask.request`, JSON): `state`, `resource`, `kind` ("lambda" for the
legacy ARN | "service" | "activity" | "item_reader" / "result_writer" for a Distributed Map's
ItemReader / ResultWriter), `service`, `action`,
`pattern` ("request_response" | "sync" | "wait_for_task_token"), `function`, `handler` (registry
name), `parameters`, `input` (what a handler receives), `attempt` (0-based, per state entry:
mock keys), `token` (callback token, only for .waitForTaskToken), `task_token`, `idempotency_key`,
`timeout_seconds`, `heartbeat_seconds`, `credentials`, `execution_id`. `handlers.invoke(request)`
runs a registered handler and shapes its value (`handlers.shape_result`).

Limits: payload 256 KiB (`limits.MAX_PAYLOAD_BYTES`, States.DataLimitExceeded), history
25,000 events (`limits.MAX_HISTORY_EVENTS`, enforced by drivers).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from . import context as _context
from .errors import ErrorName
from .events import Emitter, error_details, forget_payload_text
from .scrub import scrub_paths

EXECUTION = "execution"
MAP_ITERATION = "map_iteration"
BRANCH = "branch"
MAP_RUN_ITEM = "map_run_item"


# ---------------------------------------------------------------------------------------
# inbound messages
@dataclass
class TaskResult:
    ok: bool
    value: Any = None
    error: str | None = None
    cause: str | None = None
    # `.sync` / callback tasks: what the service answered when the work was submitted (AWS's
    # TaskSubmitted output, e.g. StartExecution's answer); None: "{}".
    submitted: Any = None
    # The activity worker that took the task (GetActivityTask's workerName), if one did.
    worker_name: str | None = None


@dataclass
class Wake:
    pass


@dataclass
class ChildDone:
    index: int
    result: dict  # {"status", "output", "error", "cause"}
    # A failed child: its siblings still running then, as lanes (aborts.py); should the
    # parent fail, their aborted events go before its own failure event. Drivers that run
    # children one at a time (nothing else running) leave it None.
    running: list | None = None


@dataclass
class ChildrenDone:
    results: list  # one result dict per child, in child order


# ---------------------------------------------------------------------------------------
# outcomes
@dataclass
class Continue:
    cursor: dict
    events: list


@dataclass
class InvokeTask:
    cursor: dict
    events: list
    request: dict


@dataclass
class Sleep:
    cursor: dict
    events: list
    until: datetime


@dataclass
class FanOut:
    cursor: dict
    events: list
    children: list
    max_concurrency: int = 0
    separate_history: bool = False


@dataclass
class Await:
    cursor: dict
    events: list


@dataclass
class Finished:
    status: str
    output: Any
    error: str | None
    cause: str | None
    events: list
    cursor: dict | None = None

    def as_result(self) -> dict:
        out = {"status": self.status, "output": self.output, "error": self.error, "cause": self.cause}
        c = self.cursor
        if c is not None:
            # History chaining (optional keys; a parent without them keeps its own chain):
            # `prev` the lane's last chained event (its last state event), `last` its last event.
            out["prev"] = c.get("prev", 0)
            out["last"] = c.get("last") or out["prev"]
        return out


# ---------------------------------------------------------------------------------------
def default_context_info(input_value, name: str = "execution", machine_name: str = "StateMachine",
                         region: str = "us-east-1", account: str = "123456789012",
                         start_time: datetime | None = None, role_arn: str | None = None,
                         state_machine_type: str = "STANDARD") -> dict:
    """`context_info` for `start`: the `$$.Execution` / `$$.StateMachine` parts (context.py)."""
    return _context.execution_context(input_value, name, machine_name, region, account,
                                      start_time, role_arn, state_machine_type)


def start(machine, input_value, context_info: dict, *, kind: str = EXECUTION, path=(),
          index: int = 0, parent_state: str | None = None, variables: dict | None = None,
          prev_event_id: int = 0) -> dict:
    """A fresh cursor. No events yet: the first `advance` emits ExecutionStarted /
    MapIterationStarted and enters the StartAt state.

    `variables` are the enclosing scope's (a Parallel branch / inline Map iteration reads
    them but may not assign them: their names are kept in `outer`)."""
    return {
        "v": 1,
        "frame": {"kind": kind, "path": [list(p) for p in path], "index": index, "parent_state": parent_state},
        "phase": "start",
        "state": None,
        "input": input_value,
        "ctx": context_info,
        "vars": dict(variables or {}),
        "outer": sorted(variables) if variables else [],
        "prev": prev_event_id,
    }


def execution_deadline(machine, start_time: datetime) -> datetime | None:
    """Spec: TimeoutSeconds — "the maximum number of seconds an execution ... can run"."""
    t = machine.timeout_seconds
    if isinstance(t, int) and not isinstance(t, bool) and t > 0:
        return start_time + timedelta(seconds=t)
    return None


def timed_out(cursor: dict, ids, clock) -> Finished:
    em = Emitter(ids, clock, cursor.get("prev", 0))
    em.emit("ExecutionTimedOut", {})
    cursor["phase"] = "done"
    cursor["prev"] = em.prev
    return Finished("TIMED_OUT", None, None, None, em.events, cursor)


def redrive(machine, cursor: dict) -> dict:
    """The root cursor after RedriveExecution: re-enter the state that failed (with the input
    it had), retry counters reset; `$$.Execution.RedriveCount` goes up by one."""
    c = dict(cursor)
    c["phase"] = "enter"
    c.pop("pending", None)
    c.pop("retriers", None)
    ctx = dict(c.get("ctx") or {})
    ex = dict(ctx.get("Execution") or {})
    ex["RedriveCount"] = int(ex.get("RedriveCount") or 0) + 1
    ctx["Execution"] = ex
    c["ctx"] = ctx
    if c.get("state") is None:
        c["phase"] = "start"
    kept = c.get("map_run")
    if isinstance(kept, dict) and kept.get("state") == c.get("state"):
        # A DISTRIBUTED Map re-entered by the redrive continues its map run (MapRunRedriven).
        c["map_run"] = dict(kept, redrive=True)
    return c


def fail_execution(cursor: dict, ids, clock, error: str | None, cause: str | None) -> Finished:
    """End the top-level lane from outside the evaluator (history limit, operator action)."""
    em = Emitter(ids, clock, cursor.get("prev", 0))
    em.emit("ExecutionFailed", error_details(error, cause))
    cursor["phase"] = "done"
    cursor["prev"] = em.prev
    return Finished("FAILED", None, error, cause, em.events, cursor)


def advance(machine, cursor: dict, inbound=None, ids=None, clock=None):
    if inbound is not None and not isinstance(inbound, Wake):
        # Values may have been touched outside the evaluator (a handler): no memoised text.
        forget_payload_text()
    em = Emitter(ids, clock, cursor.get("prev", 0))
    try:
        outcome = run_step(machine, cursor, inbound, em)
    except Exception as ex:  # noqa: BLE001 - habit 8: never a traceback, always States.Runtime
        outcome = finish_lane(machine, cursor, em, "FAILED", None, ErrorName.RUNTIME.value,
                              f"Internal error while executing state '{cursor.get('state')}': "
                              f"{type(ex).__name__}: {scrub_paths(str(ex))}")
    cursor["prev"] = em.prev
    return outcome


# The template method lives with the state types, which import this module: bound at the end
# of the module rather than imported inside `advance` (an import statement there costs more
# than the rest of a Pass state's bookkeeping).
from .states.base import finish_lane, run_step  # noqa: E402

__all__ = [
    "start", "advance", "timed_out", "redrive", "fail_execution", "execution_deadline", "default_context_info",
    "TaskResult", "Wake", "ChildDone", "ChildrenDone",
    "Continue", "InvokeTask", "Sleep", "FanOut", "Await", "Finished",
    "EXECUTION", "MAP_ITERATION", "BRANCH", "MAP_RUN_ITEM",
]
