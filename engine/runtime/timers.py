"""Durable timers and the scheduler/sweeper that fires them (`workflows scheduler`).

Waits, retry back-off and timeouts are Timer rows; nothing sleeps in a worker and nothing is
parked in the broker with a long ETA. The scheduler claims a due timer (claimed_at IS NULL →
now) inside the same transaction that acts on it, with the execution row locked first (the
driver's lock order: execution, then its rows), so a crash between claim and effect rolls
both back and the timer fires again. Rows are claimed with SKIP LOCKED and the scheduler's
sessions have a lock_timeout (sessions.py): one held row delays its own execution, never
the loop.

The sweeper re-sends the message of a frame whose step is dispatchable (ADVANCE, TASK) but
was not taken within a while: the message was lost (broker restart, killed worker holding
prefetched messages, crash between commit and send). Duplicates are harmless: every step is
claimed by its frame's step counter.
"""
from __future__ import annotations

import logging
import time

from django.db import close_old_connections, transaction
from django.db.models import Q
from django.db.models.fields.json import KT
from django.utils import timezone

from engine.metrics import recorder
from engine.models import (Execution, ExecutionStatus, Frame, FrameStatus, Timer, TimerKind,
                           Waiting)

from . import config, dispatch, inbounds, sessions, tokens
from .frames import make_due
from .lifecycle import terminate

log = logging.getLogger(__name__)


def _fire(timer: Timer, now) -> None:
    if timer.kind == TimerKind.WAKE:
        frame = Frame.objects.filter(id=timer.frame_id, step=timer.frame_step,
                                     waiting=Waiting.TIMER, status=FrameStatus.RUNNING).first()
        if frame is not None:
            make_due(frame, inbounds.timer_fired())
    elif timer.kind == TimerKind.EXECUTION_TIMEOUT:
        terminate(timer.execution_id, ExecutionStatus.TIMED_OUT, "States.Timeout",
                  "Execution timed out")
    else:
        tokens.fire(timer, now)


def fire_one(timer_id: int, execution_id) -> bool:
    """Claim and fire one due timer; False if it was not fired now.

    Both rows are taken with SKIP LOCKED: an execution another process holds (a step in
    progress, a frozen worker, a row locked by hand in psql) is passed over and its timer
    stays unclaimed for a later pass. Waiting for that row would stop every other timer.
    """
    now = timezone.now()
    with transaction.atomic():
        ex = Execution.objects.select_for_update(skip_locked=True).filter(id=execution_id).first()
        if ex is None:
            return False  # locked by someone else (or deleted, with its timers)
        timer = (Timer.objects.select_for_update(skip_locked=True)
                 .filter(id=timer_id, claimed_at__isnull=True).first())
        if timer is None:
            return False  # another scheduler process got there first
        timer.claimed_at = now
        timer.save(update_fields=["claimed_at"])
        if ex.status == ExecutionStatus.RUNNING:
            _fire(timer, now)
        return True


def fire_due(limit: int = 200) -> int:
    now = timezone.now()
    due = list(Timer.objects.filter(claimed_at__isnull=True, due_at__lte=now)
               .order_by("due_at").values_list("id", "execution_id")[:limit])
    fired = 0
    for timer_id, execution_id in due:
        fired += fire_one(timer_id, execution_id)
    return fired


def sweep(limit: int = 500) -> int:
    """Re-send the messages of dispatchable frames nobody took in time.

    The frames are claimed (their dispatched_at moved on) in one transaction with FOR UPDATE
    SKIP LOCKED, so two sweepers never both re-send one, and a frame some other process
    holds (a step writing it, a frozen worker) is passed over instead of waited on. The
    messages go out after commit.
    """
    now = timezone.now()
    stale = now - timezone.timedelta(seconds=config.sweep_after_seconds())
    with transaction.atomic():
        rows = list(Frame.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(status=FrameStatus.RUNNING,
                            waiting__in=[Waiting.ADVANCE, Waiting.TASK],
                            dispatched_at__lt=stale, execution__status="RUNNING")
                    .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
                    .annotate(queue=KT("request__queue"))
                    .values_list("id", "execution_id", "step", "waiting", "queue",
                                 "execution__state_machine__owner_id")[:limit])
        Frame.objects.filter(id__in=[row[0] for row in rows]).update(dispatched_at=now)
    waiting_in = _still_queued(rows)
    sent = 0
    for frame_id, execution_id, step, waiting, queue, owner in rows:
        queue = queue if waiting == Waiting.TASK else None
        if queue not in waiting_in:
            dispatch.send(waiting, execution_id, frame_id, step, queue, owner)
            sent += 1
    if sent:
        log.info("sweeper re-sent %d stranded step(s)", sent)
        recorder.count(recorder.SWEEPER_RESENT, sent)
    return sent


def _still_queued(rows) -> set[str]:
    """Handler queues (docs/handlers.md) whose stale Tasks' messages must still be there.

    A Task on a handler's own queue waits until a worker consumes that queue; if none does,
    its message waits in the broker and re-sending it every sweep would fill the queue with
    copies. So a handler queue holding at least as many messages as it has stale Tasks is
    left alone (the frames' dispatched_at moves on, so they are looked at again a sweep
    period later); one holding fewer has lost some, and all its stale Tasks are re-sent.
    The runtime's own queue is always re-sent, as before.
    """
    stale: dict[str, int] = {}
    for _, _, _, waiting, queue, _ in rows:
        if waiting == Waiting.TASK and queue:
            stale[queue] = stale.get(queue, 0) + 1
    return {queue for queue, count in stale.items()
            if (queued := dispatch.queued(queue)) is not None and queued >= count}


def run_scheduler(stop=lambda: False, idle_sleep: float = 0.1, sweep_every: float = 1.0,
                  passes=()) -> None:
    """The `workflows scheduler` loop: fire due timers, sweep now and then, never exit on error.

    `passes`: more work of the same loop from layers above the runtime (the command passes
    schedule firing and the webhook sweep); each returns how much it did.
    """
    sessions.limit_this_process()  # no locked row may hold up the loop (sessions.py)
    last_sweep = 0.0
    while not stop():
        try:
            fired = fire_due()
            for more in passes:
                fired += more() or 0
            if time.monotonic() - last_sweep >= sweep_every:
                last_sweep = time.monotonic()
                sweep()
        except Exception:  # database restarting etc.: log, reconnect, carry on
            log.exception("scheduler pass failed")
            close_old_connections()
            fired = 0
            time.sleep(1)
        if not fired:
            time.sleep(idle_sleep)
