from django.db import migrations, models


class Migration(migrations.Migration):
    """Event.type holds any event type (tasks.base.EVENT_TYPES), with room for longer ones."""

    dependencies = [
        ("runs", "0003_queue_and_abandonment"),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="type",
            field=models.CharField(max_length=32),
        ),
    ]
