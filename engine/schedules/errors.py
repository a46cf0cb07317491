"""The one error of the schedule language: which field is wrong, and why."""
from __future__ import annotations


class ScheduleError(ValueError):
    """A bad schedule field: `field` names it (expression, timezone, start_date, …)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message

    def to_dict(self) -> dict:
        return {"field": self.field, "message": self.message}
