from django.db import migrations

import engine.fields


class Migration(migrations.Migration):

    dependencies = [
        ('engine', '0011_metrics_rollups'),
    ]

    operations = [
        migrations.AddField(
            model_name='statemachine',
            name='test_cases',
            field=engine.fields.OrderedJSONField(blank=True, null=True),
        ),
    ]
