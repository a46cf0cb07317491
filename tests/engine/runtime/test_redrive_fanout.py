"""RedriveExecution inside a Map or Parallel: only the failed / aborted / unstarted iterations
and branches run again; the successes keep their earlier output (AWS RedriveExecution:
"reschedules and redrives only the iterations and branches that failed or aborted")."""
import os
import uuid

import pytest
import redis

from engine import services
from engine.models import Frame
from tests.support import wait_until

from .conftest import (Runtime, assert_history_contiguous, lambda_arn, running,
                       wait_for_execution)

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]

ITEM = lambda_arn("test-redrive-item")


class RedriveRuntime(Runtime):
    includes = (*Runtime.includes, "tests.engine.runtime.redrive_handlers")


@pytest.fixture
def rt(runtime_env, tmp_path, request):
    yield from running(RedriveRuntime, runtime_env, tmp_path, request)


class Switch:
    """The Redis side of test-redrive-item for one test: failures to flip, calls to count."""

    def __init__(self):
        self.key = uuid.uuid4().hex[:10]
        self.r = redis.Redis.from_url(os.environ["RUNTIME_TEST_REDIS"])

    def fail(self, *ids):
        self.r.sadd(f"rd:{self.key}:fail", *[str(i) for i in ids])

    def slow(self, *ids):
        self.r.sadd(f"rd:{self.key}:slow", *[str(i) for i in ids])

    def heal(self):
        self.r.delete(f"rd:{self.key}:fail", f"rd:{self.key}:slow")

    def calls(self) -> dict:
        return {k.decode(): int(v) for k, v in self.r.hgetall(f"rd:{self.key}:calls").items()}

    def done(self) -> dict:
        return {k.decode(): int(v) for k, v in self.r.hgetall(f"rd:{self.key}:done").items()}


@pytest.fixture
def switch():
    s = Switch()
    yield s
    s.r.delete(*[f"rd:{s.key}:{k}" for k in ("fail", "slow", "calls", "done")])


def task(key, ident_path="$.id", value_path="$.v", **extra):
    return {"Type": "Task", "Resource": ITEM,
            "Parameters": {"key": key, "id.$": ident_path, "value.$": value_path, **extra}}


def types(ex):
    return list(ex.events.order_by("seq").values_list("type", flat=True))


def events(ex):
    return list(ex.events.order_by("seq"))


def run_fail_redrive(machine, payload, switch, failing, timeout=60):
    """Start, expect FAILED, heal the switch, redrive, expect SUCCEEDED."""
    ex = wait_for_execution(services.start_execution(machine, payload), timeout)
    assert ex.status == "FAILED", (ex.status, ex.error, ex.cause)
    assert ex.error == "ItemFailed"
    first = {"calls": switch.calls(), "done": switch.done(), "history": types(ex)}
    first["succeeded"] = iteration_events(events(ex), "MapIterationSucceeded")
    assert all(str(i) in first["calls"] for i in failing)
    switch.heal()
    ex = wait_for_execution(services.redrive_execution(ex), timeout)
    assert ex.status == "SUCCEEDED", (ex.status, ex.error, ex.cause)
    assert ex.redrive_count == 1
    assert_history_contiguous(ex)
    after = types(ex)
    assert after[:len(first["history"])] == first["history"]  # history kept
    assert after[len(first["history"])] == "ExecutionRedriven"
    # Nothing of the fan-out is left behind once the execution succeeded.
    assert list(Frame.objects.filter(execution=ex).exclude(parent=None)) == []
    return ex, first, after[len(first["history"]):]


def iteration_events(evs, kind):
    return [(e.details.get(f"{kind[0].lower()}{kind[1:]}EventDetails") or {}).get("index")
            for e in evs if e.type == kind]


