"""Map runs through boto3's real stepfunctions client (and the AWS CLI) against a live server,
on a real worker: ListMapRuns, DescribeMapRun, UpdateMapRun, ListExecutions(mapRunArn), the
child executions' own histories, and every modelled error of those operations."""
import json
import time

import pytest

from tests.accounts.sdk import *  # noqa: F401,F403 — fixtures: sfn, bob_sfn, alice_key…
from tests.accounts.sdk import sfn_client
from tests.engine.runtime.conftest import runtime, runtime_env  # noqa: F401 — fixtures
from tests.engine.test_awsproto_cli import aws  # noqa: F401 — fixture
from tests.engine.test_awsproto_executions import history, machine, wait_for_status

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

CHECK = {"StartAt": "Check", "States": {
    "Check": {"Type": "Choice", "Choices": [
        {"Variable": "$.ok", "BooleanEquals": False, "Next": "Bad"}], "Default": "Good"},
    "Bad": {"Type": "Fail", "Error": "Item.Bad", "Cause": "not ok"},
    "Good": {"Type": "Pass", "End": True}}}
HOLD = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 600, "End": True}}}


def distributed_map(processor, end=True, **fields):
    return {"Type": "Map", "ItemsPath": "$.items", **({"End": True} if end else {}), **fields,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED",
                                                  "ExecutionType": "STANDARD"}, **processor}}


TWO_MAPS = {"StartAt": "First", "States": {
    "First": {**distributed_map(CHECK, end=False, Label="Items", MaxConcurrency=2,
                                ToleratedFailureCount=1),
              "ResultPath": None, "Next": "Second"},
    "Second": distributed_map({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})}}


