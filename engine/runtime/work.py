"""A worker's work for one message: take the step, run the Task handler it reached, go on.

Handlers run outside any transaction (a long handler never holds the execution's lock). A
Task is claimed by conditional update on its frame's lease, so a duplicate message or the
sweeper's re-send while a live worker renews the lease finds nothing to claim.
"""
from __future__ import annotations

import time

from django.db.models import Q
from django.utils import timezone

from engine.metrics import recorder
from engine.models import Frame, FrameStatus, Waiting

from . import config, driver, inbounds, invoke, tokens

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
    claimed: list = []
    began = time.perf_counter()
    done = driver.advance(execution_id, frame_id, step_no, claim_next=claimed)
    recorder.observe_step(time.perf_counter() - began)
    if done and claimed:
        run_claimed_chain(execution_id, claimed[0])
    return done


def run_claimed_chain(execution_id, claimed: tuple) -> bool:
    """Run a claimed task, take its step, and go on with the next one the step claimed."""
    outcome = claimed
    for hop in range(EAGER_TASKS):
        frame_id, step_no, request, *known = outcome
        outcome = _run_claimed(execution_id, frame_id, step_no, request or {},
                               eager=hop + 1 < EAGER_TASKS, known=known)
        if not isinstance(outcome, tuple):
            return outcome
    return True


def _run_claimed(execution_id, frame_id, step_no, request, eager, known=()):
    """Run one claimed task and take its step; (frame, step, request, (execution, frame))
    of a next claimed task. `known`: [(execution, frame)] as this worker's last step wrote
    them, if it was that step."""
    def renew():
        until = timezone.now() + timezone.timedelta(seconds=config.task_lease_seconds())
        return Frame.objects.filter(id=frame_id, step=step_no, waiting=Waiting.TASK) \
            .update(lease_until=until) == 1

    result = invoke.invoke(request, execution_id=execution_id, renew=renew,
                           call=f"{frame_id}:{step_no}")
    if request.get("task_token") and inbounds.is_success(result):
        # .waitForTaskToken: the handler only delivered the token; wait for the callback.
        return tokens.await_callback(execution_id, frame_id, step_no)
    claimed = [] if eager else None
    began = time.perf_counter()
    done = driver.advance(execution_id, frame_id, step_no, result, from_db=False,
                          expect_waiting=(Waiting.TASK,), claim_next=claimed,
                          known=known[0] if known else None)
    recorder.observe_step(time.perf_counter() - began)
    return claimed[0] if done and claimed else done
