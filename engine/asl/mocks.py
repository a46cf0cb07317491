"""Mock config in the AWS Step Functions Local format.

    {"StateMachines": {NAME: {"TestCases": {CASE: {STATE: RESPONSE_NAME}}}},
     "MockedResponses": {RESPONSE_NAME: {"0": {"Return": ...}, "1-2": {"Throw": {...}}}}}

Keys are attempt numbers *within one entry into the state* ("0" first attempt, "1" first
retry; "1-2" a range); numbering restarts each time the state is entered again.
`Return` is the task's raw result, except for the legacy Lambda ARN, where it is a Lambda
Invoke response whose `Payload` is the result. `Throw` fails with Error/Cause (either may be
absent).

Extensions StepStudio reads and AWS's tool does not need (engine/asl/testcases.py): a test
case may hold `Expect` and `Input` members (objects, never response names, so they are told
apart from state names by type), and a response entry may hold `"Seconds": N`: the mocked
task runs N seconds on the virtual clock before it answers (TimeoutSeconds and
HeartbeatSeconds apply, as to a handler returning `handlers.TakesTime`).
"""
from __future__ import annotations

from .handlers import TakesTime
from .step import TaskResult


class MockConfig:
    def __init__(self, config: dict | None, state_machine_name: str | None = None, test_case: str | None = None):
        self.responses = (config or {}).get("MockedResponses") or {}
        machines = (config or {}).get("StateMachines") or {}
        machine = machines.get(state_machine_name) if state_machine_name else None
        if machine is None and len(machines) == 1 and state_machine_name is None:
            machine = next(iter(machines.values()))
        cases = (machine or {}).get("TestCases") or {}
        case = cases.get(test_case) if test_case else None
        if case is None and test_case is None and len(cases) == 1:
            case = next(iter(cases.values()))
        # Only name → response-name pairs are mocks; object members are test case extensions.
        self.states: dict = {k: v for k, v in (case or {}).items() if isinstance(v, str)}

    def __bool__(self):
        return bool(self.states)

    def has(self, state_name: str) -> bool:
        return state_name in self.states

    def response(self, state_name: str, attempt: int) -> dict | None:
        table = self.responses.get(self.states.get(state_name)) or {}
        ranges = []
        for key, value in table.items():
            lo, _, hi = str(key).partition("-")
            try:
                lo_i = int(lo)
                hi_i = int(hi) if hi else lo_i
            except ValueError:
                continue
            if lo_i <= attempt <= hi_i:
                return value
            ranges.append((hi_i, value))
        # Attempts past the last key repeat the last response (Step Functions Local).
        return max(ranges, key=lambda r: r[0])[1] if ranges else None

    def result(self, request: dict) -> TaskResult | None:
        """The mocked outcome for a task request, or None if the state is not mocked."""
        if not self.has(request["state"]):
            return None
        resp = self.response(request["state"], request.get("attempt", 0))
        if resp is None:
            return None
        if "Throw" in resp:
            t = resp["Throw"] or {}
            result = TaskResult(False, None, t.get("Error"), t.get("Cause"))
        else:
            value = resp.get("Return")
            if request.get("kind") == "lambda" and isinstance(value, dict) and "Payload" in value:
                value = value["Payload"]
            result = TaskResult(True, value)
        seconds = resp.get("Seconds")
        if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and seconds > 0:
            result.duration = TakesTime(seconds)
        return result
