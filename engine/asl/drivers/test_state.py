"""The TestState driver: one state, entered once, on an input, with what AWS's TestState takes.

AWS's TestState runs a single state (given alone, or by `stateName` within a whole machine)
and reports its output and next state without running the next one. This driver enters the
state with the given input, variables and context object, takes steps with the same
evaluator as every other driver until the lane leaves the state, and stops:

* it moved to another state (Next, a Choice rule, a Catcher): SUCCEEDED or CAUGHT_ERROR,
  with `next_state`;
* it ended the lane (End, Succeed, Fail, an uncaught error): SUCCEEDED or FAILED;
* a Retrier matched an error: RETRIABLE, with the retrier's index and backoff (TestState
  never waits for a retry);
* a Wait state's time passes on the virtual clock at once.

A `mock` (TaskResult) stands for the task's outcome: no handler is called. Map and Parallel
states are not run here (AWS's TestState of those is inspection of their configuration).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .. import handlers, retry, step as S
from ..clock import VirtualClock
from ..dataflow import Env, for_state
from ..errors import StatesError
from ..events import Ids
from ..model import JSONATA
from .local import LocalDriver

# Types whose Next-like fields name other states (targets for the single-state stand-ins).
_TARGET_KEYS = ("Next", "Default")


@dataclass
class TestStateRun:
    status: str  # SUCCEEDED, FAILED, RETRIABLE, CAUGHT_ERROR
    output: Any = None
    has_output: bool = False
    error: str | None = None
    cause: str | None = None
    next_state: str | None = None
    variables: dict = field(default_factory=dict)
    # What the task returned (the mock's or the handler's value), for inspection.
    task_result: S.TaskResult | None = None
    request: dict | None = None  # the InvokeTask request (arguments, resource)
    retry_index: int | None = None
    retry_backoff_seconds: int | None = None
    catch_index: int | None = None
    inspection: dict = field(default_factory=dict)
    events: list = field(default_factory=list)


def machine_for_state(state: dict, name: str) -> dict:
    """A one-state machine around `state`, with succeeding stand-ins for the states it names
    (so that it validates as a whole machine would)."""
    states = {name: state}
    targets = [state.get(k) for k in _TARGET_KEYS]
    targets += [c.get("Next") for c in state.get("Choices") or [] if isinstance(c, dict)]
    targets += [c.get("Next") for c in state.get("Catch") or [] if isinstance(c, dict)]
    for target in targets:
        if isinstance(target, str) and target not in states:
            states[target] = {"Type": "Succeed"}
    definition = {"StartAt": name, "States": states}
    if state.get("QueryLanguage") == JSONATA:
        definition["QueryLanguage"] = JSONATA  # JSONPath-only fields are refused there anyway
    return definition


def run_state(machine, name: str, input_value, *, variables: dict | None = None,
              context: dict | None = None, mock: S.TaskResult | None = None,
              inspect: bool = False, invoke=None, clock=None,
              retrier_retry_count: int | None = None) -> TestStateRun:
    """Enter state `name` of the parsed `machine` once; see the module docstring.

    `retrier_retry_count` (TestState's stateConfiguration): how many retries the retrier
    that matches the task's error has made already, so its MaxAttempts and backoff apply."""
    clock = clock or VirtualClock()
    ctx = S.default_context_info(input_value, name="TestState", machine_name="TestState",
                                 start_time=clock.now())
    if context:
        ctx = _merged(ctx, context)
    cursor = {
        "v": 1,
        "frame": {"kind": S.EXECUTION, "path": [], "index": 0, "parent_state": None},
        "phase": "enter", "state": name, "input": input_value, "ctx": ctx,
        "vars": dict(variables or {}), "outer": [], "prev": 0,
    }
    run = TestStateRun(status="SUCCEEDED")
    ids = Ids()
    state = machine.state(name)
    failed: S.TaskResult | None = None
    outcome = S.advance(machine, cursor, None, ids, clock)
    while True:
        run.events.extend(outcome.events)
        if isinstance(outcome, S.Finished):
            run.status = outcome.status
            run.output, run.has_output = outcome.output, outcome.status == "SUCCEEDED"
            run.error, run.cause = outcome.error, outcome.cause
            break
        if isinstance(outcome, S.Continue):
            if cursor["phase"] == "enter":  # it left the state
                run.next_state = cursor["state"]
                run.output, run.has_output = cursor["input"], True
                error = _failure(run.events)
                if error is not None:
                    run.status = "CAUGHT_ERROR"
                    run.error, run.cause = error
                    run.catch_index = _catcher(state, run.error)
                break
            inbound = None
        elif isinstance(outcome, S.InvokeTask):
            run.request = outcome.request
            if retrier_retry_count is not None:
                cursor["retriers"] = [retrier_retry_count] * len(state.get("Retry") or [])
            inbound = mock if mock is not None else _invoke(machine, outcome.request, invoke, clock)
            run.task_result = inbound
            if not inbound.ok:
                failed = inbound
        elif isinstance(outcome, S.Sleep):
            if cursor["phase"] == "retry_wait":
                run.status = "RETRIABLE"
                error = (failed.error, failed.cause) if failed else _failure(run.events) or (None, None)
                run.error, run.cause = error
                run.retry_index = retry.find(state.get("Retry") or [], run.error or "")
                run.retry_backoff_seconds = max(0, round((outcome.until - clock.now()).total_seconds()))
                break
            clock.advance_to(outcome.until)  # a Wait state: no waiting in a test
            inbound = S.Wake()
        else:
            raise StatesError("States.Runtime", f"TestState does not run {state.get('Type')} states")
        outcome = S.advance(machine, cursor, inbound, ids, clock)
    run.variables = cursor.get("vars") or {}
    if inspect:
        run.inspection = _inspect(machine, state, name, input_value, ctx, variables or {}, run)
    return run


def _invoke(machine, request: dict, invoke, clock) -> S.TaskResult:
    # The local driver's invoke: handlers, and `.waitForTaskToken` answered in-process.
    return LocalDriver(machine, None, clock, invoke=invoke or handlers.invoke).invoke(request)


def _merged(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _failure(events: list) -> tuple[str | None, str | None] | None:
    """The error of the last *Failed / *TimedOut event, if the state failed on its way."""
    for event in reversed(events):
        kind = str(event.get("type", ""))
        if kind.endswith(("Failed", "TimedOut")) and kind not in ("ExecutionFailed",):
            details = next((v for k, v in event.items() if k.endswith("EventDetails")), {}) or {}
            return details.get("error"), details.get("cause")
    return None


def _catcher(state: dict, error: str | None) -> int | None:
    for i, catcher in enumerate(state.get("Catch") or []):
        if retry.matches(catcher.get("ErrorEquals") or [], error or ""):
            return i
    return None


def _inspect(machine, state: dict, name: str, input_value, ctx: dict, variables: dict,
             run: TestStateRun) -> dict:
    """AWS's inspectionData: the input after each data-flow stage (JSONPath: InputPath,
    Parameters, ResultSelector, ResultPath; JSONata: Arguments), the result, the variables.
    A stage that fails ends the list (the run's error says why)."""
    flow = for_state(machine, state)
    env = Env(input_value, _merged(ctx, {"State": {"Name": name, "EnteredTime": ctx.get(
        "Execution", {}).get("StartTime")}}), dict(variables), name)
    out: dict = {"input": input_value}
    jsonata = flow.query_language == JSONATA or machine.query_language_of(state) == JSONATA
    kind = state.get("Type")
    try:
        if not jsonata:
            out["afterInputPath"] = flow.effective_input(state, env)
        if kind in ("Task", "Pass", "Parallel", "Map"):
            out["afterArguments" if jsonata else "afterParameters"] = flow.arguments(state, env)
        if kind == "Task" and run.task_result is not None and run.task_result.ok:
            out["result"] = run.task_result.value
        elif kind == "Pass":
            out["result"] = flow.pass_result(state, env)
        if "result" in out and not jsonata:
            selected = out["result"]
            if "ResultSelector" in state:
                selected = flow.render(state["ResultSelector"], selected, env)
                out["afterResultSelector"] = selected
            out["afterResultPath"] = flow._result_path(state, env.input, selected, env)
    except StatesError:
        pass
    if run.variables:
        out["variables"] = run.variables
    return out
