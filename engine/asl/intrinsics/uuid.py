"""States.UUID."""
from __future__ import annotations

import uuid as _uuid

from . import register


@register("States.UUID", 0)
def uuid_(args, _nodes):
    # AWS docs: "returns a version 4 universally unique identifier (v4 UUID)".
    return str(_uuid.uuid4())
