"""What a schedule starts: a state machine, one of its versions, or an alias.

A target is given as a state machine name (the owner's), a state machine ARN, a version ARN
(`…:stateMachine:NAME:3`) or an alias ARN (`…:stateMachine:NAME:ALIAS`). It is resolved
when the schedule is saved (to refuse a bad one) and again at every firing, so an alias
routes as it does at that moment. Aliases plug in through `register_alias_resolver`; until
one is registered an alias ARN is refused with a clear error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from engine.models import StateMachine, StateMachineVersion, account_id

from .errors import ScheduleError

_ARN_RE = re.compile(r"^arn:aws(?:-[a-z]+)*:states:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
                     r"stateMachine:(?P<name>[A-Za-z0-9_-]{1,80})(?::(?P<qualifier>[^:]{1,80}))?$")
_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,80}$")

# alias resolver: (machine, alias name) -> the version to run (None: the machine's current
# definition); raises ScheduleError("target", …) when there is no such alias.
_alias_resolver: Callable | None = None


def register_alias_resolver(resolver: Callable | None) -> None:
    global _alias_resolver
    _alias_resolver = resolver


@dataclass(frozen=True)
class Target:
    machine: StateMachine
    version: StateMachineVersion | None
    arn: str  # canonical: what the schedule stores


def alias_name(target: Target) -> str:
    """The alias a target goes through ("" for a machine or a version)."""
    if target.version is None or target.arn == target.version.arn:
        return ""
    return target.arn.rsplit(":", 1)[1]


def resolve(owner, text: str) -> Target:
    """The owner's machine/version/alias named by `text`; ScheduleError(field="target")."""
    text = (text or "").strip()
    if _NAME_RE.match(text):
        machine = StateMachine.objects.filter(owner=owner, name=text).first()
        if machine is None:
            raise ScheduleError("target", f"You have no state machine named '{text}'")
        return Target(machine, None, machine.arn)
    match = _ARN_RE.match(text)
    if not match:
        raise ScheduleError("target", f"'{text}' is not a state machine name or a state "
                            "machine, version or alias ARN")
    if match["account"] != account_id(owner.pk):
        # Another owner's machine is indistinguishable from a missing one.
        raise ScheduleError("target", f"State machine does not exist: '{text}'")
    machine = StateMachine.objects.filter(owner=owner, name=match["name"]).first()
    # A machine lives in the region it was created in (engine/awsproto): ARNs name it there.
    if machine is None or match["region"] != machine.region:
        raise ScheduleError("target", f"State machine does not exist: '{text}'")
    qualifier = match["qualifier"]
    if not qualifier:
        return Target(machine, None, machine.arn)
    if qualifier.isascii() and qualifier.isdigit():
        version = (machine.versions.filter(version=int(qualifier)).first()
                   if len(qualifier) < 10 else None)
        if version is None:
            raise ScheduleError("target", f"State machine version does not exist: '{text}'")
        return Target(machine, version, version.arn)
    if _alias_resolver is None:
        raise ScheduleError("target", f"'{text}' is an alias ARN, and this server has no "
                            "state machine aliases: target the machine or a version")
    return Target(machine, _alias_resolver(machine, qualifier), f"{machine.arn}:{qualifier}")
