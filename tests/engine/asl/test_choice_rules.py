"""Choice Rules in JSONPath mode, as AWS evaluates them (engine/asl/choice_rules.py).

The type-mismatch rows come from the AWS-recorded corpus (choice__*): every operator is false,
never an error, when the Variable is not of the operator's type.
"""
import pytest
from hypothesis import given, settings, strategies as st

from engine.asl.choice_rules import choose, evaluate_rule, is_timestamp, parse_timestamp, string_matches
from engine.asl.errors import StatesError

# The corpus's value zoo: one of each JSON shape.
ZOO = [None, 0, 0.0, 1, 1.1, "", " ", "HelloWorld", "2012-10-09T19:00:55",
       "2012-10-09T19:00:55Z", "2012-10-09T19:00:55+01:00", "2023-02-24", [], [""], {},
       {"A": 0}, True, False]


def rule(op, operand, variable="$.v"):
    return {"Variable": variable, op: operand, "Next": "X"}


# -- comparison tables ------------------------------------------------------------------------

@pytest.mark.parametrize("op, value, operand, expected", [
    ("StringEquals", "abc", "abc", True),
    ("StringEquals", "abc", "abd", False),
    ("StringLessThan", "abc", "abd", True),
    ("StringLessThan", "abd", "abc", False),
    ("StringGreaterThan", "b", "a", True),
    ("StringLessThanEquals", "a", "a", True),
    ("StringGreaterThanEquals", "a", "b", False),
    ("StringLessThan", "Z", "a", True),              # ordinal (Java compareTo), not locale
    ("NumericEquals", 1, 1.0, True),                 # numbers compare by value
    ("NumericEquals", 1, 2, False),
    ("NumericLessThan", 1, 1.5, True),
    ("NumericGreaterThan", -1, -2, True),
    ("NumericLessThanEquals", 2, 2, True),
    ("NumericGreaterThanEquals", 1.9, 2, False),
    ("BooleanEquals", True, True, True),
    ("BooleanEquals", False, True, False),
    ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", True),
    ("TimestampEquals", "2012-10-09T20:00:55+01:00", "2012-10-09T19:00:55Z", True),  # same instant
    ("TimestampLessThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", True),
    ("TimestampGreaterThan", "2012-10-09T19:00:55.5Z", "2012-10-09T19:00:55Z", True),
    ("TimestampLessThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", True),
    ("TimestampGreaterThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", False),
    ("StringMatches", "log-2024.txt", "log-*.txt", True),
    ("StringMatches", "log.txt", "*.csv", False),
])
def test_comparison_operators(op, value, operand, expected):
    assert evaluate_rule(rule(op, operand), {"v": value}) is expected


@pytest.mark.parametrize("op, operand, accepts", [
    ("StringEquals", "HelloWorld", lambda v: v == "HelloWorld"),
    ("NumericEquals", 0, lambda v: v == 0 and not isinstance(v, bool) and isinstance(v, (int, float))),
    ("BooleanEquals", False, lambda v: v is False),
    ("TimestampEquals", "2012-10-09T19:00:55Z", lambda v: v == "2012-10-09T19:00:55Z"),
])
@pytest.mark.parametrize("value", ZOO, ids=repr)
def test_a_type_mismatch_is_false_not_an_error(op, operand, accepts, value):
    # AWS: NumericEquals 0 does not match false; BooleanEquals false does not match 0 or "".
    assert evaluate_rule(rule(op, operand), {"v": value}) is accepts(value)


