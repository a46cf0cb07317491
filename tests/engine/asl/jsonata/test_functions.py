"""The functions Step Functions adds to JSONata ($partition, $range, $hash, $random, $uuid,
$parse) and the one it removes ($eval). Expected values come from AWS recordings
(conformance cases intrinsic__array_partition_*, intrinsic__array_range_*, intrinsic__parse_*)."""
import re

import pytest

from engine.asl.errors import StatesError
from engine.asl.jsonata import evaluate


def run(expr, **inp):
    return evaluate(expr, {"states": {"input": inp}}, "Output")


@pytest.mark.parametrize("array, size, expected", [
    ([0], 1, [[0]]), ([0], 5, [[0]]), ([0, 1, 2], 2, [[0, 1], [2]]),
    ([0, 1, 2, 3], 3, [[0, 1, 2], [3]]), ([0, 1, 2, 3], 5, [[0, 1, 2, 3]]),
])
def test_partition_splits_into_chunks(array, size, expected):
    assert run("{% $partition($states.input.a, $states.input.n) %}", a=array, n=size) == expected


@pytest.mark.parametrize("start, end, step, expected", [
    (0, 9, 3, [0, 3, 6, 9]), (0, 10, 3, [0, 3, 6, 9]), (1, 9, 2, [1, 3, 5, 7, 9]),
    (1, 9, 9, 1),  # AWS: a one-item range collapses to the item
    (5, 1, -2, [5, 3, 1]),
])
def test_range_is_inclusive_and_collapses_singletons(start, end, step, expected):
    assert run("{% $range($states.input.s, $states.input.e, $states.input.t) %}",
               s=start, e=end, t=step) == expected


@pytest.mark.parametrize("text, expected", [
    ("-0", 0), ("1", 1), ("1.1", 1.1), ("true", True), ('"HelloWorld"', "HelloWorld"),
    ('[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]), ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}),
    ("null", None),
])
def test_parse_reads_json_text(text, expected):
    assert run("{% $parse($states.input.t) %}", t=text) == expected


def test_hash_matches_states_hash():
    assert run("{% $hash('Hash this string', 'SHA-256') %}") == (
        "1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e")
    assert run("{% $hash('abc', 'MD5') %}") == "900150983cd24fb0d6963f7d28e17f72"


def test_hash_rejects_unknown_algorithms():
    with pytest.raises(StatesError) as err:
        run("{% $hash('abc', 'SHA-3') %}")
    assert err.value.error == "States.QueryEvaluationError"


def test_random_is_in_unit_interval_and_reproducible_with_a_seed():
    value = run("{% $random() %}")
    assert 0 <= value < 1
    assert run("{% $random(42) %}") == run("{% $random(42) %}")


def test_uuid_is_a_version_4_uuid():
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                        run("{% $uuid() %}"))


def test_eval_is_not_available():
    with pytest.raises(StatesError) as err:
        run("{% $eval('1 + 1') %}")
    assert "$parse" in err.value.cause


def test_standard_library_is_still_there():
    assert run("{% $merge([$states.input.p1, $states.input.p2]) %}",
               p1={"hello": "world"}, p2={"foo": "bar"}) == {"hello": "world", "foo": "bar"}
    assert run('{% $number("2") %}') == 2


def test_a_workflow_variable_shadows_a_function_of_the_same_name():
    assert evaluate("{% $range %}", {"range": [1, 2]}, "Output") == [1, 2]
    assert evaluate("{% $range(1, 2, 1) %}", {}, "Output") == [1, 2]
