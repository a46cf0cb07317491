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


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_ENCODE = _ENCODER.encode
# JSONEncoder.encode builds a C encoder (and a Python float helper) on every call; for small
# payloads that set-up costs more than the encoding. Build the same C encoder directly, with
# the same arguments `encode` passes it, and a fresh circular-reference table per call as it
# has. Without the C accelerator (another Python implementation) use `encode` itself.
_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_ENCODE_STR = json.encoder.encode_basestring


def dumps(value) -> str:
    """The compact JSON AWS uses in history events and in error causes."""
    if type(value) is int:  # bool is its own type; JSON renders an int as repr does
        return int.__repr__(value)
    if _C_ENCODER is None or type(value) is str:
        return _ENCODE(value)
    return "".join(_C_ENCODER({}, _ENCODER.default, _ENCODE_STR, None, ":", ",",
                              False, False, True)(value, 0))


def exceeds_payload_limit(text: str) -> bool:
    # Cheap pre-check first: a str of n chars is at least n bytes and at most 4n bytes.
    n = len(text)
    if n * 4 <= MAX_PAYLOAD_BYTES:
        return False
    if n > MAX_PAYLOAD_BYTES:
        return True
    return len(text.encode("utf-8")) > MAX_PAYLOAD_BYTES
