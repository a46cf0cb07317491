"""The state machine's pointer to its newest execution (StateMachine.last_execution, and
its start date in last_started).

The home page shows each machine's last execution without looking through executions: the
pointer is moved forward when an execution is created, after its transaction commits. After
the commit, not inside it: the UPDATE locks the machine's row, and inside the start's
transaction (which runs the first steps) it would serialise concurrent starts of a machine.

The update is conditional (only to a newer execution), so starts committing out of order
leave the newest one. Bulk inserts (bench seeders) bypass signals and set it themselves.
Deleting the newest execution clears the pointer (SET_NULL) but leaves last_started, which
only orders the list; refresh_last_execution recomputes both.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.signals import post_save
from django.dispatch import receiver

from engine.models import Execution, StateMachine


def advance_last_execution(machine_id: int, execution_id, start_date) -> int:
    """Point the machine at this execution unless it already points at a newer one."""
    older = (Q(last_execution__isnull=True) | Q(last_execution__start_date__lt=start_date)
             | Q(last_execution__start_date=start_date, last_execution_id__lt=execution_id))
    return (StateMachine.objects.filter(older, pk=machine_id)
            .update(last_execution_id=execution_id, last_started=start_date))


@receiver(post_save, sender=Execution, dispatch_uid="engine.machines.last_execution")
def _on_execution_created(sender, instance: Execution, created: bool, raw=False, **kwargs):
    if not created or raw:
        return
    machine_id, execution_id, start = instance.state_machine_id, instance.pk, instance.start_date
    transaction.on_commit(lambda: advance_last_execution(machine_id, execution_id, start),
                          robust=True)


def refresh_last_execution(machines) -> int:
    """Recompute the pointer of these machines (a queryset) from their executions."""
    newest = Execution.objects.filter(state_machine=OuterRef("pk")).order_by("-start_date", "-id")
    return machines.update(last_execution=Subquery(newest.values("id")[:1]),
                           last_started=Subquery(newest.values("start_date")[:1]))
