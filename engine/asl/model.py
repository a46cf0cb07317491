"""The parsed state machine: what the evaluator walks.

A `StateMachine` wraps one `{"StartAt", "States"}` object. Parallel branches and Map item
processors are state machines too, reached from the root by a *branch path*: a list of
`[state_name, index]` pairs (index = branch number for Parallel, 0 for Map). The branch path
is plain JSON so a cursor can name "which sub-machine am I in" in a database row.

States stay the definition's own dicts (read-only): the evaluator never mutates them, so the
same parsed machine may be shared by many executions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

JSONPATH = "JSONPath"
JSONATA = "JSONata"


@dataclass
class StateMachine:
    definition: dict
    query_language: str = JSONPATH          # inherited by states without their own
    path: tuple = ()                        # branch path from the root, as tuples
    _subs: dict = field(default_factory=dict, repr=False)
    _info: dict = field(default_factory=dict, repr=False)   # per-state cache (states/base.py)
    # Compiled templates and rules of this machine's states (dataflow.base.compiled_for).
    _compiled: dict = field(default_factory=dict, repr=False)

    @property
    def states(self) -> dict:
        return self.definition["States"]

    @property
    def start_at(self) -> str:
        return self.definition["StartAt"]

    @property
    def timeout_seconds(self):
        return self.definition.get("TimeoutSeconds")

    def state(self, name: str) -> dict:
        return self.definition["States"][name]

    def query_language_of(self, state: dict) -> str:
        # Spec (QueryLanguage): a state-level QueryLanguage overrides the top-level one.
        return state.get("QueryLanguage") or self.query_language

    def sub(self, state_name: str, index: int = 0) -> "StateMachine":
        """The branch `index` of a Parallel state, or the item processor of a Map state."""
        key = (state_name, index)
        found = self._subs.get(key)
        if found is None:
            state = self.state(state_name)
            if state.get("Type") == "Parallel":
                body = state["Branches"][index]
            else:
                # "Iterator" is the pre-2022 name of "ItemProcessor"; both mean the same.
                body = state.get("ItemProcessor") or state.get("Iterator")
            # A sub-machine inherits the query language of the state that holds it.
            ql = body.get("QueryLanguage") or self.query_language_of(state)
            found = StateMachine(body, ql, self.path + (key,))
            self._subs[key] = found
        return found

    def resolve(self, path) -> "StateMachine":
        machine = self
        for name, index in path or ():
            machine = machine.sub(name, index)
        return machine
