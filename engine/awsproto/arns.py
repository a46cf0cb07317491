"""Parsing the ARNs callers send back to us.

The ARNs we hand out are built by the models (`StateMachine.arn`, `Execution.arn`, …):
`arn:<partition>:states:<region>:<account>:<resource>:<name>[:<qualifier>]`, with one
12-digit account per owner. Parsing is the reverse: a string either names one of our
resources of the expected kind or is an InvalidArn. A state machine's qualifier is a version
number (digits only) or an alias name (alias names must hold a letter, `_`, `-` or `.`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine.models import account_id

from . import errors

_ARN_RE = re.compile(
    r"^arn:aws(?:-[a-z]+(?:-[a-z]+)*)?:states:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"(?P<resource>stateMachine|execution|activity|express|mapRun):(?P<rest>.+)$"
)
_NAME_RE = re.compile(r"^[^:]{1,80}$")


@dataclass(frozen=True)
class Arn:
    account: str
    resource: str
    name: str  # the state machine's or activity's name
    qualifier: str = ""  # execution name, or a version number / alias of a state machine
    region: str = ""

    def owned_by(self, user) -> bool:
        return self.account == account_id(user.pk)

    @property
    def owner_id(self) -> int:
        return int(self.account) - int(account_id(0))

    @property
    def is_version(self) -> bool:
        return self.resource == "stateMachine" and self.qualifier.isascii() \
            and self.qualifier.isdigit()

    @property
    def is_alias(self) -> bool:
        return self.resource == "stateMachine" and bool(self.qualifier) and not self.is_version


def parse(value: str, resource: str) -> Arn:
    """Parse `value` as an ARN of `resource` ("stateMachine", "execution", "activity")."""
    match = _ARN_RE.match(value or "")
    if not match or match["resource"] != resource:
        raise errors.invalid_arn(value)
    parts = match["rest"].split(":")
    if not all(_NAME_RE.match(p) for p in parts):
        raise errors.invalid_arn(value)
    region = match["region"]
    if resource == "execution" and len(parts) == 2:
        return Arn(match["account"], resource, parts[0], parts[1], region)
    if resource == "stateMachine" and len(parts) in (1, 2):
        # arn:…:stateMachine:NAME, a version ARN …:NAME:3 or an alias ARN …:NAME:prod
        return Arn(match["account"], resource, parts[0], parts[1] if len(parts) == 2 else "",
                   region)
    if resource == "activity" and len(parts) == 1:
        return Arn(match["account"], resource, parts[0], "", region)
    raise errors.invalid_arn(value)


def resource_of(value: str) -> str:
    """The resource kind an ARN of ours names ("stateMachine", "activity", …), or InvalidArn."""
    match = _ARN_RE.match(value or "")
    if not match:
        raise errors.invalid_arn(value)
    return match["resource"]
