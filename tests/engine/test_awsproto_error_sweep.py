"""An SDK sweep over every operation of botocore's Step Functions model (the map-run ones
excepted): each is called with a valid request and with one defect at a time (a required
member missing, a malformed or unknown ARN, a value outside its enum, a string over its
length, a bad page token, maxResults out of range), and every error answered must be one the
model lists for that operation (or one every AWS service may answer).

boto3's own parameter validation is off so the defects reach the server as sent.
"""
import json
import uuid

import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…

pytestmark = pytest.mark.django_db(transaction=True)

MODEL = botocore.session.get_session().get_service_model("stepfunctions")
MAP_RUNS = {"ListMapRuns", "DescribeMapRun", "UpdateMapRun"}  # not served yet (docs/api.md)
# What any AWS JSON service may answer besides an operation's own modelled errors.
COMMON = {"ValidationException", "ThrottlingException", "AccessDeniedException",
          "UnrecognizedClientException", "InvalidSignatureException",
          "IncompleteSignature", "MissingAuthenticationTokenException", "SerializationException",
          "InternalFailure", "ServiceUnavailable", "RequestEntityTooLargeException"}
ROLE = "arn:aws:iam::123456789012:role/demo"
WAIT = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}}
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


class World:
    """Resources every request can name, made through the API first."""

    def __init__(self, sfn):
        made = sfn.create_state_machine(name="sweep", definition=json.dumps(WAIT), roleArn=ROLE,
                                        publish=True)
        self.machine = made["stateMachineArn"]
        self.version = made["stateMachineVersionArn"]
        self.express = sfn.create_state_machine(name="sweep-express", type="EXPRESS",
                                                definition=json.dumps(PASS),
                                                roleArn=ROLE)["stateMachineArn"]
        self.alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[
            {"stateMachineVersionArn": self.version, "weight": 100}])["stateMachineAliasArn"]
        self.execution = sfn.start_execution(stateMachineArn=self.machine)["executionArn"]
        self.activity = sfn.create_activity(name="sweep-activity")["activityArn"]
        self.kinds = {"activityArn": self.activity, "executionArn": self.execution,
                      "stateMachineAliasArn": self.alias, "stateMachineVersionArn": self.version,
                      "stateMachineArn": self.machine}
        prefix = self.machine.split(":stateMachine:")[0]
        # Well-formed ARNs of things that do not exist, by the member they go in.
        self.unknown = {
            "stateMachineArn": f"{prefix}:stateMachine:nowhere",
            "executionArn": f"{prefix}:execution:sweep:never",
            "activityArn": f"{prefix}:activity:nowhere",
            "stateMachineAliasArn": f"{self.machine}:nowhere",
            "stateMachineVersionArn": f"{self.machine}:99",
            "resourceArn": f"{prefix}:stateMachine:nowhere",
        }

    def valid(self, op: str) -> dict:
        """A request for `op` with its required members (and a few others) set right."""
        name = "n" + uuid.uuid4().hex[:12]
        by_member = {
            "stateMachineArn": self.machine, "executionArn": self.execution,
            "activityArn": self.activity, "stateMachineAliasArn": self.alias,
            "stateMachineVersionArn": self.version, "resourceArn": self.machine,
            "definition": json.dumps(PASS), "roleArn": ROLE, "name": name,
            "taskToken": "no-such-token", "output": "{}",
            "routingConfiguration": [{"stateMachineVersionArn": self.version, "weight": 100}],
            "tags": [{"key": "k", "value": "v"}], "tagKeys": ["k"],
        }
        shape = MODEL.operation_model(op).input_shape
        params = {m: by_member[m] for m in shape.required_members}
        if op == "StartSyncExecution":
            params["stateMachineArn"] = self.express
        if op == "ListExecutions":
            params["stateMachineArn"] = self.machine
        if op == "DeleteStateMachineVersion":
            params["stateMachineVersionArn"] = f"{self.machine}:98"  # missing: still 200
        if op in ("DeleteStateMachine", "DeleteActivity", "DeleteStateMachineAlias"):
            # Deleting the shared resources would spoil the other cases: name missing ones.
            member = shape.required_members[0]
            params[member] = self.unknown[member]
        if op == "TestState":
            params["definition"] = json.dumps({"Type": "Pass", "End": True})
        if op == "UpdateStateMachine":
            params["definition"] = json.dumps(WAIT)
        if op == "UpdateStateMachineAlias":
            params["description"] = "d"
        if op == "RedriveExecution":
            params["executionArn"] = self.execution
        return params

    def defects(self, op: str):
        """(what, request) pairs: one defect each on top of a valid request."""
        shape = MODEL.operation_model(op).input_shape
        valid = self.valid(op)
        for member in shape.required_members:
            yield f"{member} missing", {k: v for k, v in valid.items() if k != member}
        for member, inner in shape.members.items():
            meta = inner.metadata
            if inner.type_name != "string":
                if member == "maxResults":
                    yield "maxResults -1", {**valid, member: -1}
                    yield "maxResults 1001", {**valid, member: 1001}
                continue
            if member.endswith("Arn") and member != "mapRunArn":
                yield f"{member} malformed", {**valid, member: "not-an-arn"}
                if member in self.unknown:
                    yield f"{member} unknown", {**valid, member: self.unknown[member]}
                    # An existing resource of another kind (never of this member's own kind:
                    # the Delete* cases would delete what the later cases need).
                    for kind, other in self.kinds.items():
                        if kind != member and not (member == "resourceArn"
                                                   and kind in ("stateMachineArn", "activityArn")):
                            yield f"{member} given a {kind}", {**valid, member: other}
            if "enum" in meta:
                yield f"{member} not in its enum", {**valid, member: "NOT_A_VALUE"}
            if "max" in meta and meta["max"] <= 300_000 and member not in ("nextToken",):
                yield f"{member} too long", {**valid, member: "a" * (meta["max"] + 1)}
            if member == "nextToken":
                yield "nextToken garbage", {**valid, member: "garbage"}


