"""Service limits that change behaviour (AWS Step Functions quotas)."""
from __future__ import annotations

import json

# AWS quota: "Maximum input or output size for a task, state, or execution: 256 KiB of data
# as a UTF-8 encoded string." Exceeding it raises States.DataLimitExceeded.
MAX_PAYLOAD_BYTES = 256 * 1024

# AWS quota: "Maximum execution history size: 25,000 events" — beyond it the execution fails.
# (The local driver enforces it; it also stops a runaway loop.)
MAX_HISTORY_EVENTS = 25_000
HISTORY_LIMIT_CAUSE = ("The execution reached the maximum number of history events "
                       f"({MAX_HISTORY_EVENTS}).")


_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def dumps(value) -> str:
    """The compact JSON AWS uses in history events and in error causes."""
    if type(value) is int:  # bool is its own type; JSON renders an int as repr does
        return int.__repr__(value)
    # One shared encoder (json.dumps builds a new one per call when options are given).
    return _ENCODE(value)


def exceeds_payload_limit(text: str) -> bool:
    # Cheap pre-check first: a str of n chars is at least n bytes and at most 4n bytes.
    n = len(text)
    if n * 4 <= MAX_PAYLOAD_BYTES:
        return False
    if n > MAX_PAYLOAD_BYTES:
        return True
    return len(text.encode("utf-8")) > MAX_PAYLOAD_BYTES
