"""StringToJson, JsonToString, JsonMerge (engine/asl/intrinsics/json.py)."""
import pytest

from engine.asl.errors import StatesError
from engine.asl.intrinsics import evaluate


@pytest.mark.parametrize("text, value", [
    ("", None), (" ", None),                # AWS: blank parses to null
    ("null", None), ("-0", 0), ("1", 1), ("1.1", 1.1), ("true", True),
    ('"HelloWorld"', "HelloWorld"), ('[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]),
    ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}),
])
def test_string_to_json(text, value):
    assert evaluate("States.StringToJson($.s)", {"s": text}) == value


def test_string_to_json_rejects_invalid_json_and_non_strings():
    with pytest.raises(StatesError) as info:
        evaluate("States.StringToJson('{oops')", {})
    assert info.value.error == "States.IntrinsicFailure"
    assert info.value.cause == ("Invalid arguments in States.StringToJson: the argument is not "
                                "valid JSON: {oops")
    with pytest.raises(StatesError):
        evaluate("States.StringToJson($.s)", {"s": 1})


@pytest.mark.parametrize("value, text", [
    (None, "null"), (0, "0"), (1.1, "1.1"), (True, "true"), ("HelloWorld", '"HelloWorld"'),
    ([1, 2, "HelloWorld"], '[1,2,"HelloWorld"]'), ({"Arg1": 1, "Arg2": []}, '{"Arg1":1,"Arg2":[]}'),
])
def test_json_to_string_is_compact(value, text):
    assert evaluate("States.JsonToString($.v)", {"v": value}) == text


def test_json_merge_is_shallow_and_the_second_object_wins():
    data = {"a": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3}, "b": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4}}
    assert evaluate("States.JsonMerge($.a, $.b, false)", data) == {
        "a": {"a3": 1, "a4": 2}, "b": 2, "c": 3, "d": 4}


def test_json_merge_with_an_escaped_literal():
    # corpus intrinsic__json_merge_escaped_argument
    expr = ("States.JsonMerge(States.StringToJson('{\"constant_in_literal\": \"false\"}'), "
            "$$.Execution.Input.input_field, false)")
    ctx = {"Execution": {"Input": {"input_field": {"constant_input_field": "constant_value"}}}}
    assert evaluate(expr, {}, ctx) == {"constant_input_field": "constant_value",
                                       "constant_in_literal": "false"}


@pytest.mark.parametrize("expr, cause", [
    ("States.JsonMerge($.a, $.a, true)",
     "Invalid arguments in States.JsonMerge: deep merging is not supported; the third argument must be false"),
    ("States.JsonMerge($.a, $.a, 'false')",
     'Invalid arguments in States.JsonMerge: the deep merge flag must be a boolean, but was "false"'),
    ("States.JsonMerge($.a, 1, false)",
     "Invalid arguments in States.JsonMerge: the second argument must be a JSON object, but was number 1"),
])
def test_json_merge_argument_errors(expr, cause):
    with pytest.raises(StatesError) as info:
        evaluate(expr, {"a": {}})
    assert info.value.error == "States.IntrinsicFailure"
    assert info.value.cause == cause


def test_string_to_json_rejects_non_json_number_constants():
    for text in ("NaN", "Infinity", "[-Infinity]"):
        with pytest.raises(StatesError):
            evaluate("States.StringToJson($.s)", {"s": text})
