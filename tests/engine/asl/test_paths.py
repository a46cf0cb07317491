"""JSONPath reading and ResultPath writing as AWS Step Functions does (engine/asl/paths.py)."""
import copy

import pytest
from hypothesis import given, settings, strategies as st

from engine.asl import paths
from engine.asl.errors import StatesError
from engine.asl.paths import PathNotFound, read_path, write_result_path

DATA = {
    "a": {"b": [10, 20, {"c": "deep"}]},
    "items": [{"x": 1}, {"x": "s"}, {"x": 5}, {"y": 0}],
    "k k": "spaced",
    "Test\\\"\"Name\"": "escaped",
    "nothing": None,
}


# -- definite paths return the value ---------------------------------------------------------

@pytest.mark.parametrize("path, expected", [
    ("$", DATA),
    ("$.a.b[2].c", "deep"),
    ("$.a.b[0]", 10),
    ("$.a.b[-1]", {"c": "deep"}),          # Jayway: negative index counts from the end
    ("$['a']['b'][1]", 20),
    ("$[\"a\"].b[1]", 20),
    ("$['k k']", "spaced"),
    ("$.nothing", None),                    # a present null is a value, not a miss
    ("$['Test\\\"\"Name\"']", "escaped"),   # AWS keeps backslashes that do not escape the quote
])
def test_definite_paths_return_the_value(path, expected):
    assert read_path(path, DATA) == expected


# -- indefinite paths return a list ----------------------------------------------------------

@pytest.mark.parametrize("path, expected", [
    ("$.items[*].x", [1, "s", 5]),
    ("$.a.b[0:2]", [10, 20]),
    ("$.a.b[1:]", [20, {"c": "deep"}]),
    ("$.items[?(@.x > 1)]", [{"x": 5}]),    # "s" > 1 is false, not an error (Jayway)
    ("$..c", ["deep"]),
    ("$.missing[*]", []),                   # AWS: indefinite path with no match gives []
    ("$.items[?(@.x == 99)]", []),
])
def test_indefinite_paths_return_a_list(path, expected):
    assert read_path(path, DATA) == expected


# -- misses: PathNotFound with Jayway's explanation ------------------------------------------

@pytest.mark.parametrize("path, cause", [
    # corpus scenario__invalid_jsonpath_st_invalid_jsonpath_in_inputpath
    ("$.NoSuchInputPath", "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"),
    # corpus scenario__catch_states_runtime: a missing intermediate names the prefix
    ("$.no.such.result.path", "Invalid path '$.no.such.result.path' : Missing property in path $['no']"),
    ("$.a.b[7]", "Invalid path '$.a.b[7]' : No results for path: $['a']['b'][7]"),
])
def test_a_definite_path_that_matches_nothing_raises_path_not_found(path, cause):
    with pytest.raises(PathNotFound) as info:
        read_path(path, DATA)
    assert info.value.path == path
    assert info.value.cause == cause
    assert str(info.value) == cause


def test_reading_a_member_of_a_non_object_is_a_miss():
    with pytest.raises(PathNotFound):
        read_path("$.a.b.c", DATA)


def test_indexing_a_non_array_is_a_miss():
    with pytest.raises(PathNotFound):
        read_path("$.a[0]", DATA)


# -- roots: context object and variables ----------------------------------------------------

def test_double_dollar_reads_the_context_object():
    ctx = {"Execution": {"Input": {"v": 1}}, "Map": {"Item": {"Index": 3}}}
    assert read_path("$$.Execution.Input.v", {}, ctx) == 1
    assert read_path("$$.Map.Item.Index", {}, ctx) == 3
    assert read_path("$$", {}, ctx) == ctx


def test_dollar_name_reads_a_workflow_variable():
    variables = {"order": {"lines": [{"sku": "A"}]}, "n": 0}
    assert read_path("$order.lines[0].sku", {}, None, variables) == "A"
    assert read_path("$n", {}, None, variables) == 0


def test_an_undefined_variable_is_a_miss():
    with pytest.raises(PathNotFound) as info:
        read_path("$nope", {}, None, {})
    assert info.value.path == "$nope"


def test_variables_can_be_a_scope_object():
    from engine.asl.variables import Scope

    scope = Scope()
    scope.assign({"x": {"y": 2}})
    assert read_path("$x.y", {}, None, scope) == 2


# -- syntax checks for the validator ---------------------------------------------------------

@pytest.mark.parametrize("path", ["$", "$.a", "$.a[0].b", "$['a b']", "$$.Execution.Id", "$var.x"])
def test_reference_paths(path):
    assert paths.is_valid_path(path)
    assert paths.is_valid_reference_path(path)


@pytest.mark.parametrize("path", ["$.a[*]", "$..a", "$.a[1:2]", "$.a[?(@.b > 1)]", "$.a[0,1]"])
def test_indefinite_paths_are_paths_but_not_reference_paths(path):
    assert paths.is_valid_path(path)
    assert not paths.is_valid_reference_path(path)


@pytest.mark.parametrize("bad", ["", "a.b", "$.[", "$.a[", None, 3, "States.Format('x')"])
def test_invalid_paths(bad):
    assert not paths.is_valid_path(bad)
    assert not paths.is_valid_reference_path(bad)


