"""The durable driver: engine.asl's evaluator (step.py), one database transaction per step.

A step is: lock the Execution row (select_for_update), check the frame is still at the step
the message names (else it was done already: return quietly), feed the evaluator, append
its HistoryEvents, bump `seq`, commit. Messages for the next steps and the websocket bell go
out only after commit (transaction.on_commit), so a worker killed at any instant either
committed the step (and the sweeper re-sends a lost message) or did nothing.

Consecutive states without I/O (Pass, Choice, Succeed, Fail, Wait 0) run in the same
transaction up to a budget; Task, a real Wait, Parallel and Map end it (their children may
run inline in the same transaction while the budget lasts).
"""
from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque

from django.db import connection, transaction
from django.utils import timezone

from engine.asl import step as asl_step
from engine.asl.clock import SystemClock, iso
from engine.asl.events import Ids
from engine.asl.limits import HISTORY_LIMIT_CAUSE, MAX_HISTORY_EVENTS
from engine.asl.parse import parse
from engine.events import outbox
from engine.models import Execution, ExecutionStatus, Frame, StateMachineVersion, Waiting

from . import config, dispatch, fanout, inbounds, lanes, map_runs, outcomes, rows
from .frames import park, stored

log = logging.getLogger(__name__)

_cached: OrderedDict = OrderedDict()  # execution id → [parsed machine, (redrive count, ctx)]
CACHED_EXECUTIONS = 256


def _entry(execution: Execution) -> list:
    """This process's cache of what never changes in an execution (bounded, LRU).

    The definition and the input are copied into the execution at start and never edited,
    so their parsed forms are kept here and a step does not read those columns again.
    """
    key = str(execution.id)
    entry = _cached.get(key)
    if entry is None:
        entry = _cached[key] = [None, None]
        if len(_cached) > CACHED_EXECUTIONS:
            _cached.popitem(last=False)
    else:
        _cached.move_to_end(key)
    return entry


def machine_for(execution: Execution):
    """The parsed definition of an execution."""
    entry = _entry(execution)
    # Kept per redrive: a redrive on a new definition (lifecycle.redrive) replaces it.
    if entry[0] is None or entry[0][0] != execution.redrive_count:
        entry[0] = (execution.redrive_count, parse(execution.definition))
    return entry[0][1]


def context_for(execution: Execution) -> dict:
    """`context_info` of the execution, rebuilt only when a redrive changed it."""
    entry = _entry(execution)
    if entry[1] is None or entry[1][0] != execution.redrive_count:
        entry[1] = (execution.redrive_count, context_info(execution))
    return entry[1][1]


def context_info(execution: Execution) -> dict:
    """The `$$.Execution` / `$$.StateMachine` part of the context object, from the row."""
    sm = execution.state_machine
    account = execution.arn.split(":")[4]
    return {
        "Execution": {"Id": execution.arn, "Name": execution.name,
                      "StartTime": iso(execution.start_date), "Input": execution.input,
                      "RoleArn": sm.role_arn or f"arn:aws:iam::{account}:role/StepStudioExecutionRole",
                      "RedriveCount": execution.redrive_count},
        "StateMachine": {"Id": sm.arn, "Name": sm.name},
    }


