"""The template method every state type shares (style habit 7).

`run_step` is what `step.advance` calls. For one cursor it either starts the lane, enters a
state, or resumes the current state with an inbound message. The base owns: the
`<Type>StateEntered` / `<Type>StateExited` events, data flow through `dataflow`, the payload
limit, variables, Retry (back-off as `Sleep`), Catch, and ending the lane. A state type only
implements its own work (`StateType.attempt` / `resume`) and reports back with
`x.succeed(result)` or by raising `StatesError`.
"""
from __future__ import annotations

from .. import dataflow, retry, task_tokens, variables
from ..clock import iso
from ..errors import ErrorName, StatesError
from ..events import error_details, payload as _payload, state_entered, state_exited
from ..limits import dumps, exceeds_payload_limit
from .. import step as S

TYPES: dict[str, "StateType"] = {}
_UNSET = object()

# Spec "Errors": States.Runtime "is not retriable, and will always cause the execution to
# fail. A retry or catch on States.ALL will not catch States.Runtime errors."
TERMINAL_ERRORS = {ErrorName.RUNTIME.value}


def payload_text(value) -> str:
    return _payload(value)[0]


def register(cls):
    TYPES[cls.type_name] = cls()
    return cls


class Terminal(StatesError):
    """An error that ends the execution without Retry/Catch (States.Runtime, and
    States.DataLimitExceeded when a *state's own* output is too large)."""


class StateType:
    type_name = ""
    can_retry = False          # Task, Parallel, Map have Retry/Catch
    failed_event: str | None = None   # emitted when an error is not retried (MapStateFailed…)
    has_retry_count = False    # $$.State.RetryCount present (tasks)

    def attempt(self, x: "Step"):
        """The state's work after StateEntered, and again after each retry back-off."""
        raise NotImplementedError

    def resume(self, x: "Step", inbound):
        raise StatesError(ErrorName.RUNTIME, f"State '{x.name}' did not expect {type(inbound).__name__}")


