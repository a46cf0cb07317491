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
    # A map run and its child executions: the Map's label (`<machine>/<label>`), and for an
    # Express child the map run's id.
    label: str = ""
    map_run: str = ""

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


def parse_execution(value: str) -> Arn:
    """An execution ARN: a top-level one (`execution:<machine>:<name>`) or a map run's child
    (`execution:<machine>/<label>:<name>`, `express:<machine>/<label>:<map run id>:<name>`)."""
    match = _ARN_RE.match(value or "")
    if match and match["resource"] == "express":
        parts = match["rest"].split(":")
        if len(parts) == 3 and all(_NAME_RE.match(p) for p in parts) and "/" in parts[0]:
            machine, label = parts[0].split("/", 1)
            if machine and label:
                return Arn(match["account"], "execution", machine, parts[2], match["region"],
                           label, parts[1])
        raise errors.invalid_arn(value)
    parsed = parse(value, "execution")
    if "/" in parsed.name:
        machine, label = parsed.name.split("/", 1)
        if not machine or not label:
            raise errors.invalid_arn(value)
        return Arn(parsed.account, "execution", machine, parsed.qualifier, parsed.region, label)
    return parsed


def parse_map_run(value: str) -> Arn:
    """`arn:…:mapRun:<machine>/<label>:<uuid>`."""
    match = _ARN_RE.match(value or "")
    if not match or match["resource"] != "mapRun":
        raise errors.invalid_arn(value)
    head, _, run_id = match["rest"].rpartition(":")
    machine, _, label = head.partition("/")
    if not (machine and label and run_id) or ":" in machine or not _NAME_RE.match(run_id):
        raise errors.invalid_arn(value)
    return Arn(match["account"], "mapRun", machine, run_id, match["region"], label, run_id)


def resource_of(value: str) -> str:
    """The resource kind an ARN of ours names ("stateMachine", "activity", …), or InvalidArn."""
    match = _ARN_RE.match(value or "")
    if not match:
        raise errors.invalid_arn(value)
    return match["resource"]
