from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("runs", "0005_controls_as_data")]

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