def wait_for(predicate, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def all_pages(sfn, operation, member, **kwargs):
    pages = sfn.get_paginator(operation).paginate(**kwargs)
    return [row for page in pages for row in page[member]]


def test_map_runs_and_their_child_executions_through_boto3(runtime, sfn, bob_sfn):  # noqa: F811
    arn = machine(sfn, "mapper", TWO_MAPS)
    items = [{"ok": True}, {"ok": False}, {"ok": True}, {"ok": True}, {"ok": True}]
    execution = sfn.start_execution(stateMachineArn=arn, name="run-1",
                                    input=json.dumps({"items": items}))["executionArn"]
    assert wait_for_status(sfn, execution)["status"] == "SUCCEEDED"

    runs = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    assert len(runs) == 2
    first_page = sfn.list_map_runs(executionArn=execution, maxResults=1)
    second_page = sfn.list_map_runs(executionArn=execution, maxResults=1,
                                    nextToken=first_page["nextToken"])
    assert "nextToken" not in second_page
    assert [r["mapRunArn"] for r in first_page["mapRuns"] + second_page["mapRuns"]] == \
        [r["mapRunArn"] for r in runs]
    by_label = {r["mapRunArn"].split("/")[1].split(":")[0]: r for r in runs}
    assert set(by_label) == {"Items", "Second"}  # the Label, else the state's name
    run = by_label["Items"]
    assert run["executionArn"] == execution and run["stateMachineArn"] == arn
    assert run["mapRunArn"].startswith(arn.replace(":stateMachine:", ":mapRun:") + "/Items:")
    assert run["stopDate"] >= run["startDate"]
    started = [e for e in history(sfn, execution) if e["type"] == "MapRunStarted"]
    assert {e["mapRunStartedEventDetails"]["mapRunArn"] for e in started} == \
        {r["mapRunArn"] for r in runs}

    described = sfn.describe_map_run(mapRunArn=run["mapRunArn"])
    assert described["status"] == "SUCCEEDED" and described["executionArn"] == execution
    assert (described["maxConcurrency"], described["toleratedFailureCount"],
            described["toleratedFailurePercentage"]) == (2, 1, 0.0)
    expected = {"pending": 0, "running": 0, "succeeded": 4, "failed": 1, "timedOut": 0,
                "aborted": 0, "total": 5, "resultsWritten": 0}
    for counts in (described["itemCounts"], described["executionCounts"]):
        assert {k: counts[k] for k in expected} == expected
    assert described["redriveCount"] == 0 and "redriveDate" not in described

    children = all_pages(sfn, "list_executions", "executions", mapRunArn=run["mapRunArn"],
                         PaginationConfig={"PageSize": 2})
    assert len(children) == 5 and len({c["executionArn"] for c in children}) == 5
    labelled = arn + "/Items"
    for child in children:
        assert child["executionArn"] == \
            arn.replace(":stateMachine:", ":execution:") + f"/Items:{child['name']}"
        assert (child["mapRunArn"], child["stateMachineArn"], child["itemCount"]) == \
            (run["mapRunArn"], labelled, 1)
    failed = sfn.list_executions(mapRunArn=run["mapRunArn"], statusFilter="FAILED")["executions"]
    assert len(failed) == 1
    child = sfn.describe_execution(executionArn=failed[0]["executionArn"])
    assert (child["status"], child["error"], child["cause"]) == ("FAILED", "Item.Bad", "not ok")
    assert child["mapRunArn"] == run["mapRunArn"] and json.loads(child["input"]) == {"ok": False}
    events = [e["type"] for e in history(sfn, child["executionArn"])]
    assert events == ["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited",
                      "FailStateEntered", "ExecutionFailed"]
    for_child = sfn.describe_state_machine_for_execution(executionArn=child["executionArn"])
    assert (for_child["label"], for_child["mapRunArn"], for_child["stateMachineArn"]) == \
        ("Items", run["mapRunArn"], labelled)
    assert json.loads(for_child["definition"])["StartAt"] == "Check"
    # Children are listed by their map run only; they are run (stopped) by their parent.
    assert [e["name"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]] == ["run-1"]
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.stop_execution(executionArn=child["executionArn"])

    # Another account sees none of it.
    with pytest.raises(bob_sfn.exceptions.ResourceNotFound):
        bob_sfn.describe_map_run(mapRunArn=run["mapRunArn"])
    with pytest.raises(bob_sfn.exceptions.ResourceNotFound):
        bob_sfn.list_executions(mapRunArn=run["mapRunArn"])
    with pytest.raises(bob_sfn.exceptions.ResourceNotFound):
        bob_sfn.update_map_run(mapRunArn=run["mapRunArn"], maxConcurrency=1)
    with pytest.raises(bob_sfn.exceptions.ExecutionDoesNotExist):
        bob_sfn.list_map_runs(executionArn=execution)
    with pytest.raises(bob_sfn.exceptions.ExecutionDoesNotExist):
        bob_sfn.get_execution_history(executionArn=child["executionArn"])
    # A finished map run cannot be updated.
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.update_map_run(mapRunArn=run["mapRunArn"], maxConcurrency=5)


def test_update_map_run_takes_effect_on_the_running_map_run(runtime, sfn):  # noqa: F811
    arn = machine(sfn, "holder", {"StartAt": "Each", "States": {
        "Each": distributed_map(HOLD, MaxConcurrency=1)}})
    execution = sfn.start_execution(stateMachineArn=arn,
                                    input=json.dumps({"items": [1, 2, 3, 4]}))["executionArn"]
    run_arn = wait_for(lambda: sfn.list_map_runs(executionArn=execution)["mapRuns"],
                       "the map run")[0]["mapRunArn"]

    def running(n):
        return lambda: sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]["running"] == n
    wait_for(running(1), "one child running")
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert (described["status"], described["itemCounts"]["pending"]) == ("RUNNING", 3)

    assert sfn.update_map_run(mapRunArn=run_arn, maxConcurrency=3, toleratedFailureCount=2,
                              toleratedFailurePercentage=50.5)["ResponseMetadata"]
    wait_for(running(3), "three children running")
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert (described["maxConcurrency"], described["toleratedFailureCount"],
            described["toleratedFailurePercentage"]) == (3, 2, 50.5)
    assert (described["itemCounts"]["pending"], described["itemCounts"]["total"]) == (1, 4)
    running_children = sfn.list_executions(mapRunArn=run_arn, statusFilter="RUNNING")["executions"]
    assert len(running_children) == 3

    sfn.stop_execution(executionArn=execution)
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert described["status"] == "ABORTED" and "stopDate" in described
    assert described["executionCounts"]["aborted"] == 4
    child = running_children[0]["executionArn"]
    assert sfn.describe_execution(executionArn=child)["status"] == "ABORTED"
    assert history(sfn, child)[-1]["type"] == "ExecutionAborted"


