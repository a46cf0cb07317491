"""Fair scheduling across owners: the runtime's messages go to one lane per owner.

The runtime's queue is first come, first served: 500 starts of one user put 500 messages
ahead of another user's single execution, and every later step of that execution would
queue behind that user's steps again. So each message goes to a lane, a queue of its own
(`<runtime queue>.lane<k>`, k = owner id mod STEPSTUDIO_FAIR_LANES), and a worker consuming
the runtime's queue consumes all its lanes too (tasks.py). Celery's consumers take from
their queues in turn (kombu rotates the queue it reads first), so a burst fills one lane
and the others are still served at once. Owners sharing a lane share its turn.

A Task whose handler has a queue of its own (routing.py) is sent there, lanes aside.
"""
from __future__ import annotations

from engine.models import Execution, StateMachine
from stepstudio.celery import app

from . import config

_owners: dict = {}  # state machine id → owner id (a machine does not change hands)
_CACHED_MACHINES = 10000


def runtime_queue() -> str:
    return config.queue() or app.conf.task_default_queue


def all_lanes() -> list[str]:
    count = config.fair_lanes()
    base = runtime_queue()
    return [f"{base}.lane{k}" for k in range(count)] if count > 1 else []


def lane_for(owner_id: int | None) -> str:
    count = config.fair_lanes()
    if owner_id is None or count <= 1:
        return runtime_queue()
    return f"{runtime_queue()}.lane{owner_id % count}"


def owner_of(execution: Execution) -> int | None:
    """The owner of an execution's state machine (no query when the step loaded it)."""
    if Execution.state_machine.is_cached(execution):
        return execution.state_machine.owner_id
    return _machine_owner(execution.state_machine_id)


def owner_of_execution(execution_id) -> int | None:
    machine_id = (Execution.objects.filter(id=execution_id)
                  .values_list("state_machine_id", flat=True).first())
    return None if machine_id is None else _machine_owner(machine_id)


def _machine_owner(machine_id) -> int | None:
    if machine_id not in _owners:
        if len(_owners) >= _CACHED_MACHINES:
            _owners.clear()
        _owners[machine_id] = (StateMachine.objects.filter(id=machine_id)
                               .values_list("owner_id", flat=True).first())
    return _owners[machine_id]