@pytest.mark.parametrize("op, value, other, expected", [
    ("StringEqualsPath", "a", "a", True),
    ("StringLessThanPath", "a", "b", True),
    ("NumericEqualsPath", 3, 3.0, True),
    ("NumericGreaterThanPath", 3, 4, False),
    ("BooleanEqualsPath", False, False, True),
    ("BooleanEqualsPath", 0, False, False),
    ("TimestampLessThanPath", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", True),
    ("NumericEqualsPath", "1", 1, False),
])
def test_path_forms_compare_with_a_value_from_the_input(op, value, other, expected):
    assert evaluate_rule(rule(op, "$.w"), {"v": value, "w": other}) is expected


# -- type tests -----------------------------------------------------------------------------

@pytest.mark.parametrize("op, positives", [
    ("IsNull", [None]),
    ("IsNumeric", [0, 0.0, 1, 1.1]),
    ("IsString", ["", " ", "HelloWorld", "2012-10-09T19:00:55", "2012-10-09T19:00:55Z",
                  "2012-10-09T19:00:55+01:00", "2023-02-24"]),
    ("IsBoolean", [True, False]),
    ("IsTimestamp", ["2012-10-09T19:00:55Z", "2012-10-09T19:00:55+01:00"]),
])
@pytest.mark.parametrize("value", ZOO, ids=repr)
def test_type_tests_true_and_false(op, positives, value):
    is_positive = any(value == p and type(value) is type(p) for p in positives)
    assert evaluate_rule(rule(op, True), {"v": value}) is is_positive
    assert evaluate_rule(rule(op, False), {"v": value}) is (not is_positive)


def test_is_present_tests_for_the_path():
    assert evaluate_rule(rule("IsPresent", True), {"v": None}) is True
    assert evaluate_rule(rule("IsPresent", True), {}) is False
    assert evaluate_rule(rule("IsPresent", False), {}) is True
    assert evaluate_rule(rule("IsPresent", True, "$.a.b.c"), {"a": 1}) is False
    assert evaluate_rule(rule("IsPresent", True, "$.items[*]"), {}) is False


# -- missing variables ------------------------------------------------------------------------

@pytest.mark.parametrize("op, operand", [("StringEquals", "x"), ("NumericEquals", 1),
                                         ("IsNull", True), ("BooleanEquals", True)])
def test_a_missing_variable_is_a_runtime_error(op, operand):
    with pytest.raises(StatesError) as info:
        evaluate_rule(rule(op, operand, "$.x"), {})
    assert info.value.error == "States.Runtime"
    assert info.value.cause == ("Invalid path '$.x': The choice state's condition path "
                                "references an invalid value.")


def test_a_missing_path_operand_is_a_runtime_error():
    with pytest.raises(StatesError) as info:
        evaluate_rule(rule("NumericEqualsPath", "$.nope"), {"v": 1})
    assert info.value.error == "States.Runtime"
    assert "Invalid path '$.nope'" in info.value.cause


# -- variables and context ----------------------------------------------------------------------

def test_variable_may_read_the_context_object_and_workflow_variables():
    assert evaluate_rule(rule("NumericEquals", 2, "$$.Map.Item.Index"), {}, {"Map": {"Item": {"Index": 2}}})
    assert evaluate_rule(rule("StringEquals", "ok", "$status"), {}, None, {"status": "ok"})


# -- boolean composition --------------------------------------------------------------------------

def test_and_or_not_nest():
    data = {"a": 1, "b": "x"}
    inner_true = {"Variable": "$.a", "NumericEquals": 1}
    inner_false = {"Variable": "$.b", "StringEquals": "y"}
    assert evaluate_rule({"And": [inner_true, {"Not": inner_false}], "Next": "X"}, data)
    assert not evaluate_rule({"And": [inner_true, inner_false]}, data)
    assert evaluate_rule({"Or": [inner_false, inner_true]}, data)
    assert not evaluate_rule({"Or": [inner_false, {"Not": inner_true}]}, data)
    assert evaluate_rule({"Not": {"Or": [inner_false]}}, data)


def test_and_stops_at_the_first_false_rule():
    # the second rule would raise (missing variable) if it were evaluated
    rules = {"And": [{"Variable": "$.a", "NumericEquals": 2},
                     {"Variable": "$.missing", "NumericEquals": 2}]}
    assert evaluate_rule(rules, {"a": 1}) is False


# -- choose ---------------------------------------------------------------------------------------

def test_choose_takes_the_first_matching_rule_in_order():
    choices = [rule("NumericGreaterThan", 10) | {"Next": "Big"},
               rule("NumericGreaterThan", 0) | {"Next": "Positive"}]
    assert choose(choices, "Default", {"v": 50}) == "Big"
    assert choose(choices, "Default", {"v": 5}) == "Positive"
    assert choose(choices, "Default", {"v": -5}) == "Default"


def test_choose_without_match_or_default_raises_no_choice_matched():
    with pytest.raises(StatesError) as info:
        choose([rule("NumericEquals", 1)], None, {"v": 2})
    assert info.value.error == "States.NoChoiceMatched"
    assert info.value.cause


# -- StringMatches escapes -------------------------------------------------------------------------

@pytest.mark.parametrize("value, pattern, expected", [
    ("foo23.log", "foo*.log", True),
    ("zebra.log", "*.log", True),
    ("foobar.zebra", "foo*.*", True),
    ("anything", "*", True),
    ("", "*", True),
    ("a*b", "a\\*b", True),          # \* is a literal star
    ("axb", "a\\*b", False),
    ("a\\b", "a\\\\b", True),        # \\ is a literal backslash
    ("a.b", "a.b", True),            # no other character is special
    ("aXb", "a.b", False),
    ("line1\nline2", "line1*", True),
    ("ab", "a?", False),
])
def test_string_matches_wildcards_and_escapes(value, pattern, expected):
    assert string_matches(value, pattern) is expected


def test_string_matches_a_non_string_is_false():
    assert evaluate_rule(rule("StringMatches", "*"), {"v": 1}) is False


# -- timestamps -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, valid", [
    ("2016-08-18T17:33:00Z", True),
    ("2016-08-18T17:33:00.123456789Z", True),
    ("2016-08-18T17:33:00-07:00", True),
    ("2016-08-18T17:33:00", False),      # no zone: AWS rejects
    ("2016-08-18t17:33:00z", False),     # lower-case T/Z
    ("2016-08-18 17:33:00Z", False),
    ("2016-08-18", False),
    ("2016-02-30T00:00:00Z", False),
    ("2016-08-18T25:00:00Z", False),
    (20160818, False),
])
def test_timestamp_format(text, valid):
    assert is_timestamp(text) is valid


def test_timestamp_fractions_beyond_microseconds_still_order():
    assert parse_timestamp("2016-08-18T17:33:00.0000001Z") > parse_timestamp("2016-08-18T17:33:00Z")


# -- properties -------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6)
    | st.sampled_from(["2012-10-09T19:00:55Z", "2012-10-09T19:00:55+01:00"]),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
    max_leaves=8)
operators = st.sampled_from([
    "StringEquals", "StringLessThan", "StringGreaterThanEquals", "NumericEquals",
    "NumericLessThan", "NumericGreaterThanEquals", "BooleanEquals", "TimestampEquals",
    "TimestampLessThan", "StringMatches", "IsNull", "IsNumeric", "IsString", "IsBoolean",
    "IsTimestamp", "IsPresent", "NumericEqualsPath", "StringEqualsPath"])


@settings(max_examples=400, deadline=None)
@given(op=operators, operand=json_values, data=json_values)
def test_random_rules_return_a_bool_or_raise_states_error(op, operand, data):
    if op.endswith("Path"):
        operand = "$.w"
    try:
        result = evaluate_rule({"Variable": "$.v", op: operand}, {"v": data, "w": operand}
                               if isinstance(data, (dict, list, str)) else data)
    except StatesError as exc:
        assert exc.error == "States.Runtime"
    else:
        assert isinstance(result, bool)
