"""Sample state machines (definitions/*.json) and the handlers they call (handlers.py).

The handlers are registered by engine.handler_modules unless STEPSTUDIO_SAMPLES=false.
`load(owner)` creates or refreshes them for one owner: idempotent, it only rewrites a
definition that changed, so running `workflows load-samples` at every start is cheap.
"""
from __future__ import annotations

import json
from pathlib import Path

DEFINITIONS = Path(__file__).resolve().parent / "definitions"


def definitions() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(DEFINITIONS.glob("*.json"))}


def load(owner) -> list[tuple[str, str]]:
    """[(name, "created" | "updated" | "unchanged")] for every sample, for `owner`."""
    from engine.models import StateMachine

    done = []
    for name, definition in definitions().items():
        description = definition.get("Comment", "")
        machine = StateMachine.objects.filter(owner=owner, name=name).first()
        if machine is None:
            StateMachine.objects.create(owner=owner, name=name, definition=definition,
                                        description=description)
            done.append((name, "created"))
        elif machine.definition != definition:
            machine.definition, machine.description = definition, description
            machine.save(update_fields=["definition", "description", "updated"])
            done.append((name, "updated"))
        else:
            done.append((name, "unchanged"))
    return done