class Step:
    """One state of one lane, as seen by its StateType (`x`)."""

    __slots__ = ("root", "machine", "cursor", "em", "name", "state", "stype", "df", "_env")

    def __init__(self, root, machine, cursor, em, info=None):
        self.root = root
        self.machine = machine
        self.cursor = cursor
        self.em = em
        self.name = name = cursor["state"]
        if info is None:
            info = machine._info.get(name)
            if info is None:
                # Resolved once per (machine, state): the state dict, its type and data flow.
                st = machine.state(name)
                info = machine._info[name] = (st, TYPES[st["Type"]], dataflow.for_state(machine, st))
        self.state, self.stype, self.df = info
        self._env = None

    # -- reading ---------------------------------------------------------------------------
    @property
    def pending(self) -> dict:
        return self.cursor.setdefault("pending", {})

    @property
    def retry_count(self) -> int:
        return self.cursor.get("attempt", 0)

    def _task_facts(self) -> str:
        # Where this attempt of the task is: the same when its step is taken again, another
        # for each retry (attempt), each entry of the state (entered event) and each branch
        # or iteration (path, index).
        c = self.cursor
        return f"{c['ctx']['Execution']['Id']}|{self.machine.path}|{c['frame'].get('index')}|{self.name}|{c['entered_id']}|{self.retry_count}"

    def task_token(self) -> str:
        return task_tokens.task_token(self._task_facts())  # keyed with a secret: unguessable

    def idempotency_key(self) -> str:
        return task_tokens.idempotency_key(self._task_facts())

    def env(self) -> dataflow.Env:
        if self._env is None:
            c = self.cursor
            token = self.task_token() if c.setdefault("pending", {}).get("token") else None
            # The context object is built when first read (dataflow.Env).
            ctx_from = (c["ctx"], self.name, c["entered_time"],
                        c.get("attempt", 0) if self.stype.has_retry_count else None, token)
            self._env = dataflow.Env(c["input"], None, c["vars"], self.name, c["entered_id"],
                                     compiled=self.machine._compiled, context_from=ctx_from)
        return self._env

    def reset_env(self):
        self._env = None

    def where(self) -> str:
        return self.env().where()

    def runtime_error(self, reason: str) -> Terminal:
        return Terminal(ErrorName.RUNTIME, f"{self.where()} {reason}")

    # -- ending the state ------------------------------------------------------------------
    def succeed(self, result, *, output=_UNSET, assigned=None, next_state=None):
        """The state's work produced `result`: data flow, Exited event, transition.

        States without a result (Choice) pass the finished `output` instead."""
        if output is _UNSET:
            env = self.env()
            env.result = result
            output, assigned = self.df.output(self.state, env)
        text = _payload(output)[0]  # memoised: an unchanged input is not serialised again
        if exceeds_payload_limit(text):
            raise Terminal(ErrorName.DATA_LIMIT_EXCEEDED,
                           f"The state/task '{self.name}' returned a result with a size exceeding "
                           f"the maximum number of bytes service limit.")
        extra = self.store_variables(assigned) if assigned else None
        state_exited(self.em, self.stype.type_name, self.name, output, text, extra)
        return self.transition(output, next_state)

    def store_variables(self, assigned) -> dict | None:
        """Store one Assign's values (all at once, after Output was computed) and return the
        Exited-event fields that show them."""
        if not assigned:
            return None
        c = self.cursor
        c["vars"] = variables.assign(c["vars"], assigned, c.get("outer") or ())
        return variables.assigned_variables_details(assigned)

    def transition(self, output, next_state=None):
        c = self.cursor
        # An explicit target (a Choice rule, a Catcher) wins over the state's own End/Next.
        nxt = next_state or (None if self.state.get("End") else self.state.get("Next"))
        if nxt is None:
            return finish_lane(self.root, c, self.em, "SUCCEEDED", output, None, None)
        c["state"] = nxt
        c["input"] = output
        c["phase"] = "enter"
        c.pop("pending", None)
        return S.Continue(c, self.em.events)

    def fail(self, err: StatesError, evaluated: bool = False):
        """Spec "Retrying after error" then "Fallback states"; else the lane fails.

        `evaluated`: the error came from evaluating this state's own fields (AWS then fails
        the execution straight away for States.Runtime), not from its work (a task, a child).
        """
        c = self.cursor
        name, cause = err.error, err.cause
        if isinstance(err, Terminal) or name in TERMINAL_ERRORS:
            if not evaluated and not isinstance(err, Terminal) and self.stype.failed_event:
                # A child lane's States.Runtime still fails this Map/Parallel visibly.
                self.em.emit(self.stype.failed_event, error_details(name, cause))
            return self.fail_lane(name, cause, aborted=False)
        if name == ErrorName.QUERY_EVALUATION_ERROR.value and not getattr(err, "reported", False):
            # AWS records the failed evaluation itself before failing the state.
            extra = {"state": self.name}
            location = getattr(err, "location", None)
            if location:
                extra["location"] = location  # the failing field, e.g. "Output/result"
            self.em.emit("EvaluationFailed", error_details(name, cause, **extra))
        if self.stype.can_retry:
            retriers = self.state.get("Retry") or []
            i = retry.find(retriers, name)
            if i is not None:
                counts = c.setdefault("retriers", [0] * len(retriers))
                r = retriers[i]
                if counts[i] < retry.max_attempts(r):
                    delay = retry.delay_seconds(r, counts[i], retry.rng_for(c, self.name))
                    counts[i] += 1
                    c["attempt"] = c.get("attempt", 0) + 1
                    c["phase"] = "retry_wait"
                    c["pending"] = {}
                    until = self.em.clock.now() + retry.timedelta_seconds(delay)
                    return S.Sleep(c, self.em.events, until)
        if self.stype.failed_event:
            self.em.emit(self.stype.failed_event, error_details(name, cause))
        if self.stype.can_retry:
            for catcher in self.state.get("Catch") or []:
                if retry.matches(catcher.get("ErrorEquals") or [], name):
                    env = self.env()
                    # Spec: the error output is an object with "Error" and "Cause" fields.
                    env.error_output = {"Error": name, "Cause": cause}
                    try:
                        output, assigned = self.df.catch_output(catcher, env)
                        extra = self.store_variables(assigned)
                    except StatesError as again:
                        # The Catcher's own ResultPath/Output failed: nothing is left to
                        # handle it, the lane fails with that error.
                        again = _with_where(self, again)
                        return self.fail_lane(again.error, again.cause)
                    state_exited(self.em, self.stype.type_name, self.name, output, None, extra)
                    return self.transition(output, catcher["Next"])
        return self.fail_lane(name, cause, aborted=self.stype.type_name != "Fail")

    def fail_lane(self, error, cause, aborted=False):
        kind = self.cursor["frame"]["kind"]
        if aborted and kind == S.BRANCH:
            # AWS marks the state a failing Parallel branch was in as aborted.
            self.em.emit(f"{self.stype.type_name}StateAborted")
        finished = finish_lane(self.root, self.cursor, self.em, "FAILED", None, error, cause)
        if aborted and kind == S.MAP_ITERATION:
            # …and the state of a failing Map iteration, after its MapIterationFailed.
            self.em.emit(f"{self.stype.type_name}StateAborted", chain=False)
        return finished