# What a well-formed request of World.valid is still refused with, as AWS refuses it.
VALID_BUT_REFUSED = {
    "SendTaskSuccess": ("TaskDoesNotExist", "InvalidToken"),  # a made-up token
    "SendTaskFailure": ("TaskDoesNotExist", "InvalidToken"),
    "SendTaskHeartbeat": ("TaskDoesNotExist", "InvalidToken"),
    "DeleteStateMachineAlias": ("ResourceNotFound",),  # a missing alias (the others: 200)
    "RedriveExecution": ("ExecutionNotRedrivable",),  # the execution is still running
}


def answered(client, op, params) -> str | None:
    try:
        getattr(client, snake(op))(**params)
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


def test_every_operation_answers_only_errors_its_model_lists(live_server, alice_key, sfn):
    raw = sfn_client(live_server, *alice_key, parameter_validation=False)
    world = World(sfn)
    wrong, server_errors, tried = [], [], 0
    ops = [op for op in MODEL.operation_names if op not in MAP_RUNS]
    assert len(ops) == 34
    for op in ops:
        allowed = {e.name for e in MODEL.operation_model(op).error_shapes} | COMMON
        if op == "GetActivityTask":
            continue  # long poll: its cases are in the activity tests
        code = answered(raw, op, world.valid(op))
        tried += 1
        if code is not None and code not in VALID_BUT_REFUSED.get(op, ()):
            wrong.append(f"{op} (valid request): {code}")
        for what, params in world.defects(op):
            code = answered(raw, op, params)
            tried += 1
            print(f"{op:34} {what:40} {code}")  # the whole table, shown when this fails
            if code is None:
                continue  # accepting some defects is AWS's way too (e.g. a longer output)
            if code in ("InternalFailure", "InternalServerError"):
                server_errors.append(f"{op} ({what})")
            elif code not in allowed:
                wrong.append(f"{op} ({what}): {code}, not in {sorted(allowed - COMMON)}")
    assert tried > 150
    assert server_errors == [], "\n".join(server_errors)
    assert wrong == [], "\n".join(wrong)


def test_listing_aliases_by_version_lists_those_routing_to_it(sfn):
    arn = sfn.create_state_machine(name="two", definition=json.dumps(WAIT), roleArn=ROLE,
                                   publish=True)["stateMachineArn"]
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(PASS), publish=True)

    def alias(name, *routes):
        return sfn.create_state_machine_alias(name=name, routingConfiguration=[
            {"stateMachineVersionArn": f"{arn}:{v}", "weight": w} for v, w in routes
        ])["stateMachineAliasArn"]

    one, both, two = alias("one", (1, 100)), alias("both", (1, 50), (2, 50)), alias("two", (2, 100))

    def listed(target):
        return {a["stateMachineAliasArn"] for a in
                sfn.list_state_machine_aliases(stateMachineArn=target)["stateMachineAliases"]}

    assert listed(arn) == {one, both, two}
    assert listed(arn + ":1") == {one, both}
    assert listed(arn + ":2") == {both, two}
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.list_state_machine_aliases(stateMachineArn=arn + ":3")
    # A page token of the machine's listing is not one of a version's.
    token = sfn.list_state_machine_aliases(stateMachineArn=arn, maxResults=1)["nextToken"]
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_state_machine_aliases(stateMachineArn=arn + ":1", maxResults=1, nextToken=token)


