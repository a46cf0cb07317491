"""What every check needs to know about where it is."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .report import Report

JSONPATH, JSONATA = "JSONPath", "JSONata"
STANDARD, EXPRESS = "STANDARD", "EXPRESS"


@dataclass(frozen=True)
class Context:
    report: Report
    # STANDARD | EXPRESS. The child workflows of a DISTRIBUTED Map with ExecutionType EXPRESS
    # are Express workflows, so they get EXPRESS here.
    machine_type: str = STANDARD
    # The machine's top-level QueryLanguage. States inherit it, including states inside Map
    # and Parallel (AWS: a Map's own QueryLanguage does not pass to its ItemProcessor).
    machine_language: str = JSONPATH
    # Map Labels seen anywhere in the machine (AWS: DUPLICATE_LABEL_NAME).
    labels: set = field(default_factory=set)
    # State names seen anywhere in the machine. ASL spec: "Individual state names MUST be
    # unique within the scope of the whole state machine", branches and item processors
    # included (AWS: DUPLICATE_STATE_NAME).
    state_names: set = field(default_factory=set)

    def with_type(self, machine_type: str) -> "Context":
        return replace(self, machine_type=machine_type)
