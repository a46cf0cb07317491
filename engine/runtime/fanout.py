"""Parallel/Map children as frames, and their join.

Children are Frame rows under the waiting parent; any worker may advance them (all steps of
one execution serialise on its row lock, which also hands out event ids). At most
`max_concurrency` children run at once; the rest wait PENDING and start as others finish, so
a 10,000-item Map holds a bounded number of live cursors in flight. When the last child
finishes, the parent resumes in the same transaction with all results in index order.
"""
from __future__ import annotations

from django.utils import timezone

from engine.asl import aborts, step as asl_step
from engine.asl.events import Emitter
from engine.models import Frame, FrameStatus, TaskToken, Timer, Waiting

from . import config, dispatch, lanes
from .frames import park, stored

BULK = 1000
READ_AHEAD = 100


def fanout_cap(max_concurrency) -> int:
    cap = config.fanout_concurrency_cap()
    return min(int(max_concurrency), cap) if max_concurrency else cap


def fan_out(step, frame: Frame, cursor, outcome) -> None:
    children = outcome.children
    step.windows.pop(frame.id, None)  # rows of an earlier fan-out of this frame are gone
    # Only an execution that was redriven can have kept children here (see abandon_children).
    reused = _adopt(step, frame, children, outcome) if step.execution.redrive_count else None
    frame.children_total = len(children)
    frame.children_done = reused or 0
    frame.children_started = 0
    max_concurrency = outcome.max_concurrency or 0
    if outcome.separate_history:
        # A map run: its row has the settings (an UpdateMapRun while its items were read).
        max_concurrency = step.children.fanned_out(frame, cursor, len(children), max_concurrency)
    frame.max_concurrency = fanout_cap(max_concurrency)
    park(step, frame, cursor, Waiting.CHILDREN)
    step.touch_counters(frame)
    ex = step.execution
    if reused is None:
        # Not started yet = index >= parent.children_started; they carry no dispatched_at, so
        # the sweeper never sends them before their turn (MaxConcurrency).
        for i in range(0, len(children), BULK):
            Frame.objects.bulk_create([
                Frame(execution=ex, parent=frame, index=i + j, cursor=stored(c),
                      status=FrameStatus.RUNNING, waiting=Waiting.ADVANCE,
                      separate_history=outcome.separate_history)
                for j, c in enumerate(children[i:i + BULK])])
    start_children(step, frame, frame.max_concurrency)
    if reused is not None and frame.children_done >= frame.children_total:
        step.enqueue(frame, _join(step, frame))  # nothing left to run (defensive)


# -- Redrive: children kept from a failed fan-out ----------------------------------------
#
# AWS (RedriveExecution): "For workflows that include an Inline Map or Parallel state,
# RedriveExecution ... reschedules and redrives only the iterations and branches that failed
# or aborted." So when a lane ends unsuccessfully while its Map/Parallel fans out (the state
# failed and nothing caught or retried it, or the execution was stopped / timed out), its
# children are KEPT as rows instead of deleted: SUCCEEDED ones with their output (one row
# each, never one big blob), the failed ones FAILED with their last cursor, the ones still
# running or not started CANCELLED. A lane that ended unsuccessfully is only ever resumed by
# RedriveExecution, which re-enters the failed state; its FanOut then adopts the kept rows
# (`_adopt`): successes count as done and reach the join with their old output, every other
# child is redriven: it re-enters the state it failed / was stopped in (as the execution
# does: states that succeeded inside it are not run again; a child that had not started
# starts from the beginning), recursively for a Map/Parallel inside it.
# Anything else throws kept children away: a Retry or Catch of the fan-out state
# (abandon_children), the join once the state succeeds, or a fan-out that does not match
# them (another state, another number of items): a fresh entry of the state runs everything.


