"""Spec "Choice State": comparison operators, *Path variants, boolean combinators, type
mismatches (false, not an error), IsPresent on missing paths, Default, States.NoChoiceMatched."""
import pytest

from .helpers import machine, run, types

I = {"n": 5, "f": 5.0, "neg": -1.5, "s": "abc", "b": True, "z": None, "t": "2020-01-01T00:00:00Z",
     "arr": [1], "o": {}, "star": "a*b", "log": "foo23.log", "other": 5}


def choose(rule, input_value=I, default=True):
    st = {"A": {"Type": "Choice", "Choices": [dict(rule, Next="Y")]},
          "Y": {"Type": "Pass", "Result": "yes", "End": True}}
    if default:
        st["A"]["Default"] = "N"
        st["N"] = {"Type": "Pass", "Result": "no", "End": True}
    return run(machine(st), input_value)


def verdict(rule, input_value=I):
    r = choose(rule, input_value)
    assert r.status == "SUCCEEDED", (rule, r.error, r.cause)
    return r.output == "yes"


@pytest.mark.parametrize("rule, expected", [
    ({"Variable": "$.n", "NumericEquals": 5}, True),
    ({"Variable": "$.f", "NumericEquals": 5}, True),
    ({"Variable": "$.n", "NumericLessThan": 5}, False),
    ({"Variable": "$.n", "NumericLessThanEquals": 5}, True),
    ({"Variable": "$.n", "NumericGreaterThan": 4.9}, True),
    ({"Variable": "$.neg", "NumericGreaterThanEquals": -1.5}, True),
    ({"Variable": "$.s", "StringEquals": "abc"}, True),
    ({"Variable": "$.s", "StringLessThan": "abd"}, True),
    ({"Variable": "$.s", "StringGreaterThan": "ab"}, True),
    ({"Variable": "$.s", "StringGreaterThanEquals": "abc"}, True),
    ({"Variable": "$.s", "StringLessThanEquals": "abb"}, False),
    ({"Variable": "$.log", "StringMatches": "foo*.log"}, True),
    ({"Variable": "$.log", "StringMatches": "*.log"}, True),
    ({"Variable": "$.log", "StringMatches": "foo*.*"}, True),
    ({"Variable": "$.log", "StringMatches": "bar*"}, False),
    ({"Variable": "$.star", "StringMatches": "a\\*b"}, True),
    ({"Variable": "$.s", "StringMatches": "a\\*b"}, False),
    ({"Variable": "$.b", "BooleanEquals": True}, True),
    ({"Variable": "$.b", "BooleanEquals": False}, False),
    ({"Variable": "$.t", "TimestampEquals": "2020-01-01T01:00:00+01:00"}, True),
    ({"Variable": "$.t", "TimestampLessThan": "2020-01-01T00:00:01Z"}, True),
    ({"Variable": "$.t", "TimestampGreaterThan": "2019-12-31T23:59:59Z"}, True),
    ({"Variable": "$.t", "TimestampGreaterThanEquals": "2020-01-01T00:00:00Z"}, True),
    ({"Variable": "$.t", "TimestampLessThanEquals": "2019-01-01T00:00:00Z"}, False),
    # *Path variants compare with another value of the input
    ({"Variable": "$.n", "NumericEqualsPath": "$.other"}, True),
    ({"Variable": "$.n", "NumericGreaterThanPath": "$.f"}, False),
    ({"Variable": "$.s", "StringEqualsPath": "$.s"}, True),
    ({"Variable": "$.b", "BooleanEqualsPath": "$.b"}, True),
    ({"Variable": "$.t", "TimestampEqualsPath": "$.t"}, True),
    ({"Variable": "$$.State.Name", "StringEquals": "A"}, True),
    # type predicates
    ({"Variable": "$.z", "IsNull": True}, True),
    ({"Variable": "$.n", "IsNull": False}, True),
    ({"Variable": "$.n", "IsNumeric": True}, True),
    ({"Variable": "$.s", "IsNumeric": True}, False),
    ({"Variable": "$.s", "IsString": True}, True),
    ({"Variable": "$.b", "IsBoolean": True}, True),
    ({"Variable": "$.t", "IsTimestamp": True}, True),
    ({"Variable": "$.s", "IsTimestamp": False}, True),
    ({"Variable": "$.z", "IsPresent": True}, True),
    # IsPresent on a missing path is false (not an error)
    ({"Variable": "$.missing", "IsPresent": True}, False),
    ({"Variable": "$.missing", "IsPresent": False}, True),
    ({"Variable": "$.arr[5]", "IsPresent": True}, False),
    ({"Variable": "$.o.deep.er", "IsPresent": False}, True),
])
def test_operators(rule, expected):
    assert verdict(rule) is expected


