"""JSON null is a value, `undefined` is nothing: jsonata-python conflates them unless told."""
from engine.asl.jsonata import UNDEFINED, evaluate, render


def test_a_null_member_of_the_input_is_null_not_nothing():
    assert evaluate("{% $states.input.a %}", {"states": {"input": {"a": None}}}, "Output") is None


def test_a_null_variable_compares_equal_to_null_and_exists():
    assert evaluate("{% $v = null %}", {"v": None}, "Output") is True
    assert evaluate("{% $exists($v) %}", {"v": None}, "Output") is True
    assert evaluate("{% $type($v) %}", {"v": None}, "Output") == "null"


def test_nulls_nested_in_results_survive():
    data = {"a": None, "b": [1, None, {"c": None}]}
    assert evaluate("{% $states.input %}", {"states": {"input": data}}, "Output") == data


def test_null_literal_in_an_expression_is_null():
    assert evaluate("{% null %}", {}, "Output") is None
    assert evaluate("{% [null] %}", {}, "Output") == [None]


def test_a_missing_member_is_undefined():
    assert evaluate("{% $states.input.nope %}", {"states": {"input": {}}}, "Output") is UNDEFINED


def test_object_constructors_drop_undefined_members():
    assert render("{% {'a': $nope, 'b': 1} %}", {}, "Output") == {"b": 1}


def test_string_of_an_object_with_nulls_is_json():
    assert evaluate("{% $string($states.input) %}", {"states": {"input": {"a": None}}},
                    "Output") == '{"a":null}'
