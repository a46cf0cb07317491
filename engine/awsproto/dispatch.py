"""X-Amz-Target → action function.

An action is `fn(caller, params) -> dict`: it receives validated params (shapes.py) and
returns the response members; it raises errors.AwsError for modelled failures. Actions are
registered by the modules in actions/, imported once here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import errors, shapes

TARGET_PREFIX = "AWSStepFunctions."

ACTIONS: dict[str, Callable[["Caller", dict], dict]] = {}


@dataclass(frozen=True)
class Caller:
    """Who signed the request; `user` owns what the call creates or reads."""

    user: object
    region: str


def action(name: str):
    def register(fn):
        assert name in shapes.SHAPES, f"{name} has no input shape"
        ACTIONS[name] = fn
        return fn
    return register


def resolve(target: str | None) -> str:
    """The action name of an X-Amz-Target header, or UnknownOperationException."""
    if target and target.startswith(TARGET_PREFIX):
        name = target[len(TARGET_PREFIX):]
        if name in ACTIONS:
            return name
    raise errors.AwsError("UnknownOperationException",
                          f"Operation {_shown(target)} is not supported by this service.")


def _shown(target: str | None) -> str:
    # The operation as the caller named it (X-Amz-Target without the service prefix).
    if not target:
        return "(none: the X-Amz-Target header is missing)"
    name = target[len(TARGET_PREFIX):] if target.startswith(TARGET_PREFIX) else target
    return repr(name[:200])


def dispatch(name: str, caller: Caller, params: object) -> dict:
    return ACTIONS[name](caller, shapes.validate(name, params))


# Registration happens at import; keep this last.
from .actions import (activities, aliases, executions, map_runs, state_machines,  # noqa: E402,F401
                      tags, tasks, test_state)
