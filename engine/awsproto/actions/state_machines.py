"""State machine actions: create, update, describe, list, delete, validate, versions."""
from __future__ import annotations

from engine.api import machines
from engine.models import StateMachine, StateMachineVersion, account_id

from .. import arns, errors, paging
from ..dispatch import action
from ._common import epoch, machine_error, state_machine_for

# Not stored: StepStudio runs tasks as the owner, so the role is informational. We answer
# with a stable per-account role so SDK code that reads `roleArn` keeps working.
ROLE_NAME = "StepStudioExecutionRole"


def role_arn(owner_id: int) -> str:
    return f"arn:aws:iam::{account_id(owner_id)}:role/{ROLE_NAME}"


@action("CreateStateMachine")
def create_state_machine(caller, params):
    with machine_error():
        machine, version = machines.create(
            caller.user, params["name"], params["definition"],
            params.get("type") or "STANDARD",
            publish=params.get("publish", False),
            version_description=params.get("versionDescription", ""),
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
    with machine_error():
        version = machines.update(machine, definition=params.get("definition"),
                                  publish=params.get("publish", False),
                                  version_description=params.get("versionDescription", ""))
    machine.refresh_from_db()
    out = {"updateDate": epoch(machine.updated)}
    if version is not None:
        out["stateMachineVersionArn"] = version.arn
    return out


@action("DescribeStateMachine")
def describe_state_machine(caller, params):
    machine, version = state_machine_for(caller, params["stateMachineArn"])
    return describe(machine, version)


def describe(machine: StateMachine, version: StateMachineVersion | None) -> dict:
    out = {
        "stateMachineArn": version.arn if version else machine.arn,
        "name": machine.name,
        "status": "ACTIVE",
        "definition": machines.definition_text(*((version.definition, version.definition_text)
                                                 if version else
                                                 (machine.definition, machine.definition_text))),
        "roleArn": role_arn(machine.owner_id),
        "type": machine.type,
        "creationDate": epoch(version.created if version else machine.created),
        "loggingConfiguration": {"level": "OFF", "includeExecutionData": False},
        "tracingConfiguration": {"enabled": False},
    }
    description = version.description if version else machine.description
    if description:
        out["description"] = description
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
    version = machines.publish_version(machine, params.get("description", ""))
    return {"creationDate": epoch(version.created), "stateMachineVersionArn": version.arn}


@action("ListStateMachineVersions")
def list_state_machine_versions(caller, params):
    machine, _ = state_machine_for(caller, params["stateMachineArn"], allow_version=False)
    page = paging.keyset_page(machine.versions.select_related("state_machine"),
                              order=("-version",), params=params,
                              salt="ListStateMachineVersions")
    return page.response("stateMachineVersions", [
        {"stateMachineVersionArn": v.arn, "creationDate": epoch(v.created)}
        for v in page.items])
