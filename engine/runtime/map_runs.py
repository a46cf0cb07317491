"""A DISTRIBUTED Map's map run and its child workflow executions (AWS's Map Run resource).

The evaluator runs a Distributed Map's iterations as lanes whose events belong to child
executions (`FanOut.separate_history`); the fan-out machinery (frames, MaxConcurrency, the
join, redrive of kept children) is the same as for an inline Map. This module gives those
lanes what AWS shows of them:

* a MapRun row, created when the parent's lane emits MapRunStarted (the evaluator names its
  ARN), ended by MapRunSucceeded / MapRunFailed, re-opened by MapRunRedriven;
* one Execution row per iteration (`map_run` set), created when the iteration first runs,
  whose history receives the lane's events (ExecutionStarted … ExecutionSucceeded/Failed)
  with ids from its own `seq`;
* ExecutionAborted for iterations cut short (the map run failed, the parent was stopped or
  timed out) and ExecutionRedriven for iterations a RedriveExecution of the parent re-runs;
* UpdateMapRun: MaxConcurrency and the tolerated failures changed on the running fan-out.

Everything runs in the parent's step transaction (its row lock serialises it); child rows
touched by a step are written once, at its commit (`flush`).
"""
from __future__ import annotations

import uuid

from django.db.models import Count
from django.utils import timezone

from engine.asl.clock import SystemClock
from engine.asl.events import Emitter, Ids
from engine.models import (Execution, ExecutionStatus, Frame, MachineType, MapRun,
                           MapRunStatus)

from . import dispatch, rows

# A child execution's id is derived from its iteration's frame (frames are never reused):
# no column links them, and a redriven iteration (the same frame) finds its execution again.
CHILD_NAMESPACE = uuid.UUID("6d0a3c39-5f0e-4d5b-9a63-2f4bb0a3e7c1")


def child_id(frame_id: int) -> uuid.UUID:
    return uuid.uuid5(CHILD_NAMESPACE, str(frame_id))


def has_distributed_map(definition) -> bool:
    """The definition holds a DISTRIBUTED Map anywhere (checked once per parsed machine)."""
    if isinstance(definition, dict):
        config = definition.get("ProcessorConfig")
        if isinstance(config, dict) and config.get("Mode") == "DISTRIBUTED":
            return True
        return any(has_distributed_map(v) for v in definition.values())
    if isinstance(definition, list):
        return any(has_distributed_map(v) for v in definition)
    return False


