"""A DISTRIBUTED Map's map run on real workers: one MapRun row, one child execution per item
with its own history, counts, UpdateMapRun on the running fan-out, stop and redrive."""
import pytest

from engine import services
from engine.models import Activity, Execution, MapRun
from engine.runtime import map_runs
from tests.support import wait_until

from .conftest import assert_history_contiguous, running, wait_for_execution
from .test_redrive_fanout import RedriveRuntime, switch, task, types  # noqa: F401 — fixture

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]


def distributed(processor, **map_fields):
    return {"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items", "End": True, **map_fields,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          **processor}}}}


CHECK = {"StartAt": "Check", "States": {
    "Check": {"Type": "Choice", "Choices": [
        {"Variable": "$.ok", "BooleanEquals": False, "Next": "Bad"}], "Default": "Good"},
    "Bad": {"Type": "Fail", "Error": "Item.Bad", "Cause": "not ok"},
    "Good": {"Type": "Pass", "End": True}}}


@pytest.fixture
def rt(runtime_env, tmp_path, request):
    yield from running(RedriveRuntime, runtime_env, tmp_path, request)


def children(run):
    return list(Execution.objects.filter(map_run=run).order_by("start_date"))


def test_iterations_are_child_executions_with_their_own_history(rt, make_machine):
    machine = make_machine(distributed(CHECK, Label="Items", MaxConcurrency=2,
                                       ToleratedFailureCount=1))
    items = [{"ok": True}, {"ok": False}, {"ok": True}, {"ok": True}]
    ex = wait_for_execution(services.start_execution(machine, {"items": items}))
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    assert_history_contiguous(ex)

    run = MapRun.objects.get(execution=ex)
    assert (run.status, run.label, run.state_name, run.item_total) == ("SUCCEEDED", "Items", "Each", 4)
    assert (run.max_concurrency, run.tolerated_failure_count) == (2, 1)
    started = ex.events.get(type="MapRunStarted").details["mapRunStartedEventDetails"]["mapRunArn"]
    assert started == run.arn
    assert run.arn.startswith(machine.arn.replace(":stateMachine:", ":mapRun:") + "/Items:")

    kids = children(run)
    assert sorted(k.status for k in kids) == ["FAILED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]
    for kid in kids:
        assert kid.arn == machine.arn.replace(":stateMachine:", ":execution:") + f"/Items:{kid.name}"
        assert kid.stop_date is not None
        assert_history_contiguous(kid)
        kinds = types(kid)
        assert kinds[0] == "ExecutionStarted"
        assert kinds[-1] == ("ExecutionSucceeded" if kid.status == "SUCCEEDED" else "ExecutionFailed")
    failed = next(k for k in kids if k.status == "FAILED")
    assert (failed.error, failed.cause, failed.input) == ("Item.Bad", "not ok", {"ok": False})
    # The parent's history has none of the children's events.
    assert not ex.events.filter(type__in=["ExecutionFailed", "ChoiceStateEntered"]).exists()

    items_counts, execution_counts = map_runs.counts(run)
    assert items_counts == execution_counts
    assert {k: items_counts[k] for k in ("pending", "running", "succeeded", "failed", "aborted",
                                         "total")} == \
        {"pending": 0, "running": 0, "succeeded": 3, "failed": 1, "aborted": 0, "total": 4}


def test_past_its_tolerance_the_map_run_fails_and_its_running_children_are_aborted(rt, make_machine):
    hold = {"StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$.ok", "BooleanEquals": False, "Next": "Bad"}], "Default": "Hold"},
        "Bad": {"Type": "Fail", "Error": "Item.Bad"},
        "Hold": {"Type": "Wait", "Seconds": 600, "End": True}}}
    machine = make_machine(distributed(hold))
    ex = services.start_execution(machine, {"items": [{"ok": True}, {"ok": False}]})
    ex = wait_for_execution(ex)
    assert (ex.status, ex.error) == ("FAILED", "Item.Bad")
    run = MapRun.objects.get(execution=ex)
    assert run.status == "FAILED"
    statuses = {k.input["ok"]: k.status for k in children(run)}
    assert statuses == {True: "ABORTED", False: "FAILED"}
    held = next(k for k in children(run) if k.input["ok"])
    assert types(held)[-1] == "ExecutionAborted"
    assert_history_contiguous(held)


def test_update_map_run_raises_max_concurrency_of_the_running_map_run(rt, make_machine):
    hold = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 600, "End": True}}}
    machine = make_machine(distributed(hold, MaxConcurrency=1))
    ex = services.start_execution(machine, {"items": [1, 2, 3, 4]})
    run = wait_until(lambda: MapRun.objects.filter(execution=ex).first(), 30, what="map run")

    def running(n):
        return lambda: Execution.objects.filter(map_run=run, status="RUNNING").count() == n
    wait_until(running(1), 30, what="one child running")
    assert map_runs.counts(run)[0]["pending"] == 3
    services.update_map_run(run, max_concurrency=3, tolerated_failure_count=2)
    wait_until(running(3), 30, what="three children running")
    run.refresh_from_db()
    assert (run.max_concurrency, run.tolerated_failure_count) == (3, 2)
    counts = map_runs.counts(run)[1]
    assert (counts["running"], counts["pending"], counts["total"]) == (3, 1, 4)

    services.stop_execution(ex)
    run.refresh_from_db()
    assert run.status == "ABORTED" and run.stop_date is not None
    assert types(ex)[-3:] == ["MapRunAborted", "MapStateAborted", "ExecutionAborted"]
    assert {k.status for k in children(run)} == {"ABORTED"}
    assert all(types(k)[-1] == "ExecutionAborted" for k in children(run))
    counts = map_runs.counts(run)[1]
    assert (counts["aborted"], counts["pending"]) == (4, 0)


