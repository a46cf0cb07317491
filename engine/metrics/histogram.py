"""Duration histograms: fine log buckets for the pages' percentiles, Prometheus bounds.

The fine buckets grow by 2^(1/4) (≈19 %) from 1 ms, so a percentile read from them is
within about 10 % of the exact one (the geometric middle of its bucket), and a five-minute
bucket of executions stores a few dozen integers at most however many ran.
"""
from __future__ import annotations

import math
from bisect import bisect_left

RATIO = 2 ** 0.25
FINE_BUCKETS = 160  # up to ~ 2^40 ms, over 30 years; the last one holds anything longer

# Prometheus `le` bounds of ExecutionTime and the task families' times, in milliseconds
# (CloudWatch's unit for them).
MS_BOUNDS = (10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000,
             900000, 3600000, 21600000, 86400000)
# Step latency, in seconds (Prometheus' base unit).
STEP_BOUNDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def fine_index(ms: float) -> int:
    """Bucket i holds (RATIO^(i-1), RATIO^i] ms; bucket 0 anything up to 1 ms."""
    if ms <= 1:
        return 0
    return min(FINE_BUCKETS - 1, math.ceil(math.log(ms, RATIO) - 1e-9))


def fine_middle(index: int) -> float:
    if index == 0:
        return 0.5
    return RATIO ** (index - 0.5)


def merge(into: dict, counts: dict) -> dict:
    for key, n in counts.items():
        into[str(key)] = into.get(str(key), 0) + n
    return into


def percentile(counts: dict, q: float) -> float | None:
    """The q-quantile (0..1) of a fine histogram {index: count}; None when it is empty."""
    total = sum(counts.values())
    if not total:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for index in sorted(int(k) for k in counts):
        seen += counts[str(index)] if str(index) in counts else counts[index]
        if seen >= rank:
            return fine_middle(index)
    return None  # unreachable: seen ends at total


def bound_index(bounds: tuple, value: float) -> int:
    """Which `le` bucket holds value (len(bounds): +Inf)."""
    return bisect_left(bounds, value)


def percentiles(counts: dict, qs=(0.5, 0.95, 0.99)) -> list[float | None]:
    """Several quantiles of a fine histogram with one sort (the pages ask for three per
    chart point)."""
    total = sum(counts.values())
    if not total:
        return [None] * len(qs)
    ranks = [max(1, math.ceil(q * total)) for q in qs]
    out: list[float | None] = [None] * len(qs)
    seen = 0
    for index, n in sorted((int(k), n) for k, n in counts.items()):
        seen += n
        for i, rank in enumerate(ranks):
            if out[i] is None and seen >= rank:
                out[i] = fine_middle(index)
        if out[-1] is not None and all(v is not None for v in out):
            break
    return out
