"""OpenTelemetry spans of executions, written by the rollup through the SDK's in-memory
exporter (the same code path as OTLP: only the exporter differs)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from engine import services
from engine.metrics import rollup, tracing
from engine.models import StateMachine

from .test_monitoring import DEFINITION, seed_execution

@pytest.fixture
def spans():
    exporter = InMemorySpanExporter()
    tracing.configure(exporter)
    yield exporter
    tracing.reset()


def by_name(finished):
    return {s.name: s for s in finished}


@pytest.mark.django_db(transaction=True)
@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_a_failing_retried_task_gives_an_execution_a_state_and_attempt_spans(spans, user):
    machine = StateMachine.objects.create(owner=user, name="orders", definition=DEFINITION)
    started = timezone.now() - dt.timedelta(minutes=5)
    ex = seed_execution(machine, "e1", started, 2000, "FAILED", fetch_ms=1500, fetch_fails=2,
                        retried=1)
    rollup.roll_up()
    finished = spans.get_finished_spans()
    names = sorted(s.name for s in finished)
    assert names == ["LambdaFunction attempt 1", "LambdaFunction attempt 2", "Task Fetch",
                     "execution orders"]
    spans_ = by_name(finished)
    root, state = spans_["execution orders"], spans_["Task Fetch"]
    assert root.parent is None
    assert root.context.trace_id == tracing.trace_id(ex.id)
    assert root.attributes["stepfunctions.execution.status"] == "FAILED"
    assert abs(root.start_time - started.timestamp() * 1e9) < 2e6  # ns, within 2 ms
    assert abs((root.end_time - root.start_time) / 1e6 - 2000) < 2
    assert state.parent.span_id == root.context.span_id
    assert state.attributes["stepfunctions.state.type"] == "Task"
    assert state.attributes["stepfunctions.state.name"] == "Fetch"
    assert state.status.is_ok is False
    for n in (1, 2):
        attempt = spans_[f"LambdaFunction attempt {n}"]
        assert attempt.parent.span_id == state.context.span_id
        assert attempt.attributes["stepfunctions.task.attempt"] == n
        assert attempt.context.trace_id == root.context.trace_id
    # Counted once, exported once.
    rollup.roll_up()
    assert len(spans.get_finished_spans()) == 4


@pytest.mark.django_db(transaction=True)
@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_branches_nest_under_their_parallel_state_and_errors_are_named(spans, user):
    # Run by the runtime in this process (no Task: those need a worker).
    definition = {"StartAt": "Both", "States": {
        "Both": {"Type": "Parallel", "Next": "Stop", "Branches": [
            {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": "hi",
                                                      "End": True}}},
            {"StartAt": "Shape", "States": {"Shape": {"Type": "Pass", "End": True}}}]},
        "Stop": {"Type": "Fail", "Error": "Custom.Stop", "Cause": "stopped on purpose"}}}
    machine = StateMachine.objects.create(owner=user, name="fan", definition=definition)
    ex = services.start_execution(machine, {"name": "Ada"})
    ex.refresh_from_db()
    assert ex.status == "FAILED"
    rollup.roll_up()
    spans_ = by_name(spans.get_finished_spans())
    parallel = spans_["Parallel Both"]
    assert spans_["Pass Hello"].parent.span_id == parallel.context.span_id
    assert spans_["Pass Shape"].parent.span_id == parallel.context.span_id
    assert parallel.parent.span_id == spans_["execution fan"].context.span_id
    assert spans_["Fail Stop"].attributes["stepfunctions.state.error"] == "Custom.Stop"
    assert spans_["execution fan"].attributes["stepfunctions.execution.error"] == "Custom.Stop"
    assert "stepfunctions.state.error" not in spans_["Pass Hello"].attributes
    assert len({s.context.trace_id for s in spans_.values()}) == 1


@pytest.mark.django_db(transaction=True)
@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_a_nested_execution_sits_under_the_state_that_started_it_in_the_outer_trace(spans,
                                                                                    user):
    machine = StateMachine.objects.create(owner=user, name="orders", definition=DEFINITION)
    started = timezone.now() - dt.timedelta(minutes=5)
    outer = seed_execution(machine, "outer", started, 3000, "SUCCEEDED", fetch_ms=2500)
    child = seed_execution(machine, "child", started + dt.timedelta(milliseconds=5), 1000,
                           "SUCCEEDED", fetch_ms=500)
    grandchild = seed_execution(machine, "grandchild", started + dt.timedelta(milliseconds=10),
                                400, "SUCCEEDED", fetch_ms=200)
    for ex, parent in ((child, outer), (grandchild, child)):
        ex.parent_execution, ex.parent_state = parent, "Fetch"
        ex.save(update_fields=["parent_execution", "parent_state"])
    rollup.roll_up()
    finished = spans.get_finished_spans()
    roots = {s.attributes["stepfunctions.execution.id"]: s for s in finished
             if s.name == "execution orders"}
    fetch = {s.context.span_id: s for s in finished if s.name == "Task Fetch"}
    assert roots[str(outer.id)].parent is None
    for ex, parent in ((child, outer), (grandchild, child)):
        under = fetch[roots[str(ex.id)].parent.span_id]
        assert under.parent.span_id == roots[str(parent.id)].context.span_id
    assert {s.context.trace_id for s in finished} == {tracing.trace_id(outer.id)}


def test_without_an_endpoint_nothing_is_set_up(monkeypatch):
    tracing.reset()
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    assert tracing.enabled() is False
    tracing.reset()


class _Receiver:
    """An OTLP/HTTP trace receiver of this test's own: what the exporter really sends."""

    def __init__(self):
        import http.server
        import threading

        from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

        self.spans = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = trace_service_pb2.ExportTraceServiceRequest()
                request.ParseFromString(body)
                receiver.path = self.path
                for resource in request.resource_spans:
                    for scope in resource.scope_spans:
                        receiver.spans.extend(scope.spans)
                reply = trace_service_pb2.ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.django_db(transaction=True)
@override_settings(STEPSTUDIO_METRICS_LAG_SECONDS=0)
def test_with_an_otlp_endpoint_spans_reach_the_receiver(user, monkeypatch):
    receiver = _Receiver()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url)
    tracing.reset()
    try:
        machine = StateMachine.objects.create(owner=user, name="shipped",
                                              definition=DEFINITION)
        ex = seed_execution(machine, "e1", timezone.now() - dt.timedelta(minutes=1), 800,
                            "SUCCEEDED", fetch_ms=300)
        rollup.roll_up()
        assert tracing.enabled() and tracing.flush()
    finally:
        tracing.reset()
        receiver.stop()
    assert receiver.path == "/v1/traces"
    names = sorted(s.name for s in receiver.spans)
    assert names == ["LambdaFunction attempt 1", "Pass Store", "Task Fetch", "execution shipped"]
    assert {int.from_bytes(s.trace_id, "big") for s in receiver.spans} == \
        {tracing.trace_id(ex.id)}