def test_a_redrive_redrives_the_map_run_and_its_failed_children(rt, make_machine, switch):  # noqa: F811
    processor = {"StartAt": "Work", "States": {"Work": {**task(switch.key), "End": True}}}
    machine = make_machine(distributed(processor, MaxConcurrency=1))
    switch.fail(1)
    items = [{"id": i, "v": i} for i in range(3)]
    ex = wait_for_execution(services.start_execution(machine, {"items": items}))
    assert (ex.status, ex.error) == ("FAILED", "ItemFailed")
    run = MapRun.objects.get(execution=ex)
    assert run.status == "FAILED"
    assert len(children(run)) == 2  # one at a time: item 2 never started
    switch.heal()
    ex = wait_for_execution(services.redrive_execution(ex))
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    assert_history_contiguous(ex)
    redriven = ex.events.get(type="MapRunRedriven").details["mapRunRedrivenEventDetails"]
    assert redriven == {"mapRunArn": run.arn, "redriveCount": 1}
    assert [e.details["mapRunStartedEventDetails"]["mapRunArn"]
            for e in ex.events.filter(type="MapRunStarted")] == [run.arn]  # the same run
    run.refresh_from_db()
    assert (run.status, run.redrive_count) == ("SUCCEEDED", 1) and run.redrive_date
    kids = {k.input["id"]: k for k in children(run)}
    assert sorted(kids) == [0, 1, 2]
    assert {k.status for k in kids.values()} == {"SUCCEEDED"}
    assert (kids[0].redrive_count, kids[1].redrive_count, kids[2].redrive_count) == (0, 1, 0)
    kinds = types(kids[1])
    assert kinds.count("ExecutionFailed") == 1 and "ExecutionRedriven" in kinds
    assert kinds[-1] == "ExecutionSucceeded"
    assert_history_contiguous(kids[1])
    assert switch.calls() == {"0": 1, "1": 2, "2": 1}


def test_a_lowered_max_concurrency_starts_no_child_until_fewer_run(rt, make_machine, user):
    activity = Activity.objects.create(owner=user, name="review")
    review = {"StartAt": "Review", "States": {"Review": {
        "Type": "Task", "Resource": activity.arn, "End": True}}}
    machine = make_machine(distributed(review, MaxConcurrency=3))
    ex = services.start_execution(machine, {"items": [1, 2, 3, 4, 5]})
    run = wait_until(lambda: MapRun.objects.filter(execution=ex).first(), 30, what="map run")

    def counts(running, succeeded):
        def check():
            c = map_runs.counts(run)[1]
            return c if (c["running"], c["succeeded"]) == (running, succeeded) else None
        return wait_until(check, 30, what=f"{running} running, {succeeded} succeeded")
    counts(3, 0)
    services.update_map_run(run, max_concurrency=1)

    def answer_one():
        task = services.get_activity_task(activity, "test", wait_seconds=5)
        services.send_task_success(task["taskToken"], task["input"])
    # Three run, one is allowed: none starts until the three are down to none.
    answer_one()
    assert counts(2, 1)["pending"] == 2
    answer_one()
    assert counts(1, 2)["pending"] == 2
    answer_one()
    assert counts(1, 3)["pending"] == 1  # the next one started, alone
    answer_one()
    counts(1, 4)
    answer_one()
    ex = wait_for_execution(ex)
    assert ex.status == "SUCCEEDED" and ex.output == [1, 2, 3, 4, 5]
    run.refresh_from_db()
    assert (run.status, run.max_concurrency) == ("SUCCEEDED", 1)


def test_a_map_run_in_a_branch_cut_short_ends_aborted(rt, make_machine):
    hold = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 600, "End": True}}}
    machine = make_machine({"StartAt": "Both", "States": {"Both": {
        "Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "Each", "States": distributed(hold)["States"]},
            {"StartAt": "Pause", "States": {
                "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Boom"},
                "Boom": {"Type": "Fail", "Error": "Boom"}}}]}}})
    ex = wait_for_execution(services.start_execution(machine, {"items": [1, 2]}))
    assert (ex.status, ex.error) == ("FAILED", "Boom")
    run = MapRun.objects.get(execution=ex)
    assert run.status == "ABORTED"
    assert {k.status for k in children(run)} == {"ABORTED"} and len(children(run)) == 2
    assert "MapRunAborted" in types(ex)


def test_a_distributed_map_inside_a_child_execution_has_its_own_map_run(rt, make_machine):
    inner = {"StartAt": "Inner", "States": {"Inner": {
        "Type": "Map", "ItemsPath": "$", "End": True,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P",
                          "States": {"P": {"Type": "Pass", "End": True}}}}}}
    machine = make_machine(distributed(inner))
    ex = wait_for_execution(services.start_execution(machine, {"items": [[1, 2], [3]]}))
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    assert ex.output == [[1, 2], [3]]
    outer = MapRun.objects.get(execution=ex)
    kids = children(outer)
    assert len(kids) == 2
    for kid in kids:
        run = MapRun.objects.get(execution=kid)  # the child's own map run
        assert run.status == "SUCCEEDED" and run.label == "Inner"
        assert run.arn.split(":mapRun:")[1].startswith(f"{machine.name}/Inner:")
        grandchildren = children(run)
        assert sorted(g.output for g in grandchildren) == sorted(kid.input)
        assert "MapRunStarted" in types(kid)
        assert_history_contiguous(kid)