def test_compiled_paths_are_cached():
    paths._compile.cache_clear()
    paths.reader.cache_clear()
    first = read_path("$.a.b[0]", DATA)
    assert read_path("$.a.b[0]", DATA) == first
    assert paths.reader.cache_info().hits >= 1      # the reader function is reused
    assert paths._compile.cache_info().misses == 1  # and the path was compiled once


# -- ResultPath -----------------------------------------------------------------------------

def test_result_path_null_discards_the_result():
    # Spec: "If the value of ResultPath is null, … its raw input becomes its result."
    assert write_result_path({"in": 1}, None, {"r": 2}) == {"in": 1}


def test_result_path_root_replaces_the_input():
    assert write_result_path({"in": 1}, "$", [1, 2]) == [1, 2]


def test_result_path_creates_missing_objects_without_mutating_the_input():
    data = {"in": 1, "keep": {"deep": [1]}}
    before = copy.deepcopy(data)
    out = write_result_path(data, "$.a.b", "r")
    assert out == {"in": 1, "keep": {"deep": [1]}, "a": {"b": "r"}}
    assert data == before
    assert out["keep"] is data["keep"]  # only the touched spine is copied


def test_result_path_overwrites_an_existing_field():
    assert write_result_path({"a": {"b": 1, "c": 2}}, "$.a.b", 9) == {"a": {"b": 9, "c": 2}}


def test_result_path_into_an_array_element():
    assert write_result_path({"a": [1, 2]}, "$.a[1]", 9) == {"a": [1, 9]}


@pytest.mark.parametrize("data, path, cause", [
    ("text", "$.a", 'Unable to apply ReferencePath $.a to input "text"'),
    ([1, 2], "$.a", "Unable to apply ReferencePath $.a to input [1,2]"),
    ({"a": 1}, "$.a.b", 'Unable to apply ReferencePath $.a.b to input {"a":1}'),
    ({"a": [1]}, "$.a[3]", 'Unable to apply ReferencePath $.a[3] to input {"a":[1]}'),
])
def test_result_path_that_cannot_be_applied_is_a_match_failure(data, path, cause):
    with pytest.raises(StatesError) as info:
        write_result_path(data, path, "r")
    assert info.value.error == "States.ResultPathMatchFailure"
    assert info.value.cause == cause


# -- JSON type predicates -------------------------------------------------------------------

def test_bool_is_not_a_number():
    assert paths.is_number(1) and paths.is_number(1.5)
    assert not paths.is_number(True)
    assert paths.json_type_name(True) == "boolean"
    assert paths.json_type_name(1.0) == "number"
    assert paths.to_json_str({"a": [1, "é"]}) == '{"a":[1,"é"]}'


# -- properties -----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=12,
)
path_strings = st.sampled_from([
    "$", "$.a", "$.a.b", "$.a[0]", "$[0]", "$.a[-1]", "$.a[*]", "$..a", "$.a[1:]",
    "$.a[?(@.b > 1)]", "$.a[?(@ == 'x')]", "$['a']", "$.a.b.c.d", "$$.a", "$v.a",
])


@settings(max_examples=300, deadline=None)
@given(path=path_strings, data=json_values)
def test_reading_random_json_only_raises_path_not_found(path, data):
    try:
        read_path(path, data, {"a": data}, {"v": data})
    except PathNotFound:
        pass


@settings(max_examples=300, deadline=None)
@given(path=st.sampled_from(["$", "$.a", "$.a.b", "$.a[0]", "$.x.y.z"]), data=json_values,
       result=json_values)
def test_writing_random_json_only_raises_result_path_match_failure(path, data, result):
    try:
        out = write_result_path(data, path, result)
    except StatesError as exc:
        assert exc.error == "States.ResultPathMatchFailure"
    else:
        assert read_path(path, out) == result


@pytest.mark.parametrize("path, kind", [("$.a", "data"), ("$", "data"), ("$$.Execution", "context"),
                                        ("$$", "context"), ("$var.x", "variable"), ("nope", None)])
def test_path_kind_names_the_root(path, kind):
    assert paths.path_kind(path) == kind


def test_several_bracketed_names_at_the_end_merge_into_one_object():
    # AWS (Jayway multi-property merge): definite, returns an object of the keys that exist
    data = {"o": {"p": 1, "q": 2, "r": 3}}
    assert read_path("$.o['p','q','zz']", data) == {"p": 1, "q": 2}
    assert paths.is_valid_path("$.o['p','q']")
    assert not paths.is_valid_reference_path("$.o['p','q']")
    with pytest.raises(StatesError):
        write_result_path(data, "$.o['p','q']", 1)


def test_filters_accept_jayway_and_or_operators():
    data = {"items": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}, {"a": 3, "b": "x"}]}
    assert read_path("$.items[?(@.a > 1 && @.b == 'x')].a", data) == [3]
    assert read_path("$.items[?(@.a < 2 || @.b == 'y')].a", data) == [1, 2]


@settings(max_examples=300, deadline=None)
@given(tail=st.text(alphabet=".[]*?@()'\",:$ab01-=<>!&|", max_size=12), data=json_values)
def test_random_path_text_never_raises_anything_but_path_not_found(tail, data):
    try:
        read_path("$" + tail, data, {}, {"a": data})
    except PathNotFound:
        pass
    paths.is_valid_path("$" + tail)
    paths.is_valid_reference_path("$" + tail)
