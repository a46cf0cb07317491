"""Hand-written SQL for the statements every step runs: lock and load, park, write back.

A job-poller execution takes five steps, and each step ran seven ORM statements: compiling
them cost more than PostgreSQL spent running them, and each was its own round trip. Here the
same statements are written once, as text; on PostgreSQL, BEGIN, the lock and both loads go
in one round trip and the step's writes (frames, history, execution row) with COMMIT in
another (several statements in one simple query, which Django's psycopg cursors allow with
client-side binding). A worker's next step of a Task it claimed is one round trip
(write_step with `expected`). SQLite runs the statements one by one. Rows come back as model instances built with the ORM's own converters, so
the rest of the runtime cannot tell them from `objects.get()`.

Only the hot path lives here; everything rarer (fan-out, timers, tokens) stays on the ORM.
"""
from __future__ import annotations

import json
import uuid
from functools import lru_cache

from django.db import DataError, connection

from engine.asl.clock import parse_iso
from engine.models import (Execution, ExecutionStatus, Frame, FrameStatus, HistoryEvent,
                           StateMachine)
from engine.runtime import history

# Execution columns a step reads; `input` and `definition` (large) stay deferred: the
# parsed machine and the context object are cached per execution (driver.machine_for).
EXECUTION_FIELDS = ("id", "state_machine_id", "version_id", "name", "status", "output", "error",
                    "cause", "start_date", "stop_date", "redrive_count", "redrive_date", "seq",
                    "map_run_id")  # the ARN of a map run's child names its map run
STATIC_FIELDS = ("definition", "input")


def _in_model_order(model, names) -> tuple:
    # Model.from_db takes the values of a partial row in the model's field order.
    order = [f.attname for f in model._meta.concrete_fields]
    return tuple(sorted(names, key=order.index))


EXECUTION_FIELDS = _in_model_order(Execution, EXECUTION_FIELDS)
EXECUTION_STATIC_FIELDS = _in_model_order(Execution, EXECUTION_FIELDS + STATIC_FIELDS)
# What a step reads of its state machine (ARNs carry its region; the context its role).
MACHINE_FIELDS = _in_model_order(StateMachine, ("id", "owner_id", "name", "type", "region",
                                                "role_arn"))
FRAME_FIELDS = tuple(f.attname for f in Frame._meta.concrete_fields)
# What `park` writes: the frame's next step and what it waits for.
PARK_FIELDS = ("step", "cursor", "waiting", "request", "inbound", "lease_until",
               "dispatched_at", "status")


def _quoted(model, names, alias):
    q = connection.ops.quote_name
    columns = {f.attname: f.column for f in model._meta.concrete_fields}
    return ", ".join(f"{alias}.{q(columns[n])}" for n in names)


