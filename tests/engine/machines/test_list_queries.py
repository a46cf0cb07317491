"""The home page's rows (engine.machines.queries): what each column holds, sorting, search,
pages, and a number of queries that does not grow with the rows."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engine.machines import queries
from engine.machines.definition_stats import count_states

pytestmark = pytest.mark.django_db


def names(listing):
    return [row.machine.name for row in listing.rows]


def test_a_user_sees_their_own_machines_and_staff_see_everyones(user, other_user, staff_user,
                                                                make_machine):
    make_machine(user, "alices")
    make_machine(other_user, "bobs")
    assert names(queries.listing(user)) == ["alices"]
    assert names(queries.listing(other_user)) == ["bobs"]
    assert names(queries.listing(staff_user)) == ["alices", "bobs"]


def test_each_row_carries_its_columns(user, make_machine, make_execution):
    machine = make_machine(user, "poller", versions=3, type="EXPRESS")
    make_execution(machine, "SUCCEEDED", ago=timedelta(hours=30))   # not in the last 24 h
    make_execution(machine, "FAILED", ago=timedelta(hours=5))
    make_execution(machine, "FAILED", ago=timedelta(hours=4))
    make_execution(machine, "RUNNING", ago=timedelta(days=3))       # running, but old
    last = make_execution(machine, "SUCCEEDED", ago=timedelta(minutes=1))
    row = queries.listing(user).rows[0]
    assert row.machine.type == "EXPRESS"
    assert row.machine.states_count == 2
    assert row.latest_version == 3
    assert row.machine.last_execution == last
    assert row.recent == [("SUCCEEDED", 1), ("FAILED", 2)]
    assert row.recent_total == 3
    assert row.running == 1


def test_a_machine_never_run_has_no_last_execution_and_no_counts(user, make_machine):
    make_machine(user, "idle")
    row = queries.listing(user).rows[0]
    assert row.machine.last_execution is None
    assert row.recent == [] and row.running == 0 and row.latest_version is None


def test_search_matches_part_of_the_name_in_any_case(user, make_machine):
    for name in ("Order-Intake", "orders-nightly", "billing"):
        make_machine(user, name)
    listing = queries.listing(user, query="ORDER")
    assert names(listing) == ["Order-Intake", "orders-nightly"]
    assert listing.total == 2 and listing.owned_total == 2
    nothing = queries.listing(user, query="zzz")
    assert nothing.rows == [] and nothing.total == 0 and nothing.owned_total == 3


def test_every_column_sorts_both_ways(user, staff_user, make_machine, make_execution):
    a = make_machine(user, "a", versions=1, definition={"StartAt": "X", "States": {
        "X": {"Type": "Pass", "Next": "Y"}, "Y": {"Type": "Pass", "Next": "Z"},
        "Z": {"Type": "Succeed"}}})
    b = make_machine(user, "b", versions=3, type="EXPRESS")
    c = make_machine(user, "c")
    make_execution(a, ago=timedelta(hours=2))
    make_execution(b, ago=timedelta(minutes=2))
    make_execution(b, ago=timedelta(minutes=3))
    make_execution(c, ago=timedelta(days=3))
    # (ascending, descending); equal values stay in name order either way.
    expected = {
        "name": ("abc", "cba"),
        "type": ("bac", "acb"),        # EXPRESS before STANDARD
        "states": ("bca", "abc"),      # b and c have 2 states, a has 3
        "version": ("cab", "bac"),     # none (c) first going up, last going down
        "last": ("cab", "bac"),        # c ran 3 days ago, a 2 hours ago, b 2 minutes ago
        "recent": ("cab", "bac"),      # 0, 1 and 2 executions in the last 24 hours
    }
    for key, (ascending, descending) in expected.items():
        assert "".join(names(queries.listing(user, sort=key))) == ascending, key
        assert "".join(names(queries.listing(user, sort=key, descending=True))) == descending, key
    # Never run: after every date when the newest come first, before them otherwise.
    make_machine(user, "d")
    assert names(queries.listing(user, sort="last", descending=True))[-1] == "d"
    assert names(queries.listing(user, sort="last"))[0] == "d"
    # Updated: the order machines were last saved in.
    a.save()
    assert names(queries.listing(user, sort="updated", descending=True))[0] == "a"
    assert names(queries.listing(staff_user, sort="owner")) == ["a", "b", "c", "d"]


def test_parse_sort_falls_back_to_the_name_and_hides_the_owner_from_non_staff(user,
                                                                              staff_user):
    assert queries.parse_sort("-updated", user) == ("updated", True)
    assert queries.parse_sort("nonsense", user) == ("name", False)
    assert queries.parse_sort("owner", user) == ("name", False)
    assert queries.parse_sort("owner", staff_user) == ("owner", False)
    assert queries.parse_page("3") == 3
    for bad in (None, "", "-1", "x", "²", "9" * 20):
        assert queries.parse_page(bad) == 1


def test_pages_hold_25_rows_and_a_page_past_the_end_is_the_last(user, make_machine):
    for n in range(60):
        make_machine(user, f"m{n:02d}")
    first = queries.listing(user)
    assert len(first.rows) == 25 and first.pages == 3 and first.total == 60
    assert (first.first_index, first.last_index) == (1, 25)
    last = queries.listing(user, page=99)
    assert last.page == 3 and names(last) == [f"m{n:02d}" for n in range(50, 60)]
    assert (last.first_index, last.last_index) == (51, 60)


def count_queries(user, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        listing = queries.listing(user, **kwargs)
        # Everything the template reads, read here: no query may hide in a row.
        for row in listing.rows:
            machine = row.machine
            (machine.name, machine.type, machine.states_count, machine.updated,
             machine.owner.get_username(), row.latest_version, row.recent, row.running)
            if machine.last_execution is not None:
                (machine.last_execution.status, machine.last_execution.start_date,
                 machine.last_execution.name, machine.last_execution.id)
    return len(captured)


@pytest.mark.parametrize("sort", sorted(queries.SORTS))
def test_the_number_of_queries_does_not_grow_with_the_rows(sort, user, staff_user,
                                                           make_machine, make_execution):
    viewer = staff_user if sort == "owner" else user
    first = make_machine(user, "first", versions=2)
    make_execution(first)
    one = count_queries(viewer, sort=sort)
    for n in range(30):
        machine = make_machine(user, f"m{n:02d}", versions=n % 3)
        for status in ("SUCCEEDED", "FAILED", "RUNNING")[: n % 4]:
            make_execution(machine, status)
    many = count_queries(viewer, sort=sort)
    assert one == many == 3


def test_a_search_with_no_match_costs_one_count_more(user, make_machine):
    make_machine(user, "a")
    assert count_queries(user, query="zzz") == 2   # count matches, count all; no rows


def test_states_are_counted_with_the_nested_ones():
    definition = {"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
            {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {
                "StartAt": "X", "States": {"X": {"Type": "Pass", "End": True},
                                           "Y": {"Type": "Succeed"}}}, "End": True}}}],
            "Next": "I"},
        "I": {"Type": "Map", "Iterator": {"StartAt": "Z", "States": {
            "Z": {"Type": "Pass", "End": True}}}, "End": True}}}
    assert count_states(definition) == 7
    for broken in (None, [], {"States": []}, {"States": {"A": "x"}}, "text"):
        assert count_states(broken) in (0, 1)
