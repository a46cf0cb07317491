"""The engine's records in Django's admin (issue #8): read-only, staff-only, built for
tables of 100,000 executions and 1,000,000 history events.

One module per concern: access (who may do what), pagination (counts that stay cheap),
filters and search, executions / history / machines / tokens (the ModelAdmins) and
operations (stop, redrive, start again, export — through engine.services).
"""
from . import executions, history, machines, map_runs, schedules, tokens  # noqa: F401  (they register)
