"""AWS developer guide "Accessing execution data from the Context object" ($$)."""
import re

from .helpers import branch, machine, run

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def ctx_of(state_fields=None, input_value=None, **kw):
    d = machine({"A": {"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": True, **(state_fields or {})}})
    return run(d, input_value, **kw).output["c"]


def test_execution_fields():
    c = ctx_of(input_value={"k": 1}, state_machine_name="MySM", execution_name="run-1")
    ex = c["Execution"]
    assert ex["Input"] == {"k": 1}
    assert ex["Name"] == "run-1"
    assert ex["Id"].startswith("arn:aws:states:") and ex["Id"].endswith(":execution:MySM:run-1")
    assert ISO.match(ex["StartTime"])
    assert ex["RoleArn"].startswith("arn:aws:iam::")
    assert ex["RedriveCount"] == 0
    assert c["StateMachine"]["Name"] == "MySM"
    assert c["StateMachine"]["Id"].endswith(":stateMachine:MySM")


def test_state_fields():
    c = ctx_of()
    assert c["State"]["Name"] == "A"
    assert ISO.match(c["State"]["EnteredTime"])
    assert "Map" not in c and "Task" not in c


def test_execution_input_is_the_original_input_not_the_state_input():
    d = machine({"A": {"Type": "Pass", "Result": {"changed": True}, "Next": "B"},
                 "B": {"Type": "Pass", "Parameters": {"orig.$": "$$.Execution.Input", "cur.$": "$"}, "End": True}})
    r = run(d, {"orig": 1})
    assert r.output == {"orig": {"orig": 1}, "cur": {"changed": True}}


def test_state_name_changes_per_state():
    d = machine({"First": {"Type": "Pass", "Parameters": {"n.$": "$$.State.Name"}, "ResultPath": "$.a", "Next": "Second"},
                 "Second": {"Type": "Pass", "Parameters": {"n.$": "$$.State.Name"}, "ResultPath": "$.b", "End": True}})
    r = run(d, {})
    assert r.output == {"a": {"n": "First"}, "b": {"n": "Second"}}


def test_retry_count_in_a_retried_task(script):
    from engine.asl import TaskFailure
    h = script(TaskFailure("E", "x"), TaskFailure("E", "x"), "ok")
    d = machine({"A": h.task(Parameters={"rc.$": "$$.State.RetryCount"},
                             Retry=[{"ErrorEquals": ["E"], "IntervalSeconds": 1}], End=True)})
    r = run(d, {})
    assert r.status == "SUCCEEDED"
    assert h.calls == [{"rc": 0}, {"rc": 1}, {"rc": 2}]


def test_map_item_index_and_value_in_item_selector():
    d = machine({"M": {"Type": "Map", "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value",
                                                       "whole.$": "$.tag"},
                       "ItemsPath": "$.xs", "ItemProcessor": branch({"P": {"Type": "Pass", "End": True}}), "End": True}})
    r = run(d, {"xs": ["a", {"b": 1}], "tag": "t"})
    assert r.output == [{"i": 0, "v": "a", "whole": "t"}, {"i": 1, "v": {"b": 1}, "whole": "t"}]


def test_task_token_only_for_callback_tasks():
    mc = {"StateMachines": {"S": {"TestCases": {"T": {"A": "R"}}}},
          "MockedResponses": {"R": {"0": {"Return": {"ok": 1}}}}}
    d = machine({"A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                       "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
                       "ResultPath": "$.r", "End": True}})
    r = run(d, {}, mock_config=mc, state_machine_name="S", test_case="T")
    assert r.status == "SUCCEEDED"
    scheduled = next(e for e in r.events if e["type"] == "TaskScheduled")
    import json
    params = json.loads(scheduled["taskScheduledEventDetails"]["parameters"])
    assert isinstance(params["MessageBody"]["t"], str) and params["MessageBody"]["t"]
