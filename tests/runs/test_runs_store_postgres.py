"""The event store's hand-written statements on PostgreSQL, the scale-out database.

Skipped, saying why, where no PostgreSQL answers (LAYERLAB_TEST_POSTGRES, by
default postgres://postgres@127.0.0.1:5432/postgres).
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.services

SERVER = os.environ.get("LAYERLAB_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from playground.runs import store
from playground.runs.models import Event, Run
run = store.create_run("basics", {}, session_key="s")
Run.objects.filter(pk=run.pk).update(status="running")
kept = store.record_events({run.pk: [
    {"seq": 2, "type": "metric", "step": 1, "data": {"split": "train", "loss": 0.5, "note": "it's"}, "time": 1.5},
    {"seq": 3, "type": "status", "step": None, "data": {"status": "failed", "error": "boom"}, "time": 2.0},
    {"seq": 4, "type": "log", "step": None, "data": {"message": "after the end"}, "time": 2.5},
]})
assert kept[run.pk].kept == 2 and not kept[run.pk].added, kept
events = store.events_after(run.pk, 1)
assert events[0]["data"] == {"split": "train", "loss": 0.5, "note": "it's"}, events
assert Event.objects.filter(run=run, data__split="train").count() == 1  # stored as JSON, not as a string
run.refresh_from_db()
assert (run.status, run.error) == ("failed", "boom")
assert store.append_status(run.pk, "cancelled") is None
print("ok")
"""


@pytest.fixture
def database():
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL at {SERVER}: {error}")
    name = f"layerlab_test_{secrets.token_hex(4)}"
    admin.execute(f"CREATE DATABASE {name}")
    try:
        yield SERVER.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        admin.close()


def test_events_and_statuses_are_stored_as_on_sqlite(database, tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "playground.settings", "DATABASE_URL": database,
           "LAYERLAB_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]
