"""The Prometheus exposition of /metrics, computed from rows at scrape time.

Step Functions' CloudWatch metrics keep their names (`stepfunctions_<Name>`; counters get
Prometheus' `_total`, times are histograms in milliseconds, CloudWatch's unit for them),
one series per state machine (labels `state_machine` and `state_machine_arn`). The
runtime's own metrics are `stepstudio_*`. Counters come from the rollup's totals (caught up
by the scrape itself), gauges from live counts, so every scrape of every server sees the
same numbers whichever processes did the work.
"""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import (CounterMetricFamily, GaugeMetricFamily,
                                    HistogramMetricFamily)
from prometheus_client.registry import Collector

from engine.asl import handlers
from engine.models import (Execution, MetricTotal, RollupState, RuntimeCounter,
                           ScheduleFiring, StateMachine, Timer, WebhookAttempt, WebhookDelivery,
                           account_id, REGION)
from engine.runtime import dispatch, routing

from . import recorder, rollup
from .histogram import MS_BOUNDS, STEP_BOUNDS
from .history_stats import FAMILIES, KINDS

EXECUTION_COUNTERS = {
    "ExecutionsStarted": "Executions started (CloudWatch unit: Count).",
    "ExecutionsSucceeded": "Executions that succeeded (Count).",
    "ExecutionsFailed": "Executions that failed (Count).",
    "ExecutionsAborted": "Executions aborted or terminated (Count).",
    "ExecutionsTimedOut": "Executions that timed out (Count).",
    "ExecutionThrottled": "StartExecution calls refused by throttling (Count); StepStudio "
                          "does not throttle, so always 0.",
}
LABELS = ["state_machine", "state_machine_arn"]


def _arn(owner_id: int, name: str) -> str:
    return f"arn:aws:states:{REGION}:{account_id(owner_id)}:stateMachine:{name}"


def _histogram(name, doc, labels, by_machine, key, bounds, scale=1.0):
    family = HistogramMetricFamily(name, doc, labels=labels)
    for labelset, totals in by_machine:
        count = totals.get(f"{key}:count", 0)
        if not count:
            continue
        cumulative, buckets = 0.0, []
        for i, bound in enumerate(bounds):
            cumulative += totals.get(f"{key}:le{i}", 0)
            buckets.append((repr(float(bound)), cumulative))
        buckets.append(("+Inf", count))
        family.add_metric(labelset, buckets, totals.get(f"{key}:sum", 0) * scale)
    return family


