"""Parallel and Map as children run by any worker, joined in the database."""
import time

import pytest
import redis

from engine import services
from engine.models import Frame, Timer

from .conftest import assert_history_contiguous, lambda_arn, wait_for_execution

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]


def ten_thousand_item_map(mode):
    return {"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items",
        "ItemProcessor": {"ProcessorConfig": {"Mode": mode, "ExecutionType": "STANDARD"},
                          "StartAt": "Double", "States": {"Double": {
                              "Type": "Pass", "Parameters": {"n.$": "States.MathAdd($, $)"},
                              "End": True}}},
        "ResultSelector": {"count.$": "States.ArrayLength($)", "last.$": "$[9999].n"},
        "End": True}}}


def test_a_distributed_map_over_ten_thousand_items_finishes(runtime, make_machine):
    # AWS runs this size as a DISTRIBUTED Map: its iterations are child executions, so the
    # parent's history stays small (an INLINE one would pass the 25,000-event limit).
    machine = make_machine(ten_thousand_item_map("DISTRIBUTED"))
    started = time.monotonic()
    ex = services.start_execution(machine, {"items": list(range(10_000))})
    ex = wait_for_execution(ex, 240)
    elapsed = time.monotonic() - started
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    assert ex.output == {"count": 10_000, "last": 19_998}
    # Children are bookkeeping: none is left once the Map joined.
    assert Frame.objects.filter(execution=ex).count() == 1
    assert ex.events.filter(type="MapRunStarted").count() == 1
    assert_history_contiguous(ex)
    print(f"10,000-item distributed Map: {elapsed:.1f} s, {ex.seq} events")


def test_an_inline_map_past_the_history_limit_fails_like_aws(runtime, make_machine):
    machine = make_machine(ten_thousand_item_map("INLINE"))
    ex = wait_for_execution(services.start_execution(machine, {"items": list(range(10_000))}),
                            240)
    assert (ex.status, ex.error) == ("FAILED", "States.Runtime")
    assert "maximum number of history events" in ex.cause
    assert Frame.objects.filter(execution=ex, status="RUNNING").count() == 0
    assert_history_contiguous(ex)


def test_map_max_concurrency_is_respected(runtime, make_machine, redis_url):
    runtime.start_worker(concurrency=2)  # four processes could run more than allowed
    key = f"conc-{time.monotonic_ns()}"
    machine = make_machine({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.values", "MaxConcurrency": 2,
        "ItemSelector": {"key": key, "value.$": "$$.Map.Item.Value"},
        "ItemProcessor": {"StartAt": "Work", "States": {"Work": {
            "Type": "Task", "Resource": lambda_arn("test-concurrency"), "End": True}}},
        "End": True}}})
    ex = wait_for_execution(services.start_execution(machine, {"values": list(range(8))}), 60)
    assert ex.output == [v * 10 for v in range(8)]
    levels = [int(v) for v in redis.Redis.from_url(redis_url).lrange(f"levels:{key}", 0, -1)]
    assert len(levels) == 8 and max(levels) <= 2
    assert_history_contiguous(ex)


def test_a_failed_branch_fails_the_parallel_at_once_and_abandons_the_others(
        runtime, make_machine):
    machine = make_machine({"StartAt": "Both", "States": {"Both": {
        "Type": "Parallel", "End": True,
        "Branches": [
            {"StartAt": "Forever", "States": {"Forever": {
                "Type": "Wait", "Seconds": 3600, "End": True}}},
            {"StartAt": "Boom", "States": {"Boom": {
                "Type": "Task", "Resource": lambda_arn("charge-card"),
                "Parameters": {"amount": 1000}, "End": True}}}]}}})
    ex = wait_for_execution(services.start_execution(machine, {}), 30)
    assert (ex.status, ex.error) == ("FAILED", "PaymentDeclined")
    assert not Timer.objects.filter(execution=ex, claimed_at__isnull=True).exists()
    # The branches stay, stopped, for a RedriveExecution (it reruns only these two): the
    # waiting one CANCELLED (its timer gone), the failed one FAILED.
    assert sorted(Frame.objects.filter(execution=ex).exclude(parent=None)
                  .values_list("index", "status")) == [(0, "CANCELLED"), (1, "FAILED")]
    assert_history_contiguous(ex)


def test_nested_parallel_inside_map_joins_at_both_levels(runtime, make_machine):
    machine = make_machine({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.names",
        "ItemProcessor": {"StartAt": "Both", "States": {"Both": {
            "Type": "Parallel", "End": True, "Branches": [
                {"StartAt": "Greet", "States": {"Greet": {
                    "Type": "Task", "Resource": lambda_arn("greet"),
                    "Parameters": {"name.$": "$"}, "End": True}}},
                {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}}]}}},
        "End": True}}})
    ex = wait_for_execution(services.start_execution(machine, {"names": ["a", "b", "c"]}), 60)
    assert ex.output == [[{"greeting": f"Hello, {n}!"}, n] for n in "abc"]
    assert_history_contiguous(ex)
