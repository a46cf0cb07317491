# The data step of 0006, in a transaction of its own (see 0006).

from django.db import migrations
from django.db.models import OuterRef, Subquery

from engine.machines.definition_stats import count_states


def fill_home_page_fields(apps, schema_editor):
    """States counts and last-execution pointers of the machines that exist already."""
    StateMachine = apps.get_model("engine", "StateMachine")
    Execution = apps.get_model("engine", "Execution")
    for machine in StateMachine.objects.only("id", "definition").iterator(chunk_size=500):
        StateMachine.objects.filter(pk=machine.pk).update(
            states_count=count_states(machine.definition))
    newest = Execution.objects.filter(state_machine=OuterRef("pk")).order_by("-start_date", "-id")
    StateMachine.objects.update(last_execution=Subquery(newest.values("id")[:1]),
                                last_started=Subquery(newest.values("start_date")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('engine', '0006_app_home_page'),
    ]

    operations = [
        migrations.RunPython(fill_home_page_fields, migrations.RunPython.noop, elidable=True),
    ]