def _adopt(step, frame: Frame, children: list, outcome) -> int | None:
    """Reuse the children kept under `frame` for this (redriven) fan-out.

    Returns how many kept successes count as done, or None when nothing was kept (or the
    kept rows do not belong to this fan-out: then they are deleted and all children run).
    """
    kept = Frame.objects.filter(parent=frame)
    redo = list(kept.exclude(status=FrameStatus.SUCCEEDED).order_by("index"))
    if not redo:
        if kept.exists():
            kept.delete()  # only successes: not a failed fan-out (cannot happen; be safe)
        return None
    reused = kept.filter(status=FrameStatus.SUCCEEDED).count()
    if reused + len(redo) != len(children) or not all(
            _same_lane(r, children) for r in redo):
        kept.delete()
        return None
    ids = [r.id for r in redo]
    Timer.objects.filter(frame_id__in=ids).delete()
    TaskToken.objects.filter(frame_id__in=ids).delete()
    for r in redo:
        fresh = children[r.index]
        r.cursor = stored(_rewound(step, r.cursor, fresh))
        # A new step number: no message of the earlier attempt can take this frame.
        r.step += 1
        r.status, r.waiting = FrameStatus.RUNNING, Waiting.ADVANCE
        r.output, r.error, r.cause = None, "", ""
        r.request = r.inbound = r.lease_until = r.dispatched_at = None
        r.separate_history = outcome.separate_history
    if outcome.separate_history:
        # Their child executions are redriven too (ExecutionRedriven in each history).
        step.children.redriven(redo)
    Frame.objects.bulk_update(redo, ["cursor", "step", "status", "waiting", "output", "error",
                                     "cause", "request", "inbound", "lease_until",
                                     "dispatched_at", "separate_history"], batch_size=500)
    return reused


def _same_lane(row: Frame, children: list) -> bool:
    """A kept child belongs to this fan-out: same index range, same state and branch path."""
    if row.index >= len(children) or not isinstance(row.cursor, dict):
        return False
    mine, fresh = row.cursor.get("frame") or {}, children[row.index].get("frame") or {}
    return all(mine.get(k) == fresh.get(k) for k in ("kind", "path", "index", "parent_state"))


def _rewound(step, kept: dict, fresh: dict) -> dict:
    """The cursor a kept (failed / aborted / unstarted) child is redriven with."""
    if kept.get("state") is None or kept.get("phase") == "start":
        return fresh  # never got going: start it like any new child
    cursor = asl_step.redrive(step.machine, dict(kept, ctx=fresh.get("ctx") or step.ctx))
    # Its events follow this attempt's (MapIterationStarted, see start_children), not the
    # old lane's last event.
    cursor["prev"] = fresh.get("prev", 0)
    cursor.pop("last", None)
    return cursor


def _redriven_iteration(child: Frame) -> bool:
    """A kept inline Map iteration that re-enters a state (not a fresh start)."""
    c = child.cursor or {}
    return (not child.separate_history and c.get("phase") == "enter"
            and (c.get("frame") or {}).get("kind") == asl_step.MAP_ITERATION)