@lru_cache(maxsize=None)
def _statements(vendor: str, static: bool) -> tuple[str, str]:
    q = connection.ops.quote_name
    names = EXECUTION_STATIC_FIELDS if static else EXECUTION_FIELDS
    lock = (f"SELECT {_quoted(Execution, names, 'e')}, "
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


def _send_own_begin() -> None:
    """Let this transaction's BEGIN travel with its first statement (PostgreSQL only).

    Inside an outermost `transaction.atomic()` that has run nothing yet, psycopg would
    send BEGIN on its own, one more round trip, as COMMIT is at the end: a step of four
    round trips for two statements. Told it is in autocommit, it sends what it is given;
    the server is in the transaction that our own BEGIN opened, so everything up to
    write_step(commit=True) is one transaction as before. Should the step fail instead,
    Django's rollback() still sends ROLLBACK (psycopg looks at the server's transaction
    state, not at its autocommit flag), and if nothing failed but no COMMIT was sent (the
    step was not due), Django's commit() sends it.
    """
    connection.connection.autocommit = True


def _end_own_transaction() -> None:
    """After our COMMIT: psycopg back to what Django set, so anything run later in the
    atomic block would be a transaction of its own, committed or rolled back by Django."""
    connection.connection.autocommit = False


def lock_and_load(execution_id, frame_id, step, waiting, *, static: bool = False,
                  begin: bool = False) -> tuple[Execution, Frame] | None:
    """Lock the execution row and read it with the frame at `step`, or None if not due.

    Inside the caller's transaction. The frame is read after the lock is held (same
    statement order on both databases), so a step another worker just committed is seen.
    `static`: also read the definition and the input (a process's first step of this
    execution; they are cached afterwards). `begin`: the caller owns an outermost
    transaction that has not started yet (see `_send_own_begin`).
    """
    lock, frame_sql = _statements(connection.vendor, static)
    frame_sql = frame_sql.format(waiting=", ".join(["%s"] * len(waiting)))
    ex_id = Execution._meta.pk.get_db_prep_value(execution_id, connection)
    frame_params = [frame_id, ex_id, step, FrameStatus.RUNNING, *waiting]
    names = EXECUTION_STATIC_FIELDS if static else EXECUTION_FIELDS
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if begin:
                _send_own_begin()
                lock = "BEGIN; " + lock
            cursor.execute(f"{lock}; {frame_sql}", [ex_id, *frame_params])
            if begin:
                cursor.cursor.nextset()  # past BEGIN's empty result
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
    n = len(names)
    ex = _convert(Execution, names, ex_row[:n])
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


def save_parked(frames, closing: Frame | None = None) -> None:
    statements = [_parked(f) for f in frames]
    if closing is not None:
        statements += _closing(closing.execution_id, closing)
    _run(statements)


@lru_cache(maxsize=None)
def _history_sql(vendor: str, rows: int) -> str:
    q = connection.ops.quote_name
    head = (f"INSERT INTO {q('engine_historyevent')} ({q('execution_id')}, {q('seq')}, "
            f"{q('previous_event_id')}, {q('type')}, {q('timestamp')}, {q('details')}, "
            f"{q('state_name')}, {q('error')}) ")
    if vendor == "postgresql":
        # One JSON parameter for all rows: a hundred-event step as six hundred parameters
        # made psycopg spend longer splitting and quoting the statement than PostgreSQL
        # took to run it. `details json` keeps the text of each object as written; `name`
        # and `error` are only in the rows that have one (absent: NULL).
        return (head + "SELECT %s, r.seq, r.prev, r.type, r.ts, r.details, r.name, r.error "
                "FROM json_to_recordset(%s) AS r(seq integer, prev integer, type text, "
                "ts timestamptz, details json, name text, error text)")
    return head + "VALUES " + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * rows)


EXECUTION_WRITE = ("seq", "status", "output", "error", "cause", "stop_date")
_HEAD = ("id", "previousEventId", "timestamp", "type")


def _history(execution_id, events: list[dict]) -> tuple[str, list]:
    ex_id = Execution._meta.pk.get_db_prep_value(execution_id, connection)
    if connection.vendor == "postgresql":
        rows = []
        for e in events:
            details = {k: v for k, v in e.items() if k not in _HEAD}
            row = {"seq": e["id"], "prev": e.get("previousEventId") or 0, "type": e["type"],
                   "ts": e["timestamp"], "details": details}
            name, error = history.labels(e["type"], details)
            if name is not None:
                row["name"] = name
            if error is not None:
                row["error"] = error
            rows.append(row)
        return _history_sql(connection.vendor, 0), [ex_id, json.dumps(rows)]
    adapt = connection.ops.adapt_datetimefield_value
    params = []
    for e in events:
        details = {k: v for k, v in e.items() if k not in _HEAD}
        params += [ex_id, e["id"], e.get("previousEventId") or 0, e["type"],
                   adapt(parse_iso(e["timestamp"])), json.dumps(details),
                   *history.labels(e["type"], details)]
    return _history_sql(connection.vendor, len(events)), params


