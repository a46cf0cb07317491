"""Sample state machines (definitions/*.json) and the handlers they call (handlers.py).

The handlers are registered by engine.handler_modules unless STEPSTUDIO_SAMPLES=false.
`load(owner)` creates the missing ones for one owner: idempotent and cheap, so `make run`
calls it at every start. A sample the owner has since edited is kept as edited; only
`load(owner, refresh=True)` (`workflows load-samples --refresh`) puts the shipped
definition back.
"""
from __future__ import annotations

import json
from pathlib import Path

DEFINITIONS = Path(__file__).resolve().parent / "definitions"
# Each sample's example input (StateMachine.example_input): what its Start dialog offers.
INPUTS = Path(__file__).resolve().parent / "inputs"


def definitions() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(DEFINITIONS.glob("*.json"))}


def example_inputs() -> dict[str, object]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(INPUTS.glob("*.json"))}


def load(owner, refresh: bool = False) -> list[tuple[str, str]]:
    """[(name, "created" | "updated" | "kept" | "unchanged")] for every sample, for `owner`.

    "kept": the owner's definition differs from the shipped one and `refresh` is off, so
    their edits stay. A refreshed definition brings its example input along; an example
    input the owner changed is kept while the definition stays the same (and set when
    there is none).
    """
    from engine.models import StateMachine

    inputs = example_inputs()
    done = []
    for name, definition in definitions().items():
        description = definition.get("Comment", "")
        example = inputs.get(name)
        machine = StateMachine.objects.filter(owner=owner, name=name).first()
        if machine is None:
            StateMachine.objects.create(owner=owner, name=name, definition=definition,
                                        description=description, example_input=example)
            done.append((name, "created"))
        elif machine.definition != definition and not refresh:
            done.append((name, "kept"))
        elif machine.definition != definition:
            machine.definition, machine.description = definition, description
            machine.example_input = example
            machine.save(update_fields=["definition", "description", "example_input",
                                        "updated"])
            done.append((name, "updated"))
        elif machine.example_input is None and example is not None:
            machine.example_input = example
            machine.save(update_fields=["example_input"])
            done.append((name, "updated"))
        else:
            done.append((name, "unchanged"))
    return done
