"""States.MathAdd and States.MathRandom (engine/asl/intrinsics/math.py)."""
import pytest

from engine.asl.errors import StatesError
from engine.asl.intrinsics import evaluate


@pytest.mark.parametrize("a, b, total", [
    # every row recorded on AWS (corpus intrinsic__math_add_*): each argument is rounded
    # half up (Java Math.round) before adding
    (-9, 3, -6), (1.49, 1.5, 3), (1.5, 1.51, 4), (-1.49, -1.5, -2), (-1.5, -1.51, -3),
    (1.49, 0, 1), (1.49, -1.49, 0), (1.5, 0, 2), (1.51, 0, 2), (-1.49, 0, -1), (-1.5, 0, -1),
    (-1.51, 0, -2), (0.5, 0, 1), (2.5, 0, 3), (3.5, 0, 4), (-0.5, 0.5, 1), (-0.5, 0, 0),
    (-2.5, 0, -2), (-3.5, 0, -3),
])
def test_math_add_rounds_each_argument_like_java(a, b, total):
    assert evaluate("States.MathAdd($.a, $.b)", {"a": a, "b": b}) == total


def test_math_add_rejects_non_numbers():
    for bad in ("'1'", "true", "null"):
        with pytest.raises(StatesError) as info:
            evaluate(f"States.MathAdd({bad}, 1)", {})
        assert info.value.error == "States.IntrinsicFailure"
        assert "must be a number" in info.value.cause


def test_math_random_is_within_start_inclusive_end_exclusive():
    values = {evaluate("States.MathRandom(1, 4)", {}) for _ in range(200)}
    assert values <= {1, 2, 3}
    assert len(values) > 1


def test_math_random_with_a_seed_is_repeatable():
    first = evaluate("States.MathRandom(0, 1000, 7)", {})
    assert all(evaluate("States.MathRandom(0, 1000, 7)", {}) == first for _ in range(5))


def test_math_random_accepts_floats_by_rounding():
    assert 13 <= evaluate("States.MathRandom(12.5, 44.51)", {}) < 45


def test_math_random_requires_end_above_start():
    with pytest.raises(StatesError) as info:
        evaluate("States.MathRandom(5, 5)", {})
    assert info.value.cause == ("Invalid arguments in States.MathRandom: the end (5) must be "
                                "greater than the start (5)")