def test_a_redriven_map_runs_only_the_failed_and_unstarted_iterations(rt, make_machine, switch):
    machine = make_machine({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "End": True,
        "ItemProcessor": {"StartAt": "Prep", "States": {
            "Prep": {"Type": "Pass", "Parameters": {"id.$": "$.id", "v.$": "States.MathAdd($.v, 1)"},
                     "Next": "Work"},
            "Work": {**task(switch.key), "ResultSelector": {"id.$": "$.id", "v.$": "$.v"},
                     "End": True}}}}}})
    items = [{"id": i, "v": i * 10} for i in range(6)]
    switch.fail(3)
    ex, first, redriven = run_fail_redrive(machine, {"items": items}, switch, [3])
    # One at a time: 0-2 succeeded, 3 failed, 4 and 5 never started.
    assert first["calls"] == {"0": 1, "1": 1, "2": 1, "3": 1}
    assert switch.calls() == {"0": 1, "1": 1, "2": 1, "3": 2, "4": 1, "5": 1}
    assert ex.output == [{"id": str(i), "v": i * 10 + 1} for i in range(6)]
    # The redrive re-enters the Map; only iterations 3-5 run, 3 from its failed state.
    assert redriven[:3] == ["ExecutionRedriven", "MapStateEntered", "MapStateStarted"]
    evs = events(ex)[-len(redriven):]
    assert iteration_events(evs, "MapIterationStarted") == [3, 4, 5]
    assert iteration_events(evs, "MapIterationSucceeded") == [3, 4, 5]
    assert redriven.count("PassStateEntered") == 2      # 4 and 5: 3 had passed Prep
    assert redriven.count("TaskStateEntered") == 3
    assert redriven[-3:] == ["MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]
    started = next(e for e in evs if e.type == "MapStateStarted")
    assert started.details["mapStateStartedEventDetails"]["length"] == 6
    first_again = next(e for e in evs if e.type == "MapIterationStarted")
    assert first_again.previous_event_id == started.seq


def test_a_concurrent_map_keeps_every_iteration_that_had_succeeded(rt, make_machine, switch):
    machine = make_machine({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 4,
        "ItemProcessor": {"StartAt": "Work", "States": {"Work": {**task(switch.key), "End": True}}},
        "ResultSelector": {"n.$": "States.ArrayLength($)", "all.$": "$"}, "End": True}}})
    items = [{"id": i, "v": i} for i in range(12)]
    switch.fail(5)
    ex, first, _ = run_fail_redrive(machine, {"items": items}, switch, [5])
    # Iterations that had succeeded (not merely returned: a result that came in after the
    # Map had failed was dropped, as the iteration was aborted).
    calls = switch.calls()
    assert first["succeeded"]
    for index in first["succeeded"]:
        assert calls[str(index)] == 1, index   # a success is never run again
    assert calls["5"] == 2
    assert set(calls) == {str(i) for i in range(12)}
    assert ex.output == {"n": 12, "all": [{"id": str(i), "v": i} for i in range(12)]}


def test_a_redriven_parallel_runs_only_the_failed_branch(rt, make_machine, switch):
    def branch(ident):
        return {"StartAt": "B", "States": {"B": {**task(switch.key, ident_path="$.b" + ident),
                                                 "End": True}}}
    machine = make_machine({"StartAt": "Fork", "States": {"Fork": {
        "Type": "Parallel", "Branches": [branch("0"), branch("1"), branch("2")], "End": True}}})
    payload = {"b0": "a", "b1": "b", "b2": "c", "v": 7}
    switch.fail("b")
    # Branch 1 fails only after 0 and 2 are done (no aborted branch in this test).
    machine.definition["States"]["Fork"]["Branches"][1]["States"]["B"]["Parameters"][
        "fail_after"] = 1.5
    machine.save()
    ex, first, redriven = run_fail_redrive(machine, payload, switch, ["b"])
    assert first["done"] == {"a": 1, "c": 1}
    assert switch.calls() == {"a": 1, "b": 2, "c": 1}
    assert ex.output == [{"id": i, "v": 7} for i in "abc"]
    assert redriven[:3] == ["ExecutionRedriven", "ParallelStateEntered", "ParallelStateStarted"]
    assert redriven.count("TaskStateEntered") == 1
    assert redriven[-3:] == ["ParallelStateSucceeded", "ParallelStateExited",
                             "ExecutionSucceeded"]


