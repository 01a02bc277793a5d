"""Scale-out scheduling without services: the fair order, role limits, estimated waits, the reaper."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from playground.runs import queue, quotas, reaper, scheduler, store
from playground.runs.models import Run, Worker

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def create(session: str) -> Run:
    return store.create_run("basics", {"epochs": 1}, session_key=session)


def owner(run_id: int) -> str:
    return Run.objects.get(pk=run_id).session_key


def started_order(slots: int) -> list[str]:
    """Start runs one by one as free slots take them, each ending before the next starts; whose they were."""
    order = []
    while (run_id := scheduler.next_run_id(slots, scheduler.running_owner_keys())) is not None:
        assert store.claim_run(run_id, worker="test")
        store.append_status(run_id, "succeeded")
        order.append(owner(run_id))
    return order


def test_no_visitor_waits_behind_another_visitors_whole_backlog():
    for name, count in (("ann", 4), ("bob", 2), ("cat", 1)):
        for _ in range(count):
            create(name)
    assert started_order(slots=2) == ["ann", "bob", "cat", "ann", "bob", "ann", "ann"]


def test_first_come_first_served_within_a_visitor():
    runs = [create("ann") for _ in range(3)]
    assert [run_id for run_id, _ in scheduler.queue_order([])] == [run.pk for run in runs]


def test_among_equally_busy_visitors_the_one_who_trained_least_recently_goes_first():
    recent, earlier = create("recent"), create("earlier")
    now = timezone.now()
    Run.objects.filter(pk=recent.pk).update(status="succeeded", started=now - timedelta(seconds=10))
    Run.objects.filter(pk=earlier.pk).update(status="succeeded", started=now - timedelta(hours=1))
    recent_wait, earlier_wait, newcomer = create("recent"), create("earlier"), create("newcomer")
    # Queued in the order recent, earlier, newcomer; one who never trained goes first, then by last start.
    assert [run_id for run_id, _ in scheduler.queue_order([])] == [newcomer.pk, earlier_wait.pk, recent_wait.pk]


def test_the_visitor_with_fewest_runs_training_goes_first_whatever_their_recency():
    busy = create("busy")
    assert store.claim_run(busy.pk, worker="test")
    waiting_busy, idle = create("busy"), create("idle")
    Run.objects.filter(pk=idle.pk).update(created=timezone.now() + timedelta(seconds=5))
    assert scheduler.next_run_id(3, scheduler.running_owner_keys()) == idle.pk
    assert [run_id for run_id, _ in scheduler.queue_order(scheduler.running_owner_keys())] == [idle.pk, waiting_busy.pk]


def test_queued_runs_are_told_an_estimated_wait_from_recent_runs():
    done = create("past")
    now = timezone.now()
    Run.objects.filter(pk=done.pk).update(status="succeeded", started=now - timedelta(seconds=40), finished=now)
    runs = [create(name) for name in ("a", "b", "c")]
    Run.objects.filter(pk__in=[r.pk for r in runs]).update(queue_position=None)
    announced = queue.announce(0, slots=2)
    assert [announced[r.pk]["data"]["position"] for r in runs] == [1, 2, 3]
    assert [announced[r.pk]["data"]["wait"] for r in runs] == [40, 40, 80]
    assert queue.estimated_wait(5, 2, None) is None


# --- role limits ---------------------------------------------------------------------------------


def test_roles_come_from_the_account_and_default_sensibly(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    from playground.accounts.models import Account

    assert quotas.role_of(None) == quotas.role_of(AnonymousUser()) == "anonymous"
    student = django_user_model.objects.create_user("sam", password="a long passphrase 1")
    assert quotas.role_of(student) == "student"
    teacher = django_user_model.objects.create_user("tess", password="a long passphrase 2")
    Account.objects.update_or_create(user=teacher, defaults={"role": "teacher"})
    assert quotas.role_of(teacher) == "teacher"


def test_limits_grow_with_the_role_and_settings_override_them(settings):
    settings.LAYERLAB_RUN_QUOTA_ANONYMOUS, settings.LAYERLAB_RUN_QUOTA_USER = 3, 8
    settings.LAYERLAB_RUN_TIME_LIMIT = 3600
    anonymous, student, teacher = (quotas.limits(role) for role in quotas.ROLES)
    for name in ("runs", "epochs", "parameters"):
        assert anonymous[name] <= student[name] <= teacher[name], name
        assert anonymous[name] < teacher[name], name
    assert anonymous["run_seconds"] < student["run_seconds"] <= teacher["run_seconds"] == 3600
    settings.LAYERLAB_ROLE_LIMITS = {"student": {"runs": 2, "run_seconds": 90}}
    assert quotas.limits("student")["runs"] == 2 and quotas.limits("student")["run_seconds"] == 90


def test_a_run_over_its_roles_epochs_or_runs_is_answered_429_with_a_sentence(alice, settings):
    settings.LAYERLAB_ROLE_LIMITS = {"anonymous": {"epochs": 10, "runs": 2}}
    answer = alice.post("/api/runs", {"task": "basics", "config": {"epochs": 11}}, content_type="application/json")
    assert answer.status_code == 429
    assert answer.json()["errors"][0]["message"].startswith("runs started without signing in may train at most 10 epochs")
    for _ in range(2):
        assert alice.post("/api/runs", {"task": "basics", "config": {"epochs": 10}},
                          content_type="application/json").status_code == 201
    answer = alice.post("/api/runs", {"task": "basics", "config": {"epochs": 1}}, content_type="application/json")
    assert answer.status_code == 429
    assert "you already have 2 runs queued or training" in answer.json()["errors"][0]["message"]


def test_a_network_over_the_roles_parameters_is_answered_429(alice, settings):
    settings.LAYERLAB_ROLE_LIMITS = {"anonymous": {"parameters": 10}}
    answer = alice.post("/api/runs", {"task": "basics", "config": {"epochs": 1}}, content_type="application/json")
    assert answer.status_code == 429
    assert "may have at most 10 parameters" in answer.json()["errors"][0]["message"]


def test_a_runs_time_limit_is_its_owners_roles(settings):
    settings.LAYERLAB_RUN_TIME_LIMIT = 3600
    settings.LAYERLAB_ROLE_LIMITS = {"anonymous": {"run_seconds": 60}}
    assert quotas.run_seconds(create("a")) == 60


# --- heartbeats and the reaper ------------------------------------------------------------------


def running_on(worker: str, session: str = "a") -> Run:
    run = create(session)
    assert store.claim_run(run.pk, worker=worker)
    return run


def silence(name: str, seconds: float) -> None:
    Worker.objects.filter(name=name).update(last_beat=timezone.now() - timedelta(seconds=seconds))


def test_the_runs_of_a_worker_that_stopped_beating_end_failed_with_the_cause():
    reaper.beat("celery:dead@host:1", slots=1, busy=1)
    reaper.beat("celery:alive@host:2", slots=1, busy=1)
    lost, kept = running_on("celery:dead@host:1"), running_on("celery:alive@host:2", "b")
    local = running_on("local:99:0", "c")
    silence("celery:dead@host:1", 31)
    events, requeued = reaper.reap(timeout=30, requeue=False)
    assert list(events) == [lost.pk] and requeued == 0
    lost.refresh_from_db()
    assert lost.status == "failed" and "dead@host" in lost.error and "stopped answering for 30 seconds" in lost.error
    assert Run.objects.get(pk=kept.pk).status == Run.objects.get(pk=local.pk).status == "running"
    assert Worker.objects.get(name="celery:dead@host:1").stopped is not None
    assert reaper.reap(timeout=30, requeue=False) == ({}, 0)  # once
    assert reaper.capacity(timeout=30) == (1, 1)


def test_a_run_whose_worker_has_no_heartbeat_at_all_is_lost_too():
    run = running_on("celery:never@host:3")
    events, _ = reaper.reap(timeout=30, requeue=False)
    assert events[run.pk]["data"]["status"] == "failed"


def test_a_lost_run_is_queued_again_once_and_failed_the_second_time():
    reaper.beat("celery:w@host:1", slots=1, busy=1)
    run = running_on("celery:w@host:1")
    silence("celery:w@host:1", 60)
    events, requeued = reaper.reap(timeout=30, requeue=True)
    run.refresh_from_db()
    assert requeued == 1 and (run.status, run.requeues, run.worker) == ("queued", 1, "")
    assert events[run.pk]["data"]["message"] == reaper.REQUEUED
    assert reaper.claim_next("celery:w2@host:2", slots=2) == run.pk
    silence("celery:w2@host:2", 60)
    events, requeued = reaper.reap(timeout=30, requeue=True)
    run.refresh_from_db()
    assert requeued == 0 and run.status == "failed"


def test_housekeeping_asks_free_slots_for_runs_that_wait_without_a_message():
    reaper.beat("celery:w@host:1", slots=2, busy=0)
    create("a")
    asked = []
    assert reaper.housekeeping(lambda run_id, events: None, asked.append, waiting_messages=lambda: 0)
    assert asked == [1]
    asked.clear()
    reaper.housekeeping(lambda run_id, events: None, asked.append, waiting_messages=lambda: 1)
    assert asked == []  # a message is already on its way


def test_claims_follow_the_fair_order_and_name_the_worker():
    a1, a2, b1 = create("a"), create("a"), create("b")
    assert reaper.claim_next("celery:w@h:1", slots=3) == a1.pk
    assert reaper.claim_next("celery:w@h:2", slots=3) == b1.pk
    assert reaper.claim_next("celery:w@h:3", slots=3) == a2.pk
    assert reaper.claim_next("celery:w@h:3", slots=3) is None
    assert Run.objects.get(pk=b1.pk).worker == "celery:w@h:2"


# --- settings by environment --------------------------------------------------------------------


def settings_in(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LAYERLAB_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run([sys.executable, "-c", "import playground.settings as s; " + code], cwd=ROOT,
                          env={**clean, "LAYERLAB_DATA_DIR": env.pop("LAYERLAB_DATA_DIR"), **env},
                          capture_output=True, text=True, timeout=60)


def test_the_embedded_default_needs_none_of_the_scale_out_settings(tmp_path):
    result = settings_in({"LAYERLAB_DATA_DIR": str(tmp_path)},
                         "print(s.LAYERLAB_EXECUTOR, s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'])")
    assert result.stdout.split() == ["local", "django.db.backends.sqlite3", "playground.runs.layer.SweepingInMemoryLayer"]


def test_scale_out_settings_come_from_the_environment(tmp_path):
    result = settings_in({"LAYERLAB_DATA_DIR": str(tmp_path), "LAYERLAB_EXECUTOR": "celery",
                          "DATABASE_URL": "postgres://lab:p%40ss@db.example:6543/layerlab?sslmode=require",
                          "REDIS_URL": "redis://cache:6379/1", "LAYERLAB_WORKER_SLOTS": "2",
                          "LAYERLAB_ROLE_LIMITS": '{"student": {"runs": 4}}'},
                         "d = s.DATABASES['default']; print(d['USER'], d['PASSWORD'], d['HOST'], d['PORT'], d['NAME'], "
                         "d['OPTIONS']['sslmode'], s.CELERY_BROKER_URL, s.CHANNEL_LAYERS['default']['BACKEND'], "
                         "s.LAYERLAB_WORKER_SLOTS, s.LAYERLAB_ROLE_LIMITS['student']['runs'])")
    assert result.stdout.split() == ["lab", "p@ss", "db.example", "6543", "layerlab", "require", "redis://cache:6379/1",
                                     "channels_redis.core.RedisChannelLayer", "2", "4"], result.stderr[-2000:]


@pytest.mark.parametrize("env, message", [
    ({"LAYERLAB_EXECUTOR": "celery"}, "LAYERLAB_EXECUTOR=celery needs REDIS_URL"),
    ({"LAYERLAB_EXECUTOR": "threads"}, "LAYERLAB_EXECUTOR must be local, celery or none"),
    ({"LAYERLAB_ROLE_LIMITS": "[1]"}, "LAYERLAB_ROLE_LIMITS must be a JSON object"),
])
def test_bad_scale_out_settings_stop_start_up_saying_why(tmp_path, env, message):
    result = settings_in({"LAYERLAB_DATA_DIR": str(tmp_path), **env}, "")
    assert result.returncode != 0 and message in result.stderr
    assert ImproperlyConfigured.__name__ in result.stderr


# --- the operator's page -------------------------------------------------------------------------


def test_the_operator_page_shows_workers_what_runs_where_the_queue_and_failures_to_staff_only(client, django_user_model):
    reaper.beat("celery:gpu0@box:7", slots=1, busy=1, devices="cuda:0 (NVIDIA H200)")
    running_on("celery:gpu0@box:7")
    create("waiting")
    failed = create("unlucky")
    store.append_status(failed.pk, "failed", error="the run ran out of GPU memory; try a smaller network")
    assert client.get("/staff/").status_code == 302  # to the admin's sign-in
    django_user_model.objects.create_user("ops", password="pw", is_staff=True)
    client.login(username="ops", password="pw")
    page = client.get("/staff/").content.decode()
    for text in ("celery:gpu0@box:7", "cuda:0 (NVIDIA H200)", "alive", "Queued: <strong>1</strong>",
                 "Slots busy: <strong>1 / 1</strong>", "ran out of GPU memory"):
        assert text in page, text


def test_a_visitors_second_run_waits_behind_equally_loaded_visitors_who_have_a_run_training():
    first = create("ann")
    assert store.claim_run(first.pk, worker="test")
    bobs = create("bob")
    assert store.claim_run(bobs.pk, worker="test")
    ann_next, cat1, cat2, bob_next = create("ann"), create("cat"), create("cat"), create("bob")
    # cat trains nothing: her first run goes first; her second would start after it, so it
    # follows ann's and bob's next runs, which wait for runs that already started.
    assert [run_id for run_id, _ in scheduler.queue_order(scheduler.running_owner_keys())] == [
        cat1.pk, ann_next.pk, bob_next.pk, cat2.pk]


def test_check_deploy_is_clean_on_the_production_scale_out_settings(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LAYERLAB_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env = {**clean, "LAYERLAB_DATA_DIR": str(tmp_path), "LAYERLAB_PRODUCTION": "1", "LAYERLAB_EXECUTOR": "celery",
           "DJANGO_SETTINGS_MODULE": "playground.settings", "DJANGO_SECRET_KEY": "k" * 20 + "Q7v!x9@Lm#2pZr$8sT&4wY*6uB^0nE%",
           "DJANGO_ALLOWED_HOSTS": "lab.example.org", "DATABASE_URL": "postgres://lab@db.example:5432/layerlab",
           "REDIS_URL": "redis://cache.example:6379/0"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "no issues" in result.stdout, result.stdout + result.stderr[-2000:]
