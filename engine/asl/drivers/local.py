"""The in-process driver: runs a whole execution on a virtual clock.

It is nothing but a loop over `step.advance` (the same evaluator the durable runtime drives):
`InvokeTask` → mock or handler, `Sleep` → jump the virtual clock, `FanOut` → run the children
one after another (sequential fan-out; AWS's interleaving of concurrent children is not
specified, see `fan_out` for what a failing child does to the others).
"""
from __future__ import annotations

import functools
import uuid
from datetime import timedelta
from dataclasses import dataclass, field
from typing import Any

from .. import handlers, step as S
from ..clock import VirtualClock
from ..events import Ids
from ..limits import HISTORY_LIMIT_CAUSE, MAX_HISTORY_EVENTS
from ..mocks import MockConfig


@dataclass
class ExecutionResult:
    status: str
    output: Any = None
    error: str | None = None
    cause: str | None = None
    events: list = field(default_factory=list)


class _TimedOut(Exception):
    pass


class _HistoryFull(Exception):
    pass


class LocalDriver:
    def __init__(self, machine, mocks: MockConfig | None = None, clock=None, invoke=None):
        self.machine = machine
        self.mocks = mocks
        self.clock = clock or VirtualClock()
        self.deadline = None
        self._invoke = invoke or handlers.invoke

    def invoke(self, request: dict) -> S.TaskResult:
        if self.mocks:
            mocked = self.mocks.result(request)
            if mocked is not None:
                return mocked
        token = request.get("token")
        if not token:
            return self._invoke(request)
        # `.waitForTaskToken`: the result is what the handler sends back with
        # handlers.send_task_success/failure (as a Lambda calling SendTaskSuccess). Nobody
        # else can answer in-process, so a handler that sent nothing stands for the callback
        # with its own result (already unwrapped: handlers.shape_result).
        with handlers.CallbackBox(token) as box:
            result = self._invoke(request)
        if box.answer is not None:
            box.answer.duration = getattr(result, "duration", None)
            return box.answer
        return result

    def simulate_time(self, request: dict, result: S.TaskResult) -> S.TaskResult:
        """A handler that returned `TakesTime` ran for a while on the virtual clock: enforce
        the task's TimeoutSeconds / HeartbeatSeconds and the execution deadline."""
        took = getattr(result, "duration", None)
        if took is None:
            return result
        start = self.clock.now()
        limit, error = took.seconds, None
        timeout, beat = request.get("timeout_seconds"), request.get("heartbeat_seconds")
        if timeout is not None and timeout < limit:
            limit, error = timeout, "States.Timeout"
        if beat is not None and (took.heartbeat_every is None or took.heartbeat_every > beat) and beat < limit:
            limit, error = beat, "States.HeartbeatTimeout"
        until = start + timedelta(seconds=limit)
        if self.deadline is not None and until > self.deadline:
            self.clock.advance_to(self.deadline)
            raise _TimedOut()
        self.clock.advance_to(until)
        if error:
            return S.TaskResult(False, None, error, None)
        return result

    def run_lane(self, cursor: dict, ids, events: list, top: bool = False) -> S.Finished:
        machine, clock = self.machine, self.clock
        outcome = S.advance(machine, cursor, None, ids, clock)
        while True:
            events.extend(outcome.events)
            if len(events) > MAX_HISTORY_EVENTS:
                raise _HistoryFull()
            cursor = outcome.cursor
            if isinstance(outcome, S.Continue):  # the commonest outcome first
                inbound = None
            elif isinstance(outcome, S.Finished):
                return outcome
            elif isinstance(outcome, S.InvokeTask):
                inbound = self.simulate_time(outcome.request, self.invoke(outcome.request))
            elif isinstance(outcome, S.Sleep):
                if self.deadline is not None and outcome.until > self.deadline:
                    clock.advance_to(self.deadline)
                    raise _TimedOut()
                clock.advance_to(outcome.until)
                inbound = S.Wake()
            elif isinstance(outcome, S.FanOut):
                outcome = self.fan_out(cursor, outcome, ids, events)
                continue
            else:
                raise RuntimeError(f"unexpected outcome {outcome!r}")
            outcome = S.advance(machine, cursor, inbound, ids, clock)

    def fan_out(self, parent: dict, fo: S.FanOut, ids, events: list):
        """Children run one after another. With MaxConcurrency 1 AWS starts an iteration only
        after the previous one ended, so a failure stops the rest; otherwise AWS starts them
        all at once, so every child runs (a failure among them is reported in index order)."""
        sequential = fo.max_concurrency == 1
        result = None
        if not sequential:
            # Every child runs; the parent then gets all results at once (`ChildrenDone`, in
            # child order: the same outcome as one `ChildDone` per child, in fewer steps).
            done = [self.run_lane(child, Ids() if fo.separate_history else ids,
                                  [] if fo.separate_history else events).as_result()
                    for child in fo.children]
            return S.advance(self.machine, parent, S.ChildrenDone(done), ids, self.clock)
        for i, child in enumerate(fo.children):
            if fo.separate_history:
                finished = self.run_lane(child, Ids(), [])
            else:
                # One at a time: AWS starts the next iteration after the previous one's last
                # state event (its MapIterationStarted has that previousEventId).
                child["prev"] = max(child.get("prev", 0), parent.get("prev", 0))
                finished = self.run_lane(child, ids, events)
            result = S.advance(self.machine, parent, S.ChildDone(i, finished.as_result()), ids, self.clock)
            if not isinstance(result, S.Await):
                return result
            events.extend(result.events)
        return result

    def run(self, input_value, name: str | None = None, machine_name: str | None = None,
            state_machine_type: str = "STANDARD") -> ExecutionResult:
        ctx = S.default_context_info(input_value, name=name or str(uuid.uuid4()),
                                     machine_name=machine_name or "StateMachine", start_time=self.clock.now(),
                                     state_machine_type=state_machine_type)
        self.deadline = S.execution_deadline(self.machine, self.clock.now())
        ids = Ids()
        events: list = []
        cursor = S.start(self.machine, input_value, ctx)
        try:
            fin = self.run_lane(cursor, ids, events, top=True)
        except _TimedOut:
            fin = S.timed_out(cursor, ids, self.clock)
            events.extend(fin.events)
        except _HistoryFull:
            fin = S.fail_execution(cursor, ids, self.clock, "States.Runtime", HISTORY_LIMIT_CAUSE)
            events.extend(fin.events)
        return ExecutionResult(fin.status, fin.output, fin.error, fin.cause, events)


