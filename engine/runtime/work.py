"""Parallel/Map children as frames, their join, and running Task handlers in a worker.

Children are Frame rows under the waiting parent; any worker may advance them (all steps of
one execution serialise on its row lock, which also hands out event ids). At most
`max_concurrency` children run at once; the rest wait PENDING and start as others finish, so
a 10,000-item Map holds a bounded number of live cursors in flight. When the last child
finishes, the parent resumes in the same transaction with all results in index order.
"""
from __future__ import annotations

import logging

from django.db.models import Q
from django.utils import timezone

from engine.asl import step as asl_step
from engine.models import Frame, FrameStatus, TaskToken, Timer, Waiting

from . import config, dispatch, inbounds

log = logging.getLogger(__name__)

BULK = 1000
READ_AHEAD = 100


def fan_out(step, frame: Frame, cursor, outcome) -> None:
    from .driver import stored
    from .outcomes import fanout_cap, park

    children = outcome.children
    frame.children_total = len(children)
    frame.children_done = 0
    frame.children_started = 0
    frame.max_concurrency = fanout_cap(outcome.max_concurrency or 0)
    park(step, frame, cursor, Waiting.CHILDREN)
    step.touch_counters(frame)
    ex = step.execution
    # Not started yet = index >= parent.children_started; they carry no dispatched_at, so
    # the sweeper never sends them before their turn (MaxConcurrency).
    for i in range(0, len(children), BULK):
        Frame.objects.bulk_create([
            Frame(execution=ex, parent=frame, index=i + j, cursor=stored(c),
                  status=FrameStatus.RUNNING, waiting=Waiting.ADVANCE,
                  separate_history=outcome.separate_history)
            for j, c in enumerate(children[i:i + BULK])])
    start_children(step, frame, frame.max_concurrency)


def start_children(step, parent: Frame, n: int, prev: int = 0) -> None:
    """Start the next `n` children by index: inline while the step has budget, else by message.

    `prev` (one at a time, MaxConcurrency 1): the previous child's last chained event id; the
    next child's first event follows it (AWS; as the local driver does).
    """
    first = parent.children_started
    last = min(parent.children_total, first + n)
    if first >= last:
        return
    parent.children_started = last
    step.touch_counters(parent)
    sent = []
    for child in _next_children(step, parent, first, last):
        if prev > (child.cursor or {}).get("prev", 0):
            child.cursor = dict(child.cursor, prev=prev)
            Frame.objects.filter(id=child.id).update(cursor=child.cursor)
        # Inline only what this transaction's budget can still run; the rest go to other
        # messages now (a queued child the budget never reaches would be parked anyway).
        if step.budget > len(step.queue):
            step.enqueue(child)
        else:
            sent.append(child.id)
            step.after_commit.append(dispatch.sender(Waiting.ADVANCE, step.execution.id,
                                                     child.id, child.step))
    if sent:
        Frame.objects.filter(id__in=sent).update(dispatched_at=timezone.now())


def _next_children(step, parent: Frame, first: int, last: int) -> list[Frame]:
    """Children first..last-1, read ahead in windows (one query per window, not per child)."""
    window = step.windows.get(parent.id)
    if window is None or not (window[0] <= first and last <= window[0] + len(window[1])):
        size = max(last - first, READ_AHEAD)
        rows = list(Frame.objects.filter(parent=parent, index__gte=first,
                                         index__lt=first + size).order_by("index"))
        window = step.windows[parent.id] = (first, rows)
    start, rows = window
    return rows[first - start:last - start]


def child_finished(step, frame: Frame, cursor, status, output, error, cause) -> None:
    """A child lane ended: report failures to its parent now, successes all at the join.

    Failures go at once so a Parallel (or a Map past its tolerated failures) stops early;
    successes are kept on the child rows and fed to the parent in one transaction at the
    end, so a 10,000-item Map rewrites the parent's cursor once, not 10,000 times.
    """
    # History chaining, as `Finished.as_result()`: the lane's last chained / last event id.
    prev = cursor.get("prev", 0) if cursor else 0
    chain = {"prev": prev, "last": (cursor.get("last") if cursor else None) or prev}
    result = {"status": status, "output": output, "error": error, "cause": cause, **chain}
    parent = step.frame(frame.parent_id)
    parent.children_done += 1
    step.touch_counters(parent)
    dones = []
    if status != "SUCCEEDED":
        Frame.objects.filter(id=frame.id).delete()
        step.dead.add(frame.id)
        dones.append(asl_step.ChildDone(frame.index, result))
    else:
        # Written at commit in one statement with its siblings (Step.commit), or never, if
        # the join below happens in this same transaction.
        # The finished child's cursor shrinks to its chain ids: all the join reads besides output.
        frame.status, frame.output, frame.cursor = FrameStatus.SUCCEEDED, output, chain
        step.succeeded.setdefault(parent.id, {})[frame.id] = frame
    if parent.children_done >= parent.children_total:
        dones.extend(_join(step, parent))
    else:
        sequential = parent.max_concurrency == 1 and not frame.separate_history
        start_children(step, parent, 1, prev if sequential else 0)
    if dones:
        step.enqueue(parent, dones)


