"""OpenTelemetry traces of executions, optional: on when OTEL_EXPORTER_OTLP_ENDPOINT is set.

A durable execution outlives any process that works on it, so no span is held open while it
runs: when the rollup counts an execution's stop (exactly once, engine/metrics/rollup.py) it
has the history in hand, and writes the execution's spans from it with their recorded start
and end times, after the rollup's transaction commits:

* one span per execution (trace id = the execution's id; start → stop; status, error);
* one per state entry (entered → exited, or → the execution's stop; `stepfunctions.state.name`,
  `.type`, `.error` when it failed), child of the execution, or of the Parallel/Map state
  entry whose branch or iteration it ran in;
* one per Task attempt (scheduled → succeeded / failed / timed out; `.attempt`, `.error`),
  child of its state entry.

Span ids are derived from (execution id, event id), so a redriven execution's later spans
join the same trace, and a child execution that knows its parent's execution and event
(`parent=` of export_execution) is placed under that parent's span without asking anyone.
Exporting is OTLP over HTTP (OTEL_EXPORTER_OTLP_ENDPOINT, and the SDK's other OTEL_*
variables) through a batch processor; tests hand `configure` an in-memory exporter.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import uuid

from django.conf import settings

log = logging.getLogger(__name__)

_lock = threading.Lock()
_state: dict = {}  # "tracer", "provider", "ids" once configured; "off" when not wanted


def _endpoint() -> str:
    return getattr(settings, "OTEL_EXPORTER_OTLP_ENDPOINT", None) or os.environ.get(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "")


def configure(exporter=None):
    """Set tracing up (again): with `exporter`, spans go to it synchronously; else OTLP over
    HTTP to OTEL_EXPORTER_OTLP_ENDPOINT in batches. Returns the tracer provider."""
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    ids = _ChosenIds()
    provider = TracerProvider(resource=Resource.create({"service.name": "stepstudio"}),
                              id_generator=ids)
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    with _lock:
        _state.clear()
        _state.update(provider=provider, ids=ids,
                      tracer=provider.get_tracer("stepstudio.engine.metrics"))
    return provider


def flush(timeout_ms: int = 10_000) -> bool:
    """Send what the batch processor holds (at process exit, or before a test looks)."""
    provider = _state.get("provider")
    return provider.force_flush(timeout_ms) if provider is not None else True


def reset() -> None:
    with _lock:
        _state.clear()


def _tracer():
    if "tracer" in _state:
        return _state["tracer"]
    if _state.get("off") or not _endpoint():
        _state["off"] = True
        return None
    try:
        configure()
    except ImportError:
        log.warning("OTEL_EXPORTER_OTLP_ENDPOINT is set but the OpenTelemetry SDK is not "
                    "installed (requirements.txt); no traces")
        _state["off"] = True
        return None
    return _state["tracer"]


def enabled() -> bool:
    return _tracer() is not None


def trace_id(execution_id) -> int:
    return uuid.UUID(str(execution_id)).int


def span_id(execution_id, seq: int) -> int:
    digest = hashlib.blake2b(f"{execution_id}:{seq}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") or 1


class _ChosenIds:
    """The SDK asks its id generator for every new span's ids: hand it the ones chosen."""

    def __init__(self):
        self.local = threading.local()

    def generate_span_id(self) -> int:
        return self.local.span_id

    def generate_trace_id(self) -> int:
        return self.local.trace_id

    def is_trace_id_random(self) -> bool:
        return False  # derived from the execution's id (a UUID4's bits, not all random)


def _ns(ms: float) -> int:
    return int(ms * 1_000_000)


class _Spans:
    def __init__(self, tracer, ids, execution_id, trace):
        from opentelemetry import trace as api

        self.api, self.tracer, self.ids = api, tracer, ids
        self.execution_id, self.trace = execution_id, trace

    def emit(self, name, seq, parent_span, start_ms, end_ms, attributes, error=None):
        api = self.api
        context = None
        if parent_span is not None:
            parent = api.SpanContext(self.trace, parent_span, is_remote=True,
                                     trace_flags=api.TraceFlags(api.TraceFlags.SAMPLED))
            context = api.set_span_in_context(api.NonRecordingSpan(parent))
        self.ids.local.trace_id = self.trace
        self.ids.local.span_id = span_id(self.execution_id, seq)
        span = self.tracer.start_span(name, context=context, start_time=_ns(start_ms),
                                      attributes=attributes)
        if error:
            span.set_status(api.Status(api.StatusCode.ERROR, error))
        span.end(end_time=_ns(max(end_ms, start_ms)))


