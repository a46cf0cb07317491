"""Who sees what: a user their own state machines, executions and activities; staff all.

Ownership is applied by scoping querysets (not by object permissions after a fetch), so an
object someone else owns is simply not found: 404, never a hint that it exists.
"""
from __future__ import annotations

from engine.models import Activity, Execution, StateMachine


def state_machines(user):
    """State machines addressed by name: always the caller's own namespace."""
    return StateMachine.objects.filter(owner=user)


def listed_state_machines(user):
    """The state machines list: staff see everyone's."""
    return StateMachine.objects.all() if user.is_staff else state_machines(user)


def executions(user):
    queryset = Execution.objects.select_related("state_machine", "version")
    return queryset if user.is_staff else queryset.filter(state_machine__owner=user)


def activities(user):
    return Activity.objects.filter(owner=user)


def token_owner_id(token: str):
    """The owner id of the execution waiting on `token`, or None when there is no such token."""
    from engine.models import TaskToken

    return (TaskToken.objects.filter(token=token)
            .values_list("execution__state_machine__owner_id", flat=True).first())