def test_a_map_inside_a_parallel_keeps_its_successes_at_every_level(rt, make_machine, switch):
    inner_map = {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "End": True,
                 "ItemProcessor": {"StartAt": "W", "States": {"W": {**task(switch.key),
                                                                    "End": True}}}}
    machine = make_machine({"StartAt": "Fork", "States": {"Fork": {
        "Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "Solo", "States": {"Solo": {**task(switch.key, ident_path="$.solo"),
                                                    "End": True}}},
            {"StartAt": "Before", "States": {
                "Before": {**task(switch.key, ident_path="$.before"), "ResultPath": None,
                           "Next": "Each"},
                "Each": inner_map}}]}}})
    payload = {"solo": "s", "before": "p", "v": 1,
               "items": [{"id": f"m{i}", "v": i} for i in range(4)]}
    switch.fail("m2")
    ex, first, _ = run_fail_redrive(machine, payload, switch, ["m2"])
    assert first["done"]["s"] == 1 and first["done"]["p"] == 1
    # The branch that failed re-enters its Map (not "Before"); the Map keeps m0 and m1.
    assert switch.calls() == {"s": 1, "p": 1, "m0": 1, "m1": 1, "m2": 2, "m3": 1}
    assert ex.output == [{"id": "s", "v": 1}, [{"id": f"m{i}", "v": i} for i in range(4)]]


def test_a_map_inside_a_map_keeps_its_successes_at_every_level(rt, make_machine, switch):
    machine = make_machine({"StartAt": "Groups", "States": {"Groups": {
        "Type": "Map", "ItemsPath": "$.groups", "MaxConcurrency": 1, "End": True,
        "ItemProcessor": {"StartAt": "Items", "States": {"Items": {
            "Type": "Map", "ItemsPath": "$", "MaxConcurrency": 1, "End": True,
            "ItemProcessor": {"StartAt": "W", "States": {"W": {**task(switch.key),
                                                               "End": True}}}}}}}}})
    groups = [[{"id": f"g{g}i{i}", "v": g * 10 + i} for i in range(3)] for g in range(3)]
    switch.fail("g1i1")
    ex, first, redriven = run_fail_redrive(machine, {"groups": groups}, switch, ["g1i1"])
    assert first["calls"] == {"g0i0": 1, "g0i1": 1, "g0i2": 1, "g1i0": 1, "g1i1": 1}
    calls = switch.calls()
    assert calls.pop("g1i1") == 2
    assert set(calls.values()) == {1} and len(calls) == 8
    assert ex.output == [[{"id": i["id"], "v": i["v"]} for i in g] for g in groups]
    # Outer iteration 1 and inner iteration 1 restart; outer 0 is not in the redriven part.
    starts = [e.details["mapIterationStartedEventDetails"]
              for e in events(ex)[-len(redriven):] if e.type == "MapIterationStarted"]
    assert starts[:2] == [{"name": "Groups", "index": 1}, {"name": "Items", "index": 1}]
    assert {"name": "Groups", "index": 0} not in starts


def test_a_distributed_map_redrive_reruns_only_the_failed_child_workflows(rt, make_machine,
                                                                           switch):
    machine = make_machine({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "End": True,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "Work", "States": {"Work": {**task(switch.key),
                                                                 "End": True}}}}}})
    items = [{"id": i, "v": i} for i in range(5)]
    switch.fail(2)
    ex, first, redriven = run_fail_redrive(machine, {"items": items}, switch, [2])
    assert first["calls"] == {"0": 1, "1": 1, "2": 1}
    assert switch.calls() == {"0": 1, "1": 1, "2": 2, "3": 1, "4": 1}
    assert ex.output == [{"id": str(i), "v": i} for i in range(5)]
    assert "MapIterationStarted" not in redriven   # child workflows keep their own history
    assert redriven[-4:] == ["MapRunSucceeded", "MapStateSucceeded", "MapStateExited",
                             "ExecutionSucceeded"]


