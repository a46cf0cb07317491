"""Transitions inside one States container: targets exist, a terminal state exists, and every
state can be reached from StartAt.

AWS (measured, see floci-io/floci#2786): every dangling target is
`MISSING_TRANSITION_TARGET: Missing 'Next' target: <name>` — the word is always 'Next', also for
Default, Choices[i].Next and Catch[i].Next; a container with no terminal state is
`MISSING_END_STATE: Workflow has no terminal state` with no location, and that finding
suppresses the reachability walk; an unreachable state is an ERROR,
`State "<name>" is not reachable.` at the state.
Names are scoped: a branch cannot transition to a state of its parent.
"""
from __future__ import annotations

from collections import deque

from engine.asl.substitutions import Unquoted

from .report import MISSING_END, MISSING_TARGET, Loc, Report


def transitions(state: dict):
    """(target, location-suffix) for every outgoing edge of one state."""
    if isinstance(state.get("Next"), str):
        yield state["Next"], ("Next",)
    yield from _entries(state, "Choices")
    if isinstance(state.get("Default"), str):
        yield state["Default"], ("Default",)
    yield from _entries(state, "Catch")


def _entries(state: dict, field: str):
    entries = state.get(field)
    if isinstance(entries, list):
        for i, entry in enumerate(entries):
            if isinstance(entry, dict) and isinstance(entry.get("Next"), str):
                yield entry["Next"], (field, i, "Next")


def is_terminal(state: dict) -> bool:
    end = state.get("End")
    return end is True or isinstance(end, Unquoted) or state.get("Type") in ("Succeed", "Fail")


def check_graph(report: Report, start_at, states: dict, loc: Loc) -> None:
    """`states` maps names to state objects (non-objects already reported); `loc` is the
    container's location (`()` for the machine, `(…, "Branches", 0)` for a branch)."""
    valid = {name: s for name, s in states.items() if isinstance(s, dict)}
    edges = {name: list(transitions(s)) for name, s in valid.items()}
    if isinstance(start_at, str) and start_at not in states:
        report.error(MISSING_TARGET, f"Missing 'Next' target: {start_at}", loc + ("StartAt",))
    for name, outgoing in edges.items():
        for target, suffix in outgoing:
            if target not in states:
                report.error(MISSING_TARGET, f"Missing 'Next' target: {target}",
                             loc + ("States", name) + suffix)
    if valid and not any(is_terminal(s) for s in valid.values()):
        # AWS gives no location at the top level; a nested container gets its own location
        # so the finding can be pointed at.
        report.error(MISSING_END, "Workflow has no terminal state", loc if loc else None)
        return
    if not isinstance(start_at, str):
        return  # already reported as a schema error
    # A dangling StartAt leaves every state unreachable, and AWS says so for each.
    seen = {start_at} if start_at in valid else set()
    queue = deque(seen)
    while queue:
        for target, _ in edges[queue.popleft()]:
            if target in valid and target not in seen:
                seen.add(target)
                queue.append(target)
    for name in states:
        if name not in seen:
            report.error(MISSING_TARGET, f'State "{name}" is not reachable.',
                         loc + ("States", name))
