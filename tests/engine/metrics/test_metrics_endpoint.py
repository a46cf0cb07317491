"""GET /metrics: who may read it, and that it says what the rows say.

Two worker nodes (three processes) run executions on the real broker; the scrape's
counters must equal what the database holds for those executions, and the runtime's own
series (step latency from every process, timers, queues) must be there.
"""
from __future__ import annotations

import pytest
from django.test import Client, override_settings
from prometheus_client.parser import text_string_to_metric_families

from engine import samples, services
from engine.models import HistoryEvent, StateMachine
from tests.engine.runtime.conftest import wait_for_execution

TOKEN = "s3cret-token-for-scrapers"


def scrape(client=None, **headers) -> dict:
    client = client or Client()
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples_ = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            samples_[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples_


def series(scraped: dict, name: str, machine: StateMachine | None = None, **labels) -> float:
    wanted = dict(labels)
    if machine is not None:
        wanted.update(state_machine=machine.name, state_machine_arn=machine.arn)
    return scraped[(name, tuple(sorted(wanted.items())))]


@pytest.mark.django_db
@override_settings(STEPSTUDIO_METRICS_TOKEN=TOKEN)
def test_only_a_scraper_token_or_staff_reads_metrics(user, staff_user):
    anonymous = Client().get("/metrics")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert Client().get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401
    member = Client()
    member.force_login(user)
    assert member.get("/metrics").status_code == 403
    # A member's session with a wrong token is still refused (the token is checked first).
    assert member.get("/metrics", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    staff = Client()
    staff.force_login(staff_user)
    assert staff.get("/metrics").status_code == 200
    assert Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert Client().post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405


@pytest.mark.django_db
@override_settings(STEPSTUDIO_METRICS_TOKEN="")
def test_without_a_configured_token_no_token_is_accepted(staff_user):
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 401
    staff = Client()
    staff.force_login(staff_user)
    assert staff.get("/metrics").status_code == 200


@pytest.mark.services
@pytest.mark.subprocess
@pytest.mark.django_db(transaction=True)
@override_settings(STEPSTUDIO_METRICS_TOKEN=TOKEN, STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_metrics_from_two_workers_agree_with_what_ran(runtime, user):
    runtime.start_worker(concurrency=1)  # a second worker node beside the fixture's
    samples.load(user)
    poller = StateMachine.objects.get(owner=user, name="job-poller")
    inputs = [{"waitSeconds": 0, "checksNeeded": 1, "flaky": i % 4 == 0, "fail": i % 4 == 1}
              for i in range(8)]
    executions = [services.start_execution(poller, data, inline=False) for data in inputs]
    before = scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    executions = [wait_for_execution(ex, 90) for ex in executions]
    assert [ex.status for ex in executions].count("FAILED") == 2

    scraped = scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    ids = [ex.id for ex in executions]
    assert series(scraped, "stepfunctions_ExecutionsStarted_total", poller) == 8
    assert series(scraped, "stepfunctions_ExecutionsSucceeded_total", poller) == 6
    assert series(scraped, "stepfunctions_ExecutionsFailed_total", poller) == 2
    assert series(scraped, "stepfunctions_ExecutionsAborted_total", poller) == 0
    assert series(scraped, "stepfunctions_ExecutionThrottled_total", poller) == 0
    assert series(scraped, "stepfunctions_ExecutionTime_milliseconds_count", poller) == 8
    durations = sum((ex.stop_date - ex.start_date).total_seconds() * 1000 for ex in executions)
    assert series(scraped, "stepfunctions_ExecutionTime_milliseconds_sum", poller) == \
        pytest.approx(durations, abs=8)
    assert series(scraped, "stepfunctions_ExecutionTime_milliseconds_bucket", poller,
                  le="+Inf") == 8

    def events(kind):
        return HistoryEvent.objects.filter(execution_id__in=ids, type=kind).count()

    # Every execution: CreateTask + at least one CheckTaskStatus; the flaky ones fail once.
    for kind in ("Scheduled", "Started", "Succeeded", "Failed", "TimedOut"):
        assert series(scraped, f"stepfunctions_LambdaFunctions{kind}_total", poller) == \
            events(f"LambdaFunction{kind}"), kind
    assert series(scraped, "stepfunctions_LambdaFunctionsFailed_total", poller) == 2
    assert series(scraped, "stepfunctions_LambdaFunctionsScheduled_total", poller) >= 16
    assert series(scraped, "stepfunctions_LambdaFunctionRunTime_milliseconds_count", poller) \
        == events("LambdaFunctionSucceeded") + events("LambdaFunctionFailed")
    assert series(scraped, "stepfunctions_ServiceIntegrationsScheduled_total", poller) == 0

    # The runtime's own: every worker process flushed its step latencies (flush period 0
    # in the workers' environment), and each Task's step was one of them.
    steps = series(scraped, "stepstudio_step_latency_seconds_count")
    assert steps >= events("LambdaFunctionSucceeded") + events("LambdaFunctionFailed")
    assert steps > before.get(("stepstudio_step_latency_seconds_count", ()), 0)
    assert series(scraped, "stepstudio_timers_due") == 0
    assert series(scraped, "stepstudio_queue_depth", queue=runtime.queue) == 0
    assert series(scraped, "stepstudio_executions_running", poller) == 0

    # Counters never go back: a second scrape with nothing new says the same.
    again = scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert series(again, "stepfunctions_ExecutionsStarted_total", poller) == 8
    assert series(again, "stepfunctions_LambdaFunctionsScheduled_total", poller) == \
        series(scraped, "stepfunctions_LambdaFunctionsScheduled_total", poller)
