"""Workflow variables: scopes, Assign application and AWS's limits (both query languages).

AWS docs, "Passing data between states with variables":
* `Assign` (Pass, Task, Map, Parallel, Choice and its rules, Wait, Catchers) stores values
  that later states read as `$name` (JSONPath paths, intrinsics and JSONata alike).
* Evaluation order: every value of one Assign is computed against the variables as they were
  when the state was entered, then all are stored together. `{"a": 1, "b": "{% $a %}"}` gives
  b the *previous* a. Assign and Output of one state are evaluated in parallel, so Output does
  not see that state's assignments either: compute both, then call `Scope.assign`.
* Scope: Map iterations and Parallel branches read the enclosing variables but cannot
  assign them; what they assign stays inside the iteration/branch. A Distributed Map's child
  workflows see no outer variables (pass them in through ItemSelector).
* Quotas: 256 KiB per variable, 256 KiB per Assign field, 10 MiB stored per execution;
  variable names up to 80 characters.

Values are serialised as compact UTF-8 JSON to measure size, as AWS measures payloads.
"""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Iterator, Mapping

from .errors import ErrorName, StatesError

MAX_VARIABLE_BYTES = 256 * 1024
MAX_ASSIGN_BYTES = 256 * 1024
MAX_TOTAL_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 80
RESERVED_NAMES = frozenset({"states"})

# AWS: names follow Unicode identifier rules (first char ID_Start or '_', then ID_Continue).
# Python's str.isidentifier implements exactly that (UAX #31 with NFKC), minus '$'.
_ASCII_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def is_valid_variable_name(name: Any) -> bool:
    if not isinstance(name, str) or not name or len(name) > MAX_NAME_LENGTH:
        return False
    if name in RESERVED_NAMES:
        return False
    return bool(_ASCII_NAME.match(name)) or (
        unicodedata.normalize("NFKC", name) == name and name.isidentifier())


def size_of(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


class Scope:
    """The variables visible to one workflow (top level, one Map iteration, one branch).

    `outer` is a read-only snapshot of the enclosing scope, taken when the iteration or
    branch starts; `own` holds what this scope assigned. Lookups see own over outer.
    """

    __slots__ = ("_outer", "_own")

    def __init__(self, outer: Mapping[str, Any] | None = None,
                 own: Mapping[str, Any] | None = None):
        self._outer = dict(outer or {})
        self._own = dict(own or {})

    # -- reading -----------------------------------------------------------------------
    def lookup(self, name: str) -> Any:
        """The value of `$name`; KeyError when it was never assigned in a visible scope."""
        if name in self._own:
            return self._own[name]
        return self._outer[name]

    def __contains__(self, name: object) -> bool:
        return name in self._own or name in self._outer

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_dict())

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self.lookup(name)
        except KeyError:
            return default

    def as_dict(self) -> dict[str, Any]:
        """Every visible variable (the bindings a JSONata expression or a path sees)."""
        merged = dict(self._outer)
        merged.update(self._own)
        return merged

    # -- nesting -----------------------------------------------------------------------
    def child(self, inherit: bool = True) -> "Scope":
        """Scope for a Map iteration or Parallel branch (inherit=False: Distributed Map)."""
        return Scope(outer=self.as_dict() if inherit else None)

    # -- writing -----------------------------------------------------------------------
    def assign(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Store the already-evaluated values of one Assign field, all at once.

        Raises StatesError before storing anything if a name is invalid, targets an outer
        scope, or a quota is exceeded. Returns the stored values (for history details).
        """
        values = dict(values)
        if not values:
            return {}
        total = 0
        for name, value in values.items():
            if not is_valid_variable_name(name):
                raise StatesError(ErrorName.RUNTIME, f"Invalid variable name '{name}'.")
            if name in self._outer and name not in self._own:
                raise StatesError(
                    ErrorName.RUNTIME,
                    f"Cannot assign a value to the variable '{name}' as it belongs to an "
                    f"outer scope.")
            size = size_of(value)
            if size > MAX_VARIABLE_BYTES:
                raise StatesError(
                    ErrorName.DATA_LIMIT_EXCEEDED,
                    f"The variable '{name}' has a size of {size} bytes, which exceeds the "
                    f"maximum size of {MAX_VARIABLE_BYTES} bytes for a single variable.")
            total += size
        if total > MAX_ASSIGN_BYTES:
            raise StatesError(
                ErrorName.DATA_LIMIT_EXCEEDED,
                f"The Assign field has a combined size of {total} bytes, which exceeds the "
                f"maximum size of {MAX_ASSIGN_BYTES} bytes.")
        stored = dict(self._own)
        stored.update(values)
        visible = dict(self._outer)
        visible.update(stored)
        stored_total = sum(size_of(v) for v in visible.values())
        if stored_total > MAX_TOTAL_BYTES:
            raise StatesError(
                ErrorName.DATA_LIMIT_EXCEEDED,
                f"The variables stored by this execution would have a size of {stored_total} "
                f"bytes, which exceeds the maximum of {MAX_TOTAL_BYTES} bytes.")
        self._own = stored
        return values

    # -- persistence (engine/runtime stores scopes between steps) ------------------------
    def to_json(self) -> dict:
        return {"outer": self._outer, "own": self._own}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> "Scope":
        data = data or {}
        return cls(outer=data.get("outer"), own=data.get("own"))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scope) and other.to_json() == self.to_json()

    def __repr__(self) -> str:
        return f"Scope(outer={self._outer!r}, own={self._own!r})"


def assigned_variables_details(values: Mapping[str, Any]) -> dict[str, Any]:
    """The `*StateExited` event fields AWS adds when a state assigned variables.

    AWS shows each value JSON-encoded as a string, e.g. {"x": "42", "s": "\"text\""}, with
    `assignedVariablesDetails: {"truncated": false}`. Returns {} when nothing was assigned.
    """
    if not values:
        return {}
    return {
        "assignedVariables": {
            name: json.dumps(value, separators=(",", ":"), ensure_ascii=False)
            for name, value in values.items()},
        "assignedVariablesDetails": {"truncated": False},
    }


def assign(current: Mapping[str, Any], values: Mapping[str, Any],
           outer: "set[str] | frozenset[str] | tuple | list" = ()) -> dict[str, Any]:
    """Functional form of Scope.assign for variables kept as a plain dict (a cursor's "vars").

    `outer` names the variables inherited from enclosing scopes (read-only here). Returns
    the new dict; `current` is left untouched. Raises like Scope.assign.
    """
    outer_names = set(outer)
    scope = Scope(outer={k: v for k, v in current.items() if k in outer_names},
                  own={k: v for k, v in current.items() if k not in outer_names})
    scope.assign(values)
    return scope.as_dict()
