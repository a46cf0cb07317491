"""Service limits that change behaviour (AWS Step Functions quotas)."""
from __future__ import annotations

import json

# AWS quota: "Maximum input or output size for a task, state, or execution: 256 KiB of data
# as a UTF-8 encoded string." Exceeding it raises States.DataLimitExceeded.
MAX_PAYLOAD_BYTES = 256 * 1024


def dumps(value) -> str:
    """The compact JSON AWS uses in history events and in error causes."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def exceeds_payload_limit(text: str) -> bool:
    # Cheap pre-check first: a str of n chars is at least n bytes and at most 4n bytes.
    n = len(text)
    if n * 4 <= MAX_PAYLOAD_BYTES:
        return False
    if n > MAX_PAYLOAD_BYTES:
        return True
    return len(text.encode("utf-8")) > MAX_PAYLOAD_BYTES
