from .helpers import run, types


def test_fail_reports_its_error_and_cause():
    r = run({"F": {"Type": "Fail", "Error": "E", "Cause": "C"}})
    assert (r.status, r.error, r.cause) == ("FAILED", "E", "C")
    assert types(r) == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]


def test_fail_without_error_or_cause_has_neither():
    r = run({"F": {"Type": "Fail"}})
    assert r.status == "FAILED" and r.error is None and r.cause is None
    assert "executionFailedEventDetails" in r.events[-1] and r.events[-1]["executionFailedEventDetails"] == {}


def test_error_path_and_cause_path_read_the_input():
    r = run({"F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}}, {"e": "error string", "c": "cause string"})
    assert (r.error, r.cause) == ("error string", "cause string")


def test_cause_path_may_be_an_intrinsic():
    r = run({"F": {"Type": "Fail", "Error": "E", "CausePath": "States.Format('bad {}', $.x)"}}, {"x": 1})
    assert r.cause == "bad 1"


def test_error_path_may_read_the_context_object():
    r = run({"F": {"Type": "Fail", "ErrorPath": "$$.State.Name"}})
    assert r.error == "F"


def test_an_error_path_that_selects_nothing_is_a_runtime_error():
    r = run({"F": {"Type": "Fail", "ErrorPath": "$.nope"}})
    assert r.status == "FAILED" and r.error == "States.Runtime"