def write_step(execution: Execution, events: list[dict], parked=(), *,
               commit: bool = False, closing: Frame | None = None,
               expected: tuple | None = None, inserts=()) -> None:
    """Save the parked frames, append the step's events and save the execution's moving
    fields, in one round trip.

    History rows are append-only and (execution, seq) is unique: a step that somehow ran
    twice fails here instead of writing a duplicate id. `commit`: the transaction was
    begun by lock_and_load(begin=True); COMMIT goes in the same round trip. `closing`: the
    finished root frame, whose execution's other work is closed (close_work). `inserts`:
    new model rows to write with the step (the status-change event's outbox row).

    `expected` = (execution id, seq, frame id, step, waiting): the step was evaluated from
    what this worker itself wrote last (nothing locked or read): BEGIN, lock, check that
    nothing changed since, write and COMMIT all go in one round trip, and if something did
    change the round trip fails with `Stale` having written nothing.
    """
    statements = _guard(expected) if expected is not None else []
    statements += [_parked(f) for f in parked]
    if closing is not None:
        statements += _closing(execution.id, closing)
    if events:
        statements.append(_history(execution.id, events))
    statements += [_insert(row) for row in inserts]
    params = [_db_value(Execution, n, getattr(execution, n)) for n in EXECUTION_WRITE]
    ex_id = Execution._meta.pk.get_db_prep_value(execution.id, connection)
    statements.append((_execution_sql(connection.vendor), [*params, ex_id]))
    if commit:
        statements.append(("COMMIT", []))
    if expected is not None:
        _send_own_begin()
        statements.insert(0, ("BEGIN", []))
    try:
        _run(statements)
    except DataError as exc:
        if expected is not None and is_stale(exc):
            raise Stale from exc
        raise
    if commit:
        _end_own_transaction()


