"""Hand-written SQL for the statements every step runs: lock and load, park, write back.

A job-poller execution takes five steps, and each step ran seven ORM statements: compiling
them cost more than PostgreSQL spent running them, and each was its own round trip. Here the
same statements are written once, as text; on PostgreSQL the lock and both loads go in one
round trip and the step's writes (history, execution row) in another (several statements in
one simple query, which Django's psycopg cursors allow with client-side binding). SQLite runs
them one by one. Rows come back as model instances built with the ORM's own converters, so
the rest of the runtime cannot tell them from `objects.get()`.

Only the hot path lives here; everything rarer (fan-out, timers, tokens) stays on the ORM.
"""
from __future__ import annotations

import json
from functools import lru_cache

from django.db import connection

from engine.asl.clock import parse_iso
from engine.models import Execution, ExecutionStatus, Frame, FrameStatus, StateMachine

# Execution columns a step reads; `input` and `definition` (large) stay deferred: the
# parsed machine and the context object are cached per execution (driver.machine_for).
EXECUTION_FIELDS = ("id", "state_machine_id", "version_id", "name", "status", "output", "error",
                    "cause", "start_date", "stop_date", "redrive_count", "redrive_date", "seq")
MACHINE_FIELDS = ("id", "owner_id", "name", "type")
FRAME_FIELDS = tuple(f.attname for f in Frame._meta.concrete_fields)
# What `park` writes: the frame's next step and what it waits for.
PARK_FIELDS = ("step", "cursor", "waiting", "request", "inbound", "lease_until",
               "dispatched_at", "status")


def _quoted(model, names, alias):
    q = connection.ops.quote_name
    columns = {f.attname: f.column for f in model._meta.concrete_fields}
    return ", ".join(f"{alias}.{q(columns[n])}" for n in names)


@lru_cache(maxsize=None)
def _statements(vendor: str) -> tuple[str, str]:
    q = connection.ops.quote_name
    lock = (f"SELECT {_quoted(Execution, EXECUTION_FIELDS, 'e')}, "
            f"{_quoted(StateMachine, MACHINE_FIELDS, 'm')} "
            f"FROM {q(Execution._meta.db_table)} e "
            f"JOIN {q(StateMachine._meta.db_table)} m ON m.{q('id')} = e.{q('state_machine_id')} "
            f"WHERE e.{q('id')} = %s")
    if vendor == "postgresql":
        lock += " FOR UPDATE OF e"
    frame = (f"SELECT {_quoted(Frame, FRAME_FIELDS, 'f')} FROM {q(Frame._meta.db_table)} f "
             f"WHERE f.{q('id')} = %s AND f.{q('execution_id')} = %s AND f.{q('step')} = %s "
             f"AND f.{q('status')} = %s AND f.{q('waiting')} IN ({{waiting}})")
    return lock, frame


@lru_cache(maxsize=None)
def _converters(model, names: tuple, vendor: str):
    """Per column, the functions the ORM applies to a raw value (JSON text → data, …)."""
    out = []
    for name in names:
        field = _field(model, name)
        col = field.get_col(model._meta.db_table)
        fns = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        out.append((fns, col))
    return out


def _convert(model, names, values):
    converted = []
    for value, (fns, col) in zip(values, _converters(model, names, connection.vendor)):
        for fn in fns:
            value = fn(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, list(names), converted)


def lock_and_load(execution_id, frame_id, step, waiting) -> tuple[Execution, Frame] | None:
    """Lock the execution row and read it with the frame at `step`, or None if not due.

    Inside the caller's transaction. The frame is read after the lock is held (same
    statement order on both databases), so a step another worker just committed is seen.
    """
    lock, frame_sql = _statements(connection.vendor)
    frame_sql = frame_sql.format(waiting=", ".join(["%s"] * len(waiting)))
    ex_id = Execution._meta.pk.get_db_prep_value(execution_id, connection)
    frame_params = [frame_id, ex_id, step, FrameStatus.RUNNING, *waiting]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{lock}; {frame_sql}", [ex_id, *frame_params])
            ex_row = cursor.fetchone()
            cursor.cursor.nextset()
            frame_row = cursor.fetchone()
        else:
            cursor.execute(lock, [ex_id])
            ex_row = cursor.fetchone()
            cursor.execute(frame_sql, frame_params)
            frame_row = cursor.fetchone()
    if ex_row is None or frame_row is None:
        return None
    n = len(EXECUTION_FIELDS)
    ex = _convert(Execution, EXECUTION_FIELDS, ex_row[:n])
    if ex.status != ExecutionStatus.RUNNING:
        return None
    ex.state_machine = _convert(StateMachine, MACHINE_FIELDS, ex_row[n:])
    return ex, _convert(Frame, FRAME_FIELDS, frame_row)


@lru_cache(maxsize=None)
def _field(model, attname: str):
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


def _db_value(model, name, value):
    return _field(model, name).get_db_prep_save(value, connection)


def _update_sql(model, names) -> str:
    q = connection.ops.quote_name
    columns = {f.attname: f.column for f in model._meta.concrete_fields}
    sets = ", ".join(f"{q(columns[n])} = %s" for n in names)
    return f"UPDATE {q(model._meta.db_table)} SET {sets} WHERE {q('id')} = %s"


