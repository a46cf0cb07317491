"""Nested executions in the in-process interpreter: `run_state_machine(state_machines=…)`
runs `states:startExecution` Tasks' children in-process, with the shapes the durable runtime
gives (engine/asl/nested.py); without it such a Task needs a mock or a handler, as before."""
import json

from engine.asl import run_state_machine

CHILD_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:Child"
CHILD = {"StartAt": "Hold", "States": {
    "Hold": {"Type": "Wait", "Seconds": 5, "Next": "Answer"},
    "Answer": {"Type": "Pass", "Parameters": {"got.$": "$.x", "by.$": "$$.Execution.Name"},
               "End": True}}}
FAILING = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "SomeFailure",
                                            "Cause": "it fails"}}}


def parent(resource, arn=CHILD_ARN, **task):
    return {"StartAt": "Nest", "States": {"Nest": {
        "Type": "Task", "Resource": resource,
        "Parameters": {"StateMachineArn": arn, "Name": "kid",
                       "Input": {"x.$": "$.x",
                                 "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}},
        "End": True, **task}}}


def test_sync_runs_the_child_and_returns_its_description():
    result = run_state_machine(parent("arn:aws:states:::states:startExecution.sync"), {"x": 4},
                               state_machines={CHILD_ARN: CHILD}, execution_name="p")
    assert result.status == "SUCCEEDED", result.cause
    out = result.output
    assert list(out) == sorted(out)
    assert (out["Name"], out["Status"], out["StateMachineArn"]) == ("kid", "SUCCEEDED", CHILD_ARN)
    assert out["ExecutionArn"] == "arn:aws:states:us-east-1:123456789012:execution:Child:kid"
    assert json.loads(out["Output"]) == {"got": 4, "by": "kid"}
    assert json.loads(out["Input"])["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"].endswith(
        ":execution:StateMachine:p")
    assert out["StopDate"] - out["StartDate"] == 5000  # the child's Wait, on the virtual clock
    assert [e["type"] for e in result.events][2:6] == ["TaskScheduled", "TaskStarted",
                                                       "TaskSubmitted", "TaskSucceeded"]
    submitted = json.loads(result.events[4]["taskSubmittedEventDetails"]["output"])
    assert submitted["ExecutionArn"] == out["ExecutionArn"]  # StartExecution's answer
    assert submitted["StartDate"] == out["StartDate"]


def test_sync2_output_is_json_and_a_failing_child_is_task_failed():
    result = run_state_machine(parent("arn:aws:states:::states:startExecution.sync:2",
                                      OutputPath="$.Output"), {"x": 4},
                               state_machines=lambda arn: CHILD if arn == CHILD_ARN else None)
    assert result.output == {"got": 4, "by": "kid"}
    result = run_state_machine(parent("arn:aws:states:::states:startExecution.sync"), {"x": 1},
                               state_machines={CHILD_ARN: FAILING})
    assert (result.status, result.error) == ("FAILED", "States.TaskFailed")
    cause = json.loads(result.cause)
    assert (cause["Status"], cause["Error"], cause["Cause"]) == ("FAILED", "SomeFailure", "it fails")


def test_request_response_and_errors():
    result = run_state_machine(parent("arn:aws:states:::states:startExecution"), {"x": 1},
                               state_machines={CHILD_ARN: CHILD})
    assert set(result.output) == {"ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata",
                                  "StartDate"}
    assert isinstance(result.output["StartDate"], int)
    result = run_state_machine(parent("arn:aws:states:::states:startExecution", CHILD_ARN + "x"),
                               {"x": 1}, state_machines={CHILD_ARN: CHILD})
    assert result.error == "StepFunctions.StateMachineDoesNotExistException"
    assert result.cause.startswith(f"State Machine Does Not Exist: '{CHILD_ARN}x' (Service: "
                                   "AWSStepFunctions; Status Code: 400; Error Code: "
                                   "StateMachineDoesNotExist; Request ID: ")


def test_without_child_machines_a_mock_still_answers():
    mock = {"StateMachines": {"P": {"TestCases": {"T": {"Nest": "R"}}}},
            "MockedResponses": {"R": {"0": {"Return": {"mocked": True}}}}}
    result = run_state_machine(parent("arn:aws:states:::states:startExecution.sync"), {"x": 1},
                               mock_config=mock, state_machine_name="P", test_case="T",
                               state_machines={CHILD_ARN: CHILD})
    assert result.output == {"mocked": True}  # the mock comes first
    result = run_state_machine(parent("arn:aws:states:::states:startExecution.sync"), {"x": 1})
    assert (result.status, result.error) == ("FAILED", "States.TaskFailed")  # no handler


def test_wait_for_task_token_takes_the_childs_answer():
    from engine.asl import handlers

    @handlers.task_handler("test-nested-answer")
    def answer(payload):
        handlers.send_task_success(payload["token"], {"answered": payload["token"][:4]})
        return {}

    try:
        child = {"StartAt": "A", "States": {"A": {
            "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:"
                                        "test-nested-answer", "End": True}}}
        definition = {"StartAt": "Nest", "States": {"Nest": {
            "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.waitForTaskToken",
            "Parameters": {"StateMachineArn": CHILD_ARN, "Input": {"token.$": "$$.Task.Token"}},
            "End": True}}}
        result = run_state_machine(definition, {}, state_machines={CHILD_ARN: child})
        assert result.status == "SUCCEEDED", result.cause
        assert set(result.output) == {"answered"}
        # A child that never answers: the Task cannot end in-process.
        result = run_state_machine(definition, {}, state_machines={CHILD_ARN: CHILD})
        assert (result.status, result.error) == ("FAILED", "States.Runtime")
    finally:
        handlers.unregister("test-nested-answer")