def _join(step, parent: Frame) -> list:
    """All children are done: collect the successes in index order and delete every child."""
    in_memory = step.succeeded.pop(parent.id, {})
    outputs = {index: (out, cursor) for index, out, cursor in
               Frame.objects.filter(parent=parent, status=FrameStatus.SUCCEEDED)
               .values_list("index", "output", "cursor")}
    outputs.update({f.index: (f.output, f.cursor) for f in in_memory.values()})
    step.dead.update(in_memory)
    # Children are bookkeeping, not history. Their claimed timers and closed tokens go
    # first, so the frames can go in one DELETE without Django's per-row cascade.
    children = Frame.objects.filter(parent=parent)
    Timer.objects.filter(frame__in=children.values("id")).delete()
    TaskToken.objects.filter(frame__in=children.values("id")).delete()
    children._raw_delete(children.db)
    return [asl_step.ChildDone(index, {"status": "SUCCEEDED", "output": out, "error": None,
                                       "cause": None, **_chain(cursor)})
            for index, (out, cursor) in sorted(outputs.items())]


def _chain(cursor) -> dict:
    """The `prev`/`last` keys of a finished child's stored cursor (none if it has no chain)."""
    if not isinstance(cursor, dict) or "prev" not in cursor:
        return {}
    return {"prev": cursor["prev"], "last": cursor.get("last") or cursor["prev"]}


def abandon_children(step, parent: Frame) -> None:
    """The parent's fan-out is over (failed early): delete its children and everything below."""
    level = [parent.id]
    while level:
        level = list(Frame.objects.filter(parent_id__in=level).values_list("id", flat=True))
        step.dead.update(level)
    # Cascades to grandchildren, their timers and tokens; a worker still running one of
    # their tasks finds the frame gone and its result is dropped.
    Frame.objects.filter(parent=parent).delete()


# -- Task handlers, run by a worker outside any transaction ----------------------------------

# A worker that just took a Task's step runs the next Task of the same frame itself (claimed
# in that step's transaction) instead of a broker round trip, at most this many in a row so
# one execution cannot hold a worker process for long.
EAGER_TASKS = 20


def run_task(execution_id, frame_id: int, step_no: int, task_id: str = "") -> bool:
    """Run the handler of a frame waiting on TASK at `step_no`, then take the step with its result."""
    now = timezone.now()
    lease = now + timezone.timedelta(seconds=config.task_lease_seconds())
    # Claim by conditional update: a duplicate message, or the sweeper's re-send while a live
    # worker still renews its lease, finds nothing to claim and returns quietly. A stopped
    # execution's frames are CANCELLED, so status RUNNING is enough.
    claimed = (Frame.objects.filter(id=frame_id, step=step_no, waiting=Waiting.TASK,
                                    status=FrameStatus.RUNNING)
               .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
               .update(lease_until=lease, task_id=task_id or ""))
    if not claimed:
        return False
    request = Frame.objects.values_list("request", flat=True).get(id=frame_id) or {}
    return run_claimed_chain(execution_id, (frame_id, step_no, request))


def advance_then_run(execution_id, frame_id: int, step_no: int) -> bool:
    """An advance message: take the step, then run the Task it reached, if any, right here."""
    from . import driver

    claimed: list = []
    done = driver.advance(execution_id, frame_id, step_no, claim_next=claimed)
    if done and claimed:
        run_claimed_chain(execution_id, claimed[0])
    return done


def run_claimed_chain(execution_id, claimed: tuple) -> bool:
    """Run a claimed task, take its step, and go on with the next one the step claimed."""
    outcome = claimed
    for hop in range(EAGER_TASKS):
        frame_id, step_no, request = outcome
        outcome = _run_claimed(execution_id, frame_id, step_no, request or {},
                               eager=hop + 1 < EAGER_TASKS)
        if not isinstance(outcome, tuple):
            return outcome
    return True


def _run_claimed(execution_id, frame_id, step_no, request, eager):
    """Run one claimed task and take its step; (frame, step, request) of a next claimed task."""
    from . import driver, invoke, tokens

    def renew():
        until = timezone.now() + timezone.timedelta(seconds=config.task_lease_seconds())
        return Frame.objects.filter(id=frame_id, step=step_no, waiting=Waiting.TASK) \
            .update(lease_until=until) == 1

    result = invoke.invoke(request, execution_id=execution_id, renew=renew)
    if request.get("task_token") and inbounds.is_success(result):
        # .waitForTaskToken: the handler only delivered the token; wait for the callback.
        return tokens.await_callback(execution_id, frame_id, step_no)
    claimed = [] if eager else None
    done = driver.advance(execution_id, frame_id, step_no, result, from_db=False,
                          expect_waiting=(Waiting.TASK,), claim_next=claimed)
    return claimed[0] if done and claimed else done