def test_map_run_errors(runtime, live_server, alice_key, sfn):  # noqa: F811
    loose = sfn_client(live_server, *alice_key, parameter_validation=False)
    express_children = distributed_map({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    express_children["ItemProcessor"]["ProcessorConfig"]["ExecutionType"] = "EXPRESS"
    arn = machine(sfn, "small", {"StartAt": "Each", "States": {"Each": express_children}})
    execution = sfn.start_execution(stateMachineArn=arn, input='{"items": [1]}')["executionArn"]
    assert wait_for_status(sfn, execution)["status"] == "SUCCEEDED"
    run_arn = sfn.list_map_runs(executionArn=execution)["mapRuns"][0]["mapRunArn"]
    missing_run = run_arn.rsplit(":", 1)[0] + ":00000000-0000-0000-0000-000000000000"
    # An EXPRESS child's ARN: express:<machine>/<label>:<map run id>:<name>.
    child = sfn.list_executions(mapRunArn=run_arn)["executions"][0]
    run_id = run_arn.rsplit(":", 1)[1]
    assert child["executionArn"] == arn.replace(":stateMachine:", ":express:") + \
        f"/Each:{run_id}:{child['name']}"
    assert sfn.describe_execution(executionArn=child["executionArn"])["status"] == "SUCCEEDED"
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):  # not a STANDARD child
        sfn.describe_execution(executionArn=arn.replace(":stateMachine:", ":execution:") +
                               f"/Each:{child['name']}")

    for bad in (execution, arn, "arn:aws:states:us-east-1:123456789012:mapRun:x", "nonsense"):
        with pytest.raises(sfn.exceptions.InvalidArn):
            sfn.describe_map_run(mapRunArn=bad)
        with pytest.raises(sfn.exceptions.InvalidArn):
            sfn.update_map_run(mapRunArn=bad, maxConcurrency=1)
        with pytest.raises(sfn.exceptions.InvalidArn):
            sfn.list_executions(mapRunArn=bad)
    for bad in (run_arn, arn, "nonsense"):
        with pytest.raises(sfn.exceptions.InvalidArn):
            sfn.list_map_runs(executionArn=bad)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_map_run(mapRunArn=missing_run)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.update_map_run(mapRunArn=missing_run, maxConcurrency=1)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.list_executions(mapRunArn=missing_run)
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.list_map_runs(executionArn=execution + "-gone")
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_map_runs(executionArn=execution, nextToken="forged")
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.list_executions(mapRunArn=run_arn, stateMachineArn=arn)  # not both
    for values in ({"maxConcurrency": -1}, {"toleratedFailurePercentage": 100.5},
                   {"toleratedFailurePercentage": -1}, {"toleratedFailureCount": -1}, {}):
        with pytest.raises(loose.exceptions.ValidationException):
            loose.update_map_run(mapRunArn=run_arn, **values)
    # The model's page size bounds hold as for every List* operation.
    with pytest.raises(loose.exceptions.ValidationException):
        loose.list_map_runs(executionArn=execution, maxResults=1001)


def test_map_runs_with_the_aws_cli(runtime, sfn, aws):  # noqa: F811
    arn = machine(sfn, "cli-mapper", {"StartAt": "Each", "States": {
        "Each": distributed_map({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                                Label="Rows", MaxConcurrency=5)}})
    execution = sfn.start_execution(stateMachineArn=arn, input='{"items": [1, 2, 3]}')["executionArn"]
    assert wait_for_status(sfn, execution)["status"] == "SUCCEEDED"
    runs = aws("list-map-runs", "--execution-arn", execution)["mapRuns"]
    assert len(runs) == 1 and "/Rows:" in runs[0]["mapRunArn"]
    described = aws("describe-map-run", "--map-run-arn", runs[0]["mapRunArn"])
    assert described["status"] == "SUCCEEDED" and described["maxConcurrency"] == 5
    assert described["itemCounts"]["succeeded"] == 3 and described["executionCounts"]["total"] == 3
    children = aws("list-executions", "--map-run-arn", runs[0]["mapRunArn"])["executions"]
    assert len(children) == 3 and all(c["status"] == "SUCCEEDED" for c in children)
    events = aws("get-execution-history", "--execution-arn", children[0]["executionArn"])["events"]
    assert [e["type"] for e in events] == ["ExecutionStarted", "PassStateEntered",
                                           "PassStateExited", "ExecutionSucceeded"]
    error = aws("update-map-run", "--map-run-arn", runs[0]["mapRunArn"], "--max-concurrency", "2",
                ok=False)
    assert "ValidationException" in error
    error = aws("describe-map-run", "--map-run-arn", runs[0]["mapRunArn"][:-4] + "0000", ok=False)
    assert "ResourceNotFound" in error
