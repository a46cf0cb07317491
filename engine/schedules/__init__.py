"""Schedules: start a state machine on `rate(…)`, `cron(…)` or `at(…)` (EventBridge Scheduler).

The expression language and the slot arithmetic (errors, cron, expressions, plan) are
framework-free: no Django import, time passed in, so they run on a virtual clock in tests.
The Django side (models, service, firing) stores schedules and fires their slots from the
`workflows scheduler` loop.
"""
