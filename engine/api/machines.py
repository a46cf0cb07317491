"""State-machine use cases shared by the REST API and the AWS protocol.

Both front ends create, update, publish and delete through here so that the name rules,
definition validation and versioning are decided once. Errors are raised as MachineError
with an AWS error name; each front end renders it in its own shape.
"""
from __future__ import annotations

import json
import re
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Max

from engine.asl import substitutions as substitution
from engine.asl.errors import Diagnostic
from engine.models import ExecutionStatus, MachineType, StateMachine, StateMachineVersion
from engine.runtime import lifecycle

# AWS: a name must not contain white space, brackets < > { } [ ], wildcards ? *, the
# characters " # % \ ^ | ~ ` $ & , ; : / or control characters (U+0000-001F, U+007F-009F).
_BAD_NAME = re.compile(r"[\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]")


# update(example_input=…) default: None is a value there (no example input).
UNCHANGED = object()


class MachineError(Exception):
    """A refused state-machine operation; `code` is the AWS error name."""

    def __init__(self, code: str, message: str, diagnostics: list[Diagnostic] | None = None):
        self.code = code
        self.message = message
        self.diagnostics = diagnostics or []
        super().__init__(message)


def check_name(name: str) -> None:
    if not name or len(name) > 80 or _BAD_NAME.search(name):
        raise MachineError("InvalidName", f"Invalid Name: '{name}'")


def load_definition(definition: str | dict, type_: str = MachineType.STANDARD,
                    substitutions: dict | None = None
                    ) -> tuple[dict | None, list[Diagnostic]]:
    """Parse and validate; return (definition as dict or None, diagnostics).

    Text may hold SAM's bare placeholders (`"Seconds": ${Wait}`); `substitutions`
    (definitionSubstitutions) are applied first, as CloudFormation applies them to the text.
    """
    loaded, _, diagnostics = load_source(definition, type_, substitutions)
    return loaded, diagnostics


def load_source(definition: str | dict, type_: str = MachineType.STANDARD,
                substitutions: dict | None = None
                ) -> tuple[dict | None, str, list[Diagnostic]]:
    """(definition as dict or None, the text to keep beside it, diagnostics). The text is
    the caller's own when placeholders are left in it (see StateMachine.definition_text)."""
    try:
        subs = substitution.check_map(substitutions)
    except ValueError as error:
        return None, "", [Diagnostic("SCHEMA_VALIDATION_FAILED", str(error), "")]
    text = ""
    if isinstance(definition, str):
        try:
            source = substitution.resolve_text(definition, subs)
            definition = substitution.parse_text(source)
        except substitution.SubstitutionError as error:
            return None, "", [Diagnostic("SCHEMA_VALIDATION_FAILED", str(error), "")]
        except ValueError as error:
            return None, "", [Diagnostic("INVALID_JSON_DESCRIPTION",
                                         f"Definition is not valid JSON: {error}", "")]
        except RecursionError:
            return None, "", [Diagnostic("INVALID_JSON_DESCRIPTION",
                                         "Definition is not valid JSON: nested too deeply", "")]
        if substitution.unresolved(definition):
            text = source
    elif isinstance(definition, dict) and subs:
        try:
            definition = substitution.resolve(definition, subs)
        except substitution.SubstitutionError as error:
            return None, "", [Diagnostic("SCHEMA_VALIDATION_FAILED", str(error), "")]
    if not isinstance(definition, dict):
        return None, "", [Diagnostic("SCHEMA_VALIDATION_FAILED",
                                     "The definition must be a JSON object", "")]
    problem = unstorable(definition)
    if problem:
        return None, "", [Diagnostic("INVALID_JSON_DESCRIPTION", f"Definition {problem}", "")]
    return definition, text, _validate(definition, type_)


def unstorable(value) -> str | None:
    """Why a JSON value cannot be stored (jsonb has no U+0000, UTF-8 no lone surrogate)."""
    text = json.dumps(value, ensure_ascii=False)
    if "\x00" in text:
        return "contains U+0000"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains an unpaired surrogate"
    return None


def _validate(definition: dict, type_: str) -> list[Diagnostic]:
    # The interpreter's validator, the one place ASL rules live. Imported from its module:
    # the package attribute `engine.asl.validate` is shadowed by that submodule once loaded.
    from engine.asl.validate import validate

    return list(validate(definition, type_))


def valid_definition(definition: str | dict, type_: str = MachineType.STANDARD) -> dict:
    """The definition as a dict, or MachineError(InvalidDefinition) with all diagnostics."""
    return valid_source(definition, type_)[0]