@pytest.mark.parametrize("rule", [
    # type mismatches evaluate to false
    {"Variable": "$.s", "NumericEquals": 5},
    {"Variable": "$.z", "NumericEquals": 5},
    {"Variable": "$.arr", "NumericEquals": 1},
    {"Variable": "$.o", "StringEquals": "abc"},
    {"Variable": "$.n", "StringEquals": "5"},
    {"Variable": "$.s", "BooleanEquals": True},
    {"Variable": "$.s", "TimestampEquals": "2020-01-01T00:00:00Z"},
    {"Variable": "$.n", "TimestampLessThan": "2020-01-01T00:00:00Z"},
    {"Variable": "$.n", "StringMatches": "*"},
    {"Variable": "$.n", "NumericEqualsPath": "$.s"},
    {"Variable": "$.n", "BooleanEquals": True},
])
def test_type_mismatch_is_false_not_error(rule):
    assert verdict(rule) is False


@pytest.mark.parametrize("rule", [
    {"Variable": "$.missing", "NumericEquals": 5},
    {"Variable": "$.missing", "IsNull": True},
    {"Variable": "$.n", "NumericEqualsPath": "$.missing"},
])
def test_missing_variable_is_runtime_error(rule):
    r = choose(rule)
    assert (r.status, r.error) == ("FAILED", "States.Runtime")
    assert types(r) == ["ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed"]


@pytest.mark.parametrize("rule, expected", [
    ({"Not": {"Variable": "$.n", "NumericEquals": 4}}, True),
    ({"Not": {"Variable": "$.n", "NumericEquals": 5}}, False),
    ({"And": [{"Variable": "$.n", "NumericEquals": 5}, {"Variable": "$.s", "StringEquals": "abc"}]}, True),
    ({"And": [{"Variable": "$.n", "NumericEquals": 5}, {"Variable": "$.s", "StringEquals": "x"}]}, False),
    ({"Or": [{"Variable": "$.n", "NumericEquals": 4}, {"Variable": "$.s", "StringEquals": "abc"}]}, True),
    ({"Or": [{"Variable": "$.n", "NumericEquals": 4}, {"Variable": "$.s", "StringEquals": "x"}]}, False),
    # nested combinators
    ({"And": [{"Not": {"Variable": "$.b", "BooleanEquals": False}},
              {"Or": [{"Variable": "$.z", "IsNull": True}, {"Variable": "$.n", "NumericEquals": 0}]}]}, True),
    # the AWS docs pattern: IsPresent guards a comparison on a maybe-missing field
    ({"And": [{"Variable": "$.missing", "IsPresent": True},
              {"Variable": "$.missing", "StringEquals": "foo"}]}, False),
])
def test_boolean_combinators(rule, expected):
    assert verdict(rule) is expected


def test_first_matching_rule_wins():
    d = machine({"A": {"Type": "Choice", "Choices": [
        {"Variable": "$.n", "NumericGreaterThan": 1, "Next": "One"},
        {"Variable": "$.n", "NumericGreaterThan": 2, "Next": "Two"}], "Default": "D"},
        "One": {"Type": "Pass", "Result": 1, "End": True},
        "Two": {"Type": "Pass", "Result": 2, "End": True},
        "D": {"Type": "Pass", "Result": 0, "End": True}})
    assert run(d, {"n": 5}).output == 1
    assert run(d, {"n": 0}).output == 0


def test_no_match_without_default_is_no_choice_matched():
    d = machine({"A": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "B"}]},
                 "B": {"Type": "Succeed"}})
    r = run(d, {"n": 2})
    assert (r.status, r.error) == ("FAILED", "States.NoChoiceMatched")
    assert types(r) == ["ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed"]


def test_choice_passes_its_input_through_unchanged():
    d = machine({"A": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 5, "Next": "B"}]},
                 "B": {"Type": "Succeed"}})
    r = run(d, I)
    assert r.output == I
    assert [e["type"] for e in r.events] == ["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited",
                                              "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]


@pytest.mark.parametrize("value, expected", [
    ("2016-08-18T17:33:00Z", True),
    ("2016-08-18T17:33:00.123456789Z", True),
    ("2016-08-18T17:33:00+05:30", True),
    ("2016-08-18t17:33:00z", False),     # lowercase T / Z are not allowed
    ("2016-08-18T17:33:00", False),      # no offset
    ("2016-08-18", False),
    ("2016-13-18T17:33:00Z", False),
])
def test_is_timestamp_rfc3339_profile(value, expected):
    assert verdict({"Variable": "$.v", "IsTimestamp": True}, {"v": value}) is expected