def start_children(step, parent: Frame, n: int, prev: int = 0, inline: bool = True) -> None:
    """Start the next `n` children by index: inline while the step has budget, else by message.

    `prev` (one at a time, MaxConcurrency 1): the previous child's last chained event id; the
    next child's first event follows it (AWS; as the local driver does). Children that
    already SUCCEEDED (kept for a redrive, see `_adopt`) are passed over: they are done.
    `inline=False`: by message only (after a child failed: should the parent give up, the
    frame is CANCELLED before any worker takes the message, so it never starts).
    """
    sent = []
    while n > 0 and parent.children_started < parent.children_total:
        first = parent.children_started
        last = min(parent.children_total, first + n)
        parent.children_started = last
        step.touch_counters(parent)
        for child in _next_children(step, parent, first, last):
            if child.status == FrameStatus.SUCCEEDED:
                continue
            n -= 1
            cursor = child.cursor or {}
            if prev > cursor.get("prev", 0):
                cursor = dict(cursor, prev=prev)
            if _redriven_iteration(child):
                # A redriven iteration re-enters the state it failed in, so the evaluator
                # emits no MapIterationStarted for it: the runtime does, so the history
                # shows the iteration starting again (then its states, MapIterationSucceeded).
                em = Emitter(step.ids, step.clock, cursor.get("prev", 0))
                em.emit("MapIterationStarted", {"name": cursor["frame"].get("parent_state"),
                                                "index": cursor["frame"].get("index", 0)})
                step.events.extend(em.events)
                cursor = dict(cursor, prev=em.prev)
            if cursor is not child.cursor:
                child.cursor = cursor
                Frame.objects.filter(id=child.id).update(cursor=child.cursor)
            # Inline only what this transaction's budget can still run; the rest go to other
            # messages now (a queued child the budget never reaches would be parked anyway).
            if inline and step.budget > len(step.queue):
                step.enqueue(child)
            else:
                sent.append(child.id)
                step.after_commit.append(dispatch.sender(
                    Waiting.ADVANCE, step.execution.id, child.id, child.step,
                    owner=lanes.owner_of(step.execution)))
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
    if frame.separate_history:
        step.children.ended(frame, status, output, error, cause)
    parent = step.frame(frame.parent_id)
    parent.children_done += 1
    step.touch_counters(parent)
    dones = []
    if status != "SUCCEEDED":
        # Kept (not deleted) with the cursor it failed in, and any children it kept: should
        # the parent's lane fail too, a redrive re-enters this child's failed state (_adopt).
        # The join or abandon_children deletes it otherwise.
        frame.status, frame.waiting, frame.cursor = FrameStatus.FAILED, Waiting.NOTHING, \
            stored(cursor)
        frame.output, frame.error, frame.cause = None, (error or "")[:256], cause or ""
        frame.lease_until = frame.dispatched_at = None
        frame.save(update_fields=["status", "waiting", "cursor", "output", "error", "cause",
                                  "lease_until", "dispatched_at"])
        Timer.objects.filter(frame_id=frame.id).delete()
        TaskToken.objects.filter(frame_id=frame.id).delete()
        step.dead.add(frame.id)
        # Should the parent fail now, the siblings still running end aborted in the history.
        dones.append(asl_step.ChildDone(frame.index, result,
                                        running=live_lanes(parent, step, exclude=frame.id)))
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
        # A map run's MaxConcurrency lowered by UpdateMapRun ("throttled"): start one only
        # while fewer than that run (one more query per child; never otherwise).
        throttled = frame.separate_history and isinstance(parent.cursor, dict) and \
            (parent.cursor.get("pending") or {}).get("throttled")
        more = min(1, parent.max_concurrency - live_children(step, parent)) if throttled else 1
        if more > 0:
            start_children(step, parent, more, prev if sequential else 0,
                           inline=status == "SUCCEEDED")
    if dones:
        step.enqueue(parent, dones)


def _join(step, parent: Frame) -> list:
    """All children are done: collect the successes in index order and delete every child.

    If some child failed, the rows stay until the parent has decided (abandon_children):
    should the failure fail its lane, they are kept for a redrive.
    """
    failed = Frame.objects.filter(parent=parent, status=FrameStatus.FAILED).exists()
    in_memory = step.succeeded.get(parent.id, {}) if failed else step.succeeded.pop(parent.id, {})
    outputs = {index: (out, cursor) for index, out, cursor in
               Frame.objects.filter(parent=parent, status=FrameStatus.SUCCEEDED)
               .values_list("index", "output", "cursor")}
    outputs.update({f.index: (f.output, f.cursor) for f in in_memory.values()})
    if not failed:
        step.dead.update(in_memory)
        _delete_children(parent, deep=False)  # all succeeded: none has children of its own
    return [asl_step.ChildDone(index, {"status": "SUCCEEDED", "output": out, "error": None,
                                       "cause": None, **_chain(cursor)})
            for index, (out, cursor) in sorted(outputs.items())]


def _delete_children(parent: Frame, deep: bool = True) -> None:
    # Children are bookkeeping, not history. Their claimed timers and closed tokens go
    # first, so the frames can go in one DELETE without Django's per-row cascade.
    children = Frame.objects.filter(parent=parent)
    if deep:
        # Grandchildren (a child's fan-out still running, or kept by a failed child) go
        # first, with Django's cascade (usually one empty SELECT).
        Frame.objects.filter(parent__parent=parent).delete()
    Timer.objects.filter(frame__in=children.values("id")).delete()
    TaskToken.objects.filter(frame__in=children.values("id")).delete()
    children._raw_delete(children.db)


