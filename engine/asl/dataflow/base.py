"""The query-language interface every state uses for its data flow.

A state module never evaluates a path or an expression itself: it asks the `DataFlow` picked
for that state (`dataflow.for_state`), so the same Pass/Task/Map code runs in JSONPath and in
JSONata mode. Implementations:

* `dataflow/jsonpath.py` — `QueryLanguage: JSONPath` (InputPath, Parameters, ResultSelector,
  ResultPath, OutputPath, `*Path` fields, intrinsics; Assign with `.$` keys).
* `dataflow/jsonata.py` — `QueryLanguage: JSONata` (Arguments, Output, Assign, `{% %}` fields,
  `$states.input/result/errorOutput/context`).

Contract for implementers (all methods are pure: they never mutate `env.input`, `env.result`
or anything reachable from them — return new values instead, sharing unchanged sub-trees is
fine; errors are raised as `errors.StatesError(name, cause)` where `cause` is the bare
reason — the state machinery prefixes "An error occurred while executing the state 'X'
(entered at the event id #N). " itself when the error is a state-evaluation failure, see
`states/base.py::evaluation_error`). Use `env.where()` if your cause must embed that prefix.

The evaluation order inside one state (spec "Input and Output Processing"):

    effective = effective_input(state, env)            # JSONPath InputPath;   JSONata: input
    args      = arguments(state, env)                  # Parameters / Arguments (Task, Parallel)
    ... the state's own work produces env.result ...
    output, assigned = output(state, env)              # ResultSelector, ResultPath, OutputPath
                                                       # / Output; plus Assign
On a caught error:
    output, assigned = catch_output(catcher, env)      # env.error_output = {"Error","Cause"}
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from .. import context as _context

_MISSING = object()


class Env:
    """Everything an expression inside one state may read.

    `input`     the state's raw input (`$` before InputPath; JSONata `$states.input`)
    `context`   the context object (`$$`; JSONata `$states.context`)
    `variables` workflow variables visible to this state (read-only here)
    `result`    the state's result once known (task result, branch results; JSONata
                `$states.result`); `error_output` in a Catch (`$states.errorOutput`)
    `state_name`, `entered_id` for AWS's error causes.
    `compiled`  the machine's cache of compiled templates and rules (`compiled_for`); None
                compiles afresh on every use.

    One Env is built per state entry, so it is a slotted class, and the context object can
    be given as `context_from`, the arguments of `context.for_state`: it is then built on
    first read (many states, a plain Pass or Succeed, never read it).
    """

    __slots__ = ("input", "_context", "_context_from", "variables", "state_name", "entered_id",
                 "result", "error_output", "_effective", "compiled")

    def __init__(self, input: Any, context: dict | None = None, variables: dict | None = None,
                 state_name: str = "", entered_id: int = 0, result: Any = None,
                 error_output: Any = None, _effective: Any = _MISSING,
                 compiled: dict | None = None, *, context_from: tuple | None = None):
        self.input = input
        self._context = context
        self._context_from = context_from
        self.variables = variables
        self.state_name = state_name
        self.entered_id = entered_id
        self.result = result
        self.error_output = error_output
        self._effective = _effective
        self.compiled = compiled

    @property
    def context(self) -> dict:
        if self._context_from is not None:
            self._context = _context.for_state(*self._context_from)
            self._context_from = None
        return self._context

    @context.setter
    def context(self, value: dict) -> None:
        self._context, self._context_from = value, None

    def __repr__(self) -> str:
        return (f"Env(input={self.input!r}, context={self.context!r}, variables={self.variables!r}, "
                f"state_name={self.state_name!r}, entered_id={self.entered_id!r}, "
                f"result={self.result!r}, error_output={self.error_output!r})")

    def where(self) -> str:
        return (f"An error occurred while executing the state '{self.state_name}' "
                f"(entered at the event id #{self.entered_id}).")

    def with_map_item(self, index: int, value) -> "Env":
        """The env of a Map ItemSelector: `$$.Map.Item.Index/Value` become readable."""
        ctx = _context.with_map_item(self.context, index, value)
        return Env(self.input, ctx, self.variables, self.state_name, self.entered_id,
                   self.result, self.error_output, self._effective, self.compiled)


def compiled_for(env: Env, obj: Any, compile):
    """`compile(obj)` for a part of the definition (a template, a state's rules), computed
    once per machine: kept in `env.compiled`, the parsed machine's cache (model.py).

    Keyed by the object's identity: definitions are never mutated, and the entry holds the
    object itself, so its id cannot be reused by another object while the entry exists."""
    cache = env.compiled
    if cache is None:
        return compile(obj)
    key = (compile, id(obj))
    entry = cache.get(key)
    if entry is None or entry[0] is not obj:
        entry = cache[key] = (obj, compile(obj))
    return entry[1]


@dataclass
class FieldValue:
    """A value read from an expression-valued field, with where it came from (for causes).

    `field` is the definition key actually used (`"Seconds"` or `"SecondsPath"`, `"Items"`…),
    `expression` the path / JSONata text (None for a literal).
    """

    value: Any
    field: str
    expression: str | None = None


@dataclass
class ChoiceOutcome:
    next: str
    output: Any
    assigned: dict = field(default_factory=dict)


class DataFlow(ABC):
    query_language: str = ""

    @abstractmethod
    def effective_input(self, state: dict, env: Env) -> Any:
        """JSONPath: InputPath applied to env.input (`null` → `{}`); JSONata: env.input."""

    @abstractmethod
    def arguments(self, state: dict, env: Env) -> Any:
        """What a Task is invoked with / what each Parallel branch starts with.

        JSONPath: `Parameters` rendered over the effective input, else the effective input.
        JSONata: `Arguments` evaluated, else `$states.input`.
        """

    @abstractmethod
    def pass_result(self, state: dict, env: Env) -> Any:
        """A Pass state's result. JSONPath: `Result`, else rendered `Parameters`, else the
        effective input. JSONata: `$states.input` (Output does the rest)."""

    @abstractmethod
    def output(self, state: dict, env: Env) -> tuple[Any, dict]:
        """(state output, variables assigned) from `env.result`.

        JSONPath: ResultSelector → ResultPath onto the raw input → OutputPath; Assign.
        For states without a result (Wait, Succeed, Choice) pass the effective input as
        `env.result`: their ResultPath is absent, so `$` replaces and OutputPath applies.
        JSONata: `Output` (default `$states.result`) and `Assign`.
        """

    @abstractmethod
    def catch_output(self, catcher: dict, env: Env) -> tuple[Any, dict]:
        """(output handed to the Catch's Next state, variables assigned) for
        `env.error_output` = {"Error": e, "Cause": c}. JSONPath: the catcher's ResultPath
        onto the raw input (default `$`). JSONata: catcher `Output` (default errorOutput)."""

    @abstractmethod
    def field(self, state: dict, name: str, env: Env) -> FieldValue | None:
        """An expression-valued field: `name` is the base key (`Seconds`, `Timestamp`,
        `TimeoutSeconds`, `HeartbeatSeconds`, `MaxConcurrency`, `ToleratedFailureCount`,
        `ToleratedFailurePercentage`, `Error`, `Cause`, `Items`). JSONPath reads `name`
        (literal) or `namePath` (path / intrinsic, evaluated against the effective input);
        JSONata evaluates `{% %}` in `name`. None when the state has neither. Type checks
        of the value are the state's job (their causes differ per field)."""

    @abstractmethod
    def map_items(self, state: dict, env: Env) -> list:
        """The Map's items: JSONPath `ItemsPath` (default `$`) over the effective input;
        JSONata `Items` (default `$states.input`). Raises States.QueryEvaluationError
        (cause in AWS's words) when the value is not an array."""

    @abstractmethod
    def item_input(self, state: dict, env: Env, index: int, value) -> Any:
        """One iteration's input: `ItemSelector` (or legacy `Parameters`) rendered with
        `$$.Map.Item.Index/Value`; else the item itself."""

    def render_template(self, template, env: Env, field: str):
        """A payload template outside the standard fields (ItemBatcher BatchInput,
        ItemReader Parameters/Arguments): JSONPath `.$` keys over the effective input;
        JSONata `{% %}` strings."""
        raise NotImplementedError

    @abstractmethod
    def choose(self, state: dict, env: Env) -> ChoiceOutcome:
        """Choice: the first matching rule's Next (else Default, else raise
        States.NoChoiceMatched), the state's output and assignments."""


# Kept here for implementers that import it from the interface module.
context_for_state = _context.for_state
