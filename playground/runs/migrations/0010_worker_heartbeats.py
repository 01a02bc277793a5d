from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('runs', '0006_run_visibility'),
    ]

    operations = [
        migrations.AddField(
            model_name='run',
            name='requeues',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.CreateModel(
            name='Worker',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True)),
                ('hostname', models.CharField(blank=True, max_length=100)),
                ('pid', models.PositiveIntegerField(default=0)),
                ('devices', models.CharField(blank=True, max_length=200)),
                ('slots', models.PositiveSmallIntegerField(default=1)),
                ('busy', models.PositiveSmallIntegerField(default=0)),
                ('started', models.DateTimeField(auto_now_add=True)),
                ('last_beat', models.DateTimeField(db_index=True)),
                ('stopped', models.DateTimeField(blank=True, null=True)),
                ('stop_reason', models.CharField(blank=True, max_length=200)),
                ('runs_done', models.PositiveIntegerField(default=0)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
    ]
