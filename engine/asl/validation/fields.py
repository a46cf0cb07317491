"""Which fields each state type accepts, and which belong to one query language only.

ASL spec, "State Types" table, extended with AWS's additions (Assign, Arguments, Output,
QueryLanguage, Credentials, ItemProcessor …). AWS refuses any other field with
"Field '<name>' is not supported", located at the state.
"""
from __future__ import annotations

STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")

TOP_LEVEL = frozenset({"Comment", "StartAt", "States", "TimeoutSeconds", "Version",
                       "QueryLanguage"})
# A Parallel branch or a Map ItemProcessor/Iterator is a nested state machine; it may not
# declare QueryLanguage (AWS: "Field 'QueryLanguage' is not supported").
BRANCH = frozenset({"Comment", "StartAt", "States"})
PROCESSOR = frozenset({"Comment", "StartAt", "States", "ProcessorConfig"})

_COMMON = {"Type", "Comment", "QueryLanguage"}
_IO = {"InputPath", "OutputPath", "Output"}
_TRANSITION = {"Next", "End"}
_RESULT = {"ResultPath", "ResultSelector", "Parameters", "Arguments"}
_ERRORS = {"Retry", "Catch"}

ALLOWED = {
    "Pass": _COMMON | _IO | _TRANSITION | {"Result", "ResultPath", "Parameters", "Assign"},
    "Task": _COMMON | _IO | _TRANSITION | _RESULT | _ERRORS | {
        "Resource", "Credentials", "Assign", "TimeoutSeconds", "TimeoutSecondsPath",
        "HeartbeatSeconds", "HeartbeatSecondsPath"},
    "Choice": _COMMON | _IO | {"Choices", "Default", "Assign"},
    "Wait": _COMMON | _IO | _TRANSITION | {"Seconds", "SecondsPath", "Timestamp",
                                           "TimestampPath", "Assign"},
    "Succeed": _COMMON | _IO,
    "Fail": _COMMON | {"Error", "ErrorPath", "Cause", "CausePath"},
    "Parallel": _COMMON | _IO | _TRANSITION | _RESULT | _ERRORS | {"Branches", "Assign"},
    "Map": _COMMON | _IO | _TRANSITION | _ERRORS | {
        "ResultPath", "ResultSelector", "Parameters", "Assign", "ItemProcessor", "Iterator",
        "ItemsPath", "Items", "ItemSelector", "ItemReader", "ItemBatcher", "ResultWriter",
        "MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath",
        "Label"},
}

# AWS: "The QueryLanguage is set to 'JSONata', but field 'X' is only supported for the
# 'JSONPath' QueryLanguage" (and the converse). Path-valued fields are JSONPath's; JSONata
# states compute the same things with `{% %}` expressions in Arguments/Output/Items/….
JSONPATH_ONLY = frozenset({
    "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Result",
    "ItemsPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath",
    "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
    "ErrorPath", "CausePath",
})
JSONATA_ONLY = frozenset({"Output", "Arguments", "Items"})

# Pairs where a literal and its `…Path` form exclude each other.
EXCLUSIVE_PAIRS = (
    ("TimeoutSeconds", "TimeoutSecondsPath"),
    ("HeartbeatSeconds", "HeartbeatSecondsPath"),
    ("MaxConcurrency", "MaxConcurrencyPath"),
    ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"),
    ("ToleratedFailureCount", "ToleratedFailureCountPath"),
    ("Error", "ErrorPath"),
    ("Cause", "CausePath"),
    ("Items", "ItemsPath"),
)

# States that must transition with exactly one of Next / End (spec: "Choice, Succeed and Fail
# are terminal or branch by their own rules").
NEEDS_TRANSITION = frozenset({"Pass", "Task", "Wait", "Parallel", "Map"})
TERMINAL_TYPES = frozenset({"Succeed", "Fail"})

RETRIER = frozenset({"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
                     "MaxDelaySeconds", "JitterStrategy", "Comment"})
CATCHER = frozenset({"ErrorEquals", "Next", "ResultPath", "Output", "Assign", "Comment"})