class Step:
    """The work of one transaction on one locked execution.

    Frames touched in the transaction go through `frame()` (one instance per row), events
    get ids from the execution's counter, and messages wait in `after_commit`.
    """

    def __init__(self, execution: Execution, claim_next: list | None = None):
        self.execution = execution
        # When a list: the first Task this step reaches is claimed for the calling worker
        # (appended as (frame id, step, request)) instead of being sent to the broker.
        self.claim_next = claim_next
        self.machine = machine_for(execution)
        self.ids = Ids(execution.seq)
        self.clock = SystemClock()
        self.events: list[dict] = []
        self.queue: deque = deque()          # (frame, inbound feed) to run in this transaction
        self.feeds: dict[int, list] = {}     # frame id → its queued feed (to merge deliveries)
        self.frames: dict[int, Frame] = {}
        self.dead: set[int] = set()          # frames deleted in this transaction
        self.counted: dict[int, Frame] = {}  # fan-out counters to write at commit
        self.windows: dict[int, tuple] = {}  # parent id → (first index, children read ahead)
        self.succeeded: dict[int, dict] = {}  # parent id → {child id: finished child frame}
        self.after_commit: list = []
        self.parked: dict[int, Frame] = {}  # saved at commit, or before any other statement
        self.closing: Frame | None = None   # finished root: close_work at commit (or before)
        # (execution id, seq, frame id, step, waiting) when evaluated from what this worker
        # wrote last, with nothing read or locked: any statement before write_step is Stale.
        self.expected: tuple | None = None
        self.budget = config.inline_budget()
        self.finished = False
        self.ctx = context_for(execution)
        self.first_seq = execution.seq
        self.first_status = execution.status  # a change is a status-change event at commit
        # A DISTRIBUTED Map's map runs and child executions touched by this step.
        self.children = map_runs.Children(self)

    def frame(self, frame_id: int) -> Frame:
        found = self.frames.get(frame_id)
        if found is None:
            found = self.frames[frame_id] = Frame.objects.get(id=frame_id)
        return found

    def enqueue(self, frame: Frame, items: list | None = None) -> None:
        """Run `frame` in this transaction, feeding it `items` (inbounds) first."""
        self.frames.setdefault(frame.id, frame)
        feed = self.feeds.get(frame.id)
        if feed is not None:
            feed.extend(items or [])
            return
        feed = self.feeds[frame.id] = list(items or [])
        self.queue.append((frame, feed))

    def touch_counters(self, frame: Frame) -> None:
        """Write this parent's fan-out counters once, at commit.

        PostgreSQL keeps every version of a row updated again and again in one transaction
        and each further update walks them all: per-child UPDATEs of the parent made a
        10,000-item Map quadratic.
        """
        self.counted[frame.id] = frame

    def save_later(self, frame: Frame) -> None:
        """Save a parked frame with the step's other writes (one round trip at commit).

        Write-behind, with read-your-writes: while `run` goes on, any other statement on
        the connection first saves the frames waiting here (`_save_parked_first`), so no
        query in the transaction can see a frame older than its parked state. Nothing may
        run between `run()` and `commit()` (no caller does).
        """
        self.parked[frame.id] = frame

    def close_later(self, root: Frame) -> None:
        """The execution finished: save its root and close its other work with the step's
        writes (rows.close_work), or before any other statement, as save_later does."""
        self.closing = root

    def _save_parked_first(self, execute, sql, params, many, context):
        if self.expected is not None:
            raise rows.Stale("a statement before the lock: take the step the usual way")
        if self.parked or self.closing is not None:
            frames, self.parked = list(self.parked.values()), {}
            closing, self.closing = self.closing, None
            rows.save_parked(frames, closing)  # through this wrapper again, with nothing due
        return execute(sql, params, many, context)

    # -- running frames -------------------------------------------------------------------
    def run(self, frame: Frame, inbound=None) -> None:
        self.enqueue(frame, [inbound] if inbound is not None else [])
        with connection.execute_wrapper(self._save_parked_first):
            while self.queue:
                frame, feed = self.queue.popleft()
                self.feeds.pop(frame.id, None)
                if frame.id in self.dead:
                    continue
                self._run_frame(frame, feed)
                if self.execution.status != ExecutionStatus.RUNNING:
                    break

    def _run_frame(self, frame: Frame, feed: list) -> None:
        cursor = frame.cursor
        if "ctx" not in cursor:
            cursor = dict(cursor, ctx=self.ctx)
        fanning_out = frame.waiting == Waiting.CHILDREN
        # A Distributed Map's iteration: its events go to its own child execution (found or
        # created before the first advance: not for a frame parked at once, out of budget).
        child = ids = None
        if not frame.separate_history:
            ids = self.ids
        watch = self.machine_has_map_run
        while True:
            if not feed and self.budget <= 0:
                # Out of budget: persist where we are and continue in a fresh message.
                park(self, frame, cursor, Waiting.ADVANCE)
                return
            self.budget -= 1
            inbound = inbounds.to_step(feed.pop(0)) if feed else None
            if ids is None:
                child = self.children.child(frame, cursor)
                ids = Ids(child.seq if child is not None else 0)
            outcome = asl_step.advance(self.machine, cursor, inbound, ids, self.clock)
            if not frame.separate_history:
                self.events.extend(outcome.events)
                if self.ids.value > MAX_HISTORY_EVENTS:
                    self._history_full()
                    return
            elif child is not None:
                self.children.record(child, outcome.events, ids)
            if getattr(outcome, "cursor", None) is not None:
                cursor = outcome.cursor
            if watch:
                self.children.watch(frame, cursor, outcome.events,
                                    child if child is not None else self.execution)
            if isinstance(outcome, asl_step.Await):
                if feed:
                    continue
                park(self, frame, cursor, Waiting.CHILDREN)
                return
            if fanning_out:
                # Any answer but Await ends the fan-out: children still running are aborted.
                fanout.abandon_children(self, frame, outcome)  # outcome: keep them for a redrive?
                fanning_out = False
            handled = outcomes.apply(self, frame, cursor, outcome)
            if handled is outcomes.CONTINUE:
                continue
            if isinstance(handled, tuple):  # resume at once with this inbound (Wait 0, …)
                feed.append(handled[1])
                continue
            return

    @property
    def machine_has_map_run(self) -> bool:
        """The definition has a DISTRIBUTED Map (checked once per parsed machine)."""
        found = getattr(self.machine, "_has_map_run", None)
        if found is None:
            found = map_runs.has_distributed_map(self.machine.definition)
            self.machine._has_map_run = found
        return found

    def _name_version(self) -> None:
        """AWS's ExecutionStarted names the version an execution runs (a version ARN started
        it: StartExecution, a schedule, a parent's startExecution Task)."""
        with connection.execute_wrapper(self._save_parked_first):
            arn = StateMachineVersion.objects.select_related("state_machine").get(
                id=self.execution.version_id).arn
        for event in self.events:
            if event["type"] == "ExecutionStarted":
                event.setdefault("executionStartedEventDetails", {})["stateMachineVersionArn"] = arn

    def _history_full(self) -> None:
        """AWS quota: past 25,000 history events the execution fails (States.Runtime)."""
        root = next((f for f in self.frames.values() if f.parent_id is None), None) \
            or Frame.objects.get(execution=self.execution, parent__isnull=True)
        cursor = root.cursor if "ctx" in root.cursor else dict(root.cursor, ctx=self.ctx)
        outcome = asl_step.fail_execution(cursor, self.ids, self.clock, "States.Runtime",
                                          HISTORY_LIMIT_CAUSE)
        self.events.extend(outcome.events)
        outcomes.finish(self, root, outcome.cursor, outcome.status, None, outcome.error,
                        outcome.cause)

    # -- committing -----------------------------------------------------------------------
    def commit(self, end: bool = False) -> None:
        """Write the step; `end`: and COMMIT the transaction lock_and_load(begin=True) began
        (nothing may touch the database after this but Django's own commit, a no-op)."""
        ex = self.execution
        ex.seq = self.ids.value
        if self.first_seq == 0 and ex.version_id and self.expected is None:
            self._name_version()
        finished = [f for kids in self.succeeded.values() for f in kids.values()
                    if f.id not in self.dead]
        with connection.execute_wrapper(self._save_parked_first):
            if self.finished and self.machine_has_map_run:
                self.children.close_open()  # map runs still running when the parent ended
            self.children.flush()
            if finished:
                # status, output and chain ids are all the join reads (a finished child is
                # never stepped again; its cursor is just {"prev", "last"}).
                Frame.objects.bulk_update(finished, ["status", "output", "cursor"],
                                          batch_size=500)
            for frame_id, f in self.counted.items():
                if frame_id not in self.dead:
                    Frame.objects.filter(id=frame_id).update(
                        children_total=f.children_total, children_done=f.children_done,
                        children_started=f.children_started,
                        max_concurrency=f.max_concurrency)
        parked = [f for f in self.parked.values() if f.id not in self.dead]
        self.parked = {}
        closing, self.closing = self.closing, None
        status_event = None
        if ex.status != self.first_status:
            # The status-change event's outbox row goes with the step's writes (one round
            # trip still); built from what the step holds (a version number is read).
            with connection.execute_wrapper(self._save_parked_first):
                status_event = outbox.prepare(ex, input_value=self.ctx["Execution"]["Input"])
        rows.write_step(ex, self.events, parked, commit=end, closing=closing,
                        expected=self.expected,
                        inserts=(status_event,) if status_event is not None else ())
        if status_event is not None:
            outbox.announce(status_event)
        for fn in self.after_commit:
            transaction.on_commit(fn)
        dispatch.ring_advanced(ex, self.finished, started=self.first_seq == 0)


