"""Every operation's answer against botocore's output shape: required members present, enums,
types and lengths as the model says, no nulls, no members the model does not have.

One live server, one scenario that calls each operation the server serves at least once
(success answers; errors are checked by the per-family tests).
"""
import json

import botocore.session
import pytest

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…

pytestmark = pytest.mark.django_db(transaction=True)

MODEL = botocore.session.get_session().get_service_model("stepfunctions")
ROLE = "arn:aws:iam::123456789012:role/demo"
NOT_SERVED: set = set()


def problems(shape, value, path="") -> list[str]:
    """Where `value` (the answer's raw JSON) breaks `shape`."""
    if value is None:
        return [f"{path}: null"]
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not an object"]
        found = [f"{path}.{m}: required, missing" for m in shape.required_members if m not in value]
        found += [f"{path}.{m}: not in the model" for m in value if m not in shape.members]
        for member, inner in value.items():
            if member in shape.members:
                found += problems(shape.members[member], inner, f"{path}.{member}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: not a list"]
        return [p for i, item in enumerate(value) for p in problems(shape.member, item, f"{path}[{i}]")]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: not a map"]
        return [p for k, v in value.items() for p in problems(shape.value, v, f"{path}[{k}]")]
    meta = shape.metadata
    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: {value!r} is not a string"]
        if "enum" in meta and value not in meta["enum"]:
            return [f"{path}: {value!r} not in {meta['enum']}"]
        if len(value) < meta.get("min", 0) or len(value) > meta.get("max", 10 ** 9):
            return [f"{path}: length {len(value)} outside [{meta.get('min')}, {meta.get('max')}]"]
        return []
    if kind in ("integer", "long"):
        ok = isinstance(value, int) and not isinstance(value, bool)
        if ok and "min" in meta and value < meta["min"]:
            return [f"{path}: {value} < {meta['min']}"]
        return [] if ok else [f"{path}: {value!r} is not an integer"]
    if kind in ("float", "double"):
        return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else [f"{path}: not a number"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: {value!r} is not a boolean"]
    if kind == "timestamp":
        return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else [f"{path}: not epoch seconds"]
    return [f"{path}: unchecked type {kind}"]


def test_problems_finds_what_the_model_forbids():
    shape = MODEL.operation_model("DescribeExecution").output_shape
    good = {"executionArn": "a", "stateMachineArn": "b", "status": "RUNNING", "startDate": 1.5}
    assert problems(shape, good) == []
    assert problems(shape, {**good, "status": "PAUSED"})
    assert problems(shape, {**good, "stopDate": None})
    assert problems(shape, {**good, "redriveCount": "1"})
    assert problems(shape, {k: v for k, v in good.items() if k != "startDate"})
    assert problems(shape, {**good, "extra": 1})


def test_every_served_operation_answers_in_its_output_shape(sfn, alice_key, settings):
    settings.STEPSTUDIO_ACTIVITY_POLL_SECONDS = 1
    answers = {}

    def record(http_response, model, **_):
        body = http_response.content
        answers.setdefault(model.name, []).append(json.loads(body) if body else {})

    sfn.meta.events.register("after-call.sfn", record)

    activity = sfn.create_activity(name="review", tags=[{"key": "k", "value": "v"}])["activityArn"]
    waits = {"StartAt": "Review", "States": {
        "Review": {"Type": "Task", "Resource": activity, "End": True}}}
    arn = sfn.create_state_machine(name="m", definition=json.dumps(waits), roleArn=ROLE,
                                   publish=True, tags=[{"key": "k", "value": "v"}])["stateMachineArn"]
    sfn.update_state_machine(stateMachineArn=arn, roleArn=ROLE)
    version = sfn.publish_state_machine_version(stateMachineArn=arn, description="d")[
        "stateMachineVersionArn"]
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[
        {"stateMachineVersionArn": version, "weight": 100}])["stateMachineAliasArn"]
    sfn.describe_state_machine(stateMachineArn=arn)
    sfn.describe_state_machine(stateMachineArn=version)
    sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    sfn.update_state_machine_alias(stateMachineAliasArn=alias, description="x")
    sfn.list_state_machine_aliases(stateMachineArn=arn)
    sfn.list_state_machine_versions(stateMachineArn=arn)
    sfn.list_state_machines()
    sfn.validate_state_machine_definition(definition=json.dumps(waits))
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "k2", "value": ""}])
    sfn.list_tags_for_resource(resourceArn=arn)
    sfn.untag_resource(resourceArn=arn, tagKeys=["k2"])
    sfn.describe_activity(activityArn=activity)
    sfn.list_activities()

    first = sfn.start_execution(stateMachineArn=alias, name="first", input='{"a": 1}')["executionArn"]
    task = sfn.get_activity_task(activityArn=activity, workerName="w")
    sfn.send_task_heartbeat(taskToken=task["taskToken"])
    sfn.send_task_success(taskToken=task["taskToken"], output='{"done": true}')
    second = sfn.start_execution(stateMachineArn=arn, name="second")["executionArn"]
    task = sfn.get_activity_task(activityArn=activity)
    sfn.send_task_failure(taskToken=task["taskToken"], error="E", cause="C")
    third = sfn.start_execution(stateMachineArn=arn, name="third")["executionArn"]
    sfn.stop_execution(executionArn=third, error="Stop", cause="test")
    sfn.get_activity_task(activityArn=activity)  # the stopped one's task is gone: empty answer
    sfn.redrive_execution(executionArn=third)
    for execution in (first, second, third):
        sfn.describe_execution(executionArn=execution)
        sfn.get_execution_history(executionArn=execution)
        sfn.describe_state_machine_for_execution(executionArn=execution)
    sfn.list_executions(stateMachineArn=arn)
    sfn.list_executions(stateMachineArn=alias)

    # A DISTRIBUTED Map whose child waits on the activity: a running map run (no worker
    # needed: the start runs the fan-out inline up to the activity task).
    mapper = sfn.create_state_machine(name="mapper", roleArn=ROLE, definition=json.dumps(
        {"StartAt": "Each", "States": {"Each": {
            "Type": "Map", "Label": "Rows", "ItemsPath": "$.items", "MaxConcurrency": 1,
            "ToleratedFailurePercentage": 10, "End": True,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                              "StartAt": "Review", "States": {
                                  "Review": {"Type": "Task", "Resource": activity, "End": True}}}}}}))[
        "stateMachineArn"]
    mapped = sfn.start_execution(stateMachineArn=mapper, input='{"items": [1, 2]}')["executionArn"]
    run = sfn.list_map_runs(executionArn=mapped)["mapRuns"][0]["mapRunArn"]
    sfn.describe_map_run(mapRunArn=run)
    sfn.update_map_run(mapRunArn=run, maxConcurrency=2, toleratedFailureCount=1)
    child = sfn.list_executions(mapRunArn=run)["executions"][0]["executionArn"]
    sfn.describe_execution(executionArn=child)
    sfn.get_execution_history(executionArn=child)
    sfn.describe_state_machine_for_execution(executionArn=child)
    sfn.stop_execution(executionArn=mapped)
    sfn.describe_map_run(mapRunArn=run)
    sfn.list_executions(mapRunArn=run)

    express = sfn.create_state_machine(name="fast", type="EXPRESS", roleArn=ROLE, definition=json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
    sfn.start_sync_execution(stateMachineArn=express, input="{}")
    sfn.test_state(definition=json.dumps({"Type": "Pass", "Result": 1, "End": True}))
    sfn.test_state(definition=json.dumps({"Type": "Fail", "Error": "E", "Cause": "C"}))

    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    sfn.delete_state_machine_version(stateMachineVersionArn=version)
    sfn.delete_state_machine(stateMachineArn=express)
    sfn.delete_activity(activityArn=activity)

    assert set(answers) == set(MODEL.operation_names) - NOT_SERVED
    found = [f"{name}{p}" for name, bodies in answers.items() for body in bodies
             for p in problems(MODEL.operation_model(name).output_shape, body)]
    assert found == []
