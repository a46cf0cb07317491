"""State machine aliases and deleting versions.

An alias routes StartExecution to one version, or splits it between two by weight (AWS's
canary deployments). Its ARN is the machine's ARN with the alias name as qualifier; alias
names always hold a letter, `_`, `-` or `.`, version qualifiers are digits, so the two never
collide.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from engine.models import StateMachine, StateMachineAlias

from .. import arns, errors, paging
from ..dispatch import action
from ._common import alias_for, epoch, machine_named


def _routing(caller, config: list[dict], machine: StateMachine | None) -> tuple:
    """(machine, [{"version", "weight"}]) from a routingConfiguration, checked as AWS does:
    the request's own consistency (weights summing to 100, distinct versions, one machine)
    before any version is looked up, so a malformed routing is a ValidationException even
    when its versions do not exist."""
    arn_list = [route["stateMachineVersionArn"] for route in config]
    weights = [route["weight"] for route in config]
    if sum(weights) != 100:
        raise errors.validation(f"The sum of the weights in the routing configuration must be "
                                f"equal to 100. Received: {weights}")
    if len(set(arn_list)) != len(arn_list):
        raise errors.validation(f"Routing configuration must contain distinct state machine "
                                f"version ARNs. Received: [{', '.join(arn_list)}]")
    if len({arn.rsplit(":", 1)[0] for arn in arn_list}) > 1:
        raise errors.validation("Both stateMachineVersionArn values must belong to the same "
                                "state machine.")
    routing = []
    for arn, weight in zip(arn_list, weights):
        parsed = arns.parse(arn, "stateMachine")
        if not parsed.is_version:
            raise errors.validation(f"Routing configuration must contain state machine "
                                    f"version ARNs. Received: [{', '.join(arn_list)}]")
        owner = machine_named(caller, parsed)
        if owner is None or not owner.versions.filter(version=int(parsed.qualifier)).exists():
            raise errors.resource_not_found(arn)
        if machine is None:
            machine = owner
        elif owner.pk != machine.pk:
            raise errors.validation("Both stateMachineVersionArn values must belong to the "
                                    "same state machine as the alias.")
        routing.append({"version": int(parsed.qualifier), "weight": weight})
    return machine, routing


def routing_out(alias: StateMachineAlias) -> list[dict]:
    base = alias.state_machine.arn
    return [{"stateMachineVersionArn": f"{base}:{r['version']}", "weight": r["weight"]}
            for r in alias.routing]


@action("CreateStateMachineAlias")
def create_state_machine_alias(caller, params):
    machine, routing = _routing(caller, params["routingConfiguration"], None)
    description = params.get("description", "")
    with transaction.atomic():
        # The machine's row lock serialises creates: the quota and the name check hold.
        StateMachine.objects.select_for_update().filter(pk=machine.pk).first()
        existing = machine.aliases.filter(name=params["name"]).first()
        if existing is not None:
            # AWS: the same request again answers the alias; a different one conflicts.
            if existing.routing == routing and existing.description == description:
                return {"stateMachineAliasArn": existing.arn,
                        "creationDate": epoch(existing.created)}
            raise errors.AwsError("ConflictException",
                                  f"Failed to create alias because an alias with the same name "
                                  f"and a different routing configuration already exists: "
                                  f"'{existing.arn}'")
        if machine.aliases.count() >= StateMachineAlias.MAX_PER_MACHINE:
            raise errors.AwsError(
                "ServiceQuotaExceededException",
                f"Aliases per state machine limit exceeded: at most "
                f"{StateMachineAlias.MAX_PER_MACHINE} aliases per state machine")
        try:
            with transaction.atomic():
                alias = StateMachineAlias.objects.create(
                    state_machine=machine, name=params["name"], description=description,
                    routing=routing)
        except IntegrityError:
            raise errors.AwsError("ConflictException", "The alias was created concurrently") \
                from None
    return {"stateMachineAliasArn": alias.arn, "creationDate": epoch(alias.created)}


@action("DescribeStateMachineAlias")
def describe_state_machine_alias(caller, params):
    alias = alias_for(caller, params["stateMachineAliasArn"])
    out = {"stateMachineAliasArn": alias.arn, "name": alias.name,
           "routingConfiguration": routing_out(alias),
           "creationDate": epoch(alias.created), "updateDate": epoch(alias.updated)}
    if alias.description:
        out["description"] = alias.description
    return out


@action("UpdateStateMachineAlias")
def update_state_machine_alias(caller, params):
    alias = alias_for(caller, params["stateMachineAliasArn"])
    if "description" not in params and "routingConfiguration" not in params:
        raise errors.validation("You must provide at least one of routingConfiguration or "
                                "description")
    if params.get("routingConfiguration") is not None:
        _, alias.routing = _routing(caller, params["routingConfiguration"], alias.state_machine)
    if params.get("description") is not None:
        alias.description = params["description"]
    alias.updated = timezone.now()
    alias.save(update_fields=["routing", "description", "updated"])
    return {"updateDate": epoch(alias.updated)}


@action("ListStateMachineAliases")
def list_state_machine_aliases(caller, params):
    arn = params["stateMachineArn"]
    parsed = arns.parse(arn, "stateMachine")
    if parsed.is_alias:
        raise errors.invalid_arn(arn)
    machine = machine_named(caller, parsed)
    if machine is None:
        raise errors.state_machine_does_not_exist(arn)
    aliases = machine.aliases.select_related("state_machine")
    if parsed.is_version:
        # AWS: a version ARN lists the aliases that route to that version.
        number = int(parsed.qualifier) if len(parsed.qualifier) < 10 else 0
        if not machine.versions.filter(version=number).exists():
            raise errors.resource_not_found(arn)
        aliases = aliases.filter(pk__in=[a.pk for a in aliases if any(
            route["version"] == number for route in a.routing)])
    page = paging.keyset_page(aliases, order=("created",), params=params,
                              salt=f"ListStateMachineAliases:{machine.pk}", context=arn)
    return page.response("stateMachineAliases", [
        {"stateMachineAliasArn": a.arn, "creationDate": epoch(a.created)} for a in page.items])


@action("DeleteStateMachineAlias")
def delete_state_machine_alias(caller, params):
    alias_for(caller, params["stateMachineAliasArn"]).delete()
    return {}


@action("DeleteStateMachineVersion")
def delete_state_machine_version(caller, params):
    arn = params["stateMachineVersionArn"]
    parsed = arns.parse(arn, "stateMachine")
    if not parsed.is_version:
        raise errors.invalid_arn(arn)
    machine = machine_named(caller, parsed)
    if machine is None:
        return {}  # AWS: deleting what does not exist succeeds
    number = int(parsed.qualifier) if len(parsed.qualifier) < 10 else -1
    with transaction.atomic():
        StateMachine.objects.select_for_update().filter(pk=machine.pk).first()
        routed = [a.arn for a in machine.aliases.select_related("state_machine")
                  if any(r["version"] == number for r in a.routing)]
        if routed:
            raise errors.AwsError(
                "ConflictException",
                f"Version to be deleted must not be referenced by an alias. Current list of "
                f"aliases referencing this version: [{', '.join(routed)}]")
        # Executions of it keep running on their own copy of the definition.
        machine.versions.filter(version=number).delete()
    return {}
