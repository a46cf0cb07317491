"""What the home page shows about a definition, computed once when it is saved.

Framework-free (models.StateMachine.save calls it): the list never reads definitions, which
may be up to 1 MiB each.
"""
from __future__ import annotations


def count_states(definition) -> int:
    """States in the definition, nested ones included (Parallel branches, Map processors).

    A malformed definition counts what it can: the count is for display only.
    """
    if not isinstance(definition, dict):
        return 0
    states = definition.get("States")
    if not isinstance(states, dict):
        return 0
    total = 0
    for state in states.values():
        total += 1
        if not isinstance(state, dict):
            continue
        for branch in state.get("Branches") or []:
            total += count_states(branch)
        # Map: ItemProcessor (current) or Iterator (its older name).
        for key in ("ItemProcessor", "Iterator"):
            total += count_states(state.get(key))
    return total