def _chain(cursor) -> dict:
    """The `prev`/`last` keys of a finished child's stored cursor (none if it has no chain)."""
    if not isinstance(cursor, dict) or "prev" not in cursor:
        return {}
    return {"prev": cursor["prev"], "last": cursor.get("last") or cursor["prev"]}


LIVE = (FrameStatus.RUNNING, FrameStatus.PENDING)


def live_children(step, parent: Frame) -> int:
    """How many of the parent's started children still run (those that finished in this
    step are still RUNNING in their rows until the step commits)."""
    rows = Frame.objects.filter(parent_id=parent.id, status=FrameStatus.RUNNING,
                                index__lt=parent.children_started).count()
    return rows - len(step.succeeded.get(parent.id, ()))


def live_lanes(parent: Frame, step=None, exclude=None) -> list[dict]:
    """The parent's children that started and still run, as engine.asl.aborts lanes (each
    with its own running children), for the aborted events of a fan-out cut short.

    Only children below `children_started` can have started (one query per fan-out level,
    however many items wait their turn). In a step, a child's cursor may be newer in memory
    than in its row, and children that finished in this transaction are not running.
    """
    if not parent.children_started:
        return []
    gone = set(step.dead) if step is not None else set()
    if step is not None:
        gone.update(fid for kids in step.succeeded.values() for fid in kids)
    if exclude is not None:
        gone.add(exclude)
    lanes = []
    for row in (Frame.objects.filter(parent_id=parent.id, status__in=LIVE,
                                     index__lt=parent.children_started)
                .only("id", "cursor", "waiting", "children_started", "separate_history")
                .order_by("index")):
        if row.id in gone or row.separate_history:
            continue
        known = step.frames.get(row.id) if step is not None else None
        child = known or row
        if not aborts.is_open(child.cursor):
            continue
        inner = live_lanes(child, step) if child.waiting == Waiting.CHILDREN else []
        lanes.append({"cursor": child.cursor, "children": inner})
    return lanes


def abandon_children(step, parent: Frame, outcome=None) -> None:
    """The parent's fan-out is over (failed early): its children stop.

    `outcome` is what the parent's lane does next. When the lane itself ends unsuccessfully
    (a `Finished` that is not SUCCEEDED: nothing caught or retried the failure), the children
    are kept for a RedriveExecution (see `_adopt`): running and unstarted ones (and their
    own running descendants) become CANCELLED, successes and failures stay as they are.
    Otherwise (a Retry or Catch: a later entry of the state is a fresh one) they are deleted
    with everything below them.
    """
    if isinstance(outcome, asl_step.Finished) and outcome.status != "SUCCEEDED":
        _keep_children(step, parent)
        return
    step.succeeded.pop(parent.id, None)
    level = [parent.id]
    while level:
        level = list(Frame.objects.filter(parent_id__in=level).values_list("id", flat=True))
        step.dead.update(level)
        step.children.frames_cut_short(level)
    # Grandchildren, timers and tokens too; a worker still running one of their tasks finds
    # the frame gone and its result is dropped.
    _delete_children(parent)


def _keep_children(step, parent: Frame) -> None:
    """Stop the parent's live descendants but keep every row (for a redrive)."""
    # Successes of this transaction are still RUNNING in the database (Step.commit writes
    # them): they stay successes.
    finishing = {fid for kids in step.succeeded.values() for fid in kids}
    level = [parent.id]
    while level:
        level = [fid for fid in Frame.objects.filter(parent_id__in=level, status__in=LIVE)
                 .values_list("id", flat=True) if fid not in finishing]
        if not level:
            return
        # A worker still running one of their tasks finds the frame CANCELLED and its
        # result is dropped (driver.advance takes RUNNING frames only).
        Frame.objects.filter(id__in=level).update(status=FrameStatus.CANCELLED,
                                                  waiting=Waiting.NOTHING, lease_until=None,
                                                  dispatched_at=None)
        Timer.objects.filter(frame_id__in=level).delete()
        TaskToken.objects.filter(frame_id__in=level).delete()
        step.dead.update(level)
        step.children.frames_cut_short(level)
