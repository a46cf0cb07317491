"""Spec "Parallel State": every branch gets the (Parameters-shaped) input, the result is the
array of branch outputs in branch order; a failing branch fails the state with that branch's
error (AWS reports the branch's own error name, not States.BranchFailed); Retry re-runs all
branches; Catch; ResultSelector/ResultPath/OutputPath."""
from engine.asl import TaskFailure

from .helpers import branch, machine, run, types


def par(*branches, **fields):
    return {"Type": "Parallel", "Branches": list(branches), "End": True, **fields}


def test_output_is_branch_outputs_in_branch_order():
    d = machine({"P": par(branch({"X": {"Type": "Wait", "Seconds": 10, "Next": "X2"},
                                  "X2": {"Type": "Pass", "Result": "slow", "End": True}}),
                          branch({"Y": {"Type": "Pass", "Result": "fast", "End": True}}))})
    r = run(d, {})
    assert (r.status, r.output) == ("SUCCEEDED", ["slow", "fast"])


def test_each_branch_gets_the_same_input():
    d = machine({"P": par(branch({"X": {"Type": "Pass", "End": True}}),
                          branch({"Y": {"Type": "Pass", "OutputPath": "$.a", "End": True}}))})
    assert run(d, {"a": 1}).output == [{"a": 1}, 1]


def test_parameters_input_path_result_selector_result_path():
    d = machine({"P": par(branch({"X": {"Type": "Pass", "End": True}}),
                          branch({"Y": {"Type": "Pass", "Result": 2, "End": True}}),
                          InputPath="$.in", Parameters={"v.$": "$.v", "name.$": "$$.State.Name"},
                          ResultSelector={"first.$": "$[0]", "second.$": "$[1]"}, ResultPath="$.res")})
    r = run(d, {"in": {"v": 7}, "keep": True})
    assert r.output == {"in": {"v": 7}, "keep": True, "res": {"first": {"v": 7, "name": "P"}, "second": 2}}


def test_branch_failure_reports_the_branch_error():
    d = machine({"P": par(branch({"X": {"Type": "Pass", "End": True}}),
                          branch({"F": {"Type": "Fail", "Error": "Boom", "Cause": "c"}}))})
    r = run(d, {})
    assert (r.status, r.error, r.cause) == ("FAILED", "Boom", "c")
    t = types(r)
    assert t[:3] == ["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted"]
    assert t[-2:] == ["ParallelStateFailed", "ExecutionFailed"]
    assert "ParallelStateExited" not in t


def test_catch_on_parallel():
    d = machine({"P": par(branch({"F": {"Type": "Fail", "Error": "Boom", "Cause": "c"}}),
                          Catch=[{"ErrorEquals": ["Boom"], "ResultPath": "$.e", "Next": "Z"}]),
                 "Z": {"Type": "Pass", "End": True}})
    r = run(d, {"i": 1})
    assert (r.status, r.output) == ("SUCCEEDED", {"i": 1, "e": {"Error": "Boom", "Cause": "c"}})
    t = types(r)
    assert t.index("ParallelStateFailed") < t.index("ParallelStateExited") < t.index("PassStateEntered")


def test_retry_on_parallel_reruns_every_branch(script):
    h = script(TaskFailure("E", "x"), "ok")
    counter = script("y")
    d = machine({"P": par(branch({"X": h.task(End=True)}), branch({"Y": counter.task(End=True)}),
                          Retry=[{"ErrorEquals": ["E"], "IntervalSeconds": 1}])})
    r = run(d, {})
    assert (r.status, r.output) == ("SUCCEEDED", ["ok", "y"])
    assert len(h.calls) == 2 and len(counter.calls) == 2
    assert types(r).count("ParallelStateStarted") == 2
    assert types(r).count("ParallelStateEntered") == 1


def test_states_all_catches_branch_error_but_not_runtime():
    d = machine({"P": par(branch({"X": {"Type": "Pass", "InputPath": "$.missing", "End": True}}),
                          Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Z"}]),
                 "Z": {"Type": "Pass", "End": True}})
    r = run(d, {})
    assert (r.status, r.error) == ("FAILED", "States.Runtime")


def test_nested_parallel():
    inner = par(branch({"A": {"Type": "Pass", "Result": "a", "End": True}}),
                branch({"B": {"Type": "Pass", "Result": "b", "End": True}}))
    d = machine({"P": par(branch({"I": inner}), branch({"C": {"Type": "Pass", "Result": "c", "End": True}}))})
    assert run(d, {}).output == [["a", "b"], "c"]


def test_parallel_event_sequence():
    d = machine({"P": par(branch({"X": {"Type": "Pass", "End": True}}))})
    r = run(d, {"a": 1})
    assert types(r) == ["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted",
                        "PassStateEntered", "PassStateExited", "ParallelStateSucceeded",
                        "ParallelStateExited", "ExecutionSucceeded"]
    exited = next(e for e in r.events if e["type"] == "ParallelStateExited")
    assert exited["stateExitedEventDetails"]["output"] == '[{"a":1}]'