def run_state_machine(definition, input=None, mock_config=None, state_machine_name=None, test_case=None,
                      *, clock=None, execution_name=None, state_machine_type="STANDARD",
                      definition_substitutions=None, fallback_invoker=None) -> ExecutionResult:
    """Run `definition` on `input` in-process (virtual clock); see engine/asl/README.md.

    Raises `InvalidDefinition` (nothing runs) when the parser or the validator reports an
    ERROR, or when `${Name}` placeholders are left once `definition_substitutions` (a map of
    names to values, as CloudFormation's DefinitionSubstitutions) are applied.
    `state_machine_type` "EXPRESS" applies the Express-only validation rules and the
    Express context object (no `Execution.RedriveCount`). `fallback_invoker` answers Tasks
    that no mock and no registered handler answer (e.g. `engine.asl.integrations.AwsInvoker`
    for real AWS calls); None: the one installed with `handlers.set_fallback_invoker`."""
    from .. import check_definition
    machine = check_definition(definition, state_machine_type,
                               substitutions=definition_substitutions)
    # `input` is the parsed JSON value (a str is a JSON string, not JSON text).
    mocks = MockConfig(mock_config, state_machine_name, test_case) if mock_config else None
    invoke = None
    if fallback_invoker is not None:
        invoke = functools.partial(handlers.invoke, fallback=fallback_invoker)
    driver = LocalDriver(machine, mocks, clock, invoke=invoke)
    return driver.run(input, execution_name, state_machine_name, state_machine_type)