class Children:
    """A step's view of map runs and child executions (one instance per driver.Step)."""

    def __init__(self, step):
        self.step = step
        self.executions: dict = {}   # child execution id → Execution touched in this step
        self.new: set = set()        # … of which made in this step (inserted at flush)
        self.events: list = []       # (child execution id, event) to append to histories
        self.runs: dict = {}         # parent frame id → its running MapRun (or None)

    # -- the parent's events ----------------------------------------------------------
    def watch(self, frame: Frame, cursor: dict, events: list, owner: Execution) -> None:
        """MapRun* events of a lane of `owner`: the map run starts, ends, is redriven."""
        for event in events:
            kind = event["type"]
            if not kind.startswith("MapRun"):
                continue
            if kind == "MapRunStarted":
                self._start(frame, cursor, event["mapRunStartedEventDetails"]["mapRunArn"], owner)
            elif kind == "MapRunRedriven":
                self._redriven(frame, event["mapRunRedrivenEventDetails"]["mapRunArn"])
            elif kind in ("MapRunSucceeded", "MapRunFailed"):
                self._end(frame, cursor, MapRunStatus.SUCCEEDED if kind == "MapRunSucceeded"
                          else MapRunStatus.FAILED)

    def _start(self, frame, cursor, arn, owner) -> None:
        label, run_id = arn.rsplit("/", 1)[1].rsplit(":", 1)
        machine = self.step.machine.resolve((cursor.get("frame") or {}).get("path"))
        state = machine.state(cursor["state"])
        processor = state.get("ItemProcessor") or state.get("Iterator") or {}
        config = processor.get("ProcessorConfig") or {}
        plan = cursor.get("pending") or {}
        run = MapRun.objects.create(
            # By id: the owner may be a child execution this step made (inserted at flush).
            id=uuid.UUID(run_id), execution_id=owner.id, frame_id=frame.id,
            state_name=cursor["state"],
            label=label[:80],
            child_type=MachineType.EXPRESS if config.get("ExecutionType") == "EXPRESS"
            else MachineType.STANDARD,
            max_concurrency=plan.get("max_conc") or 0,
            tolerated_failure_count=plan.get("tol_count"),
            tolerated_failure_percentage=plan.get("tol_pct"))
        self.runs[frame.id] = run

    def _redriven(self, frame, arn) -> None:
        run = MapRun.objects.filter(id=uuid.UUID(arn.rsplit(":", 1)[1])).first()
        if run is None:
            return
        run.status, run.stop_date = MapRunStatus.RUNNING, None
        run.redrive_count += 1
        run.redrive_date = timezone.now()
        run.frame_id = frame.id
        run.save(update_fields=["status", "stop_date", "redrive_count", "redrive_date",
                                "frame_id"])
        self.runs[frame.id] = run

    def _end(self, frame, cursor, status) -> None:
        run = self.run_of(frame.id)
        if run is None:
            return
        run.status, run.stop_date = status, timezone.now()
        fields = ["status", "stop_date"]
        machine = self.step.machine.resolve((cursor.get("frame") or {}).get("path"))
        if status == MapRunStatus.SUCCEEDED and "ResultWriter" in machine.state(run.state_name):
            run.results_written = run.item_total
            fields.append("results_written")
        run.save(update_fields=fields)
        self.runs[frame.id] = None
        if status != MapRunStatus.SUCCEEDED:
            self.abort_running(run)

    def frames_cut_short(self, frame_ids: list) -> None:
        """Lanes of a fan-out were cut short (a sibling failed, or the fan-out was left by a
        Retry or Catch): a map run one of them ran ends ABORTED (the evaluator recorded
        MapRunAborted), with its running children."""
        if not frame_ids or not self.step.machine_has_map_run:
            return
        for run in MapRun.objects.filter(frame_id__in=frame_ids, status=MapRunStatus.RUNNING):
            run.status, run.stop_date = MapRunStatus.ABORTED, timezone.now()
            run.save(update_fields=["status", "stop_date"])
            self.runs.pop(run.frame_id, None)
            self.abort_running(run)

    def run_of(self, parent_frame_id) -> MapRun | None:
        if parent_frame_id not in self.runs:
            self.runs[parent_frame_id] = MapRun.objects.filter(
                frame_id=parent_frame_id, status=MapRunStatus.RUNNING).order_by(
                "-start_date").first()
        return self.runs[parent_frame_id]

    def fanned_out(self, frame: Frame, cursor: dict, total: int, max_concurrency: int) -> int:
        """The map run's items are known (an ItemReader reads them after MapRunStarted):
        its total is kept, and the MaxConcurrency to fan out with returned. The run's row
        is the authority on its settings: an UpdateMapRun may have changed them while the
        items were read (the tolerated failures go to the cursor the Map reads them from)."""
        run = self.run_of(frame.id)
        if run is None:
            return max_concurrency
        if run.item_total != total:
            run.item_total = total
            MapRun.objects.filter(id=run.id).update(item_total=total)
        pending = cursor.get("pending")
        if isinstance(pending, dict):
            pending["tol_count"] = run.tolerated_failure_count
            pending["tol_pct"] = run.tolerated_failure_percentage
        return run.max_concurrency

    # -- the children -------------------------------------------------------------------
    def child(self, frame: Frame, cursor: dict) -> Execution | None:
        """The child execution of an iteration lane; created right before its first advance
        (phase "start"), in the transaction that commits that advance."""
        cid = child_id(frame.id)
        found = self.executions.get(cid)
        if found is not None:
            return found
        if cursor.get("phase") != "start":
            found = Execution.objects.defer("input", "definition").filter(id=cid).first()
            if found is not None:
                self.executions[cid] = found
                return found
        run = self.run_of(frame.parent_id)
        if run is None:
            return None  # no map run (cannot happen; its events are then dropped)
        machine = self.step.machine.resolve((cursor.get("frame") or {}).get("path"))
        parent = self.step.execution
        # Inserted at flush, with the state the step leaves it in (one INSERT for all the
        # children a step starts, and no UPDATE of a child that ends in the same step).
        child = Execution(
            id=cid, state_machine_id=parent.state_machine_id, version_id=parent.version_id,
            name=str(cid), input=cursor.get("input"), definition=machine.definition,
            map_run=run, start_date=timezone.now())
        self.executions[cid] = child
        self.new.add(cid)
        return child

    def record(self, child: Execution, events: list, ids: Ids) -> None:
        self.events.extend((child.id, e) for e in events)
        child.seq = ids.value

    def ended(self, frame: Frame, status, output, error, cause) -> None:
        child = self.executions.get(child_id(frame.id))
        if child is None:
            return
        child.status = status
        child.output = output if status == ExecutionStatus.SUCCEEDED else None
        child.error, child.cause = (error or "")[:256], cause or ""
        child.stop_date = timezone.now()

    def abort_running(self, run: MapRun) -> None:
        """The map run ended unsuccessfully: its running children end ABORTED."""
        running = list(Execution.objects.defer("input", "definition").filter(
            map_run=run, status=ExecutionStatus.RUNNING))
        # …and those this step started (not inserted yet).
        running += [self.executions[cid] for cid in self.new
                    if self.executions[cid].map_run_id == run.id]
        for row in running:
            child = self.executions.setdefault(row.id, row)
            if child.status == ExecutionStatus.RUNNING:
                _aborted(child, self.events)

    def redriven(self, frames: list) -> None:
        """RedriveExecution of the parent re-runs these kept iterations: their executions
        are RUNNING again, with ExecutionRedriven; the lane's next events follow it."""
        now = timezone.now()
        found = {e.id: e for e in Execution.objects.defer("input", "definition").filter(
            id__in=[child_id(f.id) for f in frames])}
        for f in frames:
            child = found.get(child_id(f.id))
            if child is None or child.status == ExecutionStatus.SUCCEEDED:
                continue
            child = self.executions.setdefault(child.id, child)
            child.redrive_count += 1
            child.redrive_date = now
            child.status, child.error, child.cause, child.stop_date = \
                ExecutionStatus.RUNNING, "", "", None
            em = Emitter(Ids(child.seq), SystemClock(), prev=child.seq)
            em.emit("ExecutionRedriven", {"redriveCount": child.redrive_count})
            self.events.extend((child.id, e) for e in em.events)
            child.seq = em.ids.value
            if isinstance(f.cursor, dict) and f.cursor.get("state") is not None:
                f.cursor = dict(f.cursor, prev=child.seq)

    def close_open(self) -> None:
        """The parent's execution ended: map runs still running end ABORTED."""
        for run in MapRun.objects.filter(execution=self.step.execution,
                                         status=MapRunStatus.RUNNING):
            run.status, run.stop_date = MapRunStatus.ABORTED, timezone.now()
            run.save(update_fields=["status", "stop_date"])
            self.abort_running(run)
        self.runs = {}

    def flush(self) -> None:
        """Write the children's rows and events (inside the step's transaction)."""
        older = [e for cid, e in self.executions.items() if cid not in self.new]
        rows.write_children([self.executions[cid] for cid in self.new], older, self.events)
        for child in older:
            # A child's live page (one made in this step cannot be open yet).
            dispatch.ring_advanced(child, False)
        self.executions, self.new, self.events = {}, set(), []


