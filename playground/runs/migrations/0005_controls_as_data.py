from django.db import migrations, models


def learning_rates_to_controls(apps, schema_editor):
    Run = apps.get_model("runs", "Run")
    for run in Run.objects.exclude(learning_rate=None).only("pk", "learning_rate").iterator():
        Run.objects.filter(pk=run.pk).update(controls={"learning_rate": run.learning_rate})


def controls_to_learning_rates(apps, schema_editor):
    Run = apps.get_model("runs", "Run")
    for run in Run.objects.exclude(controls={}).only("pk", "controls").iterator():
        rate = (run.controls or {}).get("learning_rate")
        if isinstance(rate, (int, float)):
            Run.objects.filter(pk=run.pk).update(learning_rate=rate, control_version=1)


class Migration(migrations.Migration):
    """Live controls become one validated mapping per run (Run.controls) instead of a column each."""

    dependencies = [
        ("runs", "0004_event_type_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="run",
            name="controls",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(learning_rates_to_controls, controls_to_learning_rates),
        migrations.RemoveField(model_name="run", name="learning_rate"),
        migrations.RemoveField(model_name="run", name="control_version"),
    ]