@lru_cache(maxsize=None)
def _park_sql(vendor: str) -> str:
    return _update_sql(Frame, PARK_FIELDS)


def _parked(frame: Frame) -> tuple[str, list]:
    """UPDATE of the frame's PARK_FIELDS (what `frame.save(update_fields=…)` would do)."""
    params = [_db_value(Frame, n, getattr(frame, n)) for n in PARK_FIELDS]
    return _park_sql(connection.vendor), [*params, frame.id]


def save_parked(frames) -> None:
    _run([_parked(f) for f in frames])


@lru_cache(maxsize=None)
def _history_sql(vendor: str, rows: int) -> str:
    q = connection.ops.quote_name
    head = (f"INSERT INTO {q('engine_historyevent')} ({q('execution_id')}, {q('seq')}, "
            f"{q('previous_event_id')}, {q('type')}, {q('timestamp')}, {q('details')}) ")
    if vendor == "postgresql":
        # One JSON parameter for all rows: a hundred-event step as six hundred parameters
        # made psycopg spend longer splitting and quoting the statement than PostgreSQL
        # took to run it. `details json` keeps the text of each object as written.
        return (head + "SELECT %s, r.seq, r.prev, r.type, r.ts, r.details FROM "
                "json_to_recordset(%s) AS r(seq integer, prev integer, type text, "
                "ts timestamptz, details json)")
    return head + "VALUES " + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * rows)


EXECUTION_WRITE = ("seq", "status", "output", "error", "cause", "stop_date")
_HEAD = ("id", "previousEventId", "timestamp", "type")


def _history(execution_id, events: list[dict]) -> tuple[str, list]:
    ex_id = Execution._meta.pk.get_db_prep_value(execution_id, connection)
    if connection.vendor == "postgresql":
        rows = [{"seq": e["id"], "prev": e.get("previousEventId") or 0, "type": e["type"],
                 "ts": e["timestamp"],
                 "details": {k: v for k, v in e.items() if k not in _HEAD}} for e in events]
        return _history_sql(connection.vendor, 0), [ex_id, json.dumps(rows)]
    adapt = connection.ops.adapt_datetimefield_value
    params = []
    for e in events:
        details = {k: v for k, v in e.items() if k not in _HEAD}
        params += [ex_id, e["id"], e.get("previousEventId") or 0, e["type"],
                   adapt(parse_iso(e["timestamp"])), json.dumps(details)]
    return _history_sql(connection.vendor, len(events)), params


def write_step(execution: Execution, events: list[dict], parked=()) -> None:
    """Save the parked frames, append the step's events and save the execution's moving
    fields, in one round trip.

    History rows are append-only and (execution, seq) is unique: a step that somehow ran
    twice fails here instead of writing a duplicate id.
    """
    statements = [_parked(f) for f in parked]
    if events:
        statements.append(_history(execution.id, events))
    params = [_db_value(Execution, n, getattr(execution, n)) for n in EXECUTION_WRITE]
    ex_id = Execution._meta.pk.get_db_prep_value(execution.id, connection)
    statements.append((_execution_sql(connection.vendor), [*params, ex_id]))
    _run(statements)


@lru_cache(maxsize=None)
def _execution_sql(vendor: str) -> str:
    return _update_sql(Execution, EXECUTION_WRITE)


FINISHED_FIELDS = ("cursor", "status", "waiting", "step")


@lru_cache(maxsize=None)
def _close_sql(vendor: str) -> tuple[str, ...]:
    q = connection.ops.quote_name
    return (
        f"DELETE FROM {q('engine_timer')} WHERE {q('execution_id')} = %s "
        f"AND {q('claimed_at')} IS NULL",
        f"UPDATE {q('engine_tasktoken')} SET {q('status')} = 'CLOSED' "
        f"WHERE {q('execution_id')} = %s AND {q('status')} <> 'CLOSED'",
        f"UPDATE {q('engine_frame')} SET {q('status')} = '{FrameStatus.CANCELLED}', "
        f"{q('waiting')} = 'NOTHING' WHERE {q('execution_id')} = %s "
        f"AND {q('status')} IN ('{FrameStatus.RUNNING}', '{FrameStatus.PENDING}')",
    )


def close_work(execution_id, finished_root: Frame | None = None) -> None:
    """Nothing may wake a finished execution: drop its unclaimed timers, close its tokens,
    cancel its running frames — after saving its finished root frame, if given."""
    ex_id = Execution._meta.pk.get_db_prep_value(execution_id, connection)
    statements = [(sql, [ex_id]) for sql in _close_sql(connection.vendor)]
    if finished_root is not None:
        params = [_db_value(Frame, n, getattr(finished_root, n)) for n in FINISHED_FIELDS]
        statements.insert(0, (_finished_sql(connection.vendor), [*params, finished_root.id]))
    _run(statements)


@lru_cache(maxsize=None)
def _finished_sql(vendor: str) -> str:
    return _update_sql(Frame, FINISHED_FIELDS)


def _run(statements: list[tuple[str, list]]) -> None:
    """Several statements in one round trip on PostgreSQL, one by one elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("; ".join(s for s, _ in statements),
                           [p for _, ps in statements for p in ps])
        else:
            for sql, ps in statements:
                cursor.execute(sql, ps)
