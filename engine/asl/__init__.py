"""engine.asl — the framework-free Amazon States Language interpreter.

Public API (see README.md): `run_state_machine`, `validate`, `parse`, `ExecutionResult`,
`StatesError`, `Diagnostic`, `InvalidDefinition`, `task_handler`. The evaluator itself is
`engine.asl.step` (for drivers).
"""
from __future__ import annotations

from .errors import Diagnostic, ErrorName, InvalidDefinition, StatesError
from .handlers import (TaskFailure, send_task_failure, send_task_heartbeat, send_task_success,
                       task_handler)
from .parse import load, parse, resolve_substitutions


def validate(definition, state_machine_type: str = "STANDARD") -> list[Diagnostic]:
    """AWS ValidateStateMachineDefinition meaning (engineer E's validate.py); until it exists
    the parser's structural diagnostics."""
    try:
        from .validate import validate as _validate
    except ImportError:
        try:
            parse(definition)
        except InvalidDefinition as ex:
            return ex.diagnostics
        return []
    return _validate(definition, state_machine_type)


def check_definition(definition, state_machine_type: str = "STANDARD", substitutions=None):
    """Parse and validate; raise InvalidDefinition on any ERROR — never execute those, nor a
    definition with `${Name}` placeholders left once `substitutions` are applied."""
    definition = resolve_substitutions(definition, substitutions)
    try:
        from .validate import validate as _validate
    except ImportError:
        _validate = None
    if _validate is not None:
        # The validator first: its diagnostics are AWS's; the parser then guarantees what
        # the evaluator relies on.
        # Placeholders were resolved (or refused) just above: no need to look for them again.
        errors = [d for d in _validate(definition, state_machine_type, placeholders=False)
                  if getattr(d, "severity", "ERROR") == "ERROR"]
        if errors:
            raise InvalidDefinition(errors)
    return parse(definition)


from .drivers.local import ExecutionResult, run_state_machine  # noqa: E402

__all__ = ["run_state_machine", "validate", "parse", "ExecutionResult", "StatesError", "ErrorName",
           "Diagnostic", "InvalidDefinition", "task_handler", "TaskFailure", "check_definition",
           "send_task_success", "send_task_failure", "send_task_heartbeat"]
