"""Array intrinsics (engine/asl/intrinsics/array.py); expectations from AWS recordings."""
import pytest

from engine.asl.errors import StatesError
from engine.asl.intrinsics import evaluate


def ev(expr, data=None):
    return evaluate(expr, data if data is not None else {})


def failure(expr, data=None):
    with pytest.raises(StatesError) as info:
        ev(expr, data)
    assert info.value.error == "States.IntrinsicFailure"
    return info.value.cause


def test_array_collects_arguments_of_any_type():
    assert ev("States.Array()") == []
    assert ev("States.Array($.a, $.b, 'x', 1, null)", {"a": {"k": []}, "b": None}) == [{"k": []}, None, "x", 1, None]


@pytest.mark.parametrize("items, size, expected", [
    ([], 1, []),
    ([0, 1, 2], 1, [[0], [1], [2]]),
    ([0, 1, 2, 3], 3, [[0, 1, 2], [3]]),
    ([0, 1], 5, [[0, 1]]),
])
def test_array_partition(items, size, expected):
    assert ev("States.ArrayPartition($.a, $.n)", {"a": items, "n": size}) == expected


def test_array_partition_rejects_a_non_positive_chunk():
    assert failure("States.ArrayPartition($.a, 0)", {"a": [1]}) == (
        "Invalid arguments in States.ArrayPartition: the chunk size must be a positive integer, "
        "but was 0")
    assert "must be an array" in failure("States.ArrayPartition('x', 1)")


@pytest.mark.parametrize("items, value, expected", [
    ([], None, False),
    ([], [], False),
    ([[1, 2, 3], 2], [1, 2, 3], True),
    ([{"1": 2, "2": []}], {"1": 2, "2": []}, True),
    ([True, False], False, True),
    ([1, 0], False, False),            # false is not 0
    ([1.0], 1, True),
])
def test_array_contains_uses_json_equality(items, value, expected):
    assert ev("States.ArrayContains($.a, $.v)", {"a": items, "v": value}) is expected


@pytest.mark.parametrize("args, expected", [
    ("0, 9, 3", [0, 3, 6, 9]),
    ("0, 10, 3", [0, 3, 6, 9]),
    ("1, 9, 9", [1]),
    ("1, 9, 2", [1, 3, 5, 7, 9]),
    ("5, 1, -2", [5, 3, 1]),
    ("5, 1, 2", []),
    ("1.4, 3.5, 1", [1, 2, 3, 4]),     # non-integers are rounded (AWS docs)
])
def test_array_range(args, expected):
    assert ev(f"States.ArrayRange({args})") == expected


def test_array_range_limits():
    assert len(ev("States.ArrayRange(1, 1000, 1)")) == 1000
    assert failure("States.ArrayRange(0, 1000, 1)") == (
        "Invalid arguments in States.ArrayRange: the range would contain 1001 items, more "
        "than the maximum of 1000")
    assert failure("States.ArrayRange(0, 10, 0)") == (
        "Invalid arguments in States.ArrayRange: the step value must not be zero")
    assert "must be a number" in failure("States.ArrayRange('a', 10, 1)")


def test_array_get_item():
    assert ev("States.ArrayGetItem($.a, 5)", {"a": [1, 2, 3, 4, 5, 6, 7, 8, 9]}) == 6
    assert failure("States.ArrayGetItem($.a, 3)", {"a": [1]}) == (
        "Invalid arguments in States.ArrayGetItem: the index 3 is out of bounds for an array "
        "of length 1")
    assert "out of bounds" in failure("States.ArrayGetItem($.a, -1)", {"a": [1]})


def test_array_length():
    assert ev("States.ArrayLength($)", [1, 2, 3]) == 3
    assert ev("States.ArrayLength($.a)", {"a": []}) == 0
    assert failure("States.ArrayLength($.a)", {"a": {"x": 1}}) == (
        'Invalid arguments in States.ArrayLength: the argument must be an array, but was '
        'object {"x":1}')


def test_array_unique_keeps_first_occurrences_in_order():
    data = {"a": [None, None, True, 1, 1, 1.0, 0, False, "x", "x", [], [], {"a": 1}, {"a": 1}]}
    assert ev("States.ArrayUnique($.a)", data) == [None, True, 1, 0, False, "x", [], {"a": 1}]
