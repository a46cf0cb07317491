"""History rows carry what the metrics rollup reads of their details (a StateEntered's state
name, a Failed/TimedOut event's error) in columns, so the rollup parses no JSON; the rollup's
budget per period; indexes for pruning old buckets.

The backfill fills only the histories the rollup has still to read: executions running, or
stopped at or after its watermark (those before it are counted and never read again; a
redriven one, or any row left NULL, is read from its details instead). With no watermark
yet (metrics never rolled up) only running executions: the first catch-up reads every
history once anyway, from the details. Rewriting every history row of a large database
would double the table for nothing the rollup needs.
"""
from django.db import migrations, models

_PG_BACKFILL = """
UPDATE engine_historyevent AS h SET
  state_name = CASE WHEN h.type LIKE '%%StateEntered'
                    THEN h.details -> 'stateEnteredEventDetails' ->> 'name' END,
  error = CASE WHEN h.type LIKE '%%Failed' OR h.type LIKE '%%TimedOut'
               THEN (SELECT d.value ->> 'error' FROM json_each(h.details) AS d LIMIT 1) END
WHERE h.execution_id = ANY(%s::uuid[])
  AND (h.type LIKE '%%StateEntered' OR h.type LIKE '%%Failed' OR h.type LIKE '%%TimedOut')
"""
BATCH = 500  # executions per UPDATE


def backfill(apps, schema_editor):
    Execution = apps.get_model("engine", "Execution")
    HistoryEvent = apps.get_model("engine", "HistoryEvent")
    RollupState = apps.get_model("engine", "RollupState")
    watermark = RollupState.objects.filter(id=1).values_list("watermark", flat=True).first()
    pending = Execution.objects.filter(stop_date__isnull=True)
    if watermark is not None:
        pending = Execution.objects.filter(models.Q(stop_date__isnull=True)
                                           | models.Q(stop_date__gte=watermark))
    ids = [str(i) for i in pending.values_list("id", flat=True).iterator(chunk_size=5000)]
    connection = schema_editor.connection
    for i in range(0, len(ids), BATCH):
        batch = ids[i:i + BATCH]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(_PG_BACKFILL, [batch])
            continue
        rows = HistoryEvent.objects.filter(execution_id__in=batch).only("type", "details")
        changed = []
        for row in rows.iterator(chunk_size=2000):
            row.state_name, row.error = _labels(row.type, row.details)
            if row.state_name is not None or row.error is not None:
                changed.append(row)
        HistoryEvent.objects.bulk_update(changed, ["state_name", "error"], batch_size=500)


def _labels(event_type, details):
    # engine.runtime.history.labels as of this migration (a migration keeps its own copy).
    if event_type.endswith("StateEntered"):
        inner = (details or {}).get("stateEnteredEventDetails")
        return (inner.get("name") if isinstance(inner, dict) else None), None
    if event_type.endswith(("Failed", "TimedOut")):
        inner = next(iter((details or {}).values()), None)
        error = inner.get("error") if isinstance(inner, dict) else None
        return None, error if isinstance(error, str) else None
    return None, None


class Migration(migrations.Migration):

    dependencies = [
        ("engine", "0014_sweep_definition_sent"),
    ]

    operations = [
        migrations.AddField(
            model_name="historyevent",
            name="error",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historyevent",
            name="state_name",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="rollupstate",
            name="period_events",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="rollupstate",
            name="period_start",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="executionbucket",
            index=models.Index(fields=["granularity", "bucket"], name="execbucket_age"),
        ),
        migrations.AddIndex(
            model_name="statebucket",
            index=models.Index(fields=["granularity", "bucket"], name="statebucket_age"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
