"""UpdateMapRun: a running map run's MaxConcurrency and tolerated failures, changed on its
fan-out (engine.runtime.map_runs has the map runs themselves)."""
from __future__ import annotations

from django.db import transaction

from engine.models import Execution, ExecutionStatus, Frame, MapRun, MapRunStatus, Waiting

from . import driver, fanout


def update(run_id, max_concurrency=None, tolerated_count=None,
           tolerated_percentage=None) -> MapRun:
    """Change a map run's settings in its parent's transaction (the parent's row locked).

    MaxConcurrency takes effect at once: more children start when it is raised, fewer start
    as others finish when it is lowered (fanout.child_finished). The tolerated failures are
    the ones the Map checks at its next child failure: they live in the fan-out frame's
    cursor, where the evaluator reads them (engine.asl.states.map `_exceeded`)."""
    with transaction.atomic():
        parent_id = MapRun.objects.values_list("execution_id", flat=True).get(id=run_id)
        ex = Execution.objects.select_for_update().get(id=parent_id)
        run = MapRun.objects.get(id=run_id)  # as it is under the lock
        fields = []
        if max_concurrency is not None:
            run.max_concurrency = max_concurrency
            fields.append("max_concurrency")
        if tolerated_count is not None:
            run.tolerated_failure_count = tolerated_count
            fields.append("tolerated_failure_count")
        if tolerated_percentage is not None:
            run.tolerated_failure_percentage = tolerated_percentage
            fields.append("tolerated_failure_percentage")
        if fields:
            run.save(update_fields=fields)
        if run.status != MapRunStatus.RUNNING or ex.status != ExecutionStatus.RUNNING \
                or run.frame_id is None:
            return run
        frame = Frame.objects.filter(id=run.frame_id, waiting=Waiting.CHILDREN).first()
        if frame is None:
            return run  # still reading its items: the fan-out takes the values from the row
        cursor = dict(frame.cursor or {})
        pending = dict(cursor.get("pending") or {})
        if tolerated_count is not None:
            pending["tol_count"] = tolerated_count
        if tolerated_percentage is not None:
            pending["tol_pct"] = tolerated_percentage
        cap = fanout.fanout_cap(max_concurrency) if max_concurrency is not None else None
        if cap is not None and cap < frame.max_concurrency:
            # Fewer than now: each finishing child checks how many still run (fanout).
            pending["throttled"] = True
        cursor["pending"] = pending
        frame.cursor = cursor
        frame.save(update_fields=["cursor"])
        if max_concurrency is not None:
            step = driver.Step(ex)
            step.frames[frame.id] = frame
            frame.max_concurrency = cap
            step.touch_counters(frame)
            more = frame.max_concurrency - fanout.live_children(step, frame)
            if more > 0:
                fanout.start_children(step, frame, more, inline=False)
            step.commit()
        return run
