"""Workflow variable scopes, Assign application and AWS's quotas (engine/asl/variables.py)."""
import pytest

from engine.asl.errors import StatesError
from engine.asl.variables import (
    MAX_VARIABLE_BYTES, Scope, assigned_variables_details, is_valid_variable_name)


def test_assigned_values_are_visible_to_later_lookups():
    scope = Scope()
    scope.assign({"x": 42, "items": [1, 2, 3]})
    assert scope.lookup("x") == 42
    assert scope.as_dict() == {"x": 42, "items": [1, 2, 3]}


def test_looking_up_an_unassigned_variable_raises_key_error():
    with pytest.raises(KeyError):
        Scope().lookup("doesNotExist")


def test_reassigning_replaces_the_value():
    scope = Scope()
    scope.assign({"theAnswer": 42})
    scope.assign({"theAnswer": 18})
    assert scope.lookup("theAnswer") == 18


def test_null_is_a_value_not_an_absence():
    scope = Scope()
    scope.assign({"n": None})
    assert "n" in scope and scope.lookup("n") is None


def test_a_branch_reads_outer_variables():
    outer = Scope()
    outer.assign({"x": 42})
    branch = outer.child()
    assert branch.lookup("x") == 42


def test_assignments_inside_a_branch_do_not_leak_out():
    outer = Scope()
    outer.assign({"x": 42})
    branch = outer.child()
    branch.assign({"innerX": 42})
    assert "innerX" not in outer
    assert branch.lookup("innerX") == 42


def test_a_branch_cannot_assign_an_outer_variable():
    outer = Scope()
    outer.assign({"x": 42})
    branch = outer.child()
    with pytest.raises(StatesError) as err:
        branch.assign({"x": 1})
    assert err.value.error == "States.Runtime"
    assert outer.lookup("x") == 42 and branch.lookup("x") == 42


def test_branches_snapshot_the_outer_scope_when_they_start():
    outer = Scope()
    outer.assign({"x": 1})
    branch = outer.child()
    outer.assign({"x": 2, "later": True})
    assert branch.lookup("x") == 1 and "later" not in branch


def test_sibling_iterations_do_not_see_each_other():
    outer = Scope()
    first, second = outer.child(), outer.child()
    first.assign({"v": 1})
    assert "v" not in second


def test_nested_branches_see_every_enclosing_scope():
    top = Scope()
    top.assign({"bias": 4.3})
    level1 = top.child()
    level1.assign({"xCurrent": 9})
    level2 = level1.child()
    assert level2.lookup("bias") == 4.3 and level2.lookup("xCurrent") == 9


def test_distributed_map_children_see_no_outer_variables():
    top = Scope()
    top.assign({"bucket": "test-name"})
    assert "bucket" not in top.child(inherit=False)


def test_an_assign_is_all_or_nothing():
    scope = Scope()
    with pytest.raises(StatesError):
        scope.assign({"ok": 1, "big": "x" * (MAX_VARIABLE_BYTES + 1)})
    assert "ok" not in scope


def test_a_variable_over_256_kib_exceeds_the_data_limit():
    with pytest.raises(StatesError) as err:
        Scope().assign({"big": "x" * MAX_VARIABLE_BYTES})  # the quotes push it over
    assert err.value.error == "States.DataLimitExceeded"


def test_an_assign_field_over_256_kib_in_total_exceeds_the_data_limit():
    half = "x" * (MAX_VARIABLE_BYTES // 2)
    with pytest.raises(StatesError) as err:
        Scope().assign({"a": half, "b": half})
    assert err.value.error == "States.DataLimitExceeded"
    assert "Assign" in err.value.cause


def test_stored_variables_over_10_mib_exceed_the_data_limit():
    scope = Scope()
    chunk = "x" * (200 * 1024)
    for i in range(51):
        scope.assign({f"v{i}": chunk})
    with pytest.raises(StatesError) as err:
        scope.assign({"last": chunk})
    assert err.value.error == "States.DataLimitExceeded"


@pytest.mark.parametrize("name, ok", [
    ("x", True), ("_private", True), ("var_input_value", True), ("états", True),
    ("1abc", False), ("a-b", False), ("a.b", False), ("", False), ("states", False),
    ("a" * 80, True), ("a" * 81, False), ("$x", False),
])
def test_variable_names_follow_aws_rules(name, ok):
    assert is_valid_variable_name(name) is ok


def test_an_invalid_name_fails_the_assign():
    with pytest.raises(StatesError):
        Scope().assign({"not-valid": 1})


def test_scopes_round_trip_through_json_for_the_runtime():
    outer = Scope()
    outer.assign({"x": 1})
    branch = outer.child()
    branch.assign({"y": [1, None]})
    restored = Scope.from_json(branch.to_json())
    assert restored == branch
    with pytest.raises(StatesError):
        restored.assign({"x": 2})


def test_history_details_show_values_as_compact_json_strings():
    assert assigned_variables_details({"x": 42, "s": "text", "o": {"a": None, "b": [1, 2]}}) == {
        "assignedVariables": {"x": "42", "s": '"text"', "o": '{"a":null,"b":[1,2]}'},
        "assignedVariablesDetails": {"truncated": False},
    }


def test_no_history_details_when_nothing_was_assigned():
    assert assigned_variables_details({}) == {}


def test_functional_assign_returns_a_new_dict_and_protects_outer_names():
    from engine.asl.variables import assign
    current = {"x": 42, "mine": 1}
    updated = assign(current, {"mine": 2, "new": 3}, outer={"x"})
    assert updated == {"x": 42, "mine": 2, "new": 3}
    assert current == {"x": 42, "mine": 1}
    with pytest.raises(StatesError):
        assign(current, {"x": 0}, outer={"x"})
