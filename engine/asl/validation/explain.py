"""A diagnostic in words a person can act on, naming the field it is about.

The validator speaks AWS (`message` is what ValidateStateMachineDefinition says, and the AWS
wire protocol returns it unchanged). AWS's texts are terse and sometimes point at nothing a
person can find: a Choice rule with no target is `Missing 'Next' target: ` (an empty name),
an empty Choices list is `Value cannot be empty`. `explain()` rewrites a finding as
"<field>: <what to do>", with the field named as the designer's forms name it
("Rule #1 Next", "Catcher #2 ErrorEquals", "Resource"); anything without a specific wording
keeps AWS's message after the field's name. It reads only the diagnostic (code, message and
location), so it needs no definition and works on stored diagnostics too.
"""
from __future__ import annotations

import re

from engine.asl.errors import Diagnostic

from .report import MISSING_END, MISSING_TARGET, SCHEMA, render

# Array items as the designer's forms title them (1-based, as people count).
_ITEM_TITLES = {"Choices": "Rule", "Catch": "Catcher", "Retry": "Retrier", "Branches": "Branch"}

_MISSING_TARGET = re.compile(r"^Missing 'Next' target: (?P<name>.*)$", re.S)
_UNREACHABLE = re.compile(r'^State "(?P<name>.*)" is not reachable\.$', re.S)
_REQUIRED = re.compile(r"^These fields are required: \[(?P<fields>.*)\]$")
_ONE_OF = re.compile(r"^This object should have only one of the following fields: \[(?P<fields>.*)\]$")
_NOT_BOTH = re.compile(r"^There should only be one of the following fields: \[(?P<fields>.*)\]$")
_RESOURCE = re.compile(r"^The resource provided (?P<resource>.*) is not recognized\.")
_TYPE = re.compile(r"^Expected value of type (?P<type>\w+)$")


def split_location(diagnostic: Diagnostic) -> list:
    """The location as keys and indexes (the validator keeps them in extra["path"])."""
    path = diagnostic.extra.get("path") if diagnostic.extra else None
    if isinstance(path, list):
        return path
    parts = [p.replace("~1", "/").replace("~0", "~") for p in diagnostic.location.split("/")[1:]]
    return [int(p) if p.isdigit() else p for p in parts if p != ""]


def _state_field(path: list) -> tuple[list, list]:
    """(path of the innermost container, path of the field inside the innermost state).

    `["States", "P", "Branches", 0, "States", "A", "Next"]` → (`[…, "Branches", 0]`, `["Next"]`);
    a container's own field (`…/Branches/0/StartAt`) comes back with that container and
    `["StartAt"]`; a machine-level path is its own field.
    """
    container: list = []
    i = 0
    while True:
        rest = path[i:]
        if len(rest) < 2 or rest[0] != "States":
            return container, list(rest)
        after = rest[2:]
        if after[:1] == ["Branches"] and len(after) == 2 or after in (["ItemProcessor"], ["Iterator"]):
            return list(path), []  # the container itself (a branch with no terminal state)
        if len(after) >= 3 and after[0] == "Branches" and isinstance(after[1], int) \
                and after[2] in ("States", "StartAt"):
            container, i = list(path[:i + 4]), i + 4
        elif len(after) >= 2 and after[0] in ("ItemProcessor", "Iterator") \
                and after[1] in ("States", "StartAt"):
            container, i = list(path[:i + 3]), i + 3
        else:
            return container, list(after)


def field_label(field: list) -> str:
    """`["Choices", 0, "Next"]` → "Rule #1 Next"; `["Parameters", "x"]` → "Parameters.x"."""
    words: list[str] = []
    for i, part in enumerate(field):
        if isinstance(part, int):
            parent = field[i - 1] if i else None
            title = _ITEM_TITLES.get(parent) if isinstance(parent, str) else None
            if title and words:
                words[-1] = f"{title} #{part + 1}"
            elif words:
                words[-1] = f"{words[-1]}[{part}]"
            else:
                words.append(f"[{part}]")
        elif words and not words[-1].startswith(tuple(t + " #" for t in _ITEM_TITLES.values())):
            words[-1] = f"{words[-1]}.{part}"
        else:
            words.append(str(part))
    return " ".join(words)


def _names(text: str) -> list[str]:
    return [f.strip() for f in text.split(",") if f.strip()]


def _where(container: list) -> str:
    if not container:
        return "the workflow"
    return "this branch" if "Branches" in container[-2:] else "the Map's item processor"