def _insert(row) -> tuple[str, list]:
    """INSERT of a new model instance (every concrete column, its own primary key)."""
    q = connection.ops.quote_name
    fields = row._meta.concrete_fields
    sql = (f"INSERT INTO {q(row._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    return sql, [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]


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
    _run(_closing(execution_id, finished_root))


def _closing(execution_id, finished_root: Frame | None = None) -> list[tuple[str, list]]:
    ex_id = Execution._meta.pk.get_db_prep_value(execution_id, connection)
    statements = [(sql, [ex_id]) for sql in _close_sql(connection.vendor)]
    if finished_root is not None:
        params = [_db_value(Frame, n, getattr(finished_root, n)) for n in FINISHED_FIELDS]
        statements.insert(0, (_finished_sql(connection.vendor), [*params, finished_root.id]))
    return statements


@lru_cache(maxsize=None)
def _guard_sql(vendor: str, waiting: int) -> tuple[str, str]:
    # 1 / COUNT(*): zero rows (the step is not due any longer) is a division by zero, an
    # error, so PostgreSQL skips the rest of the round trip's statements and the
    # transaction is rolled back (`Stale`). The frame is checked in a second statement,
    # after the lock is held, as lock_and_load does.
    q = connection.ops.quote_name
    lock = (f"SELECT 1 / COUNT(*) FROM (SELECT 1 FROM {q(Execution._meta.db_table)} e "
            f"WHERE e.{q('id')} = %s AND e.{q('seq')} = %s AND e.{q('status')} = %s "
            f"FOR UPDATE OF e) AS due")
    frame = (f"SELECT 1 / COUNT(*) FROM {q(Frame._meta.db_table)} f "
             f"WHERE f.{q('id')} = %s AND f.{q('execution_id')} = %s AND f.{q('step')} = %s "
             f"AND f.{q('status')} = %s AND f.{q('waiting')} IN ({', '.join(['%s'] * waiting)})")
    return lock, frame


def _guard(expected: tuple) -> list[tuple[str, list]]:
    execution_id, seq, frame_id, step, waiting = expected
    ex_id = Execution._meta.pk.get_db_prep_value(execution_id, connection)
    lock, frame = _guard_sql(connection.vendor, len(waiting))
    return [(lock, [ex_id, seq, ExecutionStatus.RUNNING]),
            (frame, [frame_id, ex_id, step, FrameStatus.RUNNING, *waiting])]


class Stale(Exception):
    """write_step(expected=…): the execution or frame changed since it was last written."""


def is_stale(exc: BaseException) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == "22012"  # division_by_zero


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


# -- A DISTRIBUTED Map's child executions (map_runs.Children.flush) --------------------------
#
# A 10,000-item map run makes 10,000 executions and their histories: through the ORM's
# bulk_create / bulk_update, psycopg spent longer quoting their parameters than PostgreSQL
# took to write them. As for a step's history, each statement takes all its rows as one JSON
# parameter (json_to_recordset); the three go in one round trip.

_CHILD_INSERT = (("id", "uuid"), ("state_machine_id", "bigint"), ("version_id", "bigint"),
                 ("name", "text"), ("status", "text"), ("input", "json"), ("output", "json"),
                 ("error", "text"), ("cause", "text"), ("definition", "json"),
                 ("start_date", "timestamptz"), ("stop_date", "timestamptz"),
                 ("redrive_count", "integer"), ("redrive_date", "timestamptz"),
                 ("seq", "integer"), ("map_run_id", "uuid"), ("parent_call", "text"),
                 ("parent_state", "text"), ("parent_pattern", "text"),
                 ("parent_token", "text"), ("parent_notified", "boolean"),
                 ("alias_name", "text"))
_CHILD_UPDATE = (("id", "uuid"), ("seq", "integer"), ("status", "text"), ("output", "json"),
                 ("error", "text"), ("cause", "text"), ("stop_date", "timestamptz"),
                 ("redrive_count", "integer"), ("redrive_date", "timestamptz"))


@lru_cache(maxsize=None)
def _children_sql() -> tuple[str, str, str]:
    q = connection.ops.quote_name
    table = q(Execution._meta.db_table)

    def record(columns):
        return ", ".join(f"{name} {kind}" for name, kind in columns)
    insert = (f"INSERT INTO {table} ({', '.join(q(n) for n, _ in _CHILD_INSERT)}) "
              f"SELECT {', '.join('r.' + n for n, _ in _CHILD_INSERT)} "
              f"FROM json_to_recordset(%s) AS r({record(_CHILD_INSERT)})")
    sets = ", ".join(f"{q(n)} = r.{n}" for n, _ in _CHILD_UPDATE[1:])
    update = (f"UPDATE {table} AS e SET {sets} FROM json_to_recordset(%s) "
              f"AS r({record(_CHILD_UPDATE)}) WHERE e.{q('id')} = r.id")
    history = (f"INSERT INTO {q('engine_historyevent')} ({q('execution_id')}, {q('seq')}, "
               f"{q('previous_event_id')}, {q('type')}, {q('timestamp')}, {q('details')}) "
               "SELECT r.ex, r.seq, r.prev, r.type, r.ts, r.details FROM json_to_recordset(%s) "
               "AS r(ex uuid, seq integer, prev integer, type text, ts timestamptz, details json)")
    return insert, update, history


def _json_row(execution: Execution, columns) -> dict:
    row = {}
    for name, _ in columns:
        value = getattr(execution, name)
        row[name] = value.isoformat() if hasattr(value, "isoformat") else \
            str(value) if isinstance(value, uuid.UUID) else value
    return row


def write_children(new: list, older: list, events: list[tuple]) -> None:
    """Insert `new` child executions, save `older` ones' moving fields, append `events`
    ((execution id, event dict) pairs) to their histories."""
    if connection.vendor != "postgresql":
        if new:
            Execution.objects.bulk_create(new, batch_size=500)
        if older:
            Execution.objects.bulk_update(older, [n for n, _ in _CHILD_UPDATE[1:]], batch_size=500)
        if events:
            HistoryEvent.objects.bulk_create([HistoryEvent(
                execution_id=ex_id, seq=e["id"], previous_event_id=e.get("previousEventId") or 0,
                type=e["type"], timestamp=parse_iso(e["timestamp"]),
                details={k: v for k, v in e.items() if k not in _HEAD}) for ex_id, e in events],
                batch_size=1000)
        return
    insert, update, history = _children_sql()
    statements = []
    if new:
        statements.append((insert, [json.dumps([_json_row(e, _CHILD_INSERT) for e in new])]))
    if older:
        statements.append((update, [json.dumps([_json_row(e, _CHILD_UPDATE) for e in older])]))
    if events:
        rows = [{"ex": str(ex_id), "seq": e["id"], "prev": e.get("previousEventId") or 0,
                 "type": e["type"], "ts": e["timestamp"],
                 "details": {k: v for k, v in e.items() if k not in _HEAD}}
                for ex_id, e in events]
        statements.append((history, [json.dumps(rows)]))
    if statements:
        _run(statements)
