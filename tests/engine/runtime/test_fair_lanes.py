"""Fair scheduling across owners (a real worker on Redis): one user's burst does not
starve another user's execution. Each owner's messages go to a lane of the runtime's
queue (engine/runtime/lanes.py) and the worker takes from the lanes in turn."""
from __future__ import annotations

import uuid

import pytest

from engine import services
from engine.models import Execution, StateMachine
from engine.runtime import lanes

from .conftest import assert_history_contiguous, lambda_arn, wait_for_execution

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

BURST = 150


def two_steps(owner, key: str) -> StateMachine:
    step = {"Type": "Task", "Resource": lambda_arn("test-slow"),
            "Parameters": {"key": key, "seconds": 0.1}}
    return StateMachine.objects.create(owner=owner, name=f"m-{uuid.uuid4().hex[:8]}",
                                       definition={"StartAt": "One", "States": {
                                           "One": {**step, "ResultPath": "$.one",
                                                   "Next": "Nap"},
                                           "Nap": {"Type": "Wait", "Seconds": 1,
                                                   "Next": "Two"},
                                           "Two": {**step, "End": True}}})


def test_one_users_burst_does_not_starve_another_user(runtime, user, other_user):
    assert lanes.lane_for(user.id) != lanes.lane_for(other_user.id)
    burst_machine = two_steps(user, f"burst-{uuid.uuid4().hex[:6]}")
    burst = [services.start_execution(burst_machine, {}).id for _ in range(BURST)]
    single = services.start_execution(two_steps(other_user, f"one-{uuid.uuid4().hex[:6]}"), {})
    single = wait_for_execution(single, 120)
    assert single.status == "SUCCEEDED", single.cause
    # Each burst execution needs two 0.1 s handler runs and two worker processes share
    # them: the burst takes tens of seconds, the single execution a few.
    still_running = Execution.objects.filter(id__in=burst, status="RUNNING").count()
    assert still_running >= BURST // 2, f"only {still_running} of {BURST} still running"
    assert_history_contiguous(single)
