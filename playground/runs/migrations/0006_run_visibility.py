from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("runs", "0003_queue_and_abandonment")]

    operations = [
        migrations.AddField(
            model_name="run",
            name="visibility",
            field=models.CharField(
                choices=[("private", "private"), ("course", "course"), ("link", "link"), ("public", "public")],
                db_index=True, default="link", max_length=8,
            ),
        ),
    ]
