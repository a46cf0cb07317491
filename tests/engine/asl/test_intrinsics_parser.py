"""Intrinsic call grammar: literals, escapes, paths, nesting (engine/asl/intrinsics/parser.py)."""
import pytest

from engine.asl import intrinsics
from engine.asl.errors import StatesError
from engine.asl.intrinsics.parser import Call, IntrinsicSyntaxError, Literal, PathArg, StringLiteral, parse


def test_arguments_of_every_kind():
    call = parse("States.Array('s', 1, -2.5, 1e3, true, false, null, $.a, $$.b, $v.c, States.UUID())")
    assert call.name == "States.Array"
    assert call.args == (
        StringLiteral("s", ("s",)), Literal(1), Literal(-2.5), Literal(1000.0), Literal(True),
        Literal(False), Literal(None), PathArg("$.a"), PathArg("$$.b"), PathArg("$v.c"),
        Call("States.UUID", ()))


@pytest.mark.parametrize("literal, value", [
    (r"'it\'s'", "it's"),          # \' is a quote
    (r"'a \{ b \}'", "a { b }"),   # \{ \} are literal braces
    (r"'back\\slash'", "back\\slash"),
    ("'with, comma (and) parens'", "with, comma (and) parens"),
    ("''", ""),
])
def test_string_literal_escapes(literal, value):
    assert intrinsics.evaluate(f"States.Array({literal})", {}) == [value]


def test_format_placeholders_are_tracked_separately_from_escaped_braces():
    arg = parse(r"States.Format('x {} \{\} {}', 1, 2)").args[0]
    assert arg.template == ("x ", None, " {} ", None, "")


def test_paths_may_contain_commas_and_parentheses_inside_filters():
    call = parse("States.Array($.a[?(@.b == 'x,y')], $.c)")
    assert call.args == (PathArg("$.a[?(@.b == 'x,y')]"), PathArg("$.c"))


def test_whitespace_is_ignored_around_arguments():
    assert parse("  States.MathAdd( 1 ,  2 )  ") == Call("States.MathAdd", (Literal(1), Literal(2)))


@pytest.mark.parametrize("bad", [
    "States.Format('unterminated)", "States.Array(1 2)", "States.Array(1,)", "Format('x')",
    "States.Array(1) trailing", "States.Array(foo)",
])
def test_syntax_errors(bad):
    with pytest.raises(IntrinsicSyntaxError):
        parse(bad)
    with pytest.raises(StatesError) as info:
        intrinsics.evaluate(bad, {})
    assert info.value.error == "States.IntrinsicFailure"


@pytest.mark.parametrize("text, expected", [
    ("States.Format('x')", True), ("States.UUID()", True), (" States.Array() ", True),
    ("$.a", False), ("States.Format", False), ("hello", False), (None, False), (1, False),
])
def test_is_intrinsic(text, expected):
    assert intrinsics.is_intrinsic(text) is expected


@pytest.mark.parametrize("text, problem", [
    ("States.MathAdd(1, 2)", None),
    ("States.Array(States.MathAdd(1, 2), States.UUID())", None),
    ("States.Nope(1)", "Unsupported intrinsic function: States.Nope"),
    ("States.MathAdd(1)", "Invalid number of arguments for States.MathAdd: expected 2 but got 1"),
    ("States.Array(States.UUID(1))", "Invalid number of arguments for States.UUID: expected 0 but got 1"),
])
def test_validate_expression_for_the_validator(text, problem):
    assert intrinsics.validate_expression(text) == problem


def test_every_documented_function_is_registered():
    assert set(intrinsics.REGISTRY) == {
        "States.Format", "States.StringToJson", "States.JsonToString", "States.Array",
        "States.ArrayPartition", "States.ArrayContains", "States.ArrayRange",
        "States.ArrayGetItem", "States.ArrayLength", "States.ArrayUnique",
        "States.Base64Encode", "States.Base64Decode", "States.Hash", "States.JsonMerge",
        "States.MathRandom", "States.MathAdd", "States.StringSplit", "States.UUID"}


def test_a_missing_path_argument_is_a_runtime_error_naming_the_field():
    with pytest.raises(StatesError) as info:
        intrinsics.evaluate("States.Format('{}', $.nope)", {"a": 1}, field="msg.$")
    assert info.value.error == "States.Runtime"
    assert info.value.cause == ("The JSONPath '$.nope' specified for the field 'msg.$' could not "
                                "be found in the input '{\"a\":1}'")


def test_arguments_read_context_and_variables():
    assert intrinsics.evaluate("States.Array($$.Execution.Name, $x, $x.y)", {},
                               {"Execution": {"Name": "run"}}, {"x": {"y": 2}}) == ["run", {"y": 2}, 2]


def test_nested_calls_evaluate_inside_out():
    # corpus intrinsic__nested_calls_2
    expr = ("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), "
            "States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))")
    assert intrinsics.evaluate(expr, {}, {"StateMachine": {"Name": "a-b-last"}}) == "last"