def _aborted(child: Execution, events: list) -> None:
    em = Emitter(Ids(child.seq), SystemClock(), prev=child.seq)
    em.emit("ExecutionAborted", {})
    events.extend((child.id, e) for e in em.events)
    child.seq = em.ids.value
    child.status, child.stop_date = ExecutionStatus.ABORTED, timezone.now()


def close_for_execution(ex: Execution) -> None:
    """Outside a step (StopExecution, an outside failure): abort the open map runs."""
    runs = list(MapRun.objects.filter(execution=ex, status=MapRunStatus.RUNNING))
    if not runs:
        return
    events, touched = [], []
    for run in runs:
        run.status, run.stop_date = MapRunStatus.ABORTED, timezone.now()
        run.save(update_fields=["status", "stop_date"])
        for child in Execution.objects.defer("input", "definition").filter(
                map_run=run, status=ExecutionStatus.RUNNING):
            _aborted(child, events)
            touched.append(child)
    rows.write_children([], touched, events)


# -- DescribeMapRun's counts ----------------------------------------------------------------

def counts(run: MapRun) -> tuple[dict, dict]:
    """(itemCounts, executionCounts) as AWS defines them, from one aggregate query.

    One child execution per item (batches: one per batch; both counts are of children).
    Items whose child has not started are `pending` while the run goes on and `aborted`
    once it ended (the run stopped before reaching them). `pendingRedrive`: children of a
    redriven run still waiting for their turn to run again (FAILED / ABORTED / TIMED_OUT
    while the run is RUNNING); nothing here is ever past redriving (`failuresNotRedrivable`).
    """
    by = {row["status"]: row["n"] for row in
          Execution.objects.filter(map_run=run).values("status").annotate(n=Count("id"))}
    started = sum(by.values())
    total = max(run.item_total, started)
    unstarted = total - started
    running_run = run.status == MapRunStatus.RUNNING
    unsuccessful = sum(by.get(s, 0) for s in (ExecutionStatus.FAILED, ExecutionStatus.ABORTED,
                                              ExecutionStatus.TIMED_OUT))
    out = {
        "pending": unstarted if running_run else 0,
        "running": by.get(ExecutionStatus.RUNNING, 0),
        "succeeded": by.get(ExecutionStatus.SUCCEEDED, 0),
        "failed": by.get(ExecutionStatus.FAILED, 0),
        "timedOut": by.get(ExecutionStatus.TIMED_OUT, 0),
        "aborted": by.get(ExecutionStatus.ABORTED, 0) + (0 if running_run else unstarted),
        "total": total,
        "resultsWritten": run.results_written,
        "failuresNotRedrivable": 0,
        "pendingRedrive": unsuccessful if running_run and run.redrive_count else 0,
    }
    return out, dict(out)