def test_start_sync_execution_checks_the_name_and_runs_a_name_again(sfn):
    arn = sfn.create_state_machine(name="quick", type="EXPRESS", definition=json.dumps(PASS),
                                   roleArn=ROLE)["stateMachineArn"]
    with pytest.raises(sfn.exceptions.InvalidName):
        sfn.start_sync_execution(stateMachineArn=arn, name="a b")
    first = sfn.start_sync_execution(stateMachineArn=arn, name="same")
    # Express names are not unique (the model has no ExecutionAlreadyExists here): it runs.
    again = sfn.start_sync_execution(stateMachineArn=arn, name="same")
    assert first["status"] == again["status"] == "SUCCEEDED"
    assert first["executionArn"].endswith(":same")
    assert again["executionArn"] != first["executionArn"]
    assert again["name"].startswith("same-")
    assert sfn.describe_execution(executionArn=again["executionArn"])["status"] == "SUCCEEDED"


def test_test_state_refuses_a_malformed_role_arn(sfn):
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.test_state(definition=json.dumps(PASS["States"]["P"]), roleArn="not-a-role")
    assert sfn.test_state(definition=json.dumps(PASS["States"]["P"]),
                          roleArn=ROLE)["status"] == "SUCCEEDED"


def test_semantic_errors_are_the_ones_each_model_lists(sfn):
    """Well-typed requests the service refuses for what they mean: the exact modelled code."""
    world = World(sfn)  # boto3's own validation passes all of these: they are valid shapes
    tags51 = [{"key": f"k{i}", "value": "v"} for i in range(51)]
    bad_definition = json.dumps({"StartAt": "Q", "States": {}})
    routing = [{"stateMachineVersionArn": world.version, "weight": 100}]
    cases = [
        ("CreateStateMachine", dict(name="b", definition=bad_definition, roleArn=ROLE),
         "InvalidDefinition"),
        ("CreateStateMachine", dict(name="b", definition="{nope", roleArn=ROLE),
         "InvalidDefinition"),
        ("CreateStateMachine", dict(name="a b", definition=json.dumps(PASS), roleArn=ROLE),
         "InvalidName"),
        ("CreateStateMachine", dict(name="t", definition=json.dumps(PASS), roleArn=ROLE,
                                    tags=tags51), "TooManyTags"),
        ("CreateStateMachine", dict(name="l", definition=json.dumps(PASS), roleArn=ROLE,
                                    loggingConfiguration={"level": "ALL"}),
         "InvalidLoggingConfiguration"),
        ("CreateStateMachine", dict(name="e", definition=json.dumps(PASS), roleArn=ROLE,
                                    encryptionConfiguration={"type": "CUSTOMER_MANAGED_KMS_KEY"}),
         "InvalidEncryptionConfiguration"),
        ("CreateStateMachine", dict(name="sweep", definition=json.dumps(PASS), roleArn=ROLE),
         "StateMachineAlreadyExists"),
        ("CreateActivity", dict(name="a b"), "InvalidName"),
        ("CreateActivity", dict(name="many", tags=tags51), "TooManyTags"),
        ("TagResource", dict(resourceArn=world.machine, tags=tags51), "TooManyTags"),
        ("CreateStateMachineAlias", dict(name="live", description="other",
                                         routingConfiguration=routing), "ConflictException"),
        ("DeleteStateMachineVersion", dict(stateMachineVersionArn=world.version),
         "ConflictException"),  # the alias routes to it
        ("PublishStateMachineVersion", dict(stateMachineArn=world.machine, revisionId="stale"),
         "ConflictException"),
        ("UpdateStateMachine", dict(stateMachineArn=world.machine), "MissingRequiredParameter"),
        ("UpdateStateMachine", dict(stateMachineArn=world.machine, definition=bad_definition),
         "InvalidDefinition"),
        ("StartExecution", dict(stateMachineArn=world.machine, input="{nope"),
         "InvalidExecutionInput"),
        ("StartExecution", dict(stateMachineArn=world.machine, name="a b"), "InvalidName"),
        ("StartSyncExecution", dict(stateMachineArn=world.machine), "StateMachineTypeNotSupported"),
        ("StartSyncExecution", dict(stateMachineArn=world.express, input="{nope"),
         "InvalidExecutionInput"),
        ("StartSyncExecution", dict(stateMachineArn=world.express, name="a b"), "InvalidName"),
        ("RedriveExecution", dict(executionArn=world.execution), "ExecutionNotRedrivable"),
        ("SendTaskSuccess", dict(taskToken="never-issued", output="{nope"), "InvalidOutput"),
        ("TestState", dict(definition='{"Type": "Nope"}'), "InvalidDefinition"),
        ("TestState", dict(definition=json.dumps(PASS["States"]["P"]), input="{nope"),
         "InvalidExecutionInput"),
        ("TestState", dict(definition=json.dumps(PASS["States"]["P"]), roleArn="nope"),
         "InvalidArn"),
    ]
    wrong = []
    for op, params, expected in cases:
        allowed = {e.name for e in MODEL.operation_model(op).error_shapes}
        assert expected in allowed, (op, expected)  # the expectation itself is modelled
        code = answered(sfn, op, params)
        if code != expected:
            wrong.append(f"{op} {sorted(params)}: {code}, expected {expected}")
    assert wrong == [], "\n".join(wrong)