def valid_source(definition: str | dict, type_: str = MachineType.STANDARD,
                 substitutions: dict | None = None) -> tuple[dict, str]:
    """(definition, text to keep) or MachineError(InvalidDefinition) with all diagnostics."""
    loaded, text, diagnostics = load_source(definition, type_, substitutions)
    errors = [d for d in diagnostics if d.severity == "ERROR"]
    if loaded is None or errors:
        raise MachineError("InvalidDefinition", invalid_definition_message(errors), errors)
    return loaded, text


def invalid_definition_message(diagnostics: list[Diagnostic]) -> str:
    # AWS's wording: Invalid State Machine Definition: 'CODE: message at /location, …'
    parts = [f"{d.code}: {d.message}" + (f" at {d.location}" if d.location else "")
             for d in diagnostics]
    return f"Invalid State Machine Definition: '{', '.join(parts)}'"


def check_type(type_: str) -> str:
    if type_ not in MachineType.values:
        raise MachineError("StateMachineTypeNotSupported",
                           f"State machine type not supported: '{type_}'")
    return type_


@transaction.atomic
def create(owner, name: str, definition, type_: str = MachineType.STANDARD,
           description: str = "", publish: bool = False, version_description: str = "",
           substitutions: dict | None = None, example_input=None,
           fields: dict | None = None, idempotent_fields: tuple[str, ...] = ()):
    """Create a machine; return (machine, version or None). `substitutions`
    (definitionSubstitutions) are applied to the definition before it is stored; placeholders
    they do not name are kept (the machine cannot start until they are given).

    AWS makes CreateStateMachine idempotent: the same name with the same definition and
    type returns the existing machine; anything different is StateMachineAlreadyExists.
    `fields`: more model fields to set (the AWS configuration, region, tags); those named in
    `idempotent_fields` must also match for the existing machine to be returned.
    """
    fields = fields or {}
    check_name(name)
    check_type(type_)
    loaded, text = valid_source(definition, type_, substitutions)
    existing = StateMachine.objects.filter(owner=owner, name=name).first()
    if existing is not None:
        if (existing.definition == loaded and existing.type == type_
                and all(getattr(existing, f) == fields.get(f) for f in idempotent_fields)):
            return existing, existing.latest_version if publish else None
        raise MachineError("StateMachineAlreadyExists",
                           f"State Machine Already Exists: '{existing.arn}'")
    try:
        with transaction.atomic():
            machine = StateMachine.objects.create(owner=owner, name=name, type=type_,
                                                  definition=loaded, definition_text=text,
                                                  definition_sent=sent_text(definition,
                                                                            substitutions),
                                                  description=description,
                                                  example_input=example_input, **fields)
    except IntegrityError:
        # A concurrent create of the same name won the race.
        existing = StateMachine.objects.get(owner=owner, name=name)
        raise MachineError("StateMachineAlreadyExists",
                           f"State Machine Already Exists: '{existing.arn}'") from None
    version = publish_version(machine, version_description) if publish else None
    return machine, version


@transaction.atomic
def update(machine: StateMachine, definition=None, type_: str | None = None,
           description: str | None = None, publish: bool = False,
           version_description: str = "", substitutions: dict | None = None,
           example_input=UNCHANGED, config: dict | None = None, new_revision: bool = False,
           by_revision: bool = False):
    """Update the current definition (and type/description/example input); return the new
    version or None. `substitutions` are applied to the new definition, or to the stored one.

    `config`: AWS configuration fields to set (role_arn, logging_configuration, …). A change
    of the definition or configuration makes a new revision (revision_id), as does any AWS
    UpdateStateMachine (`new_revision`); publishing then makes a new version."""
    fields = ["updated"]
    if definition is not None:
        machine.definition_sent = sent_text(definition, substitutions)
        fields.append("definition_sent")
    before = (machine.definition, machine.definition_text, machine.type,
              *(getattr(machine, f) for f in CONFIG_FIELDS))
    for name, value in (config or {}).items():
        setattr(machine, name, value)
        fields.append(name)
    if example_input is not UNCHANGED:
        machine.example_input = example_input
        fields.append("example_input")
    if type_ is not None:
        machine.type = check_type(type_)
        fields.append("type")
    if definition is not None or type_ is not None or substitutions:
        # A type change re-checks the stored definition (EXPRESS forbids some patterns).
        if definition is None:
            definition = machine.definition_text or machine.definition
        machine.definition, machine.definition_text = valid_source(
            definition, machine.type, substitutions)
        fields += ["definition", "definition_text"]
    if description is not None:
        machine.description = description
        fields.append("description")
    after = (machine.definition, machine.definition_text, machine.type,
             *(getattr(machine, f) for f in CONFIG_FIELDS))
    if new_revision or after != before:
        machine.revision_id = str(uuid.uuid4())
        fields.append("revision_id")
    machine.save(update_fields=fields)
    return (publish_version(machine, version_description, by_revision=by_revision)
            if publish else None)


# What a version snapshots besides the definition (and what makes a revision new).
CONFIG_FIELDS = ("role_arn", "logging_configuration", "tracing_configuration",
                 "encryption_configuration")


