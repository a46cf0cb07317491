"""Shared helpers for the specification golden cases (states-language.net + AWS developer guide).

These cases are written from the ASL specification and the AWS Step Functions developer guide,
not from the AWS-recorded conformance corpus.
"""
from __future__ import annotations

import itertools
import json

from engine.asl import run_state_machine, task_handler
from engine.asl.handlers import unregister

_counter = itertools.count()


def machine(states: dict, start: str | None = None, **top) -> dict:
    d = {"StartAt": start or next(iter(states)), "States": states}
    d.update(top)
    return d


def branch(states: dict, start: str | None = None) -> dict:
    return {"StartAt": start or next(iter(states)), "States": states}


def run(definition, input_value=None, **kw):
    return run_state_machine(definition, input_value, **kw)


def types(result) -> list[str]:
    return [e["type"] for e in result.events]


def details(event: dict) -> dict:
    for k, v in event.items():
        if k.endswith("EventDetails"):
            return v
    return {}


def pass_value(expr: str, input_value=None, key: str = "r.$"):
    """Run one Pass state whose Parameters evaluate `expr`; return the result object."""
    return run(machine({"A": {"Type": "Pass", "Parameters": {key: expr}, "End": True}}), input_value)


def lambda_arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


class Script:
    """A task handler that plays a script: each call takes the next entry (the last repeats).
    An entry that is an Exception is raised; anything else is returned."""

    def __init__(self, *entries):
        self.name = f"spec-handler-{next(_counter)}"
        self.entries = list(entries)
        self.calls = []
        task_handler(self.name)(self._call)

    def _call(self, payload):
        i = len(self.calls)
        self.calls.append(payload)
        v = self.entries[min(i, len(self.entries) - 1)]
        if isinstance(v, BaseException):
            raise v
        return v

    @property
    def arn(self) -> str:
        return lambda_arn(self.name)

    def task(self, **fields) -> dict:
        return {"Type": "Task", "Resource": self.arn, **fields}

    def close(self):
        unregister(self.name)


def dumps(v) -> str:
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
