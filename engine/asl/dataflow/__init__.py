"""Pick the data-flow implementation for a state (spec "QueryLanguage").

`for_state(machine, state)` returns the JSONPath or JSONata implementation; a state-level
`QueryLanguage` overrides the machine's (sub-machines inherit from their Map/Parallel).
The JSONata implementation (`dataflow/jsonata.py`, engineer C) is imported lazily so the
JSONPath path works without it.
"""
from __future__ import annotations

from ..errors import StatesError
from ..model import JSONATA
from .base import ChoiceOutcome, DataFlow, Env, FieldValue, context_for_state  # noqa: F401

_impls: dict[str, DataFlow] = {}


def get(query_language: str) -> DataFlow:
    impl = _impls.get(query_language)
    if impl is None:
        if query_language == JSONATA:
            try:
                from .jsonata import JSONataDataFlow
            except ImportError as ex:
                raise StatesError("States.Runtime", f"JSONata is not available in this build: {ex}")
            impl = JSONataDataFlow()
        else:
            from .jsonpath import JSONPathDataFlow
            impl = JSONPathDataFlow()
        _impls[query_language] = impl
    return impl


def for_state(machine, state: dict) -> DataFlow:
    return get(machine.query_language_of(state))
