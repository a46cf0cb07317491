"""Metrics of the runtime: a Prometheus endpoint and the monitoring pages (docs/operations.md).

Everything is computed from rows, so every process and machine sees the same numbers:
finished executions are rolled up into time buckets (rollup.py) by whoever asks first
(a scrape, a page, the scheduler's pass), and the few counters that no table holds (step
latency, sweeper re-sends) are accumulated per process and added to a row now and then
(recorder.py).
"""
