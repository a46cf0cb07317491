"""History events as GetExecutionHistory shows them: types and order per state type, details
(name, input/output JSON text, `*Details.truncated`), Task/Lambda scheduled/started/succeeded/
failed details, Execution* details and the previousEventId chain."""
import json

from .helpers import branch, machine, run, types

MOCK = {"StateMachines": {"S": {"TestCases": {"T": {"L": "RL", "Q": "RQ", "K": "RK"}}}},
        "MockedResponses": {"RL": {"0": {"Return": {"StatusCode": 200, "Payload": {"p": 1}}}},
                            "RQ": {"0": {"Return": {"MessageId": "m1"}}},
                            "RK": {"0": {"Throw": {"Error": "E", "Cause": "C"}}}}}


def test_execution_started_and_succeeded_details():
    r = run(machine({"A": {"Type": "Pass", "End": True}}), {"x": 1})
    first, last = r.events[0], r.events[-1]
    assert first["type"] == "ExecutionStarted"
    d = first["executionStartedEventDetails"]
    assert json.loads(d["input"]) == {"x": 1} and d["inputDetails"] == {"truncated": False}
    assert d["roleArn"].startswith("arn:aws:iam::")
    assert last["type"] == "ExecutionSucceeded"
    assert last["executionSucceededEventDetails"] == {"output": '{"x":1}', "outputDetails": {"truncated": False}}


def test_ids_and_previous_event_id_chain_in_a_sequential_run():
    d = machine({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Wait", "Seconds": 1, "Next": "C"},
                 "C": {"Type": "Succeed"}})
    r = run(d, {})
    assert [e["id"] for e in r.events] == list(range(1, len(r.events) + 1))
    # AWS (GetExecutionHistory recordings): ExecutionStarted is not chained, so the first
    # state's Entered event has previousEventId 0; after that each event follows the previous.
    assert [e["previousEventId"] for e in r.events] == [0, 0] + list(range(2, len(r.events)))
    assert all(isinstance(e["timestamp"], str) for e in r.events)


def test_state_entered_and_exited_details():
    d = machine({"A": {"Type": "Pass", "Result": {"r": 1}, "ResultPath": "$.res", "End": True}})
    r = run(d, {"in": "é"})
    entered, exited = r.events[1], r.events[2]
    assert entered["type"] == "PassStateEntered"
    assert entered["stateEnteredEventDetails"] == {"name": "A", "input": '{"in":"é"}',
                                                   "inputDetails": {"truncated": False}}
    assert exited["type"] == "PassStateExited"
    assert exited["stateExitedEventDetails"] == {"name": "A", "output": '{"in":"é","res":{"r":1}}',
                                                 "outputDetails": {"truncated": False}}


def test_state_event_types_per_state_type():
    d = machine({"P": {"Type": "Pass", "Next": "W"}, "W": {"Type": "Wait", "Seconds": 0, "Next": "C"},
                 "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": True, "Next": "S"}],
                       "Default": "F"},
                 "S": {"Type": "Succeed"}, "F": {"Type": "Fail"}})
    assert types(run(d, {"a": 1})) == [
        "ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered", "WaitStateExited",
        "ChoiceStateEntered", "ChoiceStateExited", "SucceedStateEntered", "SucceedStateExited",
        "ExecutionSucceeded"]
    assert types(run(d, {})) == [
        "ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered", "WaitStateExited",
        "ChoiceStateEntered", "ChoiceStateExited", "FailStateEntered", "ExecutionFailed"]


def test_task_event_details():
    d = machine({
        "L": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:fn", "Next": "Q"},
        "Q": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
              "Parameters": {"QueueUrl": "q", "MessageBody": "m"}, "TimeoutSeconds": 30, "Next": "K"},
        "K": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "f", "Payload.$": "$"}, "End": True}})
    r = run(d, {"x": 1}, mock_config=MOCK, state_machine_name="S", test_case="T")
    assert (r.status, r.error, r.cause) == ("FAILED", "E", "C")
    assert types(r) == [
        "ExecutionStarted",
        "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded",
        "TaskStateExited",
        "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
        "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed", "ExecutionFailed"]
    by_type = lambda t: [e for e in r.events if e["type"] == t]
    ls = by_type("LambdaFunctionScheduled")[0]["lambdaFunctionScheduledEventDetails"]
    assert ls == {"resource": "arn:aws:lambda:us-east-1:111111111111:function:fn", "input": '{"x":1}',
                  "inputDetails": {"truncated": False}}
    assert by_type("LambdaFunctionSucceeded")[0]["lambdaFunctionSucceededEventDetails"] == {
        "output": '{"p":1}', "outputDetails": {"truncated": False}}
    ts = by_type("TaskScheduled")[0]["taskScheduledEventDetails"]
    assert ts["resourceType"] == "sqs" and ts["resource"] == "sendMessage"
    assert ts["region"] == "us-east-1" and ts["timeoutInSeconds"] == 30
    assert json.loads(ts["parameters"]) == {"QueueUrl": "q", "MessageBody": "m"}
    assert by_type("TaskStarted")[0]["taskStartedEventDetails"] == {"resourceType": "sqs", "resource": "sendMessage"}
    assert by_type("TaskSucceeded")[0]["taskSucceededEventDetails"] == {
        "resourceType": "sqs", "resource": "sendMessage", "output": '{"MessageId":"m1"}',
        "outputDetails": {"truncated": False}}
    assert by_type("TaskFailed")[0]["taskFailedEventDetails"] == {
        "resourceType": "lambda", "resource": "invoke", "error": "E", "cause": "C"}
    assert r.events[-1]["executionFailedEventDetails"] == {"error": "E", "cause": "C"}