def test_an_aborted_map_redrive_keeps_the_finished_iterations(rt, make_machine, switch):
    machine = make_machine({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "End": True,
        "ItemProcessor": {"StartAt": "Work", "States": {"Work": {**task(switch.key, slow=30),
                                                                 "End": True}}}}}})
    switch.slow(2)
    ex = services.start_execution(machine, {"items": [{"id": i, "v": i} for i in range(4)]})
    wait_until(lambda: "2" in switch.calls(), 60, what="iteration 2 to start")
    ex = services.stop_execution(ex)
    assert ex.status == "ABORTED"
    assert switch.done() == {"0": 1, "1": 1}
    switch.heal()
    ex = wait_for_execution(services.redrive_execution(ex), 60)
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    assert switch.calls() == {"0": 1, "1": 1, "2": 2, "3": 1}
    assert ex.output == [{"id": str(i), "v": i} for i in range(4)]
    assert_history_contiguous(ex)


def test_a_loop_back_into_a_map_is_a_fresh_entry_that_runs_every_iteration(rt, make_machine,
                                                                            switch):
    # Item 1 fails; a Catch goes to Heal (clears the failure) and back into the Map: that is a
    # new entry of the state, not a redrive, so item 0 runs again too.
    machine = make_machine({"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
                 "ItemProcessor": {"StartAt": "Work", "States": {
                     "Work": {**task(switch.key), "End": True}}},
                 "ResultPath": "$.out", "End": True,
                 "Catch": [{"ErrorEquals": ["ItemFailed"], "ResultPath": "$.err",
                            "Next": "Heal"}]},
        "Heal": {"Type": "Task", "Resource": lambda_arn("test-redrive-heal"),
                 "Parameters": {"key": switch.key}, "ResultPath": None, "Next": "Each"}}})
    items = [{"id": i, "v": i} for i in range(3)]
    switch.fail(1)
    ex = wait_for_execution(services.start_execution(machine, {"items": items}), 60)
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    assert switch.calls() == {"0": 2, "1": 2, "2": 1}
    assert ex.output["out"] == [{"id": str(i), "v": i} for i in range(3)]
    assert list(Frame.objects.filter(execution=ex).exclude(parent=None)) == []


def test_a_retried_map_runs_every_iteration_again(rt, make_machine, switch):
    machine = make_machine({"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "End": True,
                 "ItemProcessor": {"StartAt": "Work", "States": {
                     "Work": {**task(switch.key), "End": True}}},
                 "Retry": [{"ErrorEquals": ["ItemFailed"], "IntervalSeconds": 1,
                            "MaxAttempts": 1}]}}})
    switch.fail(1)
    ex = wait_for_execution(services.start_execution(
        machine, {"items": [{"id": i, "v": i} for i in range(3)]}), 60)
    assert (ex.status, ex.error) == ("FAILED", "ItemFailed")
    assert switch.calls() == {"0": 2, "1": 2}   # the retry ran item 0 again
    switch.heal()
    ex = wait_for_execution(services.redrive_execution(ex), 60)
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    # The redrive reuses what the last attempt (the retry) had finished.
    assert switch.calls() == {"0": 2, "1": 3, "2": 1}


def test_after_a_redrive_a_loop_back_into_the_map_runs_everything_again(rt, make_machine,
                                                                         switch):
    machine = make_machine({"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
                 "ItemProcessor": {"StartAt": "Work", "States": {
                     "Work": {**task(switch.key), "End": True}}},
                 "ResultPath": "$.out", "Next": "Again"},
        "Again": {"Type": "Choice", "Choices": [{"Variable": "$.round", "NumericEquals": 0,
                                                  "Next": "Bump"}], "Default": "Done"},
        "Bump": {"Type": "Pass", "Result": 1, "ResultPath": "$.round", "Next": "Each"},
        "Done": {"Type": "Succeed"}}})
    switch.fail(1)
    ex = wait_for_execution(services.start_execution(
        machine, {"round": 0, "items": [{"id": i, "v": i} for i in range(3)]}), 60)
    assert ex.status == "FAILED"
    switch.heal()
    ex = wait_for_execution(services.redrive_execution(ex), 60)
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    # Round 0 after the redrive: 0 kept, 1 and 2 run; round 1 (a fresh entry): all run.
    assert switch.calls() == {"0": 2, "1": 3, "2": 2}
    assert ex.output["out"] == [{"id": str(i), "v": i} for i in range(3)]
