"""Standard functions where jsonata-python differs from the reference JSONata (2.0.6)."""
import pytest

from engine.asl.errors import StatesError
from engine.asl.jsonata import evaluate


def run(expr):
    return evaluate("{% " + expr + " %}", {}, "Output")


@pytest.mark.parametrize("expr, expected", [
    # The reference rounds the decimal form half-to-even, like $round.
    ("$formatNumber(34.555, '#0.00;(#0.00)')", "34.56"),
    ("$formatNumber(-34.555, '#0.00;(#0.00)')", "(34.56)"),
    ("$formatNumber(2.675, '0.00')", "2.68"),
    ("$formatNumber(1.005, '0.00')", "1.00"),
    ("$formatNumber(0.125, '0.00')", "0.12"),
    ("$formatNumber(1234567.891, '#,##0.00')", "1,234,567.89"),
    ("$formatNumber(0.14, '01%')", "14%"),
    ("$formatNumber(1234.5678, '00.000e0')", "12.346e2"),
    ("$formatNumber(12, '000')", "012"),
])
def test_format_number_rounds_like_the_reference(expr, expected):
    assert run(expr) == expected


@pytest.mark.parametrize("expr, expected", [
    ("$number('12')", 12), ("$number('-1.5e2')", -150), ("$number('0x1F')", 31),
    ("$number('0b101')", 5), ("$number('0o17')", 15), ("$number(true)", 1), ("$number(2.5)", 2.5),
])
def test_number_accepts_json_decimals_and_prefixed_literals(expr, expected):
    assert run(expr) == expected


@pytest.mark.parametrize("text", ["  12  ", "nan", "inf", "1e400", "1_0", "", ".5", "12abc"])
def test_number_rejects_what_the_reference_rejects(text):
    with pytest.raises(StatesError) as err:
        run(f"$number('{text}')")
    assert "D3030" in err.value.cause


def test_a_variable_named_number_still_wins():
    assert evaluate("{% $number %}", {"number": 7}, "Output") == 7


@pytest.mark.parametrize("expr, expected", [
    ("$string(1e-7)", "1e-7"), ("$string(1e20)", "100000000000000000000"), ("$string(1e21)", "1e+21"),
    ("$string(123456789012345678)", "123456789012346000"), ("$string(1/3)", "0.333333333333333"),
    ("$string({'a': 0.1 + 0.2})", '{"a":0.3}'), ("$string([1e-7])", "[1e-7]"),
    ("$string({'a': 'é', 'b': 'q\"'})", '{"a":"é","b":"q\\""}'),
    ("$string({'a': [1, {'b': null}]}, true)", '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ]\n}'),
    ("$string(null)", "null"), ("$string(true)", "true"), ("$string({'f': $sum})", '{"f":""}'),
    ("$string('text')", "text"), ("$string([])", "[]"),
])
def test_string_is_json_stringify_with_15_digit_numbers(expr, expected):
    assert run(expr) == expected


def test_string_of_an_infinite_number_fails():
    with pytest.raises(StatesError) as err:
        run("$string(1e300 * 1e10)")
    assert err.value.error == "States.QueryEvaluationError"


def test_string_of_the_state_input_keeps_unicode_and_nulls():
    assert evaluate("{% $string($states.input) %}", {"states": {"input": {"x": None, "y": [1.5, "é"]}}},
                    "Output") == '{"x":null,"y":[1.5,"é"]}'


def test_concatenation_stringifies_like_string():
    assert evaluate("{% 'v=' & $states.input %}", {"states": {"input": {"a": "é", "n": 1e-7}}},
                    "Output") == 'v={"a":"é","n":1e-7}'
    assert run("'x' & (0.1 + 0.2) & null & true") == "x0.3nulltrue"
