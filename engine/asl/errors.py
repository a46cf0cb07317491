"""ASL error names and the structured errors the interpreter raises.

Spec: "States.ALL ... States.Runtime ..." — errors are data with names (see ASL spec,
"Errors"). Nothing in engine.asl raises RuntimeError for a spec-level failure; it raises
StatesError with the spec's name and a cause in AWS's wording.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field


class ErrorName(str, enum.Enum):
    ALL = "States.ALL"
    HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
    TIMEOUT = "States.Timeout"
    TASK_FAILED = "States.TaskFailed"
    PERMISSIONS = "States.Permissions"
    RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure"
    PARAMETER_PATH_FAILURE = "States.ParameterPathFailure"
    QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"
    BRANCH_FAILED = "States.BranchFailed"
    NO_CHOICE_MATCHED = "States.NoChoiceMatched"
    INTRINSIC_FAILURE = "States.IntrinsicFailure"
    EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold"
    ITEM_READER_FAILED = "States.ItemReaderFailed"
    RESULT_WRITER_FAILED = "States.ResultWriterFailed"
    DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
    RUNTIME = "States.Runtime"

    @classmethod
    def from_name(cls, name: str) -> "ErrorName | None":
        try:
            return cls(name)
        except ValueError:
            return None

    def to_name(self) -> str:
        return self.value


class StatesError(Exception):
    """A failure with an ASL error name and a cause, the unit Retry/Catch reason about."""

    def __init__(self, error: str | ErrorName | None, cause: str | None = None):
        self.error = error.value if isinstance(error, ErrorName) else error
        self.cause = cause
        super().__init__(f"{self.error}: {self.cause}")

    def to_dict(self) -> dict:
        out = {}
        if self.error is not None:
            out["error"] = self.error
        if self.cause is not None:
            out["cause"] = self.cause
        return out


@dataclass(frozen=True)
class Diagnostic:
    """One validation finding; `location` is a JSON pointer such as /States/Check/Next."""

    code: str
    message: str
    location: str = ""
    severity: str = "ERROR"  # ERROR | WARNING, as ValidateStateMachineDefinition
    extra: dict = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity,
                "message": self.message, "location": self.location}


class InvalidDefinition(ValueError):
    """A definition that must never be executed; carries every diagnostic found.

    Raised by `parse()` and by `run_state_machine()` before any event is produced.
    """

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        text = "; ".join(f"{d.code}: {d.message}" + (f" at {d.location}" if d.location else "")
                         for d in self.diagnostics) or "invalid definition"
        super().__init__(f"Invalid State Machine Definition: {text}")
