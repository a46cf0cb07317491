"""States.Format and States.StringSplit (engine/asl/intrinsics/string.py)."""
import pytest

from engine.asl.errors import StatesError
from engine.asl.intrinsics import evaluate
from engine.asl.intrinsics.string import java_double_str


@pytest.mark.parametrize("value, text", [
    ("", "Formatting argument ."),
    ("HelloWorld", "Formatting argument HelloWorld."),
    (None, "Formatting argument null."),
    (1, "Formatting argument 1."),
    (1.1, "Formatting argument 1.1."),
    (True, "Formatting argument true."),
    ('{"Arg1": 1}', 'Formatting argument {"Arg1": 1}.'),
    # AWS deviation from JSON: objects/arrays are printed as Java Map/List toString
    ({"Arg1": 1, "Arg2": []}, "Formatting argument {Arg1=1, Arg2=[]}."),
    ([1, "a", None], "Formatting argument [1, a, null]."),
])
def test_format_renders_each_json_type_as_aws(value, text):
    assert evaluate("States.Format('Formatting argument {}.', $.v)", {"v": value}) == text


def test_format_escaped_braces_and_quotes_are_literal():
    assert evaluate(r"States.Format('{} \{\} it\'s {}', 1, 'x')", {}) == "1 {} it's x"


def test_format_template_may_come_from_a_variable():
    # corpus variables__reference_in_map_state_map_state_reference_in_intrinsic_function
    assert evaluate("States.Format($t, 'Pikachu')", {}, None, {"t": "It's {}!"}) == "It's Pikachu!"


def test_format_placeholder_count_must_match():
    with pytest.raises(StatesError) as info:
        evaluate("States.Format('{} {}', 1)", {})
    assert info.value.error == "States.IntrinsicFailure"
    assert info.value.cause == ("Invalid arguments in States.Format: the format string has 2 "
                                "placeholder(s) but 1 value(s) were given")


def test_format_requires_a_string_template():
    with pytest.raises(StatesError) as info:
        evaluate("States.Format(1)", {})
    assert info.value.cause == ("Invalid arguments in States.Format: the format string must be "
                                "a string, but was number 1")


@pytest.mark.parametrize("x, text", [(1.0, "1.0"), (100.0, "100.0"), (1e-7, "1.0E-7"),
                                     (1e21, "1.0E21"), (12345678.9, "1.23456789E7"),
                                     (0.001, "0.001"), (-0.5, "-0.5")])
def test_numbers_print_as_java_doubles(x, text):
    assert java_double_str(x) == text


@pytest.mark.parametrize("text, delimiters, expected", [
    (" ", ",", [" "]),
    (" , ", ",", [" ", " "]),
    (", , ,", ",", [" ", " "]),
    (",,,,", ",", []),                                     # empty tokens are dropped
    ("1,2,3,4,5", ",", ["1", "2", "3", "4", "5"]),
    ("This.is+a,test=string", ".+,=", ["This", "is", "a", "test", "string"]),  # a set of chars
    ("split on T and \nnew line", "T\n", ["split on ", " and ", "new line"]),
])
def test_string_split_on_any_delimiter_character(text, delimiters, expected):
    assert evaluate("States.StringSplit($.t, $.d)", {"t": text, "d": delimiters}) == expected


def test_string_split_requires_strings():
    with pytest.raises(StatesError) as info:
        evaluate("States.StringSplit(1, ',')", {})
    assert info.value.cause == ("Invalid arguments in States.StringSplit: the first argument "
                                "must be a string, but was number 1")
