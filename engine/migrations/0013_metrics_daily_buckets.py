"""Daily execution buckets (the 30-day monitoring page), built from the hourly ones a
database already rolled up: the same sums the rollup would have written (it adds to them
from here on)."""
import datetime as dt

from django.db import migrations


def daily_from_hourly(apps, schema_editor):
    Bucket = apps.get_model("engine", "ExecutionBucket")
    if Bucket.objects.filter(granularity="D").exists():
        return
    fields = ("started", "succeeded", "failed", "timed_out", "aborted", "duration_ms_sum")
    days: dict = {}
    for row in Bucket.objects.filter(granularity="H").iterator(chunk_size=2000):
        day = dt.datetime.fromtimestamp(int(row.bucket.timestamp()) // 86400 * 86400,
                                        dt.timezone.utc)
        key = (row.owner_id, row.state_machine_id, day)
        into = days.get(key)
        if into is None:
            into = days[key] = {**{f: 0 for f in fields}, "durations": {}}
        for f in fields:
            into[f] += getattr(row, f)
        for k, n in (row.durations or {}).items():
            into["durations"][k] = into["durations"].get(k, 0) + n
    Bucket.objects.bulk_create(
        [Bucket(owner_id=o, state_machine_id=m, granularity="D", bucket=day, **values)
         for (o, m, day), values in days.items()], batch_size=1000)


def drop_daily(apps, schema_editor):
    apps.get_model("engine", "ExecutionBucket").objects.filter(granularity="D").delete()


class Migration(migrations.Migration):
    dependencies = [("engine", "0012_tdd_test_cases")]
    operations = [migrations.RunPython(daily_from_hourly, drop_daily)]
