"""Adding to many rollup rows in one statement.

Django's bulk_update builds a CASE WHEN expression per row and field: for the 200 state
buckets a pass of a 100-state machine touches, building it took most of the pass's CPU
(more than reading the histories). On PostgreSQL the increments go to the database instead,
as one JSON parameter, and the database adds them: `field = field + increment`.
"""
from __future__ import annotations

import json

from django.db import connection

_TYPES = {"PositiveIntegerField": "bigint", "IntegerField": "bigint",
          "BigIntegerField": "bigint", "PositiveBigIntegerField": "bigint",
          "FloatField": "double precision", "JSONField": "jsonb"}


def add_by_id(model, changes, add=(), greatest=(), replace=()) -> None:
    """For each (row, values) of `changes`: row.f += values[f] for f in `add`,
    row.f = max(row.f, values[f]) for `greatest`, row.f = values[f] for `replace`."""
    if not changes:
        return
    if connection.vendor != "postgresql":
        for row, values in changes:
            for f in add:
                setattr(row, f, getattr(row, f) + values[f])
            for f in greatest:
                setattr(row, f, max(getattr(row, f), values[f]))
            for f in replace:
                setattr(row, f, values[f])
        model.objects.bulk_update([row for row, _ in changes], [*add, *greatest, *replace],
                                  batch_size=500)
        return
    q = connection.ops.quote_name
    fields = {f: model._meta.get_field(f) for f in (*add, *greatest, *replace)}
    sets = ([f"{q(fields[f].column)} = t.{q(fields[f].column)} + v.{q(f)}" for f in add]
            + [f"{q(fields[f].column)} = GREATEST(t.{q(fields[f].column)}, v.{q(f)})"
               for f in greatest]
            + [f"{q(fields[f].column)} = v.{q(f)}" for f in replace])
    columns = ", ".join(["id bigint"] + [f"{q(f)} {_TYPES[fields[f].get_internal_type()]}"
                                         for f in fields])
    sql = (f"UPDATE {q(model._meta.db_table)} AS t SET {', '.join(sets)} "
           f"FROM json_to_recordset(%s) AS v({columns}) WHERE t.id = v.id")
    rows = [{"id": row.pk, **{f: values[f] for f in fields}} for row, values in changes]
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(rows)])