def advance(execution_id, frame_id, expected_step, inbound=None, *, from_db=True,
            expect_waiting=(Waiting.ADVANCE,), claim_next: list | None = None,
            known: tuple | None = None) -> bool:
    """Take frame `frame_id`'s step `expected_step`; False if it was not (any longer) due.

    `inbound` is what the step consumes (a task result); when None and `from_db`, the
    frame's stored inbound is used (timer fired, timeout, …). `known`: (execution, frame)
    as this worker's previous step committed them (a claimed Task's frame).
    """
    # Our own BEGIN/COMMIT ride with the first and last statements only in a transaction
    # of our own (not inside a caller's, where COMMIT would be theirs to send).
    own = connection.vendor == "postgresql" and not connection.in_atomic_block
    if known is not None and own and inbound is not None:
        try:
            return _advance_known(*known, inbound, expect_waiting, claim_next)
        except rows.Stale:
            # Changed meanwhile (stopped, timed out, taken by another worker), or the step
            # needs to read: nothing was written; take it the usual way, from the database.
            if claim_next:
                claim_next.clear()
    with transaction.atomic():
        loaded = rows.lock_and_load(execution_id, frame_id, expected_step, expect_waiting,
                                    static=str(execution_id) not in _cached, begin=own)
        if loaded is None:
            # Stopped, finished, or another message already took this step: redelivery is
            # a no-op.
            return False
        ex, frame = loaded
        if inbound is None and from_db:
            inbound = frame.inbound
        step = Step(ex, claim_next)
        started = time.perf_counter()
        step.run(frame, inbound)
        step.commit(end=own)
        log.debug("step of %s: %d events, budget left %d, %.1f ms", execution_id,
                  len(step.events), step.budget, (time.perf_counter() - started) * 1000)
        return True


