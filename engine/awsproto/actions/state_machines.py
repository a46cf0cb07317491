"""State machine actions: create, update, describe, list, delete, validate, versions."""
from __future__ import annotations

from engine.api import machines
from engine.models import StateMachine, StateMachineVersion

from .. import arns, configuration, errors, paging
from ..dispatch import action
from ._common import epoch, machine_error, state_machine_for
from ..tagging import merged

# CreateStateMachine is idempotent on these (AWS: name, definition, type, logging, tracing
# and encryption); a different roleArn or tags are ignored for an existing machine.
_IDEMPOTENT_ON = ("logging_configuration", "tracing_configuration", "encryption_configuration")


def _check_version_description(params: dict) -> None:
    if params.get("versionDescription") and not params.get("publish"):
        raise errors.validation("Version description can only be set when publish is true")


@action("CreateStateMachine")
def create_state_machine(caller, params):
    _check_version_description(params)
    fields = configuration.fields_from(params)
    for name, default in (("logging_configuration", configuration.LOGGING_DEFAULT),
                          ("tracing_configuration", configuration.TRACING_DEFAULT),
                          ("encryption_configuration", configuration.ENCRYPTION_DEFAULT)):
        fields.setdefault(name, dict(default))
    fields["tags"] = merged({}, params.get("tags") or [], params["name"])
    fields["region"] = caller.region
    with machine_error():
        machine, version = machines.create(
            caller.user, params["name"], params["definition"],
            params.get("type") or "STANDARD",
            publish=params.get("publish", False),
            version_description=params.get("versionDescription", ""),
            fields=fields, idempotent_fields=_IDEMPOTENT_ON,
        )
    out = {"stateMachineArn": machine.arn, "creationDate": epoch(machine.created)}
    if version is not None:
        out["stateMachineVersionArn"] = version.arn
    return out


@action("UpdateStateMachine")
def update_state_machine(caller, params):
    machine, _ = state_machine_for(caller, params["stateMachineArn"], allow_version=False)
    if not any(k in params for k in ("definition", "roleArn", "loggingConfiguration",
                                     "tracingConfiguration", "encryptionConfiguration")):
        raise errors.AwsError("MissingRequiredParameter",
                              "Either the definition, the role ARN, the logging configuration, "
                              "the tracing configuration or the encryption configuration must "
                              "be specified")
    _check_version_description(params)
    config = configuration.fields_from(params)
    with machine_error():
        version = machines.update(machine, definition=params.get("definition"),
                                  publish=params.get("publish", False),
                                  version_description=params.get("versionDescription", ""),
                                  config=config, new_revision=True, by_revision=True)
    machine.refresh_from_db()
    out = {"updateDate": epoch(machine.updated), "revisionId": machine.revision_id}
    if version is not None:
        out["stateMachineVersionArn"] = version.arn
    return out


@action("DescribeStateMachine")
def describe_state_machine(caller, params):
    machine, version = state_machine_for(caller, params["stateMachineArn"])
    return describe(machine, version)


def describe(machine: StateMachine, version: StateMachineVersion | None) -> dict:
    source = version or machine
    out = {
        "stateMachineArn": source.arn,
        "name": machine.name,
        "status": "ACTIVE",
        "definition": machines.definition_text(source.definition, source.definition_text,
                                               source.definition_sent),
        "type": machine.type,
        "creationDate": epoch(source.created),
        **configuration.described(source, machine.owner_id),
    }
    if source.revision_id:
        out["revisionId"] = source.revision_id
    if source.description:
        out["description"] = source.description
    return out


@action("ListStateMachines")
def list_state_machines(caller, params):
    # AWS lists the caller's account only; staff see all through the web app and REST API.
    page = paging.keyset_page(
        StateMachine.objects.filter(owner=caller.user), order=("name",), params=params,
        salt="ListStateMachines")
    return page.response("stateMachines", [
        {"stateMachineArn": m.arn, "name": m.name, "type": m.type,
         "creationDate": epoch(m.created)} for m in page.items])


@action("DeleteStateMachine")
def delete_state_machine(caller, params):
    parsed = arns.parse(params["stateMachineArn"], "stateMachine")
    if parsed.qualifier:
        raise errors.validation("Deleting a version is done with DeleteStateMachineVersion.")
    # AWS answers 200 for a machine that is already gone; deleting is idempotent.
    try:
        machine, _ = state_machine_for(caller, params["stateMachineArn"])
    except errors.AwsError as error:
        if error.code == "StateMachineDoesNotExist":
            return {}
        raise
    machines.delete(machine)
    return {}


@action("ValidateStateMachineDefinition")
def validate_state_machine_definition(caller, params):
    _, diagnostics = machines.load_definition(params["definition"],
                                              params.get("type") or "STANDARD")
    # severity=ERROR (the default) reports errors only; WARNING reports both.
    if params.get("severity", "ERROR") == "ERROR":
        diagnostics = [d for d in diagnostics if d.severity == "ERROR"]
    limit = params.get("maxResults") or 100
    result = "FAIL" if any(d.severity == "ERROR" for d in diagnostics) else "OK"
    return {
        "result": result,
        "diagnostics": [d.to_dict() for d in diagnostics[:limit]],
        "truncated": len(diagnostics) > limit,
    }


@action("PublishStateMachineVersion")
def publish_state_machine_version(caller, params):
    machine, _ = state_machine_for(caller, params["stateMachineArn"], allow_version=False)
    with machine_error():
        version = machines.publish_version(machine, params.get("description", ""),
                                           params.get("revisionId"), by_revision=True)
    return {"creationDate": epoch(version.created), "stateMachineVersionArn": version.arn}


@action("ListStateMachineVersions")
def list_state_machine_versions(caller, params):
    try:
        machine, _ = state_machine_for(caller, params["stateMachineArn"], allow_version=False)
    except errors.AwsError as error:
        # The model lists no StateMachineDoesNotExist here: AWS answers InvalidArn.
        if error.code != "StateMachineDoesNotExist":
            raise
        raise errors.AwsError("InvalidArn", f"Invalid Arn: '{error.message}'") from None
    page = paging.keyset_page(machine.versions.select_related("state_machine"),
                              order=("-version",), params=params,
                              salt="ListStateMachineVersions", context=machine.pk)
    return page.response("stateMachineVersions", [
        {"stateMachineVersionArn": v.arn, "creationDate": epoch(v.created)}
        for v in page.items])