def finish_lane(root, cursor, em, status, output, error, cause):
    frame = cursor["frame"]
    kind = frame["kind"]
    if kind in (S.EXECUTION, S.MAP_RUN_ITEM):
        if status == "SUCCEEDED":
            text = dumps(output)
            em.emit("ExecutionSucceeded", {"output": text, "outputDetails": {"truncated": False}})
        else:
            em.emit("ExecutionFailed", error_details(error, cause))
    elif kind == S.MAP_ITERATION:
        # AWS: the iteration's end event is not the previousEventId of what follows (the
        # next iteration's MapIterationStarted, MapStateFailed) — its last state event is.
        cursor["last"] = em.emit("MapIterationSucceeded" if status == "SUCCEEDED" else "MapIterationFailed",
                                 {"name": frame.get("parent_state"), "index": frame.get("index", 0)}, chain=False)
    cursor["phase"] = "done"
    cursor.pop("pending", None)
    return S.Finished(status, output, error, cause, em.events, cursor)


def _start_lane(root, machine, cursor, em):
    frame = cursor["frame"]
    kind = frame["kind"]
    if kind in (S.EXECUTION, S.MAP_RUN_ITEM):
        ex = cursor["ctx"].get("Execution", {})
        details = {"input": dumps(cursor["input"]), "inputDetails": {"truncated": False}}
        if ex.get("RoleArn"):
            details["roleArn"] = ex["RoleArn"]
        # AWS: the first state's Entered event has previousEventId 0, not ExecutionStarted's id.
        em.emit("ExecutionStarted", details, chain=False)
    elif kind == S.MAP_ITERATION:
        em.emit("MapIterationStarted", {"name": frame.get("parent_state"), "index": frame.get("index", 0)})
    cursor["state"] = machine.start_at
    cursor["phase"] = "enter"


def _enter(root, machine, cursor, em):
    c = cursor
    name = c["state"]
    info = machine._info.get(name)  # None the first time: Step resolves it after the event
    state = machine.state(name) if info is None else info[0]
    c["entered_id"] = state_entered(em, state["Type"], name, c["input"])
    c["entered_time"] = iso(em.clock.now())
    c["attempt"] = 0
    c.pop("retriers", None)
    c["pending"] = {}
    c["phase"] = "active"
    x = Step(root, machine, c, em, info)
    try:  # _guard(x, x.stype.attempt), inline: this is every state entry
        return x.stype.attempt(x)
    except StatesError as err:
        return x.fail(_with_where(x, err), evaluated=True)


def _guard(x: Step, fn, *args):
    try:
        return fn(x, *args)
    except StatesError as err:
        return x.fail(_with_where(x, err), evaluated=True)


def _with_where(x: Step, err: StatesError) -> StatesError:
    # AWS prefixes state-evaluation failures with where they happened.
    if err.error in (ErrorName.RUNTIME.value, ErrorName.QUERY_EVALUATION_ERROR.value) and \
            isinstance(err.cause, str) and not err.cause.startswith("An error occurred while executing the state"):
        err.cause = f"{x.where()} {err.cause}"
    return err


def run_step(root, cursor, inbound, em):
    machine = root.resolve(cursor["frame"]["path"])
    phase = cursor["phase"]
    if phase == "start":
        _start_lane(root, machine, cursor, em)
        phase = "enter"
    if phase == "enter":
        return _enter(root, machine, cursor, em)
    if phase == "done":
        raise StatesError(ErrorName.RUNTIME, "advance() called on a finished lane")
    x = Step(root, machine, cursor, em)
    if phase == "retry_wait":
        cursor["phase"] = "active"
        return _guard(x, x.stype.attempt)
    return _guard(x, x.stype.resume, inbound)
