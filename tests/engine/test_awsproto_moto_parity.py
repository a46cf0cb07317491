"""Behaviours found by running moto's own Step Functions tests against StepStudio (boto3's
real client against a live server): each test here is one discrepancy, fixed."""
import json

import pytest

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…

pytestmark = pytest.mark.django_db(transaction=True)

ROLE = "arn:aws:iam::123456789012:role/demo"
# Deliberately not how json.dumps would write it: spacing, key order and a comment-like key.
SENT = ('{"Comment": "as typed",\n   "StartAt": "P",'
        '"States":{"P":  {"Type": "Pass","End": true}}}')
WAIT = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600,
                                                      "End": True}}})


def error_of(raised):
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def test_describe_answers_the_definition_exactly_as_sent(sfn):
    created = sfn.create_state_machine(name="sent", definition=SENT, roleArn=ROLE, publish=True)
    arn = created["stateMachineArn"]
    assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == SENT
    version = created["stateMachineVersionArn"]
    assert sfn.describe_state_machine(stateMachineArn=version)["definition"] == SENT
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    for_execution = sfn.describe_state_machine_for_execution(executionArn=execution)
    assert for_execution["definition"] == SENT

    other = SENT.replace("as typed", "changed")
    sfn.update_state_machine(stateMachineArn=arn, definition=other)
    assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == other
    assert sfn.describe_state_machine(stateMachineArn=version)["definition"] == SENT
    # The execution ran the first text: it is not described with the machine's new one.
    for_execution = sfn.describe_state_machine_for_execution(executionArn=execution)
    assert json.loads(for_execution["definition"]) == json.loads(SENT)


def test_execution_already_exists_names_the_execution_arn(sfn):
    arn = sfn.create_state_machine(name="dup", definition=WAIT, roleArn=ROLE)["stateMachineArn"]
    first = sfn.start_execution(stateMachineArn=arn, name="once", input='{"a": 1}')
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists) as raised:
        sfn.start_execution(stateMachineArn=arn, name="once", input='{"a": 2}')
    assert error_of(raised)[1] == f"Execution Already Exists: '{first['executionArn']}'"
    sfn.stop_execution(executionArn=first["executionArn"])


def test_alias_routing_is_checked_before_its_versions_are_looked_up(sfn, alice_key):
    arn = sfn.create_state_machine(name="routed", definition=WAIT, roleArn=ROLE,
                                   publish=True)["stateMachineArn"]
    missing = arn.replace(":routed", ":nowhere")
    cases = [
        ([(missing + ":1", 50)], "The sum of the weights in the routing configuration must "
                                 "be equal to 100"),
        ([(missing + ":1", 60), (missing + ":2", 30)], "The sum of the weights"),
        ([(missing + ":1", 50), (missing + ":1", 50)], "must contain distinct state machine "
                                                       "version ARNs"),
        ([(arn + ":1", 50), (missing + ":1", 50)], "Both stateMachineVersionArn values must "
                                                   "belong to the same state machine"),
    ]
    for routes, message in cases:
        with pytest.raises(sfn.exceptions.ClientError) as raised:
            sfn.create_state_machine_alias(name="a", routingConfiguration=[
                {"stateMachineVersionArn": v, "weight": w} for v, w in routes])
        code, text = error_of(raised)
        assert code == "ValidationException", (routes, text)
        assert message in text
    # Well formed but naming a missing version: only then ResourceNotFound.
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.create_state_machine_alias(name="a", routingConfiguration=[
            {"stateMachineVersionArn": missing + ":1", "weight": 100}])

    alias = sfn.create_state_machine_alias(name="a", routingConfiguration=[
        {"stateMachineVersionArn": arn + ":1", "weight": 100}])["stateMachineAliasArn"]
    with pytest.raises(sfn.exceptions.ClientError) as raised:
        sfn.update_state_machine_alias(stateMachineAliasArn=alias)
    assert error_of(raised) == ("ValidationException", "You must provide at least one of "
                                                       "routingConfiguration or description")


def test_a_page_token_is_good_only_for_the_request_it_came_from(sfn):
    arn = sfn.create_state_machine(name="paged", definition=WAIT, roleArn=ROLE,
                                   publish=True)["stateMachineArn"]
    started = [sfn.start_execution(stateMachineArn=arn)["executionArn"] for _ in range(3)]
    token = sfn.list_executions(stateMachineArn=arn, maxResults=1)["nextToken"]
    assert len(sfn.list_executions(stateMachineArn=arn, maxResults=1,
                                   nextToken=token)["executions"]) == 1
    with pytest.raises(sfn.exceptions.InvalidToken) as raised:
        sfn.list_executions(stateMachineArn=arn, maxResults=1, statusFilter="ABORTED",
                            nextToken=token)
    assert "Input inconsistent with page token" in error_of(raised)[1]
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_executions(stateMachineArn=arn + ":1", maxResults=1, nextToken=token)

    history = sfn.get_execution_history(executionArn=started[0], maxResults=1)
    more = sfn.get_execution_history(executionArn=started[0], maxResults=1,
                                     nextToken=history["nextToken"])
    assert more["events"][0]["id"] == 2
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.get_execution_history(executionArn=started[0], maxResults=1, reverseOrder=True,
                                  nextToken=history["nextToken"])

    other = sfn.create_state_machine(name="other", definition=WAIT, roleArn=ROLE,
                                     publish=True)["stateMachineArn"]
    sfn.publish_state_machine_version(stateMachineArn=other)
    sfn.update_state_machine(stateMachineArn=other, definition=WAIT.replace("600", "601"),
                             publish=True)
    versions = sfn.list_state_machine_versions(stateMachineArn=other, maxResults=1)
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_state_machine_versions(stateMachineArn=arn, maxResults=1,
                                        nextToken=versions["nextToken"])
    for execution in started:
        sfn.stop_execution(executionArn=execution)