class RowsCollector(Collector):
    def collect(self):
        rollup.roll_up(budgeted=True)
        yield from self._executions()
        yield from self._runtime()

    def _executions(self):
        machines = {m["id"]: [m["name"], _arn(m["owner_id"], m["name"])]
                    for m in StateMachine.objects.values("id", "name", "owner_id")}
        totals: dict[int, dict] = defaultdict(dict)
        for machine, key, value in MetricTotal.objects.values_list("state_machine_id", "key",
                                                                   "value"):
            totals[machine][key] = value
        series = [(machines[m], t) for m, t in sorted(totals.items()) if m in machines]
        for name, doc in EXECUTION_COUNTERS.items():
            family = CounterMetricFamily(f"stepfunctions_{name}", doc, labels=LABELS)
            for labelset, t in series:
                family.add_metric(labelset, t.get(name, 0))
            yield family
        yield _histogram("stepfunctions_ExecutionTime_milliseconds",
                         "Time from an execution's start (or redrive) to its close (ms).",
                         LABELS, series, "ExecutionTime", MS_BOUNDS)
        for plural, singular in FAMILIES.values():
            for kind in KINDS:
                family = CounterMetricFamily(f"stepfunctions_{plural}{kind}",
                                             f"{plural} {kind.lower()} (Count).", labels=LABELS)
                for labelset, t in series:
                    family.add_metric(labelset, t.get(plural + kind, 0))
                yield family
            for time_name, doc in (("RunTime", "started to closed"),
                                   ("ScheduleTime", "scheduled to started")):
                yield _histogram(f"stepfunctions_{singular}{time_name}_milliseconds",
                                 f"{singular} time, {doc} (ms).", LABELS, series,
                                 singular + time_name, MS_BOUNDS)
        running = GaugeMetricFamily("stepstudio_executions_running",
                                    "Executions running now.", labels=LABELS)
        now_running = dict(Execution.objects.filter(status="RUNNING", map_run__isnull=True)
                           .values_list("state_machine_id").annotate(n=Count("*")).order_by())
        for machine in sorted(set(totals) | set(now_running)):
            if machine in machines:
                running.add_metric(machines[machine], now_running.get(machine, 0))
        yield running

    def _runtime(self):
        counters = defaultdict(dict)
        for name, key, value in RuntimeCounter.objects.values_list("name", "key", "value"):
            counters[name][key] = value
        step = counters.get(recorder.STEP_LATENCY, {})
        step["count"] = sum(v for k, v in step.items() if k.startswith("le"))
        family = HistogramMetricFamily("stepstudio_step_latency_seconds",
                                       "Time a worker takes for one step: lock, evaluate, "
                                       "write, commit.")
        cumulative, buckets = 0.0, []
        for i, bound in enumerate(STEP_BOUNDS):
            cumulative += step.get(f"le{i}", 0)
            buckets.append((repr(float(bound)), cumulative))
        buckets.append(("+Inf", step["count"]))
        family.add_metric([], buckets, step.get("sum", 0))
        yield family
        yield CounterMetricFamily("stepstudio_sweeper_redispatches",
                                  "Steps the sweeper sent again (their message was lost).",
                                  value=counters.get(recorder.SWEEPER_RESENT, {}).get("", 0))
        yield GaugeMetricFamily("stepstudio_timers_due", "Timers due and not fired yet.",
                                value=Timer.objects.filter(claimed_at__isnull=True,
                                                           due_at__lte=timezone.now()).count())
        depth = GaugeMetricFamily("stepstudio_queue_depth",
                                  "Messages waiting in a Celery queue.", labels=["queue"])
        queues = {routing.default_queue()} | {h.queue for h in handlers.handlers().values()
                                              if h.queue}
        for queue in sorted(queues):
            n = dispatch.queued(queue)
            if n is not None:
                depth.add_metric([queue], n)
        yield depth
        fired = CounterMetricFamily("stepstudio_schedules_fired",
                                    "Schedule slots fired, by outcome.",
                                    labels=[*LABELS, "outcome"])
        for machine, owner, name, outcome, n in (
                ScheduleFiring.objects.values_list(
                    "schedule__state_machine_id", "schedule__state_machine__owner_id",
                    "schedule__state_machine__name", "outcome")
                .annotate(n=Count("*")).order_by()):
            fired.add_metric([name, _arn(owner, name), outcome], n)
        yield fired
        attempts = CounterMetricFamily("stepstudio_webhook_attempts",
                                       "Webhook delivery attempts (HTTP requests), by outcome.",
                                       labels=["outcome"])
        for outcome, n in (WebhookAttempt.objects.values_list("outcome")
                           .annotate(n=Count("*")).order_by()):
            attempts.add_metric([outcome], n)
        yield attempts
        deliveries = GaugeMetricFamily("stepstudio_webhook_deliveries",
                                       "Webhook deliveries by status (PENDING: not yet "
                                       "delivered).", labels=["status"])
        for status, n in (WebhookDelivery.objects.values_list("status")
                          .annotate(n=Count("*")).order_by()):
            deliveries.add_metric([status], n)
        yield deliveries
        watermark = RollupState.objects.values_list("watermark", flat=True).first()
        yield GaugeMetricFamily("stepstudio_metrics_watermark_seconds",
                                "Executions started/stopped before this Unix time are counted.",
                                value=watermark.timestamp() if watermark else 0)
