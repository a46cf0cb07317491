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
from collections import OrderedDict, deque

from django.db import transaction

from engine.asl import step as asl_step
from engine.asl.clock import SystemClock, iso
from engine.asl.events import Ids
from engine.asl.parse import parse
from engine.models import Execution, ExecutionStatus, Frame, FrameStatus, Waiting

from . import config, dispatch, history, inbounds, outcomes, work

log = logging.getLogger(__name__)

_machines: OrderedDict = OrderedDict()


def machine_for(execution: Execution):
    """The parsed definition of an execution (immutable per execution, so cached by id)."""
    key = execution.id
    machine = _machines.get(key)
    if machine is None:
        machine = parse(execution.definition)
        _machines[key] = machine
        if len(_machines) > 256:
            _machines.popitem(last=False)
    else:
        _machines.move_to_end(key)
    return machine


def context_info(execution: Execution) -> dict:
    """The `$$.Execution` / `$$.StateMachine` part of the context object, from the row."""
    sm = execution.state_machine
    account = execution.arn.split(":")[4]
    return {
        "Execution": {"Id": execution.arn, "Name": execution.name,
                      "StartTime": iso(execution.start_date), "Input": execution.input,
                      "RoleArn": f"arn:aws:iam::{account}:role/StepStudioExecutionRole",
                      "RedriveCount": execution.redrive_count},
        "StateMachine": {"Id": sm.arn, "Name": sm.name},
    }


def stored(cursor):
    """A cursor as saved in a Frame row: without its context object.

    Every cursor carries `ctx` (with the whole execution input); a 10,000-item Map would
    store it 10,000 times. It is rebuilt from the Execution row when the frame is loaded.
    """
    if isinstance(cursor, dict) and "ctx" in cursor:
        cursor = {k: v for k, v in cursor.items() if k != "ctx"}
    return cursor


class Step:
    """The work of one transaction on one locked execution.

    Frames touched in the transaction go through `frame()` (one instance per row), events
    get ids from the execution's counter, and messages wait in `after_commit`.
    """

    def __init__(self, execution: Execution):
        self.execution = execution
        self.machine = machine_for(execution)
        self.ids = Ids(execution.seq)
        self.clock = SystemClock()
        self.events: list[dict] = []
        self.queue: deque = deque()          # (frame, inbound feed) to run in this transaction
        self.feeds: dict[int, list] = {}     # frame id → its queued feed (to merge deliveries)
        self.frames: dict[int, Frame] = {}
        self.dead: set[int] = set()          # frames deleted in this transaction
        self.after_commit: list = []
        self.budget = config.inline_budget()
        self.finished = False
        self.ctx = context_info(execution)

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

    # -- running frames -------------------------------------------------------------------
    def run(self, frame: Frame, inbound=None) -> None:
        self.enqueue(frame, [inbound] if inbound is not None else [])
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
        ids = Ids(0) if frame.separate_history else self.ids
        while True:
            if not feed and self.budget <= 0:
                # Out of budget: persist where we are and continue in a fresh message.
                outcomes.park(self, frame, cursor, Waiting.ADVANCE)
                return
            self.budget -= 1
            inbound = inbounds.to_step(feed.pop(0)) if feed else None
            outcome = asl_step.advance(self.machine, cursor, inbound, ids, self.clock)
            if not frame.separate_history:
                self.events.extend(outcome.events)
            if getattr(outcome, "cursor", None) is not None:
                cursor = outcome.cursor
            if isinstance(outcome, asl_step.Await):
                if feed:
                    continue
                outcomes.park(self, frame, cursor, Waiting.CHILDREN)
                return
            if fanning_out:
                # Any answer but Await ends the fan-out: children still running are aborted.
                work.abandon_children(self, frame)
                fanning_out = False
            handled = outcomes.apply(self, frame, cursor, outcome)
            if handled is outcomes.CONTINUE:
                continue
            if isinstance(handled, tuple):  # resume at once with this inbound (Wait 0, …)
                feed.append(handled[1])
                continue
            return

    # -- committing -----------------------------------------------------------------------
    def commit(self) -> None:
        ex = self.execution
        if self.events:
            history.append(ex, self.events)
        ex.seq = self.ids.value
        fields = ["seq", "status", "output", "error", "cause", "stop_date"]
        Execution.objects.filter(id=ex.id).update(**{f: getattr(ex, f) for f in fields})
        for fn in self.after_commit:
            transaction.on_commit(fn)
        dispatch.ring_advanced(ex, self.finished)


def advance(execution_id, frame_id, expected_step, inbound=None, *, from_db=True,
            expect_waiting=(Waiting.ADVANCE,)) -> bool:
    """Take frame `frame_id`'s step `expected_step`; False if it was not (any longer) due.

    `inbound` is what the step consumes (a task result); when None and `from_db`, the
    frame's stored inbound is used (timer fired, timeout, …).
    """
    with transaction.atomic():
        ex = Execution.objects.select_for_update().filter(id=execution_id).first()
        if ex is None or ex.status != ExecutionStatus.RUNNING:
            return False
        frame = Frame.objects.filter(id=frame_id, execution_id=execution_id,
                                     step=expected_step, status=FrameStatus.RUNNING,
                                     waiting__in=expect_waiting).first()
        if frame is None:
            return False  # another message already took this step: redelivery is a no-op
        if inbound is None and from_db:
            inbound = frame.inbound
        step = Step(ex)
        step.run(frame, inbound)
        step.commit()
        return True


def start_root(execution: Execution) -> None:
    """Inside the caller's transaction: create the root frame and take the first steps."""
    machine = machine_for(execution)
    step = Step(execution)
    cursor = asl_step.start(machine, execution.input, step.ctx)
    frame = Frame.objects.create(execution=execution, cursor=stored(cursor),
                                 waiting=Waiting.ADVANCE)
    step.run(frame, None)
    step.commit()
