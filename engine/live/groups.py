"""The one place channel-layer group names are made (habit 12).

Group names must be ASCII, at most 100 characters, from [A-Za-z0-9._-]; a UUID string
plus a short prefix stays well inside that. The runtime rings these groups after each
committed step (engine/runtime/dispatch.py); consumers join them. Both must agree, so
neither spells a name itself.
"""
from __future__ import annotations

# Every execution's changes, rung once per committed step (the runtime's list group).
# Consumers that join it filter by ownership from the database; bells carry ids only.
ALL_EXECUTIONS = "executions"


def execution_group(execution_id) -> str:
    """Bells for one execution: {"type": "execution.advanced", "seq": n}."""
    return f"execution-{execution_id}"


def executions_group(user_id: int) -> str:
    """Bells for the executions of one owner (their /executions/ list)."""
    return f"executions-user-{int(user_id)}"
