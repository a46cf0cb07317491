"""Every sample state machine runs on a real worker to the right output."""
import pytest

from engine import samples, services
from engine.models import HistoryEvent, StateMachine

from .conftest import assert_history_contiguous, wait_for_execution

pytestmark = [pytest.mark.services, pytest.mark.subprocess,
              pytest.mark.django_db(transaction=True)]


@pytest.fixture
def machines(user):
    samples.load(user)
    return {m.name: m for m in StateMachine.objects.filter(owner=user)}


def run(machine, value, timeout=60):
    execution = services.start_execution(machine, value)
    return wait_for_execution(execution, timeout)


def test_the_job_poller_polls_until_the_job_succeeds(runtime, machines):
    ex = run(machines["job-poller"], {"waitSeconds": 1, "checksNeeded": 2})
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    assert ex.output["status"] == "SUCCEEDED" and ex.output["checks"] == 2
    types = list(ex.events.order_by("seq").values_list("type", flat=True))
    assert types.count("WaitStateEntered") == 2
    assert types[0] == "ExecutionStarted" and types[-1] == "ExecutionSucceeded"
    assert_history_contiguous(ex)


def test_job_pollers_whose_every_step_runs_in_the_worker(runtime, machines):
    """The worker's first step of an execution it has never seen reads the definition and
    input with the lock (nothing cached in that process); every later step uses its cache."""
    started = [services.start_execution(machines["job-poller"],
                                        {"waitSeconds": 0, "checksNeeded": 1 + i % 3},
                                        inline=False) for i in range(12)]
    for i, ex in enumerate(started):
        ex = wait_for_execution(ex, 60)
        assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
        assert ex.output["status"] == "SUCCEEDED" and ex.output["checks"] == 1 + i % 3
        assert_history_contiguous(ex)
    # A step that failed would be re-sent by the sweeper and succeed the second time: the
    # outputs alone cannot tell.
    assert "Traceback" not in runtime.logs()


def test_the_job_poller_applies_default_wait_and_retries_a_flaky_check(runtime, machines):
    ex = run(machines["job-poller"], {"waitSeconds": 0, "flaky": True, "checksNeeded": 1})
    assert ex.status == "SUCCEEDED", (ex.error, ex.cause)
    failed = HistoryEvent.objects.filter(execution=ex, type="LambdaFunctionFailed")
    assert [e.details["lambdaFunctionFailedEventDetails"]["error"] for e in failed] == \
        ["JobStatusFlakyError"]
    assert_history_contiguous(ex)


def test_the_job_poller_fails_when_the_job_fails(runtime, machines):
    ex = run(machines["job-poller"], {"waitSeconds": 0, "fail": True})
    assert (ex.status, ex.error) == ("FAILED", "JobFailed")
    assert_history_contiguous(ex)


def test_parallel_branches_join_in_branch_order(runtime, machines):
    ex = run(machines["parallel-greetings"], {"name": "Ada"})
    assert ex.output == [{"greeting": "Hello, Ada!"}, {"shout": "HEY Ada!"}]
    assert_history_contiguous(ex)


def test_map_squares_every_item(runtime, machines):
    ex = run(machines["map-squares"], {"numbers": list(range(1, 13))})
    assert ex.output["squares"] == [n * n for n in range(1, 13)]
    assert_history_contiguous(ex)


@pytest.mark.parametrize("value, expected", [
    ({"amount": 42, "card": "4240"}, {"status": "PAID", "receipt": "r-4240-42"}),
    ({"amount": 420, "card": "4242"},
     {"status": "DECLINED", "reason": "amount 420 exceeds the card limit"}),
])
def test_retry_recovers_and_catch_handles_a_decline(runtime, machines, value, expected):
    ex = run(machines["retry-catch"], value)
    assert ex.output == expected
    assert_history_contiguous(ex)


def test_loading_samples_twice_changes_nothing(user):
    first = samples.load(user)
    assert {what for _, what in samples.load(user)} == {"unchanged"}
    assert len(first) == StateMachine.objects.filter(owner=user).count()


def test_loading_samples_again_keeps_the_owners_edits_unless_refreshed(user):
    samples.load(user)
    machine = StateMachine.objects.get(owner=user, name="job-poller")
    edited = {**machine.definition, "Comment": "my own job poller"}
    machine.definition = edited
    machine.save()

    assert dict(samples.load(user))["job-poller"] == "kept"
    machine.refresh_from_db()
    assert machine.definition == edited

    assert dict(samples.load(user, refresh=True))["job-poller"] == "updated"
    machine.refresh_from_db()
    assert machine.definition == samples.definitions()["job-poller"]
