"""The schedules' and webhooks' share of `workflows scheduler`: passes of its loop.

engine.runtime.timers.run_scheduler runs them after each timer pass (the runtime does not
import what sits above it; the `workflows` command hands them in). The loop's own error
handling covers them: an error is logged, the connection reset, and the loop carries on.
"""
from __future__ import annotations

import time

from engine.events import sweep

from . import firing

SWEEP_EVERY = 1.0  # seconds between webhook sweeps (schedules are checked every pass)
_last_sweep = [0.0]


def fire_schedules() -> int:
    return firing.fire_due()


def sweep_events() -> int:
    if time.monotonic() - _last_sweep[0] < SWEEP_EVERY:
        return 0
    _last_sweep[0] = time.monotonic()
    sweep.sweep()
    return 0  # sweeping is housekeeping: it never keeps the loop from idling


PASSES = (fire_schedules, sweep_events)
