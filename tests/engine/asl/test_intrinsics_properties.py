"""Property: whatever JSON the arguments resolve to, intrinsics only fail with StatesError."""
from hypothesis import given, settings, strategies as st

from engine.asl import intrinsics
from engine.asl.errors import StatesError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=3), c, max_size=4),
    max_leaves=10)

CALLS = [
    "States.Format($.a)", "States.Format($.a, $.b)", "States.StringToJson($.a)",
    "States.JsonToString($.a)", "States.Array($.a, $.b)", "States.ArrayPartition($.a, $.b)",
    "States.ArrayContains($.a, $.b)", "States.ArrayRange($.a, $.b, $.c)",
    "States.ArrayGetItem($.a, $.b)", "States.ArrayLength($.a)", "States.ArrayUnique($.a)",
    "States.Base64Encode($.a)", "States.Base64Decode($.a)", "States.Hash($.a, $.b)",
    "States.JsonMerge($.a, $.b, $.c)", "States.MathRandom($.a, $.b)",
    "States.MathRandom($.a, $.b, $.c)", "States.MathAdd($.a, $.b)", "States.StringSplit($.a, $.b)",
    "States.UUID()", "States.Format('{}', $.missing)",
]


@settings(max_examples=600, deadline=None)
@given(expr=st.sampled_from(CALLS), a=json_values, b=json_values, c=json_values)
def test_random_arguments_never_raise_anything_but_states_error(expr, a, b, c):
    try:
        intrinsics.evaluate(expr, {"a": a, "b": b, "c": c})
    except StatesError as exc:
        assert exc.error in ("States.IntrinsicFailure", "States.Runtime")
        assert exc.cause


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_random_text_never_crashes_the_parser(text):
    try:
        intrinsics.evaluate("States." + text, {})
    except StatesError:
        pass
    intrinsics.is_intrinsic(text)
    intrinsics.validate_expression(text)