def export_execution(execution: dict, events, parent: tuple | None = None,
                     trace_root=None) -> None:
    """Write one stopped execution's spans. `execution`: id, name, machine, status, error,
    start_ms, stop_ms, count_from; `events`: (seq, prev, type, epoch ms, label) with label
    the state name of a StateEntered and the error of a failure event (rollup._events).
    `parent`: (execution id, event seq) of the state that started this execution;
    `trace_root`: the outermost execution of a nest, whose trace all of it joins (default:
    the parent's, else this execution's own)."""
    tracer = _tracer()
    if tracer is None:
        return
    ex_id = execution["id"]
    trace = trace_id(trace_root or (parent[0] if parent else ex_id))
    spans = _Spans(tracer, _state["ids"], ex_id, trace)
    # A redriven execution's later run is a second execution span (the redrive event's id).
    root_seq = execution.get("count_from", 1) if execution.get("count_from", 1) > 1 else 0
    root = span_id(ex_id, root_seq)
    attributes = {"stepfunctions.execution.id": str(ex_id),
                  "stepfunctions.execution.name": execution["name"],
                  "stepfunctions.state_machine.name": execution["machine"],
                  "stepfunctions.execution.status": execution["status"]}
    if execution.get("error"):
        attributes["stepfunctions.execution.error"] = execution["error"]
    spans.emit(f"execution {execution['machine']}", root_seq,
               span_id(*parent) if parent else None, execution["start_ms"],
               execution["stop_ms"], attributes,
               (execution["error"] or execution["status"])
               if execution["status"] != "SUCCEEDED" else None)
    _state_spans(spans, root, events, execution)


def _state_spans(spans, root, events, execution) -> None:
    entries: dict[int, dict | None] = {}   # event seq -> the state entry it belongs to
    count_from = execution.get("count_from", 1)
    for seq, prev, event_type, ts, label in events:
        if event_type.endswith("StateEntered"):
            enclosing = entries.get(prev)
            entries[seq] = {"seq": seq, "name": label, "type": event_type[:-12], "start": ts,
                            "parent": enclosing["seq"] if enclosing else None,
                            "error": None, "attempt": None, "attempts": 0}
            continue
        entry = entries.get(prev)
        entries[seq] = None if event_type.endswith("StateExited") else entry
        if entry is None:
            continue
        if event_type.endswith("StateExited"):
            if seq >= count_from:
                _entry_span(spans, root, entry, ts)
            entry["closed"] = True
        elif event_type.endswith("Scheduled") and not event_type.startswith("Execution"):
            entry["attempts"] += 1
            entry["attempt"] = (seq, ts, event_type[:-len("Scheduled")])
        elif event_type.endswith(("Succeeded", "Failed", "TimedOut")) \
                and not event_type.startswith(("Execution", "MapIteration", "MapRun")):
            failed = not event_type.endswith("Succeeded")
            if failed:
                entry["error"] = label or event_type
            attempt = entry.get("attempt")
            if attempt is not None and seq >= count_from:
                a_seq, a_start, family = attempt
                spans.emit(f"{family} attempt {entry['attempts']}", a_seq,
                           span_id(spans.execution_id, entry["seq"]), a_start, ts,
                           {"stepfunctions.state.name": entry["name"],
                            "stepfunctions.task.attempt": entry["attempts"],
                            **({"stepfunctions.state.error": entry["error"]} if failed else {})},
                           entry["error"] if failed else None)
                entry["attempt"] = None
        elif event_type == "ExecutionFailed" or event_type == "ExecutionTimedOut":
            entry["error"] = entry["error"] or label or event_type
    # Entries the execution stopped in (failed, timed out, aborted) end with it.
    open_entries = {id(e): e for e in entries.values() if e and not e.get("closed")}
    for entry in open_entries.values():
        if entry["seq"] >= count_from:
            entry["error"] = entry["error"] or execution.get("error") or None
            _entry_span(spans, root, entry, execution["stop_ms"])


def _entry_span(spans, root, entry, end_ms) -> None:
    attributes = {"stepfunctions.state.name": entry["name"],
                  "stepfunctions.state.type": entry["type"]}
    if entry["error"]:
        attributes["stepfunctions.state.error"] = entry["error"]
    parent = span_id(spans.execution_id, entry["parent"]) if entry["parent"] else root
    spans.emit(f"{entry['type']} {entry['name']}", entry["seq"], parent, entry["start"],
               end_ms, attributes, entry["error"])