def _target(field: list, name: str, container: list) -> str:
    label = field_label(field) or "Next"
    last = field[-1] if field else "Next"
    owner = field[0] if field else None
    if name.strip() == "":
        if last == "StartAt":
            return f"StartAt: choose the state {_where(container)} starts with"
        if owner == "Choices":
            return f"{label}: choose the state this rule goes to (or drop one on its open end)"
        if owner == "Catch":
            return f"{label}: choose the state that handles the error"
        if last == "Default":
            return "Default: choose the state to go to when no rule matches"
        return f"{label}: choose the next state, or end here"
    scope = "" if not container else " in " + _where(container)
    return f'{label}: there is no state named "{name}"{scope}'


def explain(diagnostic: Diagnostic) -> str:
    """A sentence for a person, naming the field; AWS's message when nothing better is known."""
    code, message = diagnostic.code, diagnostic.message
    path = split_location(diagnostic)
    container, field = _state_field(path)
    label = field_label(field)

    if code == MISSING_TARGET:
        m = _MISSING_TARGET.match(message)
        if m:
            return _target(field, m["name"], container)
        if _UNREACHABLE.match(message):
            return "This state is never reached: connect a state to it, or delete it"
    if code == MISSING_END:
        return (f"No state ends {_where(container)}: set End on the last state, "
                "or add a Succeed or Fail state")
    if code == SCHEMA:
        text = _explain_schema(message, field, label, container)
        if text:
            return text
    return f"{label}: {message}" if label else message


def _explain_schema(message: str, field: list, label: str, container: list) -> str | None:
    last = field[-1] if field else None
    if message == "Value cannot be empty":
        if last == "States":
            return ("States: add at least one state" if not container
                    else f"States: {_where(container)} has no states yet: drop one in it")
        if last == "Choices":
            return "Choices: a Choice state needs at least one rule"
        if last == "Branches":
            return "Branches: a Parallel state needs at least one branch"
        if last == "ErrorEquals":
            return f"{label}: name at least one error, e.g. States.ALL"
        return f"{label}: must not be empty" if label else None
    m = _REQUIRED.match(message)
    if m:
        missing = _names(m["fields"])
        inner = field_label(field + missing[:1]) if len(missing) == 1 else None
        if missing == ["Next"] and field[:1] == ["Choices"]:
            return f"{inner}: choose the state this rule goes to (or drop one on its open end)"
        if missing == ["Resource"]:
            return "Resource: choose what this Task calls (a task handler, a function or a service action)"
        if inner:
            return f"{inner}: required"
        prefix = f"{label}: " if label else ""
        return f"{prefix}{', '.join(missing)} are required"
    m = _ONE_OF.match(message)
    if m:
        names = _names(m["fields"])
        if set(names) == {"Next", "End"}:
            return "Next: choose the next state, or end here (End)"
        if "Seconds" in names:
            return "Seconds: set how long to wait (Seconds, SecondsPath, Timestamp or TimestampPath)"
        return f"{' or '.join(names)}: set one of them"
    m = _NOT_BOTH.match(message)
    if m:
        names = _names(m["fields"])
        if set(names) == {"Next", "End"}:
            return "Next and End: a state either goes on (Next) or ends (End), not both"
        return f"{' and '.join(names)}: set only one of them"
    m = _RESOURCE.match(message)
    if m:
        resource = m["resource"].strip()
        if not resource:
            return "Resource: choose what this Task calls (a task handler, a function or a service action)"
        return f'Resource: "{resource}" is not a resource ARN this server can call'
    m = _TYPE.match(message)
    if m and label:
        return f"{label}: must be a {m['type'].lower()}"
    if message.startswith("Value is not a Reference Path") and label:
        return f"{label}: a path starts with $, e.g. $.status"
    if message.startswith("The object must have only one of the following fields, [And, Or, Not"):
        return f"{label}: give the rule one condition (a Variable with a comparison, or And, Or, Not)"
    return None


def field_location(diagnostic: Diagnostic) -> str:
    """JSON pointer of the field `explain()` names: AWS points at the object for a missing or
    conflicting field (`/States/C/Choices/0` for a rule without Next); this points at the
    field itself (`/States/C/Choices/0/Next`), where a form would put the cursor."""
    if not diagnostic.location:
        return ""
    path = split_location(diagnostic)
    if diagnostic.code == SCHEMA:
        for pattern in (_REQUIRED, _ONE_OF, _NOT_BOTH):
            m = pattern.match(diagnostic.message)
            if m and _names(m["fields"]):
                names = _names(m["fields"])
                first = next((n for n in ("Next", "Resource", "Seconds") if n in names), names[0])
                return render(tuple(path) + (first,))
    return diagnostic.location