def _advance_known(ex: Execution, frame: Frame, inbound, expect_waiting,
                   claim_next) -> bool:
    """The step of a Task this worker claimed in its previous step, evaluated from the
    execution and frame as that step wrote them: one round trip (rows.write_step with
    `expected`) instead of two, since the lock and the check that nothing changed travel
    with the writes. Raises rows.Stale, having written nothing, when that check fails or
    the step would need any other statement (a timer, a token, a fan-out's children)."""
    expected = (ex.id, ex.seq, frame.id, frame.step, tuple(expect_waiting))
    with transaction.atomic():
        step = Step(ex, claim_next)
        step.expected = expected
        step.run(frame, inbound)
        step.commit(end=True)
    return True


def start_root(execution: Execution, inline: bool = True) -> None:
    """Inside the caller's transaction: create the root frame and take the first steps.

    `inline=False` leaves the first step to a worker (the caller returns at once even for
    a long chain of Pass states).
    """
    machine = machine_for(execution)
    step = Step(execution)
    cursor = asl_step.start(machine, execution.input, step.ctx)
    frame = Frame.objects.create(execution=execution, cursor=stored(cursor),
                                 waiting=Waiting.ADVANCE)
    if inline:
        step.run(frame, None)
        step.commit()
    else:
        frame.step += 1
        frame.dispatched_at = timezone.now()
        frame.save(update_fields=["step", "dispatched_at"])
        transaction.on_commit(dispatch.sender(Waiting.ADVANCE, execution.id, frame.id,
                                              frame.step, owner=lanes.owner_of(execution)))
