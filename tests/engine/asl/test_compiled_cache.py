"""Compiled templates, rules, intrinsics and paths are cached (on the parsed machine, or per
expression text): the cached path must give exactly what a fresh compile gives.

A parsed machine run twice (second run: every cache warm) must produce the same output and
the same history, event for event, as a freshly parsed machine; and the compiled forms of
rules and templates must agree with their uncached evaluation.
"""
from datetime import datetime, timezone

import pytest

from engine.asl import choice_rules, intrinsics, parse, payload
from engine.asl.clock import VirtualClock
from engine.asl.drivers.local import LocalDriver
from engine.asl.errors import StatesError

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)

LOOP = {
    "StartAt": "Init",
    "States": {
        "Init": {"Type": "Pass", "Result": {"i": 0, "tags": ["a", "b"], "name": "x"},
                 "Assign": {"seen.$": "$.name"}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [
            {"And": [{"Variable": "$.i", "NumericLessThan": 3},
                     {"Not": {"Variable": "$.name", "StringEquals": "stop"}},
                     {"Or": [{"Variable": "$.i", "IsNumeric": True},
                             {"Variable": "$.missing", "IsPresent": True}]}],
             "Next": "Increment"},
            {"Variable": "$.i", "NumericEqualsPath": "$.i", "Next": "Map"}],
            "Default": "Done"},
        "Increment": {"Type": "Pass",
                      "Parameters": {"i.$": "States.MathAdd($.i, 1)", "tags.$": "$.tags",
                                     "name.$": "$seen",
                                     "label.$": "States.Format('{} of {}', $.i, $$.Execution.Name)",
                                     "nested": {"state.$": "$$.State.Name", "const": [1, {"k": None}]}},
                      "ResultSelector": {"i.$": "$.i", "tags.$": "$.tags", "name.$": "$.name",
                                         "label.$": "$.label"},
                      "ResultPath": "$", "Next": "Check"},
        "Map": {"Type": "Map", "ItemsPath": "$.tags", "ResultPath": "$.mapped",
                "ItemSelector": {"tag.$": "$$.Map.Item.Value", "at.$": "$$.Map.Item.Index"},
                "ItemProcessor": {"StartAt": "Item", "States": {
                    "Item": {"Type": "Pass", "Parameters": {"t.$": "States.Format('<{}>', $.tag)"},
                             "End": True}}},
                "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}


def run(machine, value):
    result = LocalDriver(machine, clock=VirtualClock(T0)).run(value, name="e1", machine_name="sm")
    return result.status, result.output, result.error, result.cause, result.events


@pytest.mark.parametrize("value", [{}, {"x": 1}])
def test_a_machine_run_twice_gives_the_same_history_as_a_fresh_parse(value):
    machine = parse(LOOP)
    first = run(machine, value)
    assert machine._compiled, "the first run filled the machine's cache"
    cached = dict(machine._compiled)
    second = run(machine, value)
    assert machine._compiled == cached, "the second run compiled nothing new"
    fresh = run(parse(LOOP), value)
    assert first == second == fresh
    assert first[0] == "SUCCEEDED"
    assert first[1]["i"] == 3 and first[1]["mapped"] == [{"t": "<a>"}, {"t": "<b>"}]


def test_failures_from_cached_definitions_stay_fresh_and_identical():
    """A compiled path that fails raises a new error every time, with the same cause (the
    evaluator prefixes causes in place, so a shared error object would grow)."""
    definition = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.nope", "IsNull": True, "Next": "D"}],
              "Default": "D"},
        "D": {"Type": "Succeed"}}}
    machine = parse(definition)
    first, second = run(machine, {"a": 1}), run(machine, {"a": 1})
    assert first == second
    assert first[0] == "FAILED" and first[2] == "States.Runtime"
    assert first[3].count("An error occurred") == 1