class StaleRevision(MachineError):
    def __init__(self, expected: str, current: str):
        super().__init__("ConflictException",
                         f"Failed to publish the State Machine version: the revisionId "
                         f"'{expected}' is not the current revision "
                         f"'{current or 'INITIAL'}'")


@transaction.atomic
def publish_version(machine: StateMachine, description: str = "",
                    revision_id: str | None = None,
                    by_revision: bool = False) -> StateMachineVersion:
    """Snapshot the current revision (definition and configuration) as version n+1.

    AWS returns the latest version instead of a new one when the revision it was published
    from is still current; so do we. `revision_id` (AWS's PublishStateMachineVersion
    parameter; "INITIAL" for a machine never updated) must be the current revision, else
    StaleRevision (ConflictException). `by_revision` (the AWS protocol): the latest version
    is current only if published from the current revision, so every UpdateStateMachine
    makes the next publish a new version; otherwise (the REST API) a latest version with the
    same definition and configuration is current.
    """
    # Lock the machine row: two publishes must not both take number n+1, and the revision
    # checked is the one published.
    locked = StateMachine.objects.select_for_update().get(pk=machine.pk)
    if revision_id is not None and revision_id != (locked.revision_id or "INITIAL"):
        raise StaleRevision(revision_id, locked.revision_id)
    latest = machine.versions.order_by("-version").first()
    if (latest is not None
            and (latest.revision_id == locked.revision_id or not by_revision)
            and latest.definition == locked.definition
            and latest.definition_text == locked.definition_text
            and latest.definition_sent == locked.definition_sent
            and all(getattr(latest, f) == getattr(locked, f) for f in CONFIG_FIELDS)):
        return latest
    number = (machine.versions.aggregate(n=Max("version"))["n"] or 0) + 1
    return StateMachineVersion.objects.create(
        state_machine=machine, version=number, description=description,
        definition=locked.definition, definition_text=locked.definition_text,
        definition_sent=locked.definition_sent, revision_id=locked.revision_id,
        **{f: getattr(locked, f) for f in CONFIG_FIELDS})


# What a deleted machine's running executions are stopped with (their ExecutionAborted event).
DELETED_CAUSE = "The state machine was deleted."


@transaction.atomic
def delete(machine: StateMachine) -> int:
    """DeleteStateMachine: stop its running executions, then delete it with all it has.

    AWS: "A state machine is deleted only when all its executions are completed. On the next
    state transition, the state machine's executions are terminated." Here the running ones
    are stopped (ABORTED, as StopExecution) before the machine, its versions and its
    executions with their history are deleted, so no worker takes another step of them.
    The machine's row is locked first: a start that comes meanwhile waits, then finds it
    gone. Returns how many running executions were stopped.
    """
    StateMachine.objects.select_for_update().filter(pk=machine.pk).first()
    # A map run's children stop with their parent (map_runs.close_for_execution).
    running = list(machine.executions.filter(status=ExecutionStatus.RUNNING,
                                             map_run__isnull=True)
                   .values_list("id", flat=True))
    stopped = sum(1 for execution_id in running
                  if lifecycle.terminate(execution_id, ExecutionStatus.ABORTED, "",
                                         DELETED_CAUSE))
    machine.delete()
    return stopped


def sent_text(definition, substitutions: dict | None = None) -> str:
    """What StateMachine.definition_sent keeps of a definition given to create or update:
    the text as sent, unless substitutions change it before it is stored."""
    return definition if isinstance(definition, str) and not substitutions else ""


def definition_text(definition: dict, kept: str = "", sent: str = "") -> str:
    """A stored definition as the string AWS returns: the text as the client sent it, else
    the caller's own text when it was kept (placeholders left in it), else the JSON."""
    return sent or kept or json.dumps(definition, indent=2, ensure_ascii=False)


def runnable_definition(machine: StateMachine, version: StateMachineVersion | None = None,
                        substitutions: dict | None = None) -> dict:
    """The definition an execution runs: `substitutions` (definitionSubstitutions given at
    start) applied to the stored one. MachineError(InvalidDefinition) naming every
    placeholder left, or a substitution that makes the definition invalid."""
    source = version if version is not None else machine
    definition = source.definition_text or source.definition
    try:
        subs = substitution.check_map(substitutions)
    except ValueError as error:
        raise MachineError("InvalidDefinition", str(error)) from None
    if not subs and not source.definition_text:
        left = substitution.unresolved(source.definition)
        if left:
            raise MachineError("InvalidDefinition", substitution.unresolved_message(left))
        return source.definition
    loaded, _ = valid_source(definition, machine.type, subs)
    left = substitution.unresolved(loaded)
    if left:
        raise MachineError("InvalidDefinition", substitution.unresolved_message(left))
    return loaded
