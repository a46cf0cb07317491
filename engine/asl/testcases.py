"""Whole-machine test cases: Step Functions Local's mock config, run on the local driver.

    {"StateMachines": {NAME: {"TestCases": {CASE: {STATE: RESPONSE_NAME,
                                                   "Input": {...},            # extension
                                                   "Expect": {"Status": …,    # extension
                                                              "Output": …, "Error": …,
                                                              "Cause": …}}}}},
     "MockedResponses": {RESPONSE_NAME: {"0": {"Return": …}, "1-2": {"Throw": {…}},
                                         "3": {"Return": …, "Seconds": 30}}}}   # extension

A case passes when its execution ends as `Expect` says (each member given must match;
`Status` is one of SUCCEEDED, FAILED, TIMED_OUT) and, without `Expect`, when it succeeds.
`Input` is the case's execution input (else the caller's default). Neither extension is a
string, so neither reads as a response name (state names are mapped to strings): `Expect`
is an object, `Input` any JSON value but a string (a string there names the response of a
state called "Input").

Task states the case does not mock run their real handler (what Step Functions Local does
with an unmocked state: it calls the service), unless the caller names the states allowed to
(`real_handlers`): any other unmocked Task then fails with `StepStudio.NotMocked`, a cause
naming the state and attempt, so a test never calls something nobody ticked.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import check_definition, handlers
from .drivers.local import LocalDriver
from .limits import MAX_PAYLOAD_BYTES
from .mocks import MockConfig
from .step import TaskResult

EXTENSIONS = ("Expect", "Input")
STATUSES = ("SUCCEEDED", "FAILED", "TIMED_OUT")
NOT_MOCKED = "StepStudio.NotMocked"
# Expect's members, by the name the issue and the docs give them (either spelling accepted).
_EXPECT_KEYS = {"status": "Status", "output": "Output", "error": "Error", "cause": "Cause"}


class MockConfigError(ValueError):
    """The mock config does not have the file's shape; `problems` name each place."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class CaseResult:
    name: str
    passed: bool
    status: str
    output: Any = None
    error: str | None = None
    cause: str | None = None
    expect: dict | None = None
    mismatches: list[str] = field(default_factory=list)
    events: list = field(default_factory=list)

    def to_dict(self, history: bool = False) -> dict:
        out = {"name": self.name, "passed": self.passed, "status": self.status,
               "output": self.output, "error": self.error, "cause": self.cause,
               "expect": self.expect, "mismatches": self.mismatches}
        if history:
            out["events"] = self.events
        return out

    def line(self) -> str:
        """One line for a terminal: PASS/FAIL, the case, how it ended and why it failed."""
        ended = self.status + (f" ({self.error})" if self.error else "")
        why = f": {'; '.join(self.mismatches)}" if self.mismatches else ""
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}  {ended}{why}"


def _is_object(value) -> bool:
    return isinstance(value, dict)


def check_config(config) -> list[str]:
    """Problems with the mock config's shape, each naming where ("" when it is fine to run)."""
    if not _is_object(config):
        return ["the mock config must be a JSON object"]
    problems = []
    unknown = set(config) - {"StateMachines", "MockedResponses"}
    if unknown:
        problems.append(f"unknown top-level member(s): {', '.join(sorted(unknown))}")
    machines = config.get("StateMachines", {})
    responses = config.get("MockedResponses", {})
    if not _is_object(machines):
        problems.append("StateMachines must be an object")
        machines = {}
    if not _is_object(responses):
        problems.append("MockedResponses must be an object")
        responses = {}
    for machine, body in machines.items():
        cases = body.get("TestCases") if _is_object(body) else None
        if not _is_object(cases):
            problems.append(f"StateMachines.{machine}: TestCases must be an object")
            continue
        for case, mapping in cases.items():
            where = f"StateMachines.{machine}.TestCases.{case}"
            if not _is_object(mapping):
                problems.append(f"{where} must be an object of state name → response name")
                continue
            for state, response in mapping.items():
                if state == "Expect" and _is_object(response):
                    continue
                if state == "Input" and not isinstance(response, str):
                    continue
                if not isinstance(response, str):
                    problems.append(f"{where}.{state}: a response name (string) expected")
                elif response not in responses:
                    problems.append(f"{where}.{state}: no MockedResponses entry '{response}'")
            expect = mapping.get("Expect")
            if _is_object(expect):
                problems.extend(_check_expect(expect, f"{where}.Expect"))
    for name, table in responses.items():
        if not _is_object(table) or not table:
            problems.append(f"MockedResponses.{name} must be an object of attempt → response")
            continue
        for key, entry in table.items():
            where = f"MockedResponses.{name}.{key}"
            lo, _, hi = str(key).partition("-")
            if not lo.isdigit() or (hi and not hi.isdigit()) or (hi and int(hi) < int(lo)):
                problems.append(f"{where}: the key must be an attempt number or a range like 1-2")
            if not _is_object(entry) or ("Return" in entry) == ("Throw" in entry):
                problems.append(f"{where}: exactly one of Return or Throw expected")
                continue
            if "Throw" in entry and not _is_object(entry["Throw"]):
                problems.append(f"{where}.Throw must be an object with Error and Cause")
            seconds = entry.get("Seconds")
            if seconds is not None and (isinstance(seconds, bool)
                                        or not isinstance(seconds, (int, float)) or seconds < 0):
                problems.append(f"{where}.Seconds must be a number of seconds, 0 or more")
    return problems


