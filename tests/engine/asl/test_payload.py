"""Payload templates: Parameters / ResultSelector / ItemSelector / Assign (engine/asl/payload.py)."""
import copy

import pytest
from hypothesis import given, settings, strategies as st

from engine.asl.errors import StatesError
from engine.asl.payload import render


def test_dollar_keys_take_values_from_paths_and_lose_the_suffix():
    # Spec example: "flagged": true, "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[3:]"}
    template = {"flagged": True, "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[3:]"}}
    data = {"flagged": 7, "vals": [0, 10, 20, 30, 40, 50]}
    assert render(template, data) == {"flagged": True, "parts": {"first": 0, "last3": [30, 40, 50]}}


def test_context_variable_and_intrinsic_values():
    template = {"id.$": "$$.Execution.Id", "who.$": "$user.name", "msg.$": "States.Format('hi {}', $.n)",
                "root.$": "$", "ctx.$": "$$"}
    ctx = {"Execution": {"Id": "exec-1"}}
    out = render(template, {"n": 1}, ctx, {"user": {"name": "ana"}})
    assert out == {"id": "exec-1", "who": "ana", "msg": "hi 1", "root": {"n": 1}, "ctx": ctx}


def test_literals_are_copied_through_unchanged_including_arrays_of_templates():
    template = {"a": [1, {"b.$": "$.x"}, "$.not_a_path"], "c": None, "d": "States.Format('x')"}
    out = render(template, {"x": 5})
    assert out == {"a": [1, {"b": 5}, "$.not_a_path"], "c": None, "d": "States.Format('x')"}


def test_render_does_not_mutate_or_share_the_template():
    template = {"a": {"b": [1, 2]}, "c.$": "$.c"}
    before = copy.deepcopy(template)
    out = render(template, {"c": {"deep": 1}})
    out["a"]["b"].append(3)
    assert template == before


def test_non_object_templates_are_returned_as_is():
    assert render("text", {}) == "text"
    assert render([1, {"a.$": "$.x"}], {"x": 2}) == [1, {"a": 2}]


def test_a_path_that_matches_nothing_is_a_runtime_error_with_aws_cause():
    with pytest.raises(StatesError) as info:
        render({"value.$": "$.no_such_jsonpath"}, {"int-literal": 0})
    assert info.value.error == "States.Runtime"
    assert info.value.cause == ("The JSONPath '$.no_such_jsonpath' specified for the field "
                                "'value.$' could not be found in the input '{\"int-literal\":0}'")


def test_a_context_path_that_matches_nothing_quotes_the_context_object():
    ctx = {"Execution": {"Input": {"int-literal": 0}}}
    with pytest.raises(StatesError) as info:
        render({"value.$": "$$.Execution.Input.no_such_jsonpath"}, {}, ctx)
    assert info.value.cause == (
        "The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' "
        "could not be found in the input '{\"Execution\":{\"Input\":{\"int-literal\":0}}}'")


def test_a_nested_field_is_named_by_its_own_key():
    with pytest.raises(StatesError) as info:
        render({"outer": {"inner.$": "$.x"}}, {})
    assert "specified for the field 'inner.$'" in info.value.cause


def test_a_missing_path_inside_an_intrinsic_is_a_runtime_error_naming_the_field():
    with pytest.raises(StatesError) as info:
        render({"m.$": "States.Format('{}', $.x)"}, {"y": 1})
    assert info.value.error == "States.Runtime"
    assert info.value.cause == ("The JSONPath '$.x' specified for the field 'm.$' could not be "
                                "found in the input '{\"y\":1}'")


def test_intrinsic_failures_propagate():
    with pytest.raises(StatesError) as info:
        render({"m.$": "States.ArrayLength($.x)"}, {"x": 1})
    assert info.value.error == "States.IntrinsicFailure"


def test_a_dollar_key_whose_value_is_neither_path_nor_intrinsic_fails():
    with pytest.raises(StatesError) as info:
        render({"m.$": "plain"}, {})
    assert info.value.error == "States.Runtime"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
    max_leaves=8)
templates = st.recursive(
    json_values,
    lambda c: st.dictionaries(
        st.text(max_size=3).map(lambda k: k + ".$") | st.text(max_size=3),
        c | st.sampled_from(["$", "$.a", "$.a[0]", "$.a[*]", "$$.x", "$v", "States.Array($.a)",
                             "States.Format('{}', $.a)", "States.JsonToString($)"]),
        max_size=3),
    max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(template=templates, data=json_values)
def test_random_templates_only_raise_states_error(template, data):
    try:
        render(template, data, {"x": 1}, {"v": data})
    except StatesError as exc:
        assert exc.error in ("States.Runtime", "States.IntrinsicFailure")
