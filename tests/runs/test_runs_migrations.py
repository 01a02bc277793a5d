"""Migrations that move data: a run's learning rate becomes its controls, and back."""
from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = ("runs", "0004_event_type_length"), ("runs", "0005_controls_as_data")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


def test_a_learning_rate_becomes_a_control_and_comes_back():
    try:
        old = migrate(BEFORE).get_model("runs", "Run")
        changed = old.objects.create(task="basics", config={}, learning_rate=0.25, control_version=2)
        untouched = old.objects.create(task="basics", config={}, share_token="another")
        new = migrate(AFTER).get_model("runs", "Run")
        assert new.objects.get(pk=changed.pk).controls == {"learning_rate": 0.25}
        assert new.objects.get(pk=untouched.pk).controls == {}
        back = migrate(BEFORE).get_model("runs", "Run")
        assert back.objects.get(pk=changed.pk).learning_rate == 0.25
        assert back.objects.get(pk=untouched.pk).learning_rate is None
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())  # every app back at its latest, as the other tests expect
        from playground.runs.models import Run

        Run.objects.all().delete()