def _check_expect(expect: dict, where: str) -> list[str]:
    problems = []
    for key in expect:
        if key.lower() not in _EXPECT_KEYS:
            problems.append(f"{where}: unknown member {key} (Status, Output, Error, Cause)")
    status = _expected(expect, "status")
    if status is not _MISSING and status not in STATUSES:
        problems.append(f"{where}.Status must be one of {', '.join(STATUSES)}")
    return problems


_MISSING = object()


def _expected(expect: dict, key: str):
    for name in (_EXPECT_KEYS[key], key):
        if name in expect:
            return expect[name]
    return _MISSING


def machine_cases(config: dict, machine: str | None) -> tuple[str | None, dict]:
    """(the machine's name in the config, its test cases). Without a name, the config's only
    machine (as Step Functions Local picks it)."""
    machines = config.get("StateMachines") or {}
    if machine is None and len(machines) == 1:
        machine = next(iter(machines))
    body = machines.get(machine) if machine is not None else None
    return machine, ((body or {}).get("TestCases") or {})


def mismatches(expect: dict | None, status: str, output, error, cause) -> list[str]:
    """Why an execution that ended so does not meet `expect` ([] when it does)."""
    if expect is None:
        return [] if status == "SUCCEEDED" else [f"expected SUCCEEDED, got {status}"]
    found = []
    want = _expected(expect, "status")
    if want is not _MISSING and want != status:
        found.append(f"expected status {want}, got {status}")
    want = _expected(expect, "output")
    if want is not _MISSING and want != output:
        found.append(f"expected output {_short(want)}, got {_short(output)}")
    for key, got in (("error", error), ("cause", cause)):
        want = _expected(expect, key)
        if want is not _MISSING and want != got:
            found.append(f"expected {key} {_short(want)}, got {_short(got)}")
    return found


def _short(value, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _invoker(real_handlers: Iterable[str] | None):
    """What runs an unmocked Task: its handler, if allowed."""
    if real_handlers is None:
        return handlers.invoke
    allowed = set(real_handlers)

    def invoke(request: dict) -> TaskResult:
        if request["state"] in allowed:
            return handlers.invoke(request)
        return TaskResult(False, None, NOT_MOCKED,
                          f"The state '{request['state']}' has no mocked result for attempt "
                          f"{request.get('attempt', 0)} and its real handler is not ticked.")
    return invoke


def run_case(machine, config: dict, machine_name: str | None, case: str, input_value=None, *,
             real_handlers: Iterable[str] | None = None, state_machine_type: str = "STANDARD",
             clock=None) -> CaseResult:
    """Run one test case of a parsed `machine` (engine.asl.check_definition's)."""
    name, cases = machine_cases(config, machine_name)
    mapping = cases.get(case) or {}
    expect = mapping.get("Expect") if _is_object(mapping.get("Expect")) else None
    if "Input" in mapping and not isinstance(mapping["Input"], str):
        input_value = mapping["Input"]
    mocks = MockConfig(config, name, case)
    driver = LocalDriver(machine, mocks, clock, invoke=_invoker(real_handlers))
    result = driver.run(input_value, None, name, state_machine_type)
    found = mismatches(expect, result.status, result.output, result.error, result.cause)
    return CaseResult(case, not found, result.status, result.output, result.error, result.cause,
                      expect, found, result.events)


def run_cases(definition, config: dict, machine_name: str | None = None, input_value=None, *,
              cases: Iterable[str] | None = None, real_handlers: Iterable[str] | None = None,
              state_machine_type: str = "STANDARD") -> list[CaseResult]:
    """Run every test case the config gives for the machine (or the named `cases`).

    Raises `InvalidDefinition` for a definition that must not run, `MockConfigError` for a
    config of the wrong shape, `KeyError` (with the case name) for a case it does not have."""
    problems = check_config(config)
    if problems:
        raise MockConfigError(problems)
    machine = check_definition(definition, state_machine_type)
    name, known = machine_cases(config, machine_name)
    wanted = list(known) if cases is None else list(cases)
    for case in wanted:
        if case not in known:
            raise KeyError(case)
    return [run_case(machine, config, name, case, input_value, real_handlers=real_handlers,
                     state_machine_type=state_machine_type) for case in wanted]


def input_too_large(value) -> bool:
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8")) > MAX_PAYLOAD_BYTES
