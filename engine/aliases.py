"""State machine aliases: which version an execution through an alias runs.

Shared by the AWS protocol (StartExecution / StartSyncExecution with an alias ARN) and the
schedules (a schedule's target may be an alias, resolved at every firing).
"""
from __future__ import annotations

import random

from engine.models import StateMachine, StateMachineAlias, StateMachineVersion
from engine.schedules.errors import ScheduleError


class AliasVersionMissing(LookupError):
    """The version an alias routes to is gone (deleting it is refused; a safeguard)."""


def pick_version(alias: StateMachineAlias, draw: float | None = None) -> StateMachineVersion:
    """A version of the alias's routing, chosen with probability weight/100."""
    draw = random.random() * 100 if draw is None else draw
    route = alias.routing[-1]
    for candidate in alias.routing:
        if draw < candidate["weight"]:
            route = candidate
            break
        draw -= candidate["weight"]
    version = alias.state_machine.versions.filter(version=route["version"]).first()
    if version is None:
        raise AliasVersionMissing(f"{alias.state_machine.arn}:{route['version']}")
    return version


def schedule_resolver(machine: StateMachine, name: str) -> StateMachineVersion:
    """engine.schedules.targets' alias resolver."""
    alias = machine.aliases.filter(name=name).first()
    if alias is None:
        raise ScheduleError("target", f"State machine alias does not exist: "
                                      f"'{machine.arn}:{name}'")
    try:
        return pick_version(alias)
    except AliasVersionMissing as error:
        raise ScheduleError("target", f"State machine version does not exist: '{error}'") \
            from None
