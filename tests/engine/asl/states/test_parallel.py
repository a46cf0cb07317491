from .helpers import run, run_mocked, types


def branch(result, name=None):
    # State names must be unique across the whole machine, branches included.
    name = name or f"B{result}"
    return {"StartAt": name, "States": {name: {"Type": "Pass", "Result": result, "End": True}}}


def test_output_is_the_branch_outputs_in_branch_order():
    r = run({"P": {"Type": "Parallel", "Branches": [branch(0), branch(1), branch(2)], "End": True}})
    assert r.output == [0, 1, 2]
    t = types(r)
    assert t[:3] == ["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted"]
    assert t[-3:] == ["ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"]


def test_each_branch_gets_the_rendered_parameters():
    b1 = {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": True}}}
    b2 = {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": True}}}
    r = run({"P": {"Type": "Parallel", "Parameters": {"x.$": "$.a"}, "Branches": [b1, b2], "End": True}}, {"a": 1})
    assert r.output == [{"x": 1}, {"x": 1}]


def test_a_failing_branch_fails_the_state_and_catch_receives_its_error():
    fail = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}
    r = run({"P": {"Type": "Parallel", "Branches": [branch(1), fail], "ResultPath": "$.err",
                   "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "H"}], "End": True},
             "H": {"Type": "Pass", "End": True}}, {"a": 1})
    assert r.output == {"a": 1, "err": {"Error": "E", "Cause": "C"}}
    assert "ParallelStateFailed" in types(r)


def test_a_task_failing_in_a_branch_is_recorded_as_aborted():
    t = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True}}}
    r = run_mocked({"P": {"Type": "Parallel", "Branches": [t], "End": True}}, {},
                   {"T": {"0": {"Throw": {"Error": "X", "Cause": "y"}}}})
    assert (r.status, r.error, r.cause) == ("FAILED", "X", "y")
    assert types(r)[-4:] == ["TaskFailed", "TaskStateAborted", "ParallelStateFailed", "ExecutionFailed"]


def test_retry_reruns_all_branches():
    fail = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}
    r = run({"P": {"Type": "Parallel", "Branches": [fail], "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 2}],
                   "End": True}})
    assert r.status == "FAILED" and types(r).count("ParallelStateStarted") == 3


def test_branches_read_outer_variables_but_do_not_leak_their_own():
    b = {"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"inner": 1},
                                          "Parameters": {"o.$": "$outer"}, "End": True}}}
    r2 = run({"A": {"Type": "Pass", "Assign": {"outer": "x"}, "Next": "P"},
              "P": {"Type": "Parallel", "Branches": [b], "End": True}})
    assert r2.output == [{"o": "x"}]
    # The branch's own assignment stays in the branch.
    r3 = run({"A": {"Type": "Pass", "Assign": {"outer": "x"}, "Next": "P"},
              "P": {"Type": "Parallel", "Branches": [b], "Next": "C"},
              "C": {"Type": "Pass", "Parameters": {"i.$": "$inner"}, "End": True}})
    assert r3.status == "FAILED"