RULES = [
    {"Variable": "$.n", "NumericGreaterThanEquals": 2},
    {"Variable": "$.n", "NumericEquals": 2.0},
    {"Variable": "$.n", "NumericLessThan": "3"},         # not a number: never matches
    {"Variable": "$.b", "NumericEquals": 1},             # true is not a number
    {"Variable": "$.n", "NumericLessThanPath": "$.m"},
    {"Variable": "$.s", "StringMatches": "a*c"},
    {"Variable": "$.s", "IsString": False},
    {"Variable": "$.t", "TimestampLessThan": "2024-01-02T00:00:00Z"},
    {"Variable": "$.b", "BooleanEquals": True},
    {"Variable": "$.gone", "IsPresent": False},
    {"Not": {"Or": [{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.s", "StringEquals": "x"}]}},
    {"And": [{"Variable": "$.n", "IsNumeric": True}, {"Variable": "$$.Execution.Name", "StringEquals": "e"}]},
    {"Variable": "$.gone", "NumericEquals": 1},          # the Variable matches nothing: error
    {"Variable": "$.n", "NumericEqualsPath": "$.gone"},  # the operand matches nothing: error
    {"Variable": "$.n", "NumericEquals": 1, "StringEquals": "x"},  # two operators: error
    {"And": "not a list"},
    "not a rule",
]
DATA = [{"n": 2, "m": 3, "s": "abc", "t": "2024-01-01T00:00:00Z", "b": True},
        {"n": 1, "s": 5, "b": 1}, {"n": 2.5, "b": None}, {"n": "2"}, []]


def outcome(fn, *args):
    try:
        return "value", fn(*args)
    except StatesError as err:
        return "error", err.error, err.cause


@pytest.mark.parametrize("rule", RULES)
def test_compiled_rules_agree_with_the_general_evaluation(rule):
    compiled = choice_rules.compile_rule(rule)
    for data in DATA:
        expected = outcome(choice_rules._evaluate, rule, data, {"Execution": {"Name": "e"}}, None)
        assert outcome(compiled, data, {"Execution": {"Name": "e"}}, None) == expected
        assert outcome(compiled, data, {"Execution": {"Name": "e"}}, None) == expected


def test_a_compiled_template_builds_new_objects_on_every_call():
    template = {"a": {"b": [1, 2]}, "c.$": "$.c", "d.$": "States.Array($.c, 'x')"}
    render = payload.compile_template(template)
    one, two = render({"c": 5}), render({"c": 5})
    assert one == two == {"a": {"b": [1, 2]}, "c": 5, "d": [5, "x"]}
    assert one["a"] is not two["a"] and one["a"]["b"] is not two["a"]["b"]
    assert one["a"] is not template["a"]


def test_a_compiled_intrinsic_is_reused_and_fails_afresh():
    intrinsics.compiled.cache_clear()
    assert intrinsics.evaluate("States.MathAdd($.i, 1)", {"i": 1}) == 2
    assert intrinsics.evaluate("States.MathAdd($.i, 1)", {"i": 2}) == 3
    assert intrinsics.compiled.cache_info().misses == 1
    errors = [outcome(intrinsics.evaluate, "States.Nope(1)", {}) for _ in range(2)]
    assert errors[0] == errors[1] == ("error", "States.IntrinsicFailure",
                                      "Unsupported intrinsic function: States.Nope")


def test_history_payload_text_is_the_compact_json_of_json_dumps():
    import json

    from engine.asl.limits import dumps
    for value in [{}, [], {"a": [1, 2.5, None, True, "é\u2028\n\"x"]}, 1.0, -0.0, 10 ** 30,
                  float("nan"), float("inf"), "s", None, [{"k": {"z": 1}}]]:
        assert dumps(value) == json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    loop = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(loop)


def test_a_path_argument_that_matches_nothing_names_the_field_even_when_nested():
    from engine.asl import payload as p
    template = {"n.$": "States.MathAdd(States.ArrayLength($.missing), 1)"}
    for _ in range(2):
        assert outcome(p.render, template, {"a": 1}) == (
            "error", "States.Runtime",
            "The JSONPath '$.missing' specified for the field 'n.$' could not be found in the input '{\"a\":1}'")


def test_rules_and_templates_that_read_the_context_object_still_see_it():
    """The context object is only built for templates and rules that mention `$$`."""
    definition = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$$.State.Name", "StringEquals": "C", "Next": "P"}], "Default": "F"},
        "P": {"Type": "Pass", "Parameters": {"plain.$": "$.a", "n.$": "States.Format('{}', $$.State.Name)",
                                             "deep": [{"id.$": "$$.Execution.Name"}]},
              "End": True},
        "F": {"Type": "Fail", "Error": "Unexpected"}}}
    machine = parse(definition)
    for _ in range(2):
        status, output, *_ = run(machine, {"a": 1})
        assert (status, output) == ("SUCCEEDED", {"plain": 1, "n": "P", "deep": [{"id": "e1"}]})
