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

from .. import handlers, nested, step as S
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
    def __init__(self, machine, mocks: MockConfig | None = None, clock=None, invoke=None,
                 children=None):
        self.machine = machine
        self.mocks = mocks
        self.clock = clock or VirtualClock()
        self.deadline = None
        self._invoke = invoke or handlers.invoke
        # Nested executions (`states:startExecution`): a `Children` that runs child machines
        # in-process, or None (such a Task then needs a mock or a handler, as before).
        self.children = children

    def invoke(self, request: dict) -> S.TaskResult:
        if self.mocks:
            mocked = self.mocks.result(request)
            if mocked is not None:
                return mocked
        call = self._invoke
        if (self.children is not None and nested.is_start_execution(request)
                and handlers.handler_for(request) is None):
            call = self.start_child
        token = request.get("token")
        if not token:
            return call(request)
        # `.waitForTaskToken`: the result is what the handler sends back with
        # handlers.send_task_success/failure (as a Lambda calling SendTaskSuccess). Nobody
        # else can answer in-process, so a handler that sent nothing stands for the callback
        # with its own result (already unwrapped: handlers.shape_result).
        with handlers.CallbackBox(token) as box:
            result = call(request)
        if box.answer is not None:
            box.answer.duration = getattr(result, "duration", None)
            return box.answer
        return result

    def start_child(self, request: dict) -> S.TaskResult:
        """Run a nested execution to its end in-process; the Task's result as AWS shapes it."""
        pattern = nested.pattern(request)
        try:
            arn, value, name = nested.start_arguments(request.get("parameters"))
            child = self.children.run(arn, value, name, self.clock,
                                      shared_clock=pattern != nested.REQUEST_RESPONSE)
        except nested.StartError as err:
            return S.TaskResult(False, None, err.error, err.cause)
        if pattern == nested.REQUEST_RESPONSE:
            return S.TaskResult(True, nested.start_response(child["arn"], child["start_date"]))
        if pattern == nested.CALLBACK:
            # Reached only when the child never answered the token (the answer, when it
            # came, is taken by `invoke`): on AWS the Task would wait for ever.
            return S.TaskResult(False, None, "States.Runtime",
                                f"The execution '{child['arn']}' started by state "
                                f"'{request['state']}' ended without answering its task token")
        ok, value, error, cause = nested.sync_outcome(child, pattern == nested.SYNC2)
        return S.TaskResult(ok, value, error, cause,
                            submitted=nested.start_response(child["arn"], child["start_date"]))

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
            state_machine_type: str = "STANDARD", context_info: dict | None = None) -> ExecutionResult:
        ctx = context_info or S.default_context_info(
            input_value, name=name or str(uuid.uuid4()), machine_name=machine_name or "StateMachine",
            start_time=self.clock.now(), state_machine_type=state_machine_type)
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


class Children:
    """Child state machines for nested executions in-process: `resolve(arn)` gives the
    definition a `StateMachineArn` names (a dict or JSON text), None when there is none.
    A child runs to its end before its parent goes on (on the parent's clock for `.sync` and
    callbacks; on a clock of its own for request-response, whose parent does not wait), with
    the same mock config (its test case's states under the child's own machine name)."""

    MAX_DEPTH = 20  # a machine that starts itself would otherwise never end in-process

    def __init__(self, resolve, mock_config=None, test_case=None, depth: int = 0, invoke=None):
        self.resolve, self.mock_config, self.test_case = resolve, mock_config, test_case
        self.depth, self.invoke = depth, invoke

    def run(self, arn: str, value, name: str | None, clock, shared_clock: bool) -> dict:
        from .. import check_definition
        parts = arn.split(":")
        definition = self.resolve(arn) if arn.startswith("arn:") and len(parts) >= 7 else None
        if definition is None or parts[5] != "stateMachine":
            raise nested.StartError("StateMachineDoesNotExist",
                                    f"State Machine Does Not Exist: '{arn}'")
        if self.depth >= self.MAX_DEPTH:
            raise nested.StartError("ExecutionLimitExceeded",
                                    f"More than {self.MAX_DEPTH} nested executions deep")
        machine_name, region, account = parts[6], parts[3] or "us-east-1", parts[4]
        name = name or str(uuid.uuid4())
        machine = check_definition(definition)
        mocks = (MockConfig(self.mock_config, machine_name, self.test_case)
                 if self.mock_config else None)
        own = clock if shared_clock else VirtualClock(clock.now())
        start = own.now()
        driver = LocalDriver(machine, mocks, own, invoke=self.invoke, children=Children(
            self.resolve, self.mock_config, self.test_case, self.depth + 1, self.invoke))
        ctx = S.default_context_info(value, name=name, machine_name=machine_name, region=region,
                                     account=account, start_time=start)
        result = driver.run(value, name, machine_name, context_info=ctx)
        machine_arn = f"arn:aws:states:{region}:{account}:stateMachine:{machine_name}"
        return {"arn": ctx["Execution"]["Id"], "state_machine_arn": machine_arn,
                "name": name, "status": result.status, "start_date": start,
                "stop_date": own.now(), "input": value, "output": result.output,
                "error": result.error, "cause": result.cause, "redrive_count": 0,
                "version_arn": arn if len(parts) == 8 and parts[7].isdigit() else None,
                "events": result.events}


def run_state_machine(definition, input=None, mock_config=None, state_machine_name=None, test_case=None,
                      *, clock=None, execution_name=None, state_machine_type="STANDARD",
                      definition_substitutions=None, state_machines=None,
                      fallback_invoker=None) -> ExecutionResult:
    """Run `definition` on `input` in-process (virtual clock); see engine/asl/README.md.

    Raises `InvalidDefinition` (nothing runs) when the parser or the validator reports an
    ERROR, or when `${Name}` placeholders are left once `definition_substitutions` (a map of
    names to values, as CloudFormation's DefinitionSubstitutions) are applied.
    `state_machine_type` "EXPRESS" applies the Express-only validation rules and the
    Express context object (no `Execution.RedriveCount`). `fallback_invoker` answers Tasks
    that no mock and no registered handler answer (e.g. `engine.asl.integrations.AwsInvoker`
    for real AWS calls); None: the one installed with `handlers.set_fallback_invoker`.

    `state_machines` runs `arn:aws:states:::states:startExecution[.sync|.sync:2|
    .waitForTaskToken]` Tasks (without a mock or a handler) as nested executions in-process:
    a mapping of state machine ARNs to definitions, or a function ARN → definition or None."""
    from .. import check_definition
    machine = check_definition(definition, state_machine_type,
                               substitutions=definition_substitutions)
    # `input` is the parsed JSON value (a str is a JSON string, not JSON text).
    mocks = MockConfig(mock_config, state_machine_name, test_case) if mock_config else None
    invoke = None
    if fallback_invoker is not None:
        invoke = functools.partial(handlers.invoke, fallback=fallback_invoker)
    children = None
    if state_machines is not None:
        resolve = state_machines if callable(state_machines) else state_machines.get
        children = Children(resolve, mock_config, test_case, invoke=invoke)
    driver = LocalDriver(machine, mocks, clock, invoke=invoke, children=children)
    return driver.run(input, execution_name, state_machine_name, state_machine_type)