def test_lambda_failed_details(script):
    from engine.asl import TaskFailure
    h = script(TaskFailure("Err", "Why"))
    r = run(machine({"A": h.task(End=True)}), {})
    failed = [e for e in r.events if e["type"] == "LambdaFunctionFailed"][0]
    assert failed["lambdaFunctionFailedEventDetails"] == {"error": "Err", "cause": "Why"}


def test_parallel_branch_events_chain_to_the_parallel_start():
    d = machine({"P": {"Type": "Parallel", "End": True, "Branches": [
        branch({"X": {"Type": "Pass", "End": True}}), branch({"Y": {"Type": "Pass", "End": True}})]}})
    r = run(d, {})
    started = next(e for e in r.events if e["type"] == "ParallelStateStarted")
    firsts = [e for e in r.events if e["type"] == "PassStateEntered"]
    assert all(e["previousEventId"] == started["id"] for e in firsts)
    assert sorted(e["id"] for e in r.events) == list(range(1, len(r.events) + 1))


def test_map_iteration_events_chain():
    d = machine({"M": {"Type": "Map", "End": True, "ItemProcessor": branch({"I": {"Type": "Pass", "End": True}})}})
    r = run(d, [1])
    by_id = {e["id"]: e for e in r.events}
    entered = next(e for e in r.events if e["type"] == "PassStateEntered")
    assert by_id[entered["previousEventId"]]["type"] == "MapIterationStarted"


def test_caught_error_exits_the_state_with_the_catch_output(script):
    from engine.asl import TaskFailure
    h = script(TaskFailure("Err", "Why"))
    d = machine({"A": h.task(Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "B"}], End=True),
                 "B": {"Type": "Succeed"}})
    r = run(d, {"k": 1})
    exited = next(e for e in r.events if e["type"] == "TaskStateExited")
    assert json.loads(exited["stateExitedEventDetails"]["output"]) == {"k": 1, "e": {"Error": "Err", "Cause": "Why"}}


def test_sequential_map_previous_event_ids_follow_aws():
    # Shape recorded from AWS (MaxConcurrency 1): an iteration's end event is not chained; the
    # next MapIterationStarted follows the previous iteration's last state event;
    # MapStateSucceeded follows the last MapIterationSucceeded and MapStateExited shares its
    # previousEventId.
    d = machine({"M": {"Type": "Map", "MaxConcurrency": 1, "Next": "F",
                       "ItemProcessor": branch({"I": {"Type": "Pass", "End": True}})},
                 "F": {"Type": "Pass", "End": True}})
    r = run(d, [1, 2])
    got = [(e["id"], e["previousEventId"], e["type"]) for e in r.events]
    assert got == [
        (1, 0, "ExecutionStarted"), (2, 0, "MapStateEntered"), (3, 2, "MapStateStarted"),
        (4, 3, "MapIterationStarted"), (5, 4, "PassStateEntered"), (6, 5, "PassStateExited"),
        (7, 6, "MapIterationSucceeded"),
        (8, 6, "MapIterationStarted"), (9, 8, "PassStateEntered"), (10, 9, "PassStateExited"),
        (11, 10, "MapIterationSucceeded"),
        (12, 11, "MapStateSucceeded"), (13, 11, "MapStateExited"),
        (14, 13, "PassStateEntered"), (15, 14, "PassStateExited"), (16, 15, "ExecutionSucceeded")]


def test_map_failure_and_retry_previous_event_ids_follow_aws():
    d = machine({"M": {"Type": "Map", "MaxConcurrency": 1, "End": True,
                       "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1, "IntervalSeconds": 1}],
                       "ItemProcessor": branch({"F": {"Type": "Fail", "Error": "E", "Cause": "C"}})}})
    r = run(d, [1])
    got = [(e["id"], e["previousEventId"], e["type"]) for e in r.events]
    assert got == [
        (1, 0, "ExecutionStarted"), (2, 0, "MapStateEntered"), (3, 2, "MapStateStarted"),
        (4, 3, "MapIterationStarted"), (5, 4, "FailStateEntered"), (6, 5, "MapIterationFailed"),
        (7, 5, "MapStateStarted"), (8, 7, "MapIterationStarted"), (9, 8, "FailStateEntered"),
        (10, 9, "MapIterationFailed"), (11, 9, "MapStateFailed"), (12, 11, "ExecutionFailed")]


def test_parallel_exit_follows_the_branches():
    d = machine({"P": {"Type": "Parallel", "End": True, "Branches": [
        branch({"X": {"Type": "Pass", "End": True}}), branch({"Y": {"Type": "Pass", "End": True}})]}})
    r = run(d, {})
    by_type = {e["type"]: e for e in r.events}
    last_branch_event = max(e["id"] for e in r.events if e["type"] == "PassStateExited")
    assert by_type["ParallelStateSucceeded"]["previousEventId"] == last_branch_event
    assert by_type["ParallelStateExited"]["previousEventId"] == last_branch_event
